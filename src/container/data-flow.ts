/**
 * What business systems send and what ORCA makes of it: sources, ingestion, the sync analysis that finds gaps,
 * incidents, and the trust scores computed from them.
 */
import { createIncidentsModule } from '../modules/incidents/index.js';
import { createIngestModule, type IngestObserver } from '../modules/ingest/index.js';
import { createSourcesModule } from '../modules/sources/index.js';
import { createSyncModule } from '../modules/sync/index.js';
import { createTrustModule } from '../modules/trust/index.js';
import type { BuiltModules, SharedDeps, Wiring } from './wiring.js';

export function wireDataFlow(w: Wiring, m: BuiltModules, { base }: SharedDeps): Pick<BuiltModules, 'sync' | 'sources' | 'ingest' | 'incidents' | 'trust'> {
  const { config, db, metrics, logger, clock, jobs } = w;
  const { audit } = base;
  const sync = createSyncModule({
    ...base,
    jobs,
    sweepIntervalMs: config.syncSweepIntervalMs,
    onGapsChanged: () => m.alerts.requestEvaluation('gaps'),
    // Self-healing hears of gaps (built later; gaps only open once the container is running).
    gapObserver: {
      gapOpened: (tx, gap, steps) => m.remediation.observer.gapOpened(tx, gap, steps),
      gapsClosed: (ids) => m.remediation.observer.gapsClosed(ids),
    },
    receiverNames: () => m.receivers.sink.receiverNames(),
  });
  const sources = createSourcesModule({ db, box: w.box, clock, audit, cacheMetrics: w.cacheMetrics, invalidation: w.invalidation });
  const ingestObserver: IngestObserver = {
    async eventsCommitted(events) {
      await sync.observer.eventsCommitted(events);
      // An agent that speaks again may end an agent_silent alert (gaps tell alerts themselves, through sync).
      const fromAgent = events.find((event) => event.agent_id !== null);
      if (fromAgent) m.alerts.requestEvaluation('events', fromAgent.correlation_id ?? undefined);
    },
    duplicateConflict: (conflict) => sync.observer.duplicateConflict(conflict),
    signatureRejected: (rejection) => m.alerts.signatureRejected({ sourceId: rejection.source_id, correlationId: undefined }),
  };
  const ingest = createIngestModule({ db, metrics, logger, clock, sources: sources.service, observer: ingestObserver });
  const incidents = createIncidentsModule({ db, audit, clock, onChange: (correlationId) => m.alerts.requestEvaluation('incidents', correlationId ?? undefined) });
  const trust = createTrustModule({
    db,
    clock,
    logger,
    metrics,
    jobs,
    settings: { quarantineBelow: config.trustQuarantineBelow, platformCostUsdMonthly: config.platformCostUsdMonthly, snapshotIntervalMs: config.trustSnapshotIntervalMs },
    agents: m.agents.service,
    sync: () => sync.service,
    incidents: incidents.service,
    onSnapshotTaken: (correlationId) => m.alerts.requestEvaluation('trust', correlationId),
    classificationWeights: async () => {
      const policy = await m.policies.service.activePolicy();
      return new Map([...policy.classifications].map(([name, level]) => [name, level.riskWeight]));
    },
  });
  return { sync, sources, ingest, incidents, trust };
}
