import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { Metrics } from '../../platform/telemetry/metrics.js';
import type { AuditService } from '../audit/index.js';
import type { TrustService } from '../trust/index.js';
import { registerEvidenceMetrics } from './evidence.metrics.js';
import { createEvidenceReadModel } from './evidence.read-model.js';
import { evidenceRoutes } from './evidence.routes.js';
import { createEvidenceService } from './evidence.service.js';

export type { EvidenceService, EvidenceExport } from './evidence.service.js';

/** Evidence packs for auditors (docs/evidence.md): GET /api/v1/evidence and `orca evidence`. */
export function createEvidenceModule(deps: {
  db: Database;
  metrics: Metrics;
  logger: Logger;
  clock: Clock;
  audit: Pick<AuditService, 'append' | 'verify'>;
  trust: Pick<TrustService, 'kpisBetween'>;
  retentionMs: number;
  allowSampleRate: number;
  defaultPolicySource: string;
  version: string;
}) {
  const service = createEvidenceService({
    db: deps.db,
    // Its summaries group a whole period's decisions: the budget of long reads (DATABASE_HEAVY_STATEMENT_TIMEOUT).
    readModel: createEvidenceReadModel(deps.db.heavy),
    audit: deps.audit,
    trust: deps.trust,
    clock: deps.clock,
    logger: deps.logger.child({ module: 'evidence' }),
    metrics: registerEvidenceMetrics(deps.metrics.registry),
    retentionMs: deps.retentionMs,
    allowSampleRate: deps.allowSampleRate,
    defaultPolicySource: deps.defaultPolicySource,
    version: deps.version,
  });
  return { service, routes: evidenceRoutes(service) };
}
