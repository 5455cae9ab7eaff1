/**
 * One attempt of one remediation, as its job runs it: checks the gap is still open and the action not silenced,
 * claims the attempt, carries the action out (remediation-actions.ts) outside any transaction, then records what it
 * came to. A job that finds its attempt already taken or finished stands down; a job that dies mid-action is retried
 * by the queue and resumes the same attempt (an action is carried out at least once per attempt; the resync request's
 * `webhook-id` lets the receiver drop the duplicate).
 */
import type { Clock } from '../../platform/clock.js';
import type { AfterCommit } from '../../platform/db/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import { remediationLabels, runAction, type ActionDeps } from './remediation-actions.js';
import type { RemediationMetrics } from './remediation.metrics.js';
import type { RemediationRepository } from './remediation.repository.js';
import { afterAttempt, settleClosedGap } from './remediation-state.js';
import { gapStateOf, REMEDIATION_ACTOR, stateOf, type TransitionWriter } from './remediation.transitions.js';

export const ACT_QUEUE = 'remediation.act';

/** An attempt job's payload. */
export interface AttemptJob {
  remediation_id: string;
  attempt: number;
}

export function createAttemptRunner(deps: {
  repository: RemediationRepository;
  afterCommit: AfterCommit;
  apply: TransitionWriter;
  actions: ActionDeps;
  metrics: RemediationMetrics;
  clock: Clock;
  /** The ids of the alert silences in force that match these labels (none when alerts are not installed). */
  silencedBy?: (labels: Record<string, string>, now: Date) => Promise<string[]>;
  /** REMEDIATION_RETRY_DELAY: the wait before the attempt after a failed one (doubling each time). */
  retryBaseMs: number;
}) {
  const { repository, afterCommit, apply, clock } = deps;

  return async function runAttempt(job: AttemptJob, correlationId: string, logger: Logger): Promise<void> {
    const log = logger.child({ remediation_id: job.remediation_id, attempt: job.attempt });
    const row = await repository.findById(job.remediation_id);
    const runnable = row && ((row.status === 'pending' && row.attempts === job.attempt - 1) || (row.status === 'acting' && row.attempts === job.attempt));
    if (!row || !runnable) {
      log.debug({ status: row?.status ?? null, attempts: row?.attempts ?? null }, 'remediation job stands down: its attempt ran or the remediation finished');
      return;
    }
    const gap = await repository.findGap(row.gap_id);
    if (!gap) throw new Error(`sync gap ${row.gap_id} of remediation ${row.id} is missing`);

    if (row.status === 'pending') {
      const closed = settleClosedGap(stateOf(row), gapStateOf(gap), clock.now());
      if (closed) {
        await afterCommit.transaction((tx) => apply(tx, row, ['pending'], closed));
        return;
      }
      const silences = deps.silencedBy ? await deps.silencedBy(remediationLabels(row, gap.severity), clock.now()) : [];
      if (silences.length > 0) {
        await afterCommit.transaction((tx) =>
          apply(tx, row, ['pending'], { status: 'skipped', finished_at: clock.now(), reason: `silenced by ${silences.length === 1 ? 'silence' : 'silences'} ${silences.join(', ')}` }, { result: { silences } }),
        );
        return;
      }
    }

    const claimed = await repository.claimAttempt(row.id, job.attempt, clock.now());
    if (!claimed) {
      log.debug('remediation job stands down: another run claimed the attempt');
      return;
    }
    const outcome = await runAction(deps.actions, { remediation: claimed, attempt: job.attempt, gap, actor: { id: REMEDIATION_ACTOR, correlationId } });
    deps.metrics.attempt(claimed.action, outcome.result.kind);
    const after = (await repository.findGap(row.gap_id)) ?? gap;
    const transition = afterAttempt(stateOf(claimed), outcome.result, gapStateOf(after), clock.now(), deps.retryBaseMs);
    const error = outcome.result.kind === 'retry' || outcome.result.kind === 'final' ? outcome.result.error : null;
    const recorded = await afterCommit.transaction((tx) =>
      apply(tx, claimed, ['acting'], transition, { last_error: error, result: outcome.detail, gapDetectedAt: gap.detected_at }),
    );
    log[error ? 'warn' : 'info'](
      { action: claimed.action, result: outcome.result.kind, status: recorded?.status ?? null, ...(error ? { error } : {}) },
      error ? 'remediation attempt failed' : 'remediation attempt carried out',
    );
  };
}

export type AttemptRunner = ReturnType<typeof createAttemptRunner>;
