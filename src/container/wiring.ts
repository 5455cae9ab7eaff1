/**
 * What every module of the container is built from, and the record the modules are built into. The modules are
 * built in one fixed order (modules.ts); a module that reacts to one built after it reaches it through this record
 * inside a closure, which runs only once the container is running.
 */
import type { OrcaConfig } from '../platform/config/schema.js';
import type { Clock } from '../platform/clock.js';
import type { CacheInvalidation, CacheMetrics } from '../platform/cache/index.js';
import type { SecretBox } from '../platform/crypto/secret-box.js';
import type { Database } from '../platform/db/index.js';
import type { JobQueue } from '../platform/jobs/index.js';
import type { OutboundClient } from '../platform/outbound/index.js';
import type { Logger } from '../platform/telemetry/logger.js';
import type { Metrics } from '../platform/telemetry/metrics.js';
import type { createAgentsModule } from '../modules/agents/index.js';
import type { createAlertsModule } from '../modules/alerts/index.js';
import type { createApprovalsModule } from '../modules/approvals/index.js';
import type { AuditService, createAuditModule } from '../modules/audit/index.js';
import type { createBackupsModule } from '../modules/backups/index.js';
import type { createConsoleModule } from '../modules/console/index.js';
import type { createDiscoveryModule } from '../modules/discovery/index.js';
import type { createEvidenceModule } from '../modules/evidence/index.js';
import type { createIncidentsModule } from '../modules/incidents/index.js';
import type { createIngestModule } from '../modules/ingest/index.js';
import type { createKeysModule } from '../modules/keys/index.js';
import type { createKillSwitchModule } from '../modules/killswitch/index.js';
import type { createMcpModule } from '../modules/mcp/index.js';
import type { createPoliciesModule } from '../modules/policies/index.js';
import type { NotificationSink } from '../modules/receivers/notification.js';
import type { createReceiversModule } from '../modules/receivers/index.js';
import type { createRemediationModule } from '../modules/remediation/index.js';
import type { createReportsModule } from '../modules/reports/index.js';
import type { createSessionsModule } from '../modules/sessions/index.js';
import type { createSourcesModule } from '../modules/sources/index.js';
import type { createSyncModule } from '../modules/sync/index.js';
import type { createSystemModule } from '../modules/system/index.js';
import type { createTrustModule } from '../modules/trust/index.js';

export interface ContainerModules {
  agents: ReturnType<typeof createAgentsModule>;
  audit: ReturnType<typeof createAuditModule>;
  keys: ReturnType<typeof createKeysModule>;
  policies: ReturnType<typeof createPoliciesModule>;
  sync: ReturnType<typeof createSyncModule>;
  sources: ReturnType<typeof createSourcesModule>;
  ingest: ReturnType<typeof createIngestModule>;
  incidents: ReturnType<typeof createIncidentsModule>;
  trust: ReturnType<typeof createTrustModule>;
  reports: ReturnType<typeof createReportsModule>;
  evidence: ReturnType<typeof createEvidenceModule>;
  receivers: ReturnType<typeof createReceiversModule>;
  alerts: ReturnType<typeof createAlertsModule>;
  approvals: ReturnType<typeof createApprovalsModule>;
  backups: ReturnType<typeof createBackupsModule>;
  killSwitch: ReturnType<typeof createKillSwitchModule>;
  mcp: ReturnType<typeof createMcpModule>;
  discovery: ReturnType<typeof createDiscoveryModule>;
  system: ReturnType<typeof createSystemModule>;
  remediation: ReturnType<typeof createRemediationModule>;
  sessions: ReturnType<typeof createSessionsModule>;
  console: ReturnType<typeof createConsoleModule>;
}

/** Every module but `system`, which the container builds last, once Redis is connected. */
export type BuiltModules = Omit<ContainerModules, 'system'>;

/** The platform every module is built on. */
export interface Wiring {
  config: Readonly<OrcaConfig>;
  db: Database;
  metrics: Metrics;
  logger: Logger;
  clock: Clock;
  jobs: JobQueue;
  outbound: OutboundClient;
  /** One key for every secret ORCA stores encrypted (ORCA_SECRET_KEY, or the data directory's secret.key). */
  box: SecretBox;
  cacheMetrics: CacheMetrics;
  invalidation: CacheInvalidation;
  /** Where links in alerts, notifications and resync requests point: ORCA's own API. */
  baseUrl: string;
  /** Where alert notifications go (tests pass a recording sink); the receivers module's sink otherwise. */
  notificationSink: NotificationSink | undefined;
}

/**
 * The dependencies most modules share, made once (createModules) for every area: the same platform objects and the
 * audit log that every module records into, which is built before them all.
 */
export interface SharedDeps {
  /** What nearly every module is built from. */
  base: { db: Database; metrics: Metrics; logger: Logger; clock: Clock; audit: AuditService };
  /** What a module that calls other systems adds: the box for the credentials it keeps, the client, and the queue its retries run on. */
  callingOut: { box: SecretBox; outbound: OutboundClient; jobs: JobQueue };
}

export function sharedDeps(w: Wiring, audit: AuditService): SharedDeps {
  return {
    base: { db: w.db, metrics: w.metrics, logger: w.logger, clock: w.clock, audit },
    callingOut: { box: w.box, outbound: w.outbound, jobs: w.jobs },
  };
}
