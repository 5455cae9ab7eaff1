/**
 * The policy engine's side of approvals (the ApprovalGate the policies module declares): a require_approval decision
 * opens an approval; a call that presents `approval_id` is judged against it and, when it goes ahead, uses it —
 * once, across every replica (one atomic update; approvals.repository.ts `consume`).
 */
import type { Clock } from '../../platform/clock.js';
import type { SecretBox } from '../../platform/crypto/secret-box.js';
import type { Database } from '../../platform/db/index.js';
import { newId } from '../../platform/ids.js';
import type { OutboundClient } from '../../platform/outbound/index.js';
import type { AuditService } from '../audit/index.js';
import type { ApprovalBinding, ApprovalGate, ApprovalRequest, ConsumedApproval, OpenedApproval, PresentedApproval } from '../policies/index.js';
import { generateCallbackSecret, sealContext } from './approval-callback.js';
import type { ApprovalMetrics } from './approvals.metrics.js';
import { toRecord, type ApprovalRepository, type ApprovalRow } from './approvals.repository.js';

export interface ApprovalGateDeps {
  db: Database;
  repository: ApprovalRepository;
  audit: Pick<AuditService, 'append'>;
  clock: Clock;
  box: SecretBox;
  outbound: Pick<OutboundClient, 'assertAllowedUrl'>;
  metrics: ApprovalMetrics;
  /** APPROVALS_ENABLED=false: require_approval decisions stay final, as they were before approvals existed. */
  enabled: boolean;
  onChange?: (correlationId: string | null) => void;
}

/**
 * Why a presented approval does not let this call through, or undefined when it does. The binding is checked first:
 * a call for something else learns nothing about the approval's state.
 */
export function refusalOf(row: ApprovalRow | undefined, binding: ApprovalBinding, now: Date): string | undefined {
  if (!row) return 'does not exist';
  if (row.agent_id !== binding.agentId) return 'was asked for another agent';
  if (row.action !== binding.action) return 'was asked for another action';
  if (row.resource !== binding.resource) return 'was asked for another resource';
  if (row.classification !== binding.classification) return 'was asked for another classification';
  if (row.content_digest !== binding.contentDigest) return 'was asked for other content';
  if (row.status === 'denied') return `was denied: ${row.decision_reason ?? 'no reason given'}`;
  if (row.used_at !== null) return `was already used at ${row.used_at.toISOString()}`;
  if (row.status === 'expired' || row.expires_at <= now) return `expired at ${row.expires_at.toISOString()}`;
  if (row.status === 'pending') return `is still pending (${row.approvers.length} of ${row.approvals_required} approvals)`;
  return undefined;
}

export function createApprovalGate(deps: ApprovalGateDeps): ApprovalGate {
  const { db, repository, audit, clock, box, metrics } = deps;

  return {
    checkCallbackUrl: (url) => deps.outbound.assertAllowedUrl(url, '/body/callback_url'),

    async present(id, binding): Promise<PresentedApproval> {
      if (!deps.enabled) return { id, verdict: 'invalid', reason: 'cannot be used: approvals are turned off (APPROVALS_ENABLED=false)' };
      const reason = refusalOf(await repository.findById(id), binding, clock.now());
      return reason === undefined ? { id, verdict: 'approved' } : { id, verdict: 'invalid', reason };
    },

    async consume(id, binding, by): Promise<ConsumedApproval | null> {
      const now = clock.now();
      const used = await db.transaction(async (tx) => {
        const row = await repository.consume(id, binding, now, by.correlationId, tx);
        if (row) await audit.append(tx, { actor: by.keyId ?? 'anonymous', action: 'approval.use', target: `approval:${id}`, before: null, after: toRecord(row), correlationId: by.correlationId });
        return row;
      });
      if (!used) return null;
      metrics.event('used');
      return {
        async release() {
          const at = clock.now();
          const released = await db.transaction(async (tx) => {
            const row = await repository.release(id, now, at, tx);
            if (row) await audit.append(tx, { actor: by.keyId ?? 'anonymous', action: 'approval.release', target: `approval:${id}`, before: toRecord(used), after: toRecord(row), correlationId: by.correlationId });
            return row;
          });
          if (released) metrics.event('released');
        },
      };
    },

    async open(request: ApprovalRequest): Promise<OpenedApproval | undefined> {
      if (!deps.enabled) return undefined;
      const id = newId();
      const now = clock.now();
      const callback = request.callback;
      const generatedSecret = callback && callback.secret === undefined ? generateCallbackSecret() : undefined;
      const row = await db.transaction(async (tx) => {
        const inserted = await repository.insert(
          {
            id,
            agent_id: request.agentId,
            action: request.action,
            resource: request.resource,
            classification: request.classification,
            content_digest: request.contentDigest,
            rule: request.rule,
            violations: request.violations,
            decision_id: request.decisionId,
            policy_version: request.policyVersion,
            requested_by: request.requestedBy,
            requested_correlation_id: request.correlationId,
            approvals_required: request.approvers,
            expires_at: new Date(now.getTime() + request.expiresAfterMs),
            risk_cost_usd: request.riskCostUsd,
            callback_url_sealed: callback ? box.seal(callback.url, sealContext(id, 'callback_url')) : null,
            callback_secret_sealed: callback ? box.seal(callback.secret ?? generatedSecret!, sealContext(id, 'callback_secret')) : null,
            callback_status: callback ? 'waiting' : 'none',
            created_at: now,
          },
          tx,
        );
        await audit.append(tx, { actor: request.requestedBy, action: 'approval.request', target: `approval:${id}`, before: null, after: toRecord(inserted), correlationId: request.correlationId });
        return inserted;
      });
      metrics.event('opened');
      deps.onChange?.(request.correlationId);
      return { id, status: 'pending', expires_at: row.expires_at.toISOString(), ...(generatedSecret ? { callback_secret: generatedSecret } : {}) };
    },
  };
}
