import type { CacheInvalidation, CacheMetrics } from '../../platform/cache/index.js';
import { createReadThroughCache } from '../../platform/cache/index.js';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import type { OutboundClient } from '../../platform/outbound/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { Metrics } from '../../platform/telemetry/metrics.js';
import type { AgentService } from '../agents/index.js';
import type { AuditService } from '../audit/index.js';
import type { CompiledPolicy } from './compile-policy.js';
import type { ApprovalGate } from './approval-gate.js';
import { createDecisionLogRepository } from './decision-log.repository.js';
import { createInjectionClassifier } from './injection-classifier.js';
import { createPolicyMetrics } from './policies.metrics.js';
import { policyRoutes } from './policies.routes.js';
import { createPolicyService } from './policies.service.js';
import { createPolicyDecisionRepository } from './policy-decisions.repository.js';
import { createPolicyDocumentRepository } from './policy-documents.repository.js';

export type { PolicyService } from './policies.service.js';
export { EvaluateBody, EvaluateResult } from './policies.schemas.js';
export type { EvaluateInput, EvaluateOutput } from './policies.schemas.js';
export type { ApprovalBinding, ApprovalGate, ApprovalRequest, ApprovalUser, ConsumedApproval, OpenedApproval } from './approval-gate.js';
export type { PresentedApproval } from './evaluate.js';
export { DEFAULT_POLICY_SOURCE } from './default-policy.js';

export function createPoliciesModule(deps: {
  db: Database;
  metrics: Metrics;
  logger: Logger;
  clock: Clock;
  audit: Pick<AuditService, 'append'>;
  agents: Pick<AgentService, 'get'>;
  cacheMetrics: CacheMetrics;
  invalidation: Pick<CacheInvalidation, 'notify' | 'register'>;
  allowSampleRate: number;
  random?: () => number;
  /** After a decision with violations was recorded (committed): alert rules count violations. */
  onViolationsRecorded?: (correlationId: string | null) => void;
  /** For policies that name an external injection classifier. */
  outbound?: Pick<OutboundClient, 'request'>;
  /** Opens approvals for require_approval decisions and judges presented ones (the approvals module). */
  approvals?: ApprovalGate;
}) {
  const cache = deps.invalidation.register(
    createReadThroughCache<CompiledPolicy>({ name: 'policies', max: 100, ttlMs: 10 * 60_000, metrics: deps.cacheMetrics }),
  );
  const service = createPolicyService({
    db: deps.db,
    repositories: {
      documents: createPolicyDocumentRepository(deps.db),
      decisions: createPolicyDecisionRepository(deps.db),
      log: createDecisionLogRepository(deps.db),
    },
    audit: deps.audit,
    cache,
    invalidation: deps.invalidation,
    agents: deps.agents,
    clock: deps.clock,
    logger: deps.logger,
    metrics: createPolicyMetrics(deps.metrics.registry),
    allowSampleRate: deps.allowSampleRate,
    ...(deps.random ? { random: deps.random } : {}),
    ...(deps.onViolationsRecorded ? { onViolationsRecorded: deps.onViolationsRecorded } : {}),
    ...(deps.outbound ? { classifier: createInjectionClassifier(deps.outbound) } : {}),
    ...(deps.approvals ? { approvals: deps.approvals } : {}),
  });
  return { service, routes: policyRoutes(service), close: () => service.close() };
}

/** The prompt-injection detector, pure: discovery scans tool descriptions with it (tool poisoning). */
export { detectInjection, type InjectionResult } from './injection/detect.js';
export { DEFAULT_INJECTION_THRESHOLD } from './policy-document.js';
