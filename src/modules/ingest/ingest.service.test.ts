import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { Database, Queryable } from '../../platform/db/index.js';
import { createIngestMetrics } from './ingest.metrics.js';
import type { NewEvent, StoredEvent } from './event.types.js';
import type { IngestRepository } from './ingest.repository.js';
import { createIngestService } from './ingest.service.js';
import type { SourceLookup } from './source-lookup.js';
import type { CanonicalEventInput } from './ingest.schemas.js';

const SOURCE_ID = '0190b3c4-0000-7000-8000-000000000001';

const sources: SourceLookup = {
  forIngest: async (id) =>
    id === SOURCE_ID
      ? { id, kind: 'generic', enabled: true, mapping: {}, toleranceSeconds: 300, options: {}, secret: 'whsec_x', previousSecret: null, previousSecretExpiresAt: null }
      : undefined,
};

const items = (prefix: string, count: number): CanonicalEventInput[] =>
  Array.from({ length: count }, (_, index) => ({
    source_id: SOURCE_ID,
    idempotency_key: `${prefix}-${index}`,
    event_type: 'order.created',
    entity_type: 'order',
    entity_id: `${prefix}-${index}`,
    occurred_at: '2026-11-27T09:00:00.000Z',
    payload: { index },
  }));

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

/**
 * The service over an in-memory database: every transaction records the events it inserted, and yields to the event
 * loop (as a real one does) so that concurrent requests can overlap.
 */
function harness(options: { analysisMs?: number } = {}) {
  const transactions: number[][] = [];
  let analysing = 0;
  let mostAtOnce = 0;
  const analysed: string[] = [];
  const db = {
    kind: 'postgres',
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      await tick();
      return fn({} as Queryable);
    },
  } as unknown as Database;
  const repository = {
    async insertEvents(events: NewEvent[]) {
      transactions.push([events.length]);
      return new Set(events.map((event) => event.id));
    },
    findByKeys: async () => [],
  } as unknown as IngestRepository;
  const service = createIngestService({
    db,
    repository,
    sources,
    observer: {
      async eventsCommitted(events: StoredEvent[]) {
        analysing += 1;
        mostAtOnce = Math.max(mostAtOnce, analysing);
        await new Promise((resolve) => setTimeout(resolve, options.analysisMs ?? 0));
        analysed.push(...events.map((event) => event.entity_id));
        analysing -= 1;
      },
      duplicateConflict: async () => {},
    },
    metrics: createIngestMetrics(new Registry()),
    logger: pino({ level: 'silent' }),
    clock: { now: () => new Date() },
    groupCommit: { maxWaitMs: 5, maxBatch: 256, maxInFlight: 4 },
  });
  return { service, transactions, analysed, mostAtOnce: () => mostAtOnce };
}

describe('ingest service: which submissions share a transaction', () => {
  it('commits each large /events batch in a transaction of its own, so that they are written side by side', async () => {
    const { service, transactions } = harness();
    const results = await Promise.all([service.ingestBatch(items('a', 300)), service.ingestBatch(items('b', 300)), service.ingestBatch(items('c', 256))]);
    expect(results.map((result) => result.body.accepted)).toEqual([300, 300, 256]);
    expect(transactions.map(([size]) => size).sort()).toEqual([256, 300, 300]);
    await service.close();
  });

  it('still gathers small batches into one transaction', async () => {
    const { service, transactions } = harness();
    const results = await Promise.all(Array.from({ length: 10 }, (_, index) => service.ingestBatch(items(`s${index}`, 5))));
    expect(results.every((result) => result.body.accepted === 5)).toBe(true);
    expect(transactions).toEqual([[50]]);
    await service.close();
  });

  it('analyses one committed batch at a time, large and small alike, before answering', async () => {
    const { service, analysed, mostAtOnce } = harness({ analysisMs: 5 });
    await Promise.all([service.ingestBatch(items('big1', 300)), service.ingestBatch(items('small', 5)), service.ingestBatch(items('big2', 300))]);
    expect(mostAtOnce()).toBe(1);
    expect(analysed).toHaveLength(605);
    await service.close();
  });
});
