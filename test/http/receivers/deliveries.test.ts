import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { alertNotification, createReceiver, deliveryReaching, listDeliveries, uniqueName, useDeliveryApp, webhookSecret } from './fixtures.js';

/**
 * Deliveries through the whole app: the sink the alerts module uses, pg-boss jobs, the outbound client, real local
 * receivers (one verifying Standard Webhooks signatures with the reference library), retries and dead letters.
 */
describe.each(databaseTargets.map((target) => [target.name, target] as const))('deliveries [%s]', (_name, target) => {
  const suite = useDeliveryApp(target);
  const { deadLetters, receiverServer } = suite;
  let t: TestApp;
  beforeAll(() => {
    t = suite.t;
  });
  const sink = () => t.container.modules.receivers.sink;
  const metric = async (kind: string, outcome: string) => {
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    const line = text.split('\n').find((entry) => entry.startsWith(`orca_deliveries_total{receiver_kind="${kind}",outcome="${outcome}"}`));
    return Number(line?.split(' ')[1] ?? NaN);
  };

  it('delivers a webhook signed with Standard Webhooks, verified by the reference library, with its correlation id', async () => {
    const server = await receiverServer();
    const secret = webhookSecret();
    const verified: unknown[] = [];
    server.respond((request, response) => {
      try {
        verified.push(new Webhook(secret).verify(request.body, request.headers as Record<string, string>));
        response.writeHead(204).end();
      } catch {
        response.writeHead(401).end('bad signature');
      }
    });
    const receiver = await createReceiver(t, { name: uniqueName('hook'), kind: 'webhook', url: server.url('/orca'), secret });
    const notification = alertNotification(receiver.name as string);
    const before = await metric('webhook', 'delivered');
    await t.container.db.transaction((tx) => sink().enqueue(notification, { tx }));
    const delivery = await deliveryReaching(t, receiver.id as string, 'delivered');
    expect(delivery).toMatchObject({
      notification_id: notification.id,
      notification_kind: 'alert',
      notification_status: 'firing',
      alerts: 1,
      receiver_name: receiver.name,
      receiver_kind: 'webhook',
      attempts: 1,
      last_status: 204,
      last_error: null,
      correlation_id: notification.correlationId,
      delivered_at: expect.any(String),
    });
    expect(server.requests).toHaveLength(1);
    expect(verified).toHaveLength(1);
    expect(verified[0]).toMatchObject({ type: 'orca.notification', id: notification.id, status: 'firing', correlation_id: notification.correlationId });
    const headers = server.requests[0]!.headers;
    expect(headers['webhook-id']).toBe(notification.id);
    expect(headers['x-correlation-id']).toBe(notification.correlationId);
    expect(await metric('webhook', 'delivered')).toBe(before + 1);
    // The delivery job's own log lines carry the correlation id of what enqueued it.
    const jobLines = t.logs.filter((line) => line.delivery_id === delivery.id);
    expect(jobLines.length).toBeGreaterThan(0);
    for (const line of jobLines) expect(line.correlation_id).toBe(notification.correlationId);
  });

  it('posts Alertmanager API v2 alerts to /api/v2/alerts and Slack blocks to the webhook URL', async () => {
    const server = await receiverServer();
    const alertmanager = await createReceiver(t, { name: uniqueName('am'), kind: 'alertmanager', url: server.url('/') });
    const slack = await createReceiver(t, { name: uniqueName('slack'), kind: 'slack', url: server.url('/services/T/B/X') });
    const amNotification = alertNotification(alertmanager.name as string);
    await sink().enqueue(amNotification);
    await sink().enqueue(alertNotification(slack.name as string));
    await deliveryReaching(t, alertmanager.id as string, 'delivered');
    await deliveryReaching(t, slack.id as string, 'delivered');
    const amRequest = server.requests.find((request) => request.url === '/api/v2/alerts')!;
    expect(JSON.parse(amRequest.body)).toEqual([
      {
        labels: amNotification.alerts[0]!.labels,
        annotations: amNotification.alerts[0]!.annotations,
        startsAt: '2026-03-01T12:00:00.000Z',
        generatorURL: amNotification.alerts[0]!.generatorURL,
      },
    ]);
    const slackRequest = server.requests.find((request) => request.url === '/services/T/B/X')!;
    expect(JSON.parse(slackRequest.body)).toMatchObject({ text: expect.stringContaining('[FIRING] injection-attempts'), blocks: expect.any(Array) });
  });

  it('retries a receiver that answers 500 and delivers once it answers 200', async () => {
    const server = await receiverServer();
    server.answerInTurn([500, 200]);
    const receiver = await createReceiver(t, { name: uniqueName('flaky'), kind: 'webhook', url: server.url('/flaky') });
    const retriedBefore = await metric('webhook', 'retried');
    const notification = alertNotification(receiver.name as string);
    await sink().enqueue(notification);
    const delivery = await deliveryReaching(t, receiver.id as string, 'delivered');
    expect(delivery).toMatchObject({ attempts: 2, last_status: 200, last_error: null });
    expect(server.requests).toHaveLength(2);
    // The same notification both times: same webhook-id and body, so a receiver can deduplicate.
    expect(server.requests.map((request) => request.headers['webhook-id'])).toEqual([notification.id, notification.id]);
    expect(server.requests[1]!.body).toBe(server.requests[0]!.body);
    expect(await metric('webhook', 'retried')).toBe(retriedBefore + 1);
    expect(deadLetters.find((dead) => dead.deliveryId === delivery.id)).toBeUndefined();
  });

  it('dead-letters at once a receiver that answers 400, records the answer and tells the listener', async () => {
    const server = await receiverServer();
    server.answer(400, '{"error":"bad payload"}', { 'content-type': 'application/json' });
    const receiver = await createReceiver(t, { name: uniqueName('strict'), kind: 'webhook', url: server.url('/strict') });
    const notification = alertNotification(receiver.name as string);
    await sink().enqueue(notification);
    const delivery = await deliveryReaching(t, receiver.id as string, 'dead_lettered');
    expect(delivery).toMatchObject({ attempts: 1, last_status: 400, last_error: 'the receiver answered HTTP 400: {"error":"bad payload"}', dead_lettered_at: expect.any(String) });
    expect(server.requests).toHaveLength(1);
    // Listeners hear of a dead letter after its commit (the alerts module's listener among them, first).
    await vi.waitFor(() => expect(deadLetters.filter((dead) => dead.deliveryId === delivery.id)).toHaveLength(1), { timeout: 30_000 });
    expect(deadLetters.filter((dead) => dead.deliveryId === delivery.id)).toEqual([
      {
        deliveryId: delivery.id,
        receiver: receiver.name,
        receiverKind: 'webhook',
        notificationId: notification.id,
        lastError: 'the receiver answered HTTP 400: {"error":"bad payload"}',
        correlationId: notification.correlationId,
      },
    ]);

    // An operator fixes the receiver and sends it again: pending at once, then delivered.
    server.answer(200);
    const retry = await t.app.inject({ method: 'POST', url: `/api/v1/deliveries/${delivery.id as string}/retry`, headers: t.as('operator') });
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json()).toMatchObject({ id: delivery.id, status: 'pending', attempts: 1, dead_lettered_at: null });
    const delivered = await deliveryReaching(t, receiver.id as string, 'delivered');
    expect(delivered).toMatchObject({ attempts: 2, last_status: 200 });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.headers['webhook-id']).toBe(notification.id);
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/deliveries/${delivery.id as string}/retry`, headers: t.as('operator') });
    expect(again.statusCode).toBe(409);
    const { rows } = await t.container.db.query<{ action: string }>('select action from audit_entry where target = $1', [`delivery:${delivery.id as string}`]);
    expect(rows.map((row) => row.action)).toEqual(['delivery.retry']);
  });

  it('dead-letters after DELIVERY_RETRIES retries of a receiver that keeps failing', async () => {
    const server = await receiverServer();
    server.answer(503);
    const receiver = await createReceiver(t, { name: uniqueName('down'), kind: 'alertmanager', url: server.url('/') });
    await sink().enqueue(alertNotification(receiver.name as string));
    const delivery = await deliveryReaching(t, receiver.id as string, 'dead_lettered', 60_000);
    expect(delivery).toMatchObject({ attempts: 3, last_status: 503, last_error: 'the receiver answered HTTP 503' });
    expect(server.requests).toHaveLength(3);
    await vi.waitFor(() => expect(deadLetters.filter((dead) => dead.deliveryId === delivery.id)).toHaveLength(1), { timeout: 30_000 });
  });

  it('dead-letters, unsent, a delivery whose receiver was deleted before it ran, and refuses to retry it', async () => {
    const server = await receiverServer();
    const receiver = await createReceiver(t, { name: uniqueName('gone'), kind: 'webhook', url: server.url('/gone') });
    await t.container.db.transaction(async (tx) => {
      await sink().enqueue(alertNotification(receiver.name as string), { tx });
      // Deleted in the same transaction: the job can only find it gone.
      await tx.query('update receiver set deleted_at = now() where id = $1', [receiver.id]);
    });
    const delivery = await deliveryReaching(t, receiver.id as string, 'dead_lettered');
    expect(delivery).toMatchObject({ attempts: 0, last_status: null, last_error: 'the receiver was deleted before the notification could be delivered' });
    expect(server.requests).toHaveLength(0);
    expect(deadLetters.filter((dead) => dead.deliveryId === delivery.id)).toHaveLength(1);
    const retry = await t.app.inject({ method: 'POST', url: `/api/v1/deliveries/${delivery.id as string}/retry`, headers: t.as('admin') });
    expect(retry.statusCode).toBe(409);
  });

  it('enqueues inside the caller transaction: nothing exists after a rollback, and an unknown receiver throws', async () => {
    const server = await receiverServer();
    const receiver = await createReceiver(t, { name: uniqueName('tx'), kind: 'webhook', url: server.url('/tx') });
    await expect(
      t.container.db.transaction(async (tx) => {
        await sink().enqueue(alertNotification(receiver.name as string), { tx });
        throw new Error('the caller changed its mind');
      }),
    ).rejects.toThrow('the caller changed its mind');
    await expect(sink().enqueue(alertNotification('no-such-receiver'))).rejects.toThrow('receiver "no-such-receiver" was not found');
    expect(await listDeliveries(t, `receiver_id=${receiver.id as string}`)).toEqual([]);
    expect(await sink().receiverNames()).toContain(receiver.name);
    expect(server.requests).toHaveLength(0);
  });

  it('tests a receiver synchronously and reports the outcome', async () => {
    const server = await receiverServer();
    const secret = webhookSecret();
    const receiver = await createReceiver(t, { name: uniqueName('test'), kind: 'webhook', url: server.url('/test'), secret });
    const test = () => t.app.inject({ method: 'POST', url: `/api/v1/receivers/${receiver.id as string}/test`, headers: { ...t.as('admin'), 'x-correlation-id': 'test-corr-1' } });
    const delivered = await test();
    expect(delivered.statusCode, delivered.body).toBe(200);
    expect(delivered.json()).toEqual({ notification_id: expect.any(String), outcome: 'delivered', status: 200, duration_ms: expect.any(Number), error: null });
    const body = new Webhook(secret).verify(server.requests[0]!.body, server.requests[0]!.headers as Record<string, string>);
    expect(body).toMatchObject({ kind: 'test', receiver: receiver.name, correlation_id: 'test-corr-1' });
    server.answer(422, 'nope');
    expect((await test()).json()).toMatchObject({ outcome: 'rejected', status: 422, error: 'the receiver answered HTTP 422: nope' });
    // Closed early (closing it again after the suite does nothing).
    await server.close();
    expect((await test()).json()).toMatchObject({ outcome: 'failed', status: null, error: expect.stringMatching(/^network: /) });
    // A test is not a delivery: nothing is queued or recorded for it.
    expect(await listDeliveries(t, `receiver_id=${receiver.id as string}`)).toEqual([]);
  });

  it('lists by status and receiver; operator access; 404 for an unknown delivery', async () => {
    const all = await listDeliveries(t, 'status=delivered&limit=200');
    expect(all.length).toBeGreaterThan(0);
    for (const delivery of all) expect(delivery.status).toBe('delivered');
    const id = randomUUID();
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/deliveries/${id}/retry`, headers: t.as('operator') })).statusCode).toBe(404);
    for (const route of [
      { method: 'GET' as const, url: '/api/v1/deliveries' },
      { method: 'POST' as const, url: `/api/v1/deliveries/${id}/retry` },
    ]) {
      expect((await t.app.inject(route)).statusCode).toBe(401);
      for (const role of ['viewer', 'ingest'] as const) expect((await t.app.inject({ ...route, headers: t.as(role) })).statusCode).toBe(403);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/deliveries?status=lost', headers: t.as('operator') })).statusCode).toBe(400);
  });
});
