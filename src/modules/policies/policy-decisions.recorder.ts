/**
 * Counts each evaluated call against its agent's quota and records the decisions the log keeps, group-committed:
 * every caller is answered after the commit that holds its call. How a batch is written: policy-decisions.writer.ts.
 */
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import { createGroupCommitter } from '../../platform/db/group-commit.js';
import { quotaFor, type CompiledPolicy } from './compile-policy.js';
import type { EvaluationFacts, Outcome } from './evaluate.js';
import type { PolicyMetrics } from './policies.metrics.js';
import type { EvaluateInput } from './policies.schemas.js';
import type { PolicyDecisionRepository } from './policy-decisions.repository.js';
import { createDecisionBatchWriter, type Evaluation, type Settled } from './policy-decisions.writer.js';

const DAY_MS = 86_400_000;

export interface DecisionRecorderDeps {
  db: Database;
  repository: PolicyDecisionRepository;
  clock: Clock;
  metrics: PolicyMetrics;
  /** Share of violation-free allow decisions that are recorded (POLICY_ALLOW_SAMPLE_RATE). */
  allowSampleRate: number;
  random?: () => number;
  /** After a decision with violations was recorded (committed): alert rules count violations. */
  onViolationsRecorded?: (correlationId: string | null) => void;
}

export function createDecisionRecorder(deps: DecisionRecorderDeps) {
  const { db, clock, metrics } = deps;
  const random = deps.random ?? Math.random;

  function quotaWindows(now: Date, windowMs: number) {
    const time = now.getTime();
    return { callsStart: new Date(time - (time % windowMs)), dayStart: new Date(time - (time % DAY_MS)) };
  }

  /** Whether a decision is kept in the decision log: every violation, and the configured share of clean allows. */
  function recorded(outcome: Outcome): boolean {
    return outcome.violations.length > 0 || deps.allowSampleRate >= 1 || random() < deps.allowSampleRate;
  }

  const { writeWithinQuotas } = createDecisionBatchWriter({ db, repository: deps.repository, clock, metrics, recorded });

  /**
   * The database side of evaluations, group-committed: one statement per batch in the common case
   * (`writeWithinQuotas`), a transaction for the agents near a quota limit; every caller is answered after the
   * commit that holds its call.
   */
  const committer = createGroupCommitter<Evaluation, Settled | { error: unknown }>({
    db,
    autocommit: db,
    maxWaitMs: 2,
    maxBatch: 256,
    // On a PostgreSQL server, two batches at a time: one gathers and runs its statement while the other waits for
    // its commit, so neither ORCA nor PostgreSQL idles through the other's turn. Quotas stay exact: a second batch
    // for the same agent waits for the first's row lock.
    // The embedded database is one connection: a second batch would only queue behind the first.
    maxInFlight: db.kind === 'postgres' ? 2 : 1,
    write: writeWithinQuotas,
    onBatch: (size) => metrics.batchSize.observe(size),
  });

  /** Counts the call against the agent's quotas, decides again with the usage, records the decision if kept. */
  async function settle(policy: CompiledPolicy, facts: EvaluationFacts, input: EvaluateInput, outcome: Outcome, started: bigint, correlationId: string | null): Promise<Settled> {
    const agent = facts.agent;
    const limits = agent && !(outcome.decision === 'deny' && policy.mode === 'enforce') ? quotaFor(policy, agent.id, agent.role ?? policy.defaultRole ?? null) : undefined;
    // Without a quota the outcome is final: a decision the log does not keep needs no database at all.
    const record = limits ? false : recorded(outcome);
    if (!limits && !record) return { outcome, decisionId: null };
    const settled = await committer.submit({
      policy,
      facts,
      input,
      outcome,
      started,
      correlationId,
      record,
      ...(limits
        ? { quota: { agentId: agent!.id, windows: quotaWindows(clock.now(), limits.windowMs), limits, tokens: input.tokens ?? 0, cost_usd: input.cost_usd ?? 0 } }
        : {}),
    });
    if ('error' in settled) throw settled.error;
    if (settled.decisionId !== null && settled.outcome.violations.length > 0) deps.onViolationsRecorded?.(correlationId);
    return settled;
  }

  return {
    settle,

    /** Writes the quota counts and decisions still waiting for their batch (shutdown). */
    async close() {
      await committer.close();
    },
  };
}

export type DecisionRecorder = ReturnType<typeof createDecisionRecorder>;
