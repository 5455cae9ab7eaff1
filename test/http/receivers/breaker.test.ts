import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { startTestReceiver, type TestReceiver } from '../../helpers/http-receiver.js';
import { waitFor } from '../../helpers/jobs.js';
import { alertNotification, createReceiver, DELIVERY_ENV, listDeliveries, uniqueName } from './fixtures.js';

type Breaker = { target: string; kind: string; state: string };

/**
 * A receiver that is down opens its circuit breaker (seen in /status and orca_breaker_state), loses no delivery while
 * it is open, and gets every delivery once it recovers, its breaker closing again (docs/receivers.md).
 */
describe.each(databaseTargets.map((target) => [target.name, target] as const))('a receiver that is down [%s]', (_name, target) => {
  let t: TestApp;
  let server: TestReceiver;
  beforeAll(async () => {
    server = await startTestReceiver();
    t = await createTestApp(target, { ...DELIVERY_ENV, DELIVERY_RETRIES: '8', OUTBOUND_BREAKER_OPEN_DURATION: '2s' });
  });
  afterAll(async () => {
    await t?.close();
    await server?.close();
  });

  const breakerOf = async (id: string): Promise<Breaker | undefined> => {
    const response = await t.app.inject({ method: 'GET', url: '/status', headers: t.as('viewer') });
    return (response.json() as { breakers: Breaker[] }).breakers.find((breaker) => breaker.target === id);
  };

  // Its budget covers its waits (60 s for the breaker to open, 120 s for the deliveries), not vitest's default 60 s.
  it('opens its breaker, loses nothing, and delivers everything once it is back', async () => {
    server.answer(503);
    const receiver = await createReceiver(t, { name: uniqueName('down'), kind: 'webhook', url: server.url('/down') });
    const id = receiver.id as string;
    const notifications = Array.from({ length: 6 }, () => alertNotification(receiver.name as string));
    for (const notification of notifications) await t.container.modules.receivers.sink.enqueue(notification);

    await waitFor(() => breakerOf(id), (breaker) => breaker?.state === 'open', 60_000);
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain(`orca_breaker_state{target="${id}",kind="receiver"} 2`);
    const failing = await listDeliveries(t, `receiver_id=${id}`);
    expect(failing.map((delivery) => delivery.status).filter((status) => status === 'delivered' || status === 'dead_lettered')).toEqual([]);

    server.answer(200);
    const delivered = await waitFor(
      () => listDeliveries(t, `receiver_id=${id}`),
      (rows) => rows.length === 6 && rows.every((row) => row.status === 'delivered'),
      120_000,
    );
    expect(delivered).toHaveLength(6);
    const arrived = new Set(server.requests.filter((request) => request.url === '/down').map((request) => request.headers['webhook-id']));
    expect([...arrived].sort()).toEqual(notifications.map((notification) => notification.id).sort());
    expect((await breakerOf(id))?.state).toBe('closed');
  }, 240_000);
});
