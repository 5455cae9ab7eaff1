/**
 * What happens to remediations with time rather than with a job: settling those whose gap closed (healed, or
 * skipped), ending verification windows that ran out (next attempt, or gave_up), and sending the job of every due
 * attempt. The scheduled tick runs all three (once per REMEDIATION_INTERVAL across replicas); a gap closing runs the
 * first at once for its gaps. Time is the injected clock's.
 */
import type { Clock } from '../../platform/clock.js';
import type { AfterCommit } from '../../platform/db/index.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import type { RemediationRepository } from './remediation.repository.js';
import { expireVerification, settleClosedGap } from './remediation-state.js';
import { ACT_QUEUE, type AttemptJob } from './remediation.runner.js';
import { gapStateOf, stateOf, type TransitionWriter } from './remediation.transitions.js';

/** Rows each step handles per tick; a larger backlog is worked off over the next ticks. */
const BATCH = 500;
/**
 * An attempt sent to a job this long ago that has not started (or not finished) is sent again: its job was lost.
 * Longer than an attempt's job can run (its timeout and retries), so a slow attempt is never sent twice.
 */
export const REDISPATCH_AFTER_MS = 60 * 60_000;

export interface TickReport {
  settled: number;
  expired: number;
  dispatched: number;
}

export function createRemediationScheduler(deps: {
  repository: RemediationRepository;
  afterCommit: AfterCommit;
  apply: TransitionWriter;
  jobs: Pick<JobQueue, 'send'>;
  clock: Clock;
}) {
  const { repository, afterCommit, apply, clock } = deps;

  /** Settles open remediations whose gap closed (of `gapIds` only, when given); returns how many it finished. */
  async function settle(gapIds?: string[]): Promise<number> {
    return afterCommit.transaction(async (tx) => {
      let settled = 0;
      const now = clock.now();
      for (const row of await repository.openWithClosedGap(BATCH, gapIds, tx)) {
        const gap = { resolved_at: row.gap_resolved_at, resolution: row.gap_resolution, closed_because: row.gap_closed_because };
        const transition = settleClosedGap(stateOf(row), gapStateOf(gap), now);
        if (transition && (await apply(tx, row, [row.status], transition, { gapDetectedAt: row.gap_detected_at }))) settled += 1;
      }
      return settled;
    });
  }

  async function expire(): Promise<number> {
    return afterCommit.transaction(async (tx) => {
      let expired = 0;
      const now = clock.now();
      for (const row of await repository.expiredVerifications(now, BATCH, tx)) {
        const transition = expireVerification(stateOf(row), now);
        if (transition && (await apply(tx, row, ['verifying'], transition))) expired += 1;
      }
      return expired;
    });
  }

  /** One job per due attempt, sent in the transaction that records it was sent (both or neither). */
  async function dispatch(): Promise<number> {
    return afterCommit.transaction(async (tx) => {
      const now = clock.now();
      const due = await repository.dueAttempts(now, new Date(now.getTime() - REDISPATCH_AFTER_MS), BATCH, tx);
      for (const row of due) {
        const attempt = row.status === 'acting' ? row.attempts : row.attempts + 1;
        await sendAttempt(row.id, attempt, row.correlation_id, tx);
        await repository.markDispatched(row.id, attempt, now, tx);
      }
      return due.length;
    });
  }

  async function sendAttempt(id: string, attempt: number, correlationId: string | null, tx: Parameters<typeof repository.markDispatched>[3]): Promise<void> {
    const job: AttemptJob = { remediation_id: id, attempt };
    await deps.jobs.send(ACT_QUEUE, job, { tx, singletonKey: `${id}:${attempt}`, ...(correlationId ? { correlationId } : {}) });
  }

  return {
    settle,
    sendAttempt,
    /** One round: settle, expire, dispatch (in that order: an expired window's next attempt goes out at once). */
    async tick(): Promise<TickReport> {
      const settled = await settle();
      const expired = await expire();
      const dispatched = await dispatch();
      return { settled, expired, dispatched };
    },
  };
}

export type RemediationScheduler = ReturnType<typeof createRemediationScheduler>;
