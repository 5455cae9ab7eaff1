import { describe, expect, it } from 'vitest';
import type { Queryable } from '../../platform/db/index.js';
import type { ViolationGroup, ViolationSelector } from './alerts.read-model.js';
import { createViolationCounts, SETTLE_MS } from './violation-counts.js';

/**
 * The rules of one evaluation share the stretches they read: one grouped read per stretch, each rule taking the
 * violations it matches; a rule selecting agents reads its own. (test/http/alerts/violation-counts.test.ts checks
 * the counts against a database as the window slides.)
 */
const tx = {} as Queryable;

function readModel(groups: ViolationGroup[]) {
  const calls: string[] = [];
  return {
    calls,
    model: {
      violationGroupsBetween: async (_tx: Queryable, from: Date, to: Date) => {
        calls.push(`groups ${from.getTime()}..${to.getTime()}`);
        return groups;
      },
      violationCountsBetween: async (_tx: Queryable, from: Date, to: Date, match: ViolationSelector) => {
        calls.push(`own ${from.getTime()}..${to.getTime()} ${JSON.stringify(match)}`);
        return [{ agent_id: 'agent-a', count: 7 }];
      },
    },
  };
}

describe('violation counts shared by the rules of an evaluation', () => {
  const groups: ViolationGroup[] = [
    { agent_id: 'agent-a', rule: 'prompt_injection', severity: 'critical', decision: 'deny', count: 3 },
    { agent_id: 'agent-a', rule: 'pii', severity: 'high', decision: 'allow', count: 2 },
    { agent_id: 'agent-b', rule: 'pii', severity: 'low', decision: 'deny', count: 4 },
    { agent_id: null, rule: 'prompt_injection', severity: 'high', decision: 'deny', count: 1 },
  ];

  it('reads each stretch once for every rule without an agent selector, and filters it per rule', async () => {
    const { calls, model } = readModel(groups);
    const counts = createViolationCounts(model);
    const session = counts.session();
    const until = new Date(1_000_000);
    const since = new Date(until.getTime() - 300_000);
    const sorted = (rows: Array<{ agent_id: string | null; count: number }>) => [...rows].sort((a, b) => String(a.agent_id).localeCompare(String(b.agent_id)));

    expect(sorted(await session.perAgent(tx, 'injection', since, until, { rule: 'prompt_injection' }))).toEqual([
      { agent_id: 'agent-a', count: 6 },
      { agent_id: null, count: 2 },
    ]);
    expect(sorted(await session.perAgent(tx, 'denials', since, until, { decision: 'deny' }))).toEqual([
      { agent_id: 'agent-a', count: 6 },
      { agent_id: 'agent-b', count: 8 },
      { agent_id: null, count: 2 },
    ]);
    expect(sorted(await session.perAgent(tx, 'serious', since, until, { min_severity: 'high' }))).toEqual([
      { agent_id: 'agent-a', count: 10 },
      { agent_id: null, count: 2 },
    ]);
    const settled = until.getTime() - SETTLE_MS;
    // Two stretches (the window up to the settled boundary, and the newest one), each read once for all three rules.
    expect(calls).toEqual([`groups ${since.getTime()}..${settled}`, `groups ${settled}..${until.getTime()}`]);

    await session.perAgent(tx, 'watched', since, until, { tag: 'watched' });
    expect(calls.slice(2)).toEqual([`own ${since.getTime()}..${settled} {"tag":"watched"}`, `own ${settled}..${until.getTime()} {"tag":"watched"}`]);

    // The next evaluation reads afresh: nothing is shared between evaluations but the kept counts.
    calls.length = 0;
    await counts.session().perAgent(tx, 'injection', since, until, { rule: 'prompt_injection' });
    expect(calls).toEqual([`groups ${settled}..${until.getTime()}`]);
  });
});
