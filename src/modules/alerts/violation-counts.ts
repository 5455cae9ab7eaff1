/**
 * Window counts for `violations` rules, kept between evaluations. Counting every violation of a rule's window from
 * scratch at each evaluation costs as much as the window holds (on a busy agent, hundreds of thousands of rows, a
 * few times a second); the window only moves, so this counts what entered and what left it since the last time.
 *
 * Rows are counted by their `at`, which is set before the row's transaction commits: a violation stamped just
 * before an evaluation may only become visible after it. Counts are therefore kept only up to a settled boundary
 * (`SETTLE_MS` before the evaluation's moment) and the newest stretch is counted afresh each time; a row that takes
 * longer than that to commit is caught by the full recount every `RECOUNT_MS` (and by any change of the rule, a
 * window that jumped ahead of the kept counts, or a clock that went back). Evaluations hold a lock across replicas,
 * so one process's counts never race another's; each process keeps its own.
 *
 * The rules of one evaluation read the same stretches (the newest one above all: the same for every rule), so a
 * stretch is read once per evaluation for all of them, counted per agent, rule, severity and decision, and each
 * rule takes its share; a rule that selects agents (by id, tag or owner) reads its own.
 */
import type { Queryable } from '../../platform/db/index.js';
import { severityRank, type AlertsReadModel, type ViolationGroup, type ViolationSelector } from './alerts.read-model.js';

/**
 * How long a violation may take from its `at` to its commit and still be counted incrementally. A decision commits
 * within milliseconds (group commit) and tens of them under heavy load (the evaluate benchmark's p99: 13 ms); 1 s
 * leaves a wide margin, while the newest stretch, read again at every evaluation, stays small at thousands of
 * violations a second. The cost of each evaluation grows with rate × SETTLE_MS: at 9,000 violations/s and four
 * evaluations a second, 2 s was 18,000 rows a read and the largest part of the database work alerts add to the
 * evaluate path.
 */
export const SETTLE_MS = 1_000;
/** The longest kept counts are trusted before the window is counted again from scratch. */
export const RECOUNT_MS = 60_000;

interface Kept {
  /** Counts are of violations with `since < at <= settled`. */
  since: number;
  settled: number;
  recountedAt: number;
  counts: Map<string, number>;
}

export interface ViolationCount {
  agent_id: string | null;
  count: number;
}

/** `null` agent ids (violations without an agent) are kept under this key. */
const NO_AGENT = '';

/** Whether a violation counted in `group` is one `match` counts (as violationCountsBetween's SQL decides). */
function matches(group: ViolationGroup, match: ViolationSelector): boolean {
  return (
    (match.rule === undefined || group.rule === match.rule) &&
    severityRank(group.severity) >= severityRank(match.min_severity) &&
    (match.decision === undefined || group.decision === match.decision)
  );
}

export function createViolationCounts(readModel: Pick<AlertsReadModel, 'violationCountsBetween' | 'violationGroupsBetween'>) {
  const kept = new Map<string, Kept>();

  function add(counts: Map<string, number>, rows: Array<{ agent_id: string | null; count: number }>, sign: 1 | -1): void {
    for (const row of rows) {
      const key = row.agent_id ?? NO_AGENT;
      const count = (counts.get(key) ?? 0) + sign * row.count;
      if (count > 0) counts.set(key, count);
      else counts.delete(key);
    }
  }

  /** One evaluation's reads: the stretches read so far (in its transaction), shared by its rules. */
  function session() {
    const stretches = new Map<string, Promise<ViolationGroup[]>>();

    async function countsBetween(tx: Queryable, from: Date, to: Date, match: ViolationSelector): Promise<ViolationCount[]> {
      if (match.agent_id !== undefined || match.tag !== undefined || match.owner !== undefined) return readModel.violationCountsBetween(tx, from, to, match);
      const key = `${from.getTime()}:${to.getTime()}`;
      let groups = stretches.get(key);
      if (!groups) stretches.set(key, (groups = readModel.violationGroupsBetween(tx, from, to)));
      const counts = new Map<string | null, number>();
      for (const group of await groups) if (matches(group, match)) counts.set(group.agent_id, (counts.get(group.agent_id) ?? 0) + group.count);
      return [...counts].map(([agentId, count]) => ({ agent_id: agentId, count }));
    }

    return { perAgent: (tx: Queryable, key: string, since: Date, until: Date, match: ViolationSelector) => perAgent(tx, key, since, until, match, countsBetween) };
  }

  /** Violations per agent with `since < at <= until` matching `match`; `key` names the rule (and its match and window). */
  async function perAgent(
    tx: Queryable,
    key: string,
    since: Date,
    until: Date,
    match: ViolationSelector,
    countsBetween: (tx: Queryable, from: Date, to: Date, match: ViolationSelector) => Promise<ViolationCount[]>,
  ): Promise<ViolationCount[]> {
    const sinceMs = since.getTime();
    const untilMs = until.getTime();
    const settled = untilMs - SETTLE_MS;
    let entry = kept.get(key);
    const usable =
      entry !== undefined && settled >= entry.settled && sinceMs >= entry.since && sinceMs <= entry.settled && untilMs - entry.recountedAt < RECOUNT_MS && untilMs >= entry.recountedAt;
    if (!usable || entry === undefined) {
      const counts = new Map<string, number>();
      add(counts, await countsBetween(tx, since, new Date(Math.max(sinceMs, settled)), match), 1);
      entry = { since: sinceMs, settled: Math.max(sinceMs, settled), recountedAt: untilMs, counts };
    } else {
      if (settled > entry.settled) add(entry.counts, await countsBetween(tx, new Date(entry.settled), new Date(settled), match), 1);
      if (sinceMs > entry.since) add(entry.counts, await countsBetween(tx, new Date(entry.since), since, match), -1);
      entry = { ...entry, since: sinceMs, settled };
    }
    kept.set(key, entry);
    const totals = new Map(entry.counts);
    if (untilMs > entry.settled) add(totals, await countsBetween(tx, new Date(entry.settled), until, match), 1);
    return [...totals].map(([agentId, count]) => ({ agent_id: agentId === NO_AGENT ? null : agentId, count }));
  }

  return {
    /** The counts for one evaluation: `perAgent` for each of its rules, the stretches they share read once. */
    session,
  };
}

export type ViolationCounts = ReturnType<typeof createViolationCounts>;
export type ViolationCountsSession = ReturnType<ViolationCounts['session']>;
