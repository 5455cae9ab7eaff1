import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, describe, expect, it } from 'vitest';
import { createContainer, type Container } from '../../../src/container.js';
import type { StoredEvent } from '../../../src/modules/ingest/index.js';
import { uuidFloor } from '../../../src/modules/sync/sync.sweeper.js';
import { loadConfig } from '../../../src/platform/config/load.js';
import { createLogger } from '../../../src/platform/telemetry/logger.js';
import { captureStream } from '../../helpers/app.js';
import { createSchema, databaseTargets } from '../../helpers/db.js';
import { manualClock, type ManualClock } from './fixtures.js';

/**
 * Durable analysis: events committed by ingest whose analysis never ran (the process died between the commit and the
 * analysis) are analysed by the first sweep of the next process on the same database, exactly once, and events
 * the previous process did analyse are not analysed again.
 */

const ACTOR = { id: 'test-setup', correlationId: 'durable-test' };

interface Storage {
  env: Record<string, string>;
  drop(): Promise<void>;
}

async function storageFor(target: (typeof databaseTargets)[number]): Promise<Storage> {
  const dataDir = mkdtempSync(join(tmpdir(), 'orca-durable-'));
  if (target.name === 'pglite') {
    return { env: { ORCA_DATA_DIR: dataDir }, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const schema = await createSchema(process.env.ORCA_TEST_DATABASE_URL as string);
  return {
    env: { ORCA_DATA_DIR: dataDir, DATABASE_URL: schema.url },
    async drop() {
      await schema.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A process: its own container (and PGlite instance or pool) on the shared data; the background sweep out of the way. */
async function startProcess(storage: Storage, clock: ManualClock): Promise<Container> {
  const env = { ...storage.env, LOG_LEVEL: 'info', SYNC_SWEEP_INTERVAL: '1d' };
  const config = loadConfig(env, storage.env.ORCA_DATA_DIR);
  return createContainer(config, { logger: createLogger({ level: 'info', destination: captureStream([]) }), clock, inMemoryDatabase: false });
}

async function insertEvents(container: Container, events: StoredEvent[]): Promise<void> {
  for (const event of events) {
    await container.db.query(
      `insert into event (id, source_id, idempotency_key, payload_hash, event_type, entity_type, entity_id, occurred_at, received_at, sequence, payload)
       values ($1::uuid, $2, $1::text, 'h', $3, $4, $5, $6, $7, $8, '{}'::jsonb)`,
      [event.id, event.source_id, event.event_type, event.entity_type, event.entity_id, event.occurred_at, event.received_at, event.sequence],
    );
  }
}

for (const target of databaseTargets) {
  describe(`sync durable analysis [${target.name}]`, () => {
    const storages: Storage[] = [];
    afterAll(async () => {
      for (const storage of storages) await storage.drop();
    });

    // Two PGlite starts on disk (initdb in WASM, then recovery) take long on a loaded machine: this bounds a hang.
    it('a new process analyses, once, the events whose analysis died with the previous one', { timeout: 240_000 }, async () => {
      const storage = await storageFor(target);
      storages.push(storage);
      const clock = manualClock('2026-08-01T08:00:00.000Z');

      // ---- process 1: contracts, two events analysed on ingest, then six whose analysis is lost ----
      const first = await startProcess(storage, clock);
      const owner = (await first.modules.agents.service.create(ACTOR, { name: 'durable-owner', kind: 'workflow' })).id;
      const sourceId = uuidv7();
      await first.db.query(`insert into source (id, kind, name, secret_ciphertext) values ($1, 'generic', 'durable-source', 'x')`, [sourceId]);
      await first.modules.sync.service.putContracts(
        ACTOR,
        {
          contracts: [
            {
              name: 'durable',
              owner,
              streams: [{ name: 'orders', source: 'generic', entity_type: 'order', freshness: '1d', unique_event_types: ['order.created'] }],
              follow_ups: [{ name: 'fulfil', when: { stream: 'orders', event_type: 'order.created' }, then: { stream: 'orders', event_type: 'order.fulfilled' }, within: '1h' }],
            },
          ],
        },
        'json',
      );
      // Received ten minutes ago by the wall clock (ids are UUIDv7 taken at reception), one millisecond apart.
      const base = Date.now() - 10 * 60_000;
      let n = 0;
      const event = (entity_type: string, event_type: string, entity_id: string, sequence: number): StoredEvent => {
        n += 1;
        const at = new Date(clock.now().getTime() + n * 1000);
        return {
          id: uuidv7({ msecs: base + n }),
          source_id: sourceId,
          source_kind: 'generic',
          event_type,
          entity_type,
          entity_id,
          occurred_at: at,
          received_at: at,
          sequence,
          agent_id: null,
          correlation_id: null,
          payload: {},
        };
      };
      const analysed = [event('order', 'order.updated', 'O4', 1), event('order', 'order.updated', 'O4', 2)];
      await insertEvents(first, analysed);
      await first.modules.sync.observer.eventsCommitted(analysed);
      const lost = [
        event('order', 'order.created', 'O1', 1),
        event('order', 'order.created', 'O1', 2), // a second order.created: duplicate
        event('order', 'order.updated', 'O2', 5),
        event('order', 'order.updated', 'O2', 3), // sequence goes backwards: out_of_order
        event('order', 'order.created', 'O3', 1), // never fulfilled: missing_record
        event('order', 'order.fulfilled', 'O1', 3),
        event('invoice', 'invoice.sent', 'I1', 1), // no contract covers it
      ];
      await insertEvents(first, lost);
      // The process dies here: nothing analysed them, and its in-memory state goes with it.
      await first.close();

      // ---- process 2, ninety minutes later: its first sweep catches up ----
      clock.set('2026-08-01T09:30:00.000Z');
      const second = await startProcess(storage, clock);
      try {
        const sync = second.modules.sync;
        expect(await sync.sweeper.runOnce()).toEqual({ skipped: false, stale_opened: 0, missing_opened: 1, retried_events: 0, caught_up_events: 6, forgotten: 0 });
        const [O1created, O1again, O2five, O2three, O3created] = lost;
        const gaps = (await sync.service.listGaps({ contract: 'durable', limit: 100 })).items
          .map((gap) => [gap.type, gap.rule, gap.entity_id, gap.status, gap.detected_at, gap.due_at, gap.detail] as const)
          .sort((a, b) => (a[0] < b[0] ? -1 : 1));
        expect(gaps).toEqual([
          [
            'duplicate',
            'unique:orders:order.created',
            'O1',
            'open',
            '2026-08-01T09:30:00.000Z',
            '2026-08-01T10:30:00.000Z',
            { kind: 'unique_event_type', event_type: 'order.created', event_id: O1again!.id, first_event_id: O1created!.id },
          ],
          [
            'missing_record',
            'fulfil',
            'O3',
            'open',
            '2026-08-01T09:30:00.000Z',
            '2026-08-01T10:00:07.000Z', // the deadline (trigger received 08:00:07 + 1 h) + resolve_within 1 h
            {
              trigger_event_id: O3created!.id,
              trigger_event_type: 'order.created',
              expected_event_type: 'order.fulfilled',
              expected_stream: 'orders',
              deadline: '2026-08-01T09:00:07.000Z',
            },
          ],
          [
            'out_of_order',
            'sequence:orders',
            'O2',
            'open',
            '2026-08-01T09:30:00.000Z',
            '2026-08-01T10:30:00.000Z',
            { kind: 'sequence', event_id: O2three!.id, event_type: '', sequence: 3, after_sequence: 5, after_event_id: O2five!.id },
          ],
        ]);
        // O4 (analysed by process 1) was not analysed again: re-reading sequence 1 after 2 would be out of order.
        const { rows: streams } = await second.db.query<{ events: string | number; last_event_at: Date }>(
          `select events, last_event_at from sync_stream_state where contract = 'durable' and stream = 'orders'`,
        );
        expect(streams.map((row) => [Number(row.events), row.last_event_at.toISOString()])).toEqual([[8, '2026-08-01T08:00:08.000Z']]);

        // The watermark passed every event, uncovered ones included; the claims at or below it are gone.
        const { rows: checkpoint } = await second.db.query<{ event_id: string }>(`select event_id from sync_checkpoint where name = 'analysis'`);
        expect(checkpoint).toEqual([{ event_id: lost[6]!.id }]);
        expect((await second.db.query('select event_id from sync_analyzed_event')).rows).toEqual([]);

        // Sweeping again analyses nothing twice.
        expect(await sync.sweeper.runOnce()).toEqual({ skipped: false, stale_opened: 0, missing_opened: 0, retried_events: 0, caught_up_events: 0, forgotten: 0 });
        expect((await sync.service.listGaps({ contract: 'durable', limit: 100 })).items).toHaveLength(3);
      } finally {
        await second.close();
      }
    });

    it('uuidFloor is the smallest UUIDv7 of its millisecond', () => {
      const ms = Date.parse('2026-08-01T08:00:00.000Z');
      expect(uuidFloor(ms)).toBe(`${ms.toString(16).padStart(12, '0').slice(0, 8)}-${ms.toString(16).padStart(12, '0').slice(8)}-0000-0000-000000000000`);
      expect(uuidFloor(ms) < uuidv7({ msecs: ms })).toBe(true);
      expect(uuidv7({ msecs: ms - 1 }) < uuidFloor(ms)).toBe(true);
    });
  });
}
