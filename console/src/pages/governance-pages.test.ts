import { describe, expect, it } from 'vitest';
import type { Schemas } from '../api/client.ts';
import { votesOf } from './approvals.tsx';
import { newestRunPerSource } from './discovery.tsx';
import { describeSelector, selectorFrom, splitValues } from './kill-switch.tsx';
import { describeChange, reviewCause } from './review.tsx';

const event = (id: string, at: string, to: Schemas['AgentStatus'], from: Schemas['AgentStatus'] | null, fingerprint: string | null, extra: Partial<Schemas['AgentEvent']> = {}) =>
  ({ id, at, fingerprint, agent_id: 'a', action: 'x', from_status: from, to_status: to, reason: null, actor: 'k', correlation_id: null, ...extra }) as Schemas['AgentEvent'];

describe('review queue', () => {
  it('finds the entry that put the agent in its status, with the fingerprint before it and what changed', () => {
    const history = [
      event('1', '2026-01-01T00:00:00Z', 'quarantined', null, 'aaa', { action: 'discovered' }),
      event('2', '2026-01-02T00:00:00Z', 'active', 'quarantined', null, { action: 'approve' }),
      event('4', '2026-01-04T00:00:00Z', 'needs_review', 'needs_review', null, { action: 'suspend_refused' }),
      event('3', '2026-01-03T00:00:00Z', 'needs_review', 'active', 'bbb', {
        action: 'review',
        changes: [{ change: 'prompt_changed' }, { change: 'tool_added', tool: 'search' }, { change: 'model_changed', from: 'gpt-4o', to: null }],
      }),
    ];
    expect(reviewCause('needs_review', history)).toEqual({
      event: history[3],
      fingerprint: { from: 'aaa', to: 'bbb' },
      changes: ['prompt changed', 'tool added: search', 'model: gpt-4o → none'],
    });
    expect(reviewCause('quarantined', history)).toEqual({ event: history[0], fingerprint: { from: null, to: 'aaa' }, changes: [] });
    expect(reviewCause('retired', history)).toBeUndefined();
  });

  it('describes every kind of definition change discovery records, and shows unknown ones as data', () => {
    expect(
      [
        { change: 'tool_removed', tool: 'a' },
        { change: 'tool_description_changed', tool: 'b' },
        { change: 'tool_input_schema_changed', tool: 'c' },
        { change: 'config_changed', keys: ['x', 'y'] },
        { change: 'something_new', detail: '<b>' },
      ].map(describeChange),
    ).toEqual(['tool removed: a', 'tool description changed: b', 'tool input schema changed: c', 'config changed: x, y', '{"change":"something_new","detail":"<b>"}']);
  });
});

describe('approvals', () => {
  it('counts the approvals given against the ones required', () => {
    expect(votesOf({ approvals_required: 1, approvals: [] })).toBe('0 of 1 approval');
    expect(votesOf({ approvals_required: 2, approvals: [{ approver: 'k1', via: 'slack', reason: 'ok', at: '2026-01-01T00:00:00Z' }] })).toBe('1 of 2 approvals: k1 (slack)');
  });
});

describe('discovery', () => {
  it('offers "run again" on the newest run of each source only (runs come newest first)', () => {
    expect([...newestRunPerSource([{ id: 'r3', source_id: 's1' }, { id: 'r2', source_id: 's2' }, { id: 'r1', source_id: 's1' }])]).toEqual(['r3', 'r2']);
  });
});

describe('kill switch selector', () => {
  it('splits lists on lines and commas, dropping blanks and repeats', () => {
    expect(splitValues(' pii, finance\n\npii ,\n ops ')).toEqual(['pii', 'finance', 'ops']);
  });

  it('builds the selector of the criteria given, in the API’s shape', () => {
    expect(selectorFrom({ all: false, kinds: ['workflow', 'nonsense'], lists: { tags: 'pii, finance', owners: '', models: 'gpt-4o' } })).toEqual({
      selector: { tags: ['pii', 'finance'], models: ['gpt-4o'], kinds: ['workflow'] },
    });
    expect(selectorFrom({ all: true, kinds: [], lists: {} })).toEqual({ selector: { all: true } });
  });

  it('refuses an empty selection and "every agent" combined with another criterion', () => {
    expect(selectorFrom({ all: false, kinds: [], lists: { tags: ' , ' } })).toEqual({ error: 'Give at least one criterion, or tick “every agent”.' });
    expect(selectorFrom({ all: true, kinds: ['workflow'], lists: {} })).toEqual({ error: '“Every agent” must be the only criterion: clear the others, or untick it.' });
  });

  it('describes a selector in one line', () => {
    expect(describeSelector({ tags: ['pii'], owners: ['ops'], kinds: ['llm_agent', 'mcp_server'] })).toBe('tags: pii; owners: ops; kinds: llm agent, mcp server');
    expect(describeSelector({ all: true })).toBe('every agent that is not retired');
  });
});
