import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { Metrics } from '../../platform/telemetry/metrics.js';
import { createIngestMetrics } from './ingest.metrics.js';
import type { IngestObserver } from './ingest.observer.js';
import { createIngestRepository } from './ingest.repository.js';
import { ingestRoutes } from './ingest.routes.js';
import { createIngestService } from './ingest.service.js';
import type { SourceLookup } from './source-lookup.js';

export type { DuplicateConflict, StoredEvent } from './event.types.js';
export type { IngestObserver } from './ingest.observer.js';
export type { IngestService } from './ingest.service.js';
export type { SourceLookup } from './source-lookup.js';
export { ADAPTERS, DEFAULT_MAPPINGS, MappingError, SOURCE_KINDS, applyMapping, parsePath } from './adapters/index.js';
export type { FieldMapping, RawDelivery, SourceKind } from './adapters/index.js';

export function createIngestModule(deps: {
  db: Database;
  metrics: Metrics;
  logger: Logger;
  clock: Clock;
  sources: SourceLookup;
  /** The sync analyzer, told about every committed event before the sender is answered. */
  observer: IngestObserver;
  groupCommit?: { maxWaitMs: number; maxBatch: number };
}) {
  const metrics = createIngestMetrics(deps.metrics.registry);
  const service = createIngestService({
    db: deps.db,
    repository: createIngestRepository(deps.db),
    sources: deps.sources,
    observer: deps.observer,
    metrics,
    logger: deps.logger,
    clock: deps.clock,
    groupCommit: deps.groupCommit,
  });
  return { service, routes: ingestRoutes(service, metrics), close: () => service.close() };
}
