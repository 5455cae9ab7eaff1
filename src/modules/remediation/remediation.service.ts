import type { Clock } from '../../platform/clock.js';
import { notFound } from '../../platform/errors.js';
import { decodeCursor, pageOf } from '../../platform/http/cursor.js';
import { newId } from '../../platform/ids.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { GapObserver, OpenedGap, ResolvedRemediationStep } from '../sync/index.js';
import type { RemediationMetrics } from './remediation.metrics.js';
import type { NewRemediation, RemediationRepository, RemediationRow } from './remediation.repository.js';
import type { RemediationScheduler } from './remediation.scheduler.js';
import type { ListRemediationsQuery, Remediation } from './remediation.schemas.js';
import { isOutcome } from './remediation-state.js';

const iso = (value: Date | null) => value?.toISOString() ?? null;

export function toRemediation(row: RemediationRow): Remediation {
  return {
    id: row.id,
    gap_id: row.gap_id,
    gap_type: row.gap_type,
    contract: row.contract,
    rule: row.rule,
    entity_id: row.entity_id,
    agent_id: row.agent_id,
    action: row.action,
    receiver: row.receiver,
    status: row.status,
    outcome: isOutcome(row.status) ? row.status : null,
    attempts: row.attempts,
    max_attempts: row.max_attempts,
    verify_within_seconds: Number(row.verify_within_ms) / 1000,
    next_attempt_at: iso(row.next_attempt_at),
    verify_until: iso(row.verify_until),
    last_attempt_at: iso(row.last_attempt_at),
    finished_at: iso(row.finished_at),
    healed_at: iso(row.healed_at),
    reason: row.reason,
    last_error: row.last_error,
    result: row.result,
    correlation_id: row.correlation_id,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/** The records a newly opened gap gets: one per step of its rule's policy. */
export function plannedRemediations(gap: OpenedGap, steps: ResolvedRemediationStep[], now: Date): NewRemediation[] {
  return steps.map((step) => {
    const id = newId();
    const immediate = step.enabled && step.after_ms === 0;
    return {
      id,
      gap_id: gap.id,
      gap_type: gap.type,
      contract: gap.contract,
      rule: gap.rule,
      entity_id: gap.entity_id,
      agent_id: gap.agent_id,
      action: step.action,
      position: step.position,
      receiver: step.receiver,
      status: step.enabled ? 'pending' : 'skipped',
      max_attempts: step.max_attempts,
      verify_within_ms: step.verify_within_ms,
      next_attempt_at: step.enabled ? new Date(gap.detected_at.getTime() + step.after_ms) : null,
      // The first attempt of an immediate step is sent with the gap; a later one by the scheduler when it is due.
      dispatched_attempt: immediate ? 1 : 0,
      dispatched_at: immediate ? now : null,
      finished_at: step.enabled ? null : now,
      reason: step.enabled ? null : 'disabled in the remediation policy (enabled: false)',
      // Every log line, job and outbound call of this remediation carries it.
      correlation_id: `remediation-${id}`,
      created_at: now,
    };
  });
}

export function createRemediationService(deps: {
  repository: RemediationRepository;
  scheduler: Pick<RemediationScheduler, 'settle' | 'sendAttempt'>;
  metrics: RemediationMetrics;
  clock: Clock;
  logger: Logger;
}) {
  const { repository, scheduler, metrics, clock, logger } = deps;
  const settling = new Set<Promise<unknown>>();

  /** What the sync module calls (gap-observer.ts). */
  const observer: GapObserver = {
    async gapOpened(tx, gap, steps) {
      const rows = plannedRemediations(gap, steps, clock.now());
      await repository.insert(rows, tx);
      for (const row of rows) if (row.dispatched_attempt === 1) await scheduler.sendAttempt(row.id, 1, row.correlation_id, tx);
      return () => {
        for (const row of rows) if (row.status === 'skipped') metrics.finished(row.action, 'skipped');
        logger.info({ gap_id: gap.id, actions: rows.map((row) => `${row.action}:${row.status}`) }, 'remediation planned for a sync gap');
      };
    },

    gapsClosed(ids) {
      // In the background (the closing already committed); the scheduler's tick settles whatever this misses.
      const work = scheduler.settle(ids).catch((error: unknown) => logger.error({ err: error, gaps: ids.length }, 'could not settle the remediations of closed gaps; the next tick will'));
      settling.add(work);
      void work.finally(() => settling.delete(work));
    },
  };

  return {
    observer,

    async list(query: ListRemediationsQuery): Promise<{ items: Remediation[]; next_cursor: string | null }> {
      const limit = query.limit ?? 50;
      const rows = await repository.list({ status: query.status, gap_id: query.gap_id, agent_id: query.agent_id, action: query.action, limit: limit + 1, after: decodeCursor(query.cursor) });
      const page = pageOf(rows, limit);
      return { items: page.items.map(toRemediation), next_cursor: page.next_cursor };
    },

    async get(id: string): Promise<Remediation> {
      const row = await repository.findById(id);
      if (!row) throw notFound(`remediation ${id}`);
      return toRemediation(row);
    },

    /** Waits for the settlements started by closed gaps (shutdown, tests). */
    async drain(): Promise<void> {
      await Promise.all([...settling]);
    },
  };
}

export type RemediationService = ReturnType<typeof createRemediationService>;
