import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import type { DatabaseTarget } from '../../helpers/db.js';
import { startTestReceiver, type TestReceiver } from '../../helpers/http-receiver.js';
import { waitFor } from '../../helpers/jobs.js';
import type { DeadLetteredDelivery, Notification } from '../../../src/modules/receivers/index.js';

type Json = Record<string, unknown>;

export const uniqueName = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
export const webhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** Settings of the delivery suites: receivers on loopback, quick retries, workers polling often. */
export const DELIVERY_ENV = {
  OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8',
  DELIVERY_RETRIES: '2',
  DELIVERY_RETRY_DELAY: '1s',
  JOBS_POLL_INTERVAL: '200ms',
  LOG_LEVEL: 'debug',
};

export function alertNotification(receiver: string, overrides: Partial<Notification> = {}): Notification {
  const fingerprint = randomBytes(8).toString('hex');
  return {
    id: randomUUID(),
    kind: 'alert',
    receiver,
    groupKey: `{}:{alertname="injection-attempts",agent_id="a-1"}`,
    groupLabels: { alertname: 'injection-attempts', agent_id: 'a-1' },
    status: 'firing',
    alerts: [
      {
        fingerprint,
        status: 'firing',
        labels: { alertname: 'injection-attempts', severity: 'critical', agent_id: 'a-1' },
        annotations: { summary: 'Prompt injection attempts by a-1' },
        startsAt: '2026-03-01T12:00:00.000Z',
        endsAt: null,
        generatorURL: `http://orca.example/api/v1/alerts?fingerprint=${fingerprint}`,
      },
    ],
    correlationId: `corr-${randomBytes(6).toString('hex')}`,
    ...overrides,
  };
}

export async function createReceiver(t: TestApp, body: Json): Promise<Json> {
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/receivers', headers: t.as('admin'), payload: body });
  if (response.statusCode !== 201) throw new Error(`could not create the receiver: ${response.statusCode} ${response.body}`);
  return response.json() as Json;
}

export async function listDeliveries(t: TestApp, query: string): Promise<Json[]> {
  const response = await t.app.inject({ method: 'GET', url: `/api/v1/deliveries?${query}`, headers: t.as('operator') });
  if (response.statusCode !== 200) throw new Error(`could not list deliveries: ${response.statusCode} ${response.body}`);
  return (response.json() as { items: Json[] }).items;
}

/** The receiver's only delivery once it has reached `status`. */
export async function deliveryReaching(t: TestApp, receiverId: string, status: string, timeoutMs = 30_000): Promise<Json> {
  const items = await waitFor(
    () => listDeliveries(t, `receiver_id=${receiverId}`),
    (rows) => rows.length === 1 && rows[0]!.status === status,
    timeoutMs,
  );
  return items[0]!;
}

export interface DeliveryApp {
  /** The app with DELIVERY_ENV, built before the suite's tests and closed after them. */
  readonly t: TestApp;
  /** Every delivery the app's sink dead-lettered, in order. */
  readonly deadLetters: DeadLetteredDelivery[];
  /** A local receiver, closed after the app. */
  receiverServer(): Promise<TestReceiver>;
}

/** Builds, in the calling describe block, an app for the delivery suites: it records dead letters and closes its receivers. */
export function useDeliveryApp(target: DatabaseTarget): DeliveryApp {
  let app: TestApp | undefined;
  const servers: TestReceiver[] = [];
  const deadLetters: DeadLetteredDelivery[] = [];
  beforeAll(async () => {
    app = await createTestApp(target, DELIVERY_ENV);
    app.container.modules.receivers.sink.onDeadLettered(async (delivery) => {
      deadLetters.push(delivery);
    });
  });
  afterAll(async () => {
    await app?.close();
    for (const server of servers) await server.close();
  });
  return {
    get t() {
      if (!app) throw new Error('the delivery app is not built yet (use it inside a test or a later hook)');
      return app;
    },
    deadLetters,
    async receiverServer() {
      const server = await startTestReceiver();
      servers.push(server);
      return server;
    },
  };
}
