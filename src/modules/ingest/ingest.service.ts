/**
 * The ingest service as routes see it: native webhooks, `/events` batches and runs, each in a file of its own; the
 * first two share the writer that stores and announces events.
 */
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import { decodeCursor, pageOf } from '../../platform/http/cursor.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import { createBatchIngester } from './ingest.batches.js';
import type { IngestMetrics } from './ingest.metrics.js';
import type { IngestObserver } from './ingest.observer.js';
import type { IngestRepository } from './ingest.repository.js';
import { createRunIngester } from './ingest.runs.js';
import type { Event, ListEventsQuery } from './ingest.schemas.js';
import { createWebhookReceiver } from './ingest.webhooks.js';
import { createEventWriter } from './ingest.writer.js';
import type { SourceLookup } from './source-lookup.js';

export interface IngestServiceDeps {
  db: Database;
  repository: IngestRepository;
  sources: SourceLookup;
  observer: IngestObserver;
  metrics: IngestMetrics;
  logger: Logger;
  clock: Clock;
  /** Group commit: how long the first request of a batch waits for company, and the most requests per transaction. */
  groupCommit?: { maxWaitMs: number; maxBatch: number; maxInFlight?: number };
}

export function createIngestService(deps: IngestServiceDeps) {
  const { db, repository, sources, metrics, logger, clock } = deps;
  const writer = createEventWriter({ db, repository, observer: deps.observer, metrics, logger, groupCommit: deps.groupCommit });
  return {
    ...createWebhookReceiver({ sources, writer, metrics, logger, clock, observer: deps.observer }),
    ...createBatchIngester({ sources, writer, clock }),
    ...createRunIngester({ db, repository, clock }),

    async listEvents(query: ListEventsQuery): Promise<{ items: Event[]; next_cursor: string | null }> {
      const limit = query.limit ?? 50;
      const rows = await repository.listEvents({ ...query, limit: limit + 1, after: decodeCursor(query.cursor) });
      return pageOf(rows, limit);
    },

    /** Writes what is waiting, then refuses new work (graceful shutdown: HTTP first, then this, then the database). */
    close: writer.close,
  };
}

export type IngestService = ReturnType<typeof createIngestService>;
