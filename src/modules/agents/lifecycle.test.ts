import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AGENT_STATUSES, LIFECYCLE_ACTIONS, TRANSITIONS, transition, type AgentStatus, type LifecycleAction } from './lifecycle.js';

/**
 * The state machine written out by hand, independently of lifecycle.ts: one row per status, one column per
 * action, `null` where the action is refused. Changing the machine means changing this table on purpose.
 */
const EXPECTED: Record<AgentStatus, Record<LifecycleAction, AgentStatus | null>> = {
  active: { suspend: 'suspended', resume: null, quarantine: 'quarantined', approve: null, retire: 'retired' },
  suspended: { suspend: null, resume: 'active', quarantine: 'quarantined', approve: null, retire: 'retired' },
  quarantined: { suspend: null, resume: null, quarantine: null, approve: 'active', retire: 'retired' },
  retired: { suspend: null, resume: null, quarantine: null, approve: null, retire: null },
  needs_review: { suspend: 'suspended', resume: null, quarantine: 'quarantined', approve: 'active', retire: 'retired' },
  missing: { suspend: null, resume: null, quarantine: 'quarantined', approve: null, retire: 'retired' },
  merged: { suspend: null, resume: null, quarantine: null, approve: null, retire: null },
};

/** What a refused action reports as allowed instead, in the canonical action order. */
const EXPECTED_ALLOWED: Record<AgentStatus, LifecycleAction[]> = {
  active: ['suspend', 'quarantine', 'retire'],
  suspended: ['resume', 'quarantine', 'retire'],
  quarantined: ['approve', 'retire'],
  retired: [],
  needs_review: ['suspend', 'quarantine', 'approve', 'retire'],
  missing: ['quarantine', 'retire'],
  merged: [],
};

const HAND_STATUSES = ['active', 'suspended', 'quarantined', 'retired', 'needs_review', 'missing', 'merged'] as const;
const HAND_ACTIONS = ['suspend', 'resume', 'quarantine', 'approve', 'retire'] as const;

const pairs = HAND_STATUSES.flatMap((from) => HAND_ACTIONS.map((action) => ({ from, action, to: EXPECTED[from][action] })));

describe('agent lifecycle state machine', () => {
  it('knows exactly the statuses and actions of docs/agents.md, so the table below is exhaustive', () => {
    expect([...AGENT_STATUSES]).toEqual([...HAND_STATUSES]);
    expect([...LIFECYCLE_ACTIONS]).toEqual([...HAND_ACTIONS]);
    expect(pairs).toHaveLength(35);
  });

  it.each(pairs.filter((pair) => pair.to !== null))('$from --$action--> $to', ({ from, action, to }) => {
    expect(transition(from, action)).toEqual({ ok: true, to });
  });

  it.each(pairs.filter((pair) => pair.to === null))('$from refuses $action', ({ from, action }) => {
    expect(transition(from, action)).toEqual({ ok: false, allowed: EXPECTED_ALLOWED[from] });
  });

  it('reports as allowed exactly the actions that succeed from that status', () => {
    for (const from of HAND_STATUSES) {
      const succeeding = HAND_ACTIONS.filter((action) => transition(from, action).ok);
      expect(succeeding).toEqual(EXPECTED_ALLOWED[from]);
    }
  });

  it('exports a TRANSITIONS table equal to the hand-written one', () => {
    for (const from of HAND_STATUSES) {
      const expected = Object.fromEntries(HAND_ACTIONS.flatMap((action) => (EXPECTED[from][action] ? [[action, EXPECTED[from][action]]] : [])));
      expect(TRANSITIONS[from]).toEqual(expected);
    }
  });

  it('makes retired final and reachable from every other status but merged (which only an unmerge leaves)', () => {
    expect(transition('retired', 'approve')).toEqual({ ok: false, allowed: [] });
    expect(transition('merged', 'retire')).toEqual({ ok: false, allowed: [] });
    for (const from of HAND_STATUSES.filter((status) => status !== 'retired' && status !== 'merged')) {
      expect(transition(from, 'retire')).toEqual({ ok: true, to: 'retired' });
    }
  });

  it('releases a quarantined agent only through approve', () => {
    const releases = HAND_ACTIONS.filter((action) => {
      const result = transition('quarantined', action);
      return result.ok && result.to !== 'retired';
    });
    expect(releases).toEqual(['approve']);
  });

  it('refuses names that are not actions, including inherited object properties', () => {
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', 'delete', '']) {
      for (const from of HAND_STATUSES) {
        expect(transition(from, name as LifecycleAction)).toEqual({ ok: false, allowed: EXPECTED_ALLOWED[from] });
      }
    }
  });
});

describe('docs/agents.md', () => {
  const readDoc = () => readFileSync(new URL('../../../docs/agents.md', import.meta.url), 'utf8');

  it('documents the same transitions in its mermaid diagram', () => {
    const doc = readDoc();
    const mermaid = /```mermaid\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(mermaid, 'docs/agents.md has a mermaid block').toBeDefined();
    const edges = [...mermaid!.matchAll(/^\s*(\w+)\s*-->\s*(\w+)\s*:\s*(\w+)\s*$/gm)]
      .filter(([, from]) => from !== undefined && (HAND_STATUSES as readonly string[]).includes(from))
      .map(([, from, to, action]) => `${from} ${action} ${to}`)
      .sort();
    const expected = pairs.filter((pair) => pair.to !== null).map((pair) => `${pair.from} ${pair.action} ${pair.to}`).sort();
    expect(edges).toEqual(expected);
  });

  it('documents the same transitions in its table', () => {
    const header = `| from \\ action | ${HAND_ACTIONS.map((action) => `\`${action}\``).join(' | ')} |`;
    const lines = readDoc().split('\n');
    const start = lines.indexOf(header);
    expect(start, `docs/agents.md has the table header ${header}`).toBeGreaterThanOrEqual(0);
    for (const [index, from] of HAND_STATUSES.entries()) {
      const cells = HAND_ACTIONS.map((action) => (EXPECTED[from][action] ? `→ \`${EXPECTED[from][action]}\`` : '409'));
      expect(lines[start + 2 + index]).toBe(`| \`${from}\` | ${cells.join(' | ')} |`);
    }
  });
});
