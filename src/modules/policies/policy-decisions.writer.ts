/**
 * How a group-commit batch of evaluations is written: the common case in one statement committed on its own
 * (`writeWithinQuotas`), the agents near a quota limit judged call by call in a transaction (`writeExactly`).
 */
import type { Clock } from '../../platform/clock.js';
import type { Database, Queryable } from '../../platform/db/index.js';
import { newId } from '../../platform/ids.js';
import type { CompiledPolicy, QuotaLimits } from './compile-policy.js';
import { decide, quotaViolations, type EvaluationFacts, type Outcome, type Usage } from './evaluate.js';
import type { PolicyMetrics } from './policies.metrics.js';
import type { EvaluateInput } from './policies.schemas.js';
import type { DecisionValues, PolicyDecisionRepository, QuotaDecisionValues, QuotaGroup, QuotaWindows } from './policy-decisions.repository.js';

/** One evaluation handed to the committer. */
export interface Evaluation {
  policy: CompiledPolicy;
  facts: EvaluationFacts;
  input: EvaluateInput;
  /** The decision before quotas: final when there is no quota to count. */
  outcome: Outcome;
  started: bigint;
  correlationId: string | null;
  /** Record the decision whatever it turns out to be (already sampled in; quota-free evaluations only). */
  record: boolean;
  quota?: {
    agentId: string;
    windows: QuotaWindows;
    /** The limits of `policy` for this agent. */
    limits: QuotaLimits;
    tokens: number;
    cost_usd: number;
  };
}

export interface Settled {
  outcome: Outcome;
  decisionId: string | null;
}

export interface DecisionBatchWriterDeps {
  db: Database;
  repository: PolicyDecisionRepository;
  clock: Clock;
  metrics: PolicyMetrics;
  /** Whether the decision log keeps a decision (every violation, a sample of clean allows). */
  recorded: (outcome: Outcome) => boolean;
}

