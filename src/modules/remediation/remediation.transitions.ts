import type { Clock } from '../../platform/clock.js';
import type { AfterCommit, Queryable } from '../../platform/db/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { AuditService } from '../audit/index.js';
import type { RemediationMetrics } from './remediation.metrics.js';
import type { RemediationRepository, RemediationRow } from './remediation.repository.js';
import { isOutcome, type GapState, type RemediationState, type RemediationStatus, type Transition } from './remediation-state.js';

/** Who acts in the audit log and the agents' history when self-healing changes something. */
export const REMEDIATION_ACTOR = 'system:remediation';

export const stateOf = (row: RemediationRow): RemediationState => ({
  status: row.status,
  attempts: row.attempts,
  max_attempts: row.max_attempts,
  verify_within_ms: Number(row.verify_within_ms),
  verify_until: row.verify_until,
  last_attempt_at: row.last_attempt_at,
});

export const gapStateOf = (gap: { resolved_at: Date | null; resolution: 'auto' | 'manual' | null; closed_because?: string | null; detail?: Record<string, unknown> }): GapState => ({
  resolved_at: gap.resolved_at,
  resolution: gap.resolution,
  closed_because: gap.closed_because ?? (typeof gap.detail?.closed_because === 'string' ? gap.detail.closed_because : null),
});

/** What the audit log keeps of a remediation at each step. */
function auditView(row: RemediationRow) {
  return {
    status: row.status,
    attempts: row.attempts,
    gap_id: row.gap_id,
    action: row.action,
    ...(row.reason ? { reason: row.reason } : {}),
    ...(row.last_error ? { last_error: row.last_error } : {}),
  };
}

/**
 * Writes a transition of the state machine (remediation-state.ts), audited as `remediation.<new status>` in the same
 * transaction, and counted and logged once it committed.
 */
export function createTransitionWriter(deps: {
  repository: Pick<RemediationRepository, 'applyTransition'>;
  audit: Pick<AuditService, 'append'>;
  afterCommit: AfterCommit;
  metrics: RemediationMetrics;
  clock: Clock;
  logger: Logger;
}) {
  return async function apply(
    tx: Queryable,
    row: RemediationRow,
    from: readonly RemediationStatus[],
    transition: Transition,
    extra: { last_error?: string | null; result?: Record<string, unknown>; gapDetectedAt?: Date } = {},
  ): Promise<RemediationRow | undefined> {
    const updated = await deps.repository.applyTransition(row.id, { from, attempts: row.attempts }, transition, extra, deps.clock.now(), tx);
    if (!updated) return undefined;
    await deps.audit.append(tx, {
      actor: REMEDIATION_ACTOR,
      action: `remediation.${updated.status}`,
      target: `remediation:${row.id}`,
      before: auditView(row),
      after: auditView(updated),
      correlationId: row.correlation_id,
    });
    deps.afterCommit.defer(tx, () => {
      const fields = { remediation_id: row.id, gap_id: row.gap_id, action: row.action, status: updated.status, attempts: updated.attempts, correlation_id: row.correlation_id };
      if (!isOutcome(updated.status)) {
        deps.logger.info(fields, updated.status === 'verifying' ? 'remediation action done; waiting for the gap to close' : 'remediation attempt due again');
        return;
      }
      deps.metrics.finished(row.action, updated.status);
      if (updated.status === 'healed' && updated.healed_at && extra.gapDetectedAt) {
        deps.metrics.healed(row.action, (updated.healed_at.getTime() - extra.gapDetectedAt.getTime()) / 1000);
      }
      const level = updated.status === 'failed' || updated.status === 'gave_up' ? 'warn' : 'info';
      deps.logger[level]({ ...fields, reason: updated.reason }, `remediation ${updated.status}`);
    });
    return updated;
  };
}

export type TransitionWriter = ReturnType<typeof createTransitionWriter>;
