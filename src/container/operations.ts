/** Keeping ORCA and what it watches healthy, and telling people: self-healing, reports, evidence packs, backups. */
import { createBackupsModule } from '../modules/backups/index.js';
import { createEvidenceModule } from '../modules/evidence/index.js';
import { DEFAULT_POLICY_SOURCE } from '../modules/policies/index.js';
import { standardWebhookHeaders } from '../modules/receivers/index.js';
import { createRemediationModule } from '../modules/remediation/index.js';
import { createReportsModule } from '../modules/reports/index.js';
import { ORCA_VERSION } from '../platform/version.js';
import type { BuiltModules, SharedDeps, Wiring } from './wiring.js';

export function wireOperations(w: Wiring, m: BuiltModules, { base }: SharedDeps): Pick<BuiltModules, 'remediation' | 'reports' | 'evidence' | 'backups'> {
  const { config, db, metrics, logger, clock, jobs } = w;
  const { audit } = base;
  const remediation = createRemediationModule({
    ...base,
    jobs,
    actions: {
      outbound: w.outbound,
      openReceiver: (name) => m.receivers.openByName(name),
      retryDeliveries: (actor, concerning) => m.receivers.deliveries.retryConcerning(actor, concerning),
      sink: w.notificationSink ?? m.receivers.sink,
      incidents: m.incidents.service,
      agents: m.agents.service,
      signWebhook: standardWebhookHeaders,
      baseUrl: w.baseUrl,
    },
    silencedBy: (labels, now) => m.alerts.silencedBy(labels, now),
    settings: { intervalMs: config.remediationIntervalMs, retryDelayMs: config.remediationRetryDelayMs },
  });
  const reports = createReportsModule({
    ...base,
    jobs,
    trust: m.trust.service,
    receivers: m.receivers.service,
    deliveries: m.receivers.deliveries,
    sink: m.receivers.sink,
    quarantineBelow: config.trustQuarantineBelow,
    scheduleCheckIntervalMs: config.reportScheduleCheckIntervalMs,
    baseUrl: w.baseUrl,
    healing: remediation.healing,
  });
  const evidence = createEvidenceModule({
    ...base,
    trust: m.trust.service,
    retentionMs: config.evidenceRetentionMs,
    allowSampleRate: config.policyAllowSampleRate,
    defaultPolicySource: DEFAULT_POLICY_SOURCE,
    version: ORCA_VERSION,
  });
  const backups = createBackupsModule({
    db,
    clock,
    logger,
    registry: metrics.registry,
    jobs,
    audit,
    settings: config,
    version: ORCA_VERSION,
    onAttemptRecorded: () => m.alerts.requestEvaluation('backups'),
  });
  return { remediation, reports, evidence, backups };
}