export function createDecisionBatchWriter(deps: DecisionBatchWriterDeps) {
  const { db, repository, clock, metrics, recorded } = deps;

  /** The row of a decision; its quota fields (for `recordWithinQuotas`) are null until a counted call sets them. */
  function decisionRow(item: Evaluation, outcome: Outcome, usage: Usage | null = null): QuotaDecisionValues {
    const { input, policy } = item;
    return {
      id: newId(),
      at: clock.now(),
      agent_id: input.agent_id,
      action: input.action,
      resource: input.resource,
      classification: input.classification,
      decision: outcome.decision,
      violations: outcome.violations,
      max_severity: outcome.maxSeverity,
      compliant: outcome.compliant,
      latency_us: Number((process.hrtime.bigint() - item.started) / 1000n),
      policy_version: policy.version,
      mode: policy.mode,
      risk_avoided_usd: outcome.riskAvoidedUsd,
      risk_weight: policy.classifications.get(input.classification)?.riskWeight ?? 0,
      tokens: input.tokens ?? 0,
      cost_usd: input.cost_usd ?? 0,
      correlation_id: item.correlationId,
      facts: item.facts,
      usage,
      violation_ids: outcome.violations.map(() => newId()),
      quota_agent: null,
      calls_offset: null,
      tokens_offset: null,
      cost_offset: null,
    };
  }

  /**
   * Counts quotas and records decisions exactly, in a transaction: the calls of a batch are added per agent in
   * one upsert, then judged in arrival order as if counted one by one (each sees the usage including itself and
   * the accepted calls before it); calls a quota refuses in enforce mode are taken back in the same transaction.
   * Exact across replicas: the agent's row lock serialises every writer. Decisions: the rows of the whole batch in
   * one insert, the quota denials among them. Used for the agents that `writeWithinQuotas` leaves to it.
   */
  async function writeExactly(tx: Queryable, items: Evaluation[]): Promise<Settled[]> {
    const usages: Array<Usage | undefined> = new Array<Usage | undefined>(items.length);
    const groups = new Map<string, number[]>();
    items.forEach((item, index) => {
      if (!item.quota) return;
      const key = `${item.quota.agentId}|${item.quota.windows.callsStart.getTime()}|${item.quota.windows.dayStart.getTime()}`;
      const group = groups.get(key);
      if (group) group.push(index);
      else groups.set(key, [index]);
    });
    // Agent id order: batches of every replica take the quota row locks in the same order, so two of them
    // queue on a row instead of deadlocking.
    const ordered = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, indexes]) => indexes);
    for (const indexes of ordered) {
      const { agentId, windows } = items[indexes[0]!]!.quota!;
      const sums = indexes.reduce<Usage>(
        (total, index) => ({ calls: total.calls + 1, tokens: total.tokens + items[index]!.quota!.tokens, cost_usd: total.cost_usd + items[index]!.quota!.cost_usd }),
        { calls: 0, tokens: 0, cost_usd: 0 },
      );
      const totals = await repository.addUsage(agentId, windows, sums, tx);
      let running: Usage = { calls: totals.calls - sums.calls, tokens: totals.tokens - sums.tokens, cost_usd: roundUsd(totals.cost_usd - sums.cost_usd) };
      const refund: Usage = { calls: 0, tokens: 0, cost_usd: 0 };
      for (const index of indexes) {
        const { policy, facts, quota } = items[index]!;
        const usage = { calls: running.calls + 1, tokens: running.tokens + quota!.tokens, cost_usd: roundUsd(running.cost_usd + quota!.cost_usd) };
        usages[index] = usage;
        const refused = policy.mode === 'enforce' && quotaViolations(policy, { ...facts, usage }).length > 0;
        if (refused) {
          refund.calls += 1;
          refund.tokens += quota!.tokens;
          refund.cost_usd += quota!.cost_usd;
        } else {
          running = usage;
        }
      }
      if (refund.calls > 0) await repository.removeUsage(agentId, windows, refund, tx);
    }
    const rows: DecisionValues[] = [];
    const settled = items.map((item, index): Settled => {
      const usage = usages[index];
      // A new facts object: a batch that fails is written again item by item, from the same items. The row keeps
      // the usage in columns of its own, beside the facts without it.
      const facts = usage ? { ...item.facts, usage } : item.facts;
      // Within its quotas a call is decided exactly as before its usage was known: decide again only if not.
      const outcome = usage && quotaViolations(item.policy, facts).length > 0 ? decide(item.policy, facts) : item.outcome;
      if (!item.record && !recorded(outcome)) return { outcome, decisionId: null };
      const row = decisionRow(item, outcome, usage ?? null);
      rows.push(row);
      return { outcome, decisionId: row.id };
    });
    await repository.insertDecisions(rows, tx);
    return settled;
  }

  /**
   * The common case in one statement, committed on its own (`recordWithinQuotas`): every agent whose totals stay
   * within its limits after the whole batch is counted and its decisions recorded as decided before the usage was
   * known (within its quotas each call's prefix is within them too). The rest — agents near a limit, or whose calls
   * fall in two windows — go to `writeExactly` in a transaction of their own. Nothing written by the statement is
   * written again: when that transaction fails, each of its items is tried alone, and the ones that still fail are
   * answered with their error.
   */
  async function writeWithinQuotas(autocommit: Queryable, items: Evaluation[]): Promise<Array<Settled | { error: unknown }>> {
    const byAgent = new Map<string, { group: QuotaGroup; callsStart: number; dayStart: number; indexes: number[] }>();
    const mixedWindows = new Set<string>();
    items.forEach((item, index) => {
      if (!item.quota) return;
      const { agentId, windows, limits, tokens, cost_usd } = item.quota;
      const entry = byAgent.get(agentId);
      if (!entry) {
        byAgent.set(agentId, {
          callsStart: windows.callsStart.getTime(),
          dayStart: windows.dayStart.getTime(),
          group: {
            agent_id: agentId,
            window_start: windows.callsStart.toISOString(),
            day_start: windows.dayStart.toISOString(),
            calls: 1,
            tokens,
            cost_usd,
            max_calls: limits.calls ?? null,
            max_tokens: limits.tokensPerDay ?? null,
            max_cost_usd: limits.costUsdPerDay ?? null,
          },
          indexes: [index],
        });
        return;
      }
      const { group } = entry;
      if (entry.callsStart !== windows.callsStart.getTime() || entry.dayStart !== windows.dayStart.getTime()) mixedWindows.add(agentId);
      group.calls += 1;
      group.tokens += tokens;
      group.cost_usd = roundUsd(group.cost_usd + cost_usd);
      // The policy may have changed within the batch: the strictest limit of its calls' policies applies to all.
      group.max_calls = strictest(group.max_calls, limits.calls);
      group.max_tokens = strictest(group.max_tokens, limits.tokensPerDay);
      group.max_cost_usd = strictest(group.max_cost_usd, limits.costUsdPerDay);
      entry.indexes.push(index);
    });
    for (const agentId of mixedWindows) byAgent.delete(agentId);

    const results = new Array<Settled | { error: unknown }>(items.length);
    const rows: QuotaDecisionValues[] = [];
    const keep = (index: number, row: QuotaDecisionValues | null) => {
      if (row) rows.push(row);
      results[index] = { outcome: items[index]!.outcome, decisionId: row?.id ?? null };
    };
    items.forEach((item, index) => {
      if (!item.quota) keep(index, decisionRow(item, item.outcome));
    });
    for (const { group, indexes } of byAgent.values()) {
      let calls = 0;
      let tokens = 0;
      let cost = 0;
      for (const index of indexes) {
        const item = items[index]!;
        calls += 1;
        tokens += item.quota!.tokens;
        cost = roundUsd(cost + item.quota!.cost_usd);
        const row = recorded(item.outcome) ? decisionRow(item, item.outcome) : null;
        if (row) {
          row.quota_agent = group.agent_id;
          row.calls_offset = calls - group.calls;
          row.tokens_offset = tokens - group.tokens;
          row.cost_offset = roundUsd(cost - group.cost_usd);
        }
        keep(index, row);
      }
    }

    const { skipped } = await repository.recordWithinQuotas([...byAgent.values()].map(({ group }) => group), rows, autocommit);
    const exact = items.flatMap((item, index) => (item.quota && (skipped.has(item.quota.agentId) || mixedWindows.has(item.quota.agentId)) ? [index] : []));
    if (exact.length === 0) return results;
    metrics.exactQuotaItems.inc(exact.length);
    try {
      const settled = await db.transaction((tx) => writeExactly(tx, exact.map((index) => items[index]!)));
      exact.forEach((index, position) => (results[index] = settled[position]!));
    } catch {
      for (const index of exact) {
        try {
          results[index] = (await db.transaction((tx) => writeExactly(tx, [items[index]!])))[0]!;
        } catch (error) {
          results[index] = { error };
        }
      }
    }
    return results;
  }

  return { writeWithinQuotas };
}

/** The lower of two limits, where null and undefined mean none. */
function strictest(current: number | null, next: number | undefined): number | null {
  if (next === undefined) return current;
  return current === null ? next : Math.min(current, next);
}

/** Cost sums in JavaScript floats: rounded to a billionth of a dollar so that 0.1 + 0.2 reads 0.3. */
function roundUsd(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}
