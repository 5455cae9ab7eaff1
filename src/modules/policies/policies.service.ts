/**
 * The policy service as routes and the rest of ORCA see it: documents, decisions and simulation, each in a file of
 * its own, composed over one compiled default policy.
 */
import type { CacheInvalidation, ReadThroughCache } from '../../platform/cache/index.js';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { AgentService } from '../agents/index.js';
import type { AuditService } from '../audit/index.js';
import type { CompiledPolicy } from './compile-policy.js';
import type { DecisionLogRepository } from './decision-log.repository.js';
import { compileDefaultPolicy } from './default-policy.js';
import type { PolicyMetrics } from './policies.metrics.js';
import { createDecisionRecorder } from './policy-decisions.recorder.js';
import type { PolicyDecisionRepository } from './policy-decisions.repository.js';
import { createPolicyDecisionService } from './policy-decisions.service.js';
import type { InjectionClassifier } from './injection-classifier.js';
import type { ApprovalGate } from './approval-gate.js';
import type { PolicyDocumentRepository } from './policy-documents.repository.js';
import { createPolicyDocumentService } from './policy-documents.service.js';
import { createPolicySimulationService } from './policy-simulation.service.js';

export interface PolicyServiceDeps {
  db: Database;
  repositories: { documents: PolicyDocumentRepository; decisions: PolicyDecisionRepository; log: DecisionLogRepository };
  audit: Pick<AuditService, 'append'>;
  /** Compiled policies (100 entries, 10 min), invalidated on every PUT on every replica. */
  cache: ReadThroughCache<CompiledPolicy>;
  invalidation: Pick<CacheInvalidation, 'notify'>;
  agents: Pick<AgentService, 'get'>;
  clock: Clock;
  logger: Logger;
  metrics: PolicyMetrics;
  /** Share of violation-free allow decisions that are recorded (POLICY_ALLOW_SAMPLE_RATE). */
  allowSampleRate: number;
  random?: () => number;
  onViolationsRecorded?: (correlationId: string | null) => void;
  classifier?: InjectionClassifier;
  approvals?: ApprovalGate;
}

export function createPolicyService(deps: PolicyServiceDeps) {
  const { db, repositories, metrics, allowSampleRate } = deps;
  const defaultPolicy = compileDefaultPolicy();
  const documents = createPolicyDocumentService({
    db,
    repository: repositories.documents,
    audit: deps.audit,
    cache: deps.cache,
    invalidation: deps.invalidation,
    logger: deps.logger,
    defaultPolicy,
  });
  const recorder = createDecisionRecorder({
    db,
    repository: repositories.decisions,
    clock: deps.clock,
    metrics,
    allowSampleRate,
    ...(deps.random ? { random: deps.random } : {}),
    ...(deps.onViolationsRecorded ? { onViolationsRecorded: deps.onViolationsRecorded } : {}),
  });
  const decisions = createPolicyDecisionService({
    activePolicy: documents.activePolicy,
    agents: deps.agents,
    recorder,
    log: repositories.log,
    metrics,
    ...(deps.classifier ? { classifier: deps.classifier } : {}),
    ...(deps.approvals ? { approvals: deps.approvals } : {}),
  });
  const simulation = createPolicySimulationService({ documents: repositories.documents, log: repositories.log, defaultPolicy, allowSampleRate });
  return {
    ...documents,
    ...decisions,
    ...simulation,
    /** Writes the quota counts and decisions still waiting for their batch (shutdown). */
    close: recorder.close,
  };
}

export type PolicyService = ReturnType<typeof createPolicyService>;
