import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryRepository } from '../../../src/modules/receivers/deliveries.repository.js';
import { createDeliveryBatches } from '../../../src/modules/receivers/delivery-batches.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { waitFor } from '../../helpers/jobs.js';
import { alertNotification, createReceiver, DELIVERY_ENV, listDeliveries, uniqueName, useDeliveryApp, webhookSecret } from './fixtures.js';

/**
 * Delivery jobs read their deliveries and record their attempts in batches (src/modules/receivers/delivery-batches.ts):
 * the jobs that start together read in one statement, the attempts that finish together are written in one. What
 * each delivery records must be exactly what it would record alone: delivered, failed (and retried), dead-lettered
 * at once on a final answer, and nothing for a job whose dispatch was replaced.
 */
interface StoredDelivery {
  id: string;
  dispatch_id: string;
  status: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  last_attempt_at: Date | null;
  delivered_at: Date | null;
  dead_lettered_at: Date | null;
}

for (const target of databaseTargets) {
  describe(`delivery batches [${target.name}]`, () => {
    describe('reads and attempt writes (no worker running)', () => {
      let t: TestApp;
      beforeAll(async () => {
        t = await createTestApp(target, DELIVERY_ENV, { role: 'api' });
      });
      afterAll(async () => {
        await t?.close();
      });

      const stored = async (ids: string[]) =>
        (
          await t.container.db.query<StoredDelivery>(
            'select id, dispatch_id, status, attempts, last_status, last_error, last_attempt_at, delivered_at, dead_lettered_at from delivery where id = any($1::uuid[])',
            [ids],
          )
        ).rows.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));

      it('reads the deliveries asked for together in one statement, and records attempts finishing together in one', async () => {
        const receiver = await createReceiver(t, { name: uniqueName('batch'), kind: 'webhook', url: 'http://127.0.0.1:9/orca', secret: webhookSecret() });
        await t.container.modules.receivers.sink.enqueueMany([1, 2, 3, 4, 5].map(() => alertNotification(receiver.name as string)));
        const ids = (await listDeliveries(t, `receiver_id=${receiver.id as string}`)).map((delivery) => delivery.id as string).reverse();
        expect(ids).toHaveLength(5);
        const [d0, d1, d2, d3, d4] = await stored(ids);

        const repository = createDeliveryRepository(t.container.db);
        const reads: number[] = [];
        const writes: number[] = [];
        const batches = createDeliveryBatches(t.container.db, {
          findByIds: (batch, query) => {
            reads.push(batch.length);
            return repository.findByIds(batch, query);
          },
          recordAttempts: (batch, query) => {
            writes.push(batch.length);
            return repository.recordAttempts(batch, query);
          },
        });

        const missing = randomUUID();
        const found = await Promise.all([...ids, missing].map((id) => batches.findById(id)));
        expect(reads).toEqual([6]);
        expect(found.map((row) => row?.id)).toEqual([...ids, undefined]);
        expect(found[0]).toMatchObject({ status: 'pending', attempts: 0, receiver_name: receiver.name, receiver_kind: 'webhook', dispatch_id: d0!.dispatch_id });

        const at = new Date('2026-03-01T12:00:05.000Z');
        const recorded = await Promise.all([
          batches.recordAttempt(d0!.id, d0!.dispatch_id, { status: 'delivered', lastStatus: 204, lastError: null, at }),
          batches.recordAttempt(d1!.id, d1!.dispatch_id, { status: 'failed', lastStatus: 503, lastError: 'the receiver answered HTTP 503', at }),
          batches.recordAttempt(d2!.id, d2!.dispatch_id, { status: 'dead_lettered', lastStatus: 410, lastError: 'the receiver answered HTTP 410: gone', at }),
          // A job whose dispatch was replaced by a manual retry: nothing recorded.
          batches.recordAttempt(d3!.id, randomUUID(), { status: 'delivered', lastStatus: 204, lastError: null, at }),
          batches.recordAttempt(d4!.id, d4!.dispatch_id, { status: 'dead_lettered', lastStatus: null, lastError: 'refused: 127.0.0.1 is not allowed', at }),
        ]);
        expect(writes).toEqual([5]);
        expect(recorded).toEqual([true, true, true, false, true]);
        expect((await stored(ids)).map(({ id: _id, dispatch_id: _dispatch, ...row }) => row)).toEqual([
          { status: 'delivered', attempts: 1, last_status: 204, last_error: null, last_attempt_at: at, delivered_at: at, dead_lettered_at: null },
          { status: 'failed', attempts: 1, last_status: 503, last_error: 'the receiver answered HTTP 503', last_attempt_at: at, delivered_at: null, dead_lettered_at: null },
          { status: 'dead_lettered', attempts: 1, last_status: 410, last_error: 'the receiver answered HTTP 410: gone', last_attempt_at: at, delivered_at: null, dead_lettered_at: at },
          { status: 'pending', attempts: 0, last_status: null, last_error: null, last_attempt_at: null, delivered_at: null, dead_lettered_at: null },
          { status: 'dead_lettered', attempts: 1, last_status: null, last_error: 'refused: 127.0.0.1 is not allowed', last_attempt_at: at, delivered_at: null, dead_lettered_at: at },
        ]);

        // The retry of the failed one succeeds; two attempts on one delivery in one batch are both counted.
        const later = new Date('2026-03-01T12:00:09.000Z');
        expect(
          await Promise.all([
            batches.recordAttempt(d1!.id, d1!.dispatch_id, { status: 'failed', lastStatus: 503, lastError: 'the receiver answered HTTP 503', at: later }),
            batches.recordAttempt(d1!.id, d1!.dispatch_id, { status: 'delivered', lastStatus: 200, lastError: null, at: later }),
          ]),
        ).toEqual([true, true]);
        expect(writes).toEqual([5, 2]);
        expect((await stored([d1!.id]))[0]).toMatchObject({ status: 'delivered', attempts: 3, last_status: 200, last_error: null, delivered_at: later });
      });
    });

    describe('a burst through the delivery jobs', () => {
      const suite = useDeliveryApp(target);
      const { deadLetters } = suite;

      it('records each delivery of a burst as it ended: delivered, retried then delivered, dead-lettered at once', async () => {
        const { t } = suite;
        const [ok, gone, flaky] = await Promise.all([suite.receiverServer(), suite.receiverServer(), suite.receiverServer()]);
        const okCount = 8;
        // On PostgreSQL (DELIVERY_CONCURRENCY 20) the answers are held until every request arrived, so that the
        // attempts finish together and are recorded in shared batches; PGlite runs one delivery at a time.
        const held: ServerResponse[] = [];
        ok!.respond((_request, response) => {
          if (target.name === 'pglite') return void response.writeHead(204).end();
          held.push(response);
          if (held.length === okCount) for (const waiting of held) waiting.writeHead(204).end();
        });
        gone!.answer(410, 'gone for good');
        const seen = new Set<string>();
        flaky!.respond((request, response) => {
          const id = request.headers['webhook-id'] as string;
          response.writeHead(seen.has(id) ? 200 : 503).end();
          seen.add(id);
        });
        const [okReceiver, goneReceiver, flakyReceiver] = await Promise.all([
          createReceiver(t, { name: uniqueName('ok'), kind: 'webhook', url: ok!.url('/orca'), secret: webhookSecret() }),
          createReceiver(t, { name: uniqueName('gone'), kind: 'webhook', url: gone!.url('/orca'), secret: webhookSecret() }),
          createReceiver(t, { name: uniqueName('flaky'), kind: 'webhook', url: flaky!.url('/orca'), secret: webhookSecret() }),
        ]);
        await t.container.modules.receivers.sink.enqueueMany([
          ...Array.from({ length: okCount }, () => alertNotification(okReceiver.name as string)),
          alertNotification(goneReceiver.name as string),
          alertNotification(goneReceiver.name as string),
          alertNotification(flakyReceiver.name as string),
          alertNotification(flakyReceiver.name as string),
        ]);
        const finished = (status: string, count: number, receiverId: string) =>
          waitFor(
            () => listDeliveries(t, `receiver_id=${receiverId}`),
            (rows) => rows.length === count && rows.every((row) => row.status === status),
            30_000,
          );
        const delivered = await finished('delivered', okCount, okReceiver.id as string);
        expect(delivered.map((row) => ({ attempts: row.attempts, last_status: row.last_status, last_error: row.last_error }))).toEqual(
          Array.from({ length: okCount }, () => ({ attempts: 1, last_status: 204, last_error: null })),
        );
        const deadLettered = await finished('dead_lettered', 2, goneReceiver.id as string);
        for (const row of deadLettered) {
          expect(row).toMatchObject({ attempts: 1, last_status: 410, last_error: 'the receiver answered HTTP 410: gone for good', dead_lettered_at: expect.any(String) });
        }
        const retried = await finished('delivered', 2, flakyReceiver.id as string);
        expect(retried.map((row) => ({ attempts: row.attempts, last_status: row.last_status, last_error: row.last_error }))).toEqual([
          { attempts: 2, last_status: 200, last_error: null },
          { attempts: 2, last_status: 200, last_error: null },
        ]);
        expect(ok!.requests).toHaveLength(okCount);
        expect(gone!.requests).toHaveLength(2);
        expect(flaky!.requests).toHaveLength(4);
        await waitFor(() => deadLetters.filter((delivery) => delivery.receiver === goneReceiver.name), (found) => found.length === 2);
        expect(new Set(deadLetters.filter((delivery) => delivery.receiver === goneReceiver.name).map((delivery) => delivery.deliveryId))).toEqual(
          new Set(deadLettered.map((row) => row.id)),
        );
      });
    });
  });
}
