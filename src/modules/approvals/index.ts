import type { Clock } from '../../platform/clock.js';
import type { SecretBox } from '../../platform/crypto/secret-box.js';
import type { Database } from '../../platform/db/index.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import type { OutboundClient } from '../../platform/outbound/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { Metrics } from '../../platform/telemetry/metrics.js';
import type { AuditService } from '../audit/index.js';
import { createApprovalWaiters } from './approval-waiters.js';
import { createApprovalGate } from './approvals.gate.js';
import { registerApprovalJobs, type ApprovalJobSettings } from './approvals.jobs.js';
import { registerApprovalMetrics } from './approvals.metrics.js';
import { createApprovalRepository } from './approvals.repository.js';
import { approvalRoutes } from './approvals.routes.js';
import { createApprovalService } from './approvals.service.js';
import { createSlackApprovals, type SlackSettings } from './slack-approvals.js';
import { slackRoutes } from './slack.routes.js';

export type { ApprovalService } from './approvals.service.js';
export type { ApprovalRecord } from './approvals.schemas.js';
export { Approval as ApprovalSchema } from './approvals.schemas.js';
export { APPROVALS_EXPIRE_QUEUE } from './approvals.jobs.js';
export { APPROVALS_CALLBACK_QUEUE } from './approvals.service.js';
export { SLACK_RESPONSE_QUEUE } from './slack-approvals.js';
export { APPROVE_ACTION_ID, DENY_ACTION_ID, approvalBlockId } from './slack-interactions.js';

export interface ApprovalSettings extends ApprovalJobSettings {
  /** APPROVALS_ENABLED. */
  enabled: boolean;
  /** The longest long-poll. */
  maxWaitMs: number;
  slack: SlackSettings;
}

/**
 * Human approvals of high-risk actions (docs/approvals.md): `gate` is what the policy engine opens and uses them
 * through; `routes` serve /approvals and Slack's interactivity endpoint; `start`/`stop` hold the LISTEN connection
 * that wakes long-polls on every replica.
 */
export function createApprovalsModule(deps: {
  db: Database;
  metrics: Metrics;
  logger: Logger;
  clock: Clock;
  audit: Pick<AuditService, 'append'>;
  box: SecretBox;
  outbound: Pick<OutboundClient, 'request' | 'assertAllowedUrl'>;
  jobs: Pick<JobQueue, 'define' | 'schedule' | 'send'>;
  keys: { get(id: string): Promise<{ role: string; status: string }> };
  settings: ApprovalSettings;
  /** After an approval opened or closed (committed): alert rules over pending approvals. */
  onChange?: (correlationId: string | null) => void;
}) {
  const logger = deps.logger.child({ module: 'approvals' });
  const repository = createApprovalRepository(deps.db);
  const waiters = createApprovalWaiters(deps.db, logger);
  const metrics = registerApprovalMetrics(deps.metrics.registry, () => waiters.size());
  const onChange = deps.onChange ? { onChange: deps.onChange } : {};
  const service = createApprovalService({
    db: deps.db,
    repository,
    audit: deps.audit,
    clock: deps.clock,
    waiters,
    jobs: deps.jobs,
    metrics,
    maxWaitMs: deps.settings.maxWaitMs,
    ...onChange,
  });
  const gate = createApprovalGate({
    db: deps.db,
    repository,
    audit: deps.audit,
    clock: deps.clock,
    box: deps.box,
    outbound: deps.outbound,
    metrics,
    enabled: deps.settings.enabled,
    ...onChange,
  });
  const slack = createSlackApprovals({ settings: deps.settings.slack, service, keys: deps.keys, jobs: deps.jobs, box: deps.box, clock: deps.clock, metrics, logger });
  registerApprovalJobs(deps.jobs, { service, repository, outbound: deps.outbound, box: deps.box, clock: deps.clock, metrics, settings: deps.settings });
  return {
    service,
    gate,
    routes: [approvalRoutes(service), slackRoutes(slack)],
    start: () => waiters.start(),
    stop: () => waiters.stop(),
  };
}

export type ApprovalsModule = ReturnType<typeof createApprovalsModule>;
