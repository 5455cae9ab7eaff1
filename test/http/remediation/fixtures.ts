import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets, type DatabaseTarget } from '../../helpers/db.js';
import type { RecordedRequest } from '../../helpers/http-receiver.js';
import { waitFor } from '../../helpers/jobs.js';
import { manualClock, type ManualClock } from '../sync/fixtures.js';

export type Json = Record<string, unknown>;
export { manualClock, type ManualClock };
export const MINUTE = 60_000;

/** Receivers on loopback, outbound calls that give up quickly, workers polling often; sweeps and ticks by hand. */
export const REMEDIATION_ENV = {
  OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8',
  OUTBOUND_TIMEOUT: '3s',
  OUTBOUND_RETRIES: '1',
  JOBS_POLL_INTERVAL: '200ms',
  SYNC_SWEEP_INTERVAL: '1d',
  REMEDIATION_INTERVAL: '1h',
  REMEDIATION_RETRY_DELAY: '1m',
  LOG_LEVEL: 'debug',
};

export interface RemediationContext {
  t: TestApp;
  clock: ManualClock;
}

/** One app per database target with a manual clock starting at `start`. */
export function describeRemediationSuite(name: string, start: string, suite: (ctx: () => RemediationContext, target: DatabaseTarget) => void): void {
  for (const target of databaseTargets) {
    describe(`${name} [${target.name}]`, () => {
      let context: RemediationContext | undefined;
      beforeAll(async () => {
        const clock = manualClock(start);
        context = { t: await createTestApp(target, REMEDIATION_ENV, { clock }), clock };
      });
      afterAll(async () => {
        await context?.t.close();
      });
      suite(() => {
        if (!context) throw new Error('test app not built');
        return context;
      }, target);
    });
  }
}

export const webhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;
export const uniqueName = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

export async function createReceiver(t: TestApp, body: Json): Promise<{ id: string; name: string }> {
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/receivers', headers: t.as('admin'), payload: body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; name: string };
}

export async function remediations(t: TestApp, query: Record<string, string>): Promise<Json[]> {
  const response = await t.app.inject({ method: 'GET', url: '/api/v1/remediations', query: { limit: '200', ...query }, headers: t.as('viewer') });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { items: Json[] }).items;
}

/** The gap's remediations once `done` holds of them (they move on in jobs). */
export function remediationsReaching(t: TestApp, gapId: string, done: (rows: Json[]) => boolean, timeoutMs = 60_000): Promise<Json[]> {
  return waitFor(() => remediations(t, { gap_id: gapId }), done, timeoutMs);
}

/**
 * Checks a Standard Webhooks signature with the reference library: the signature it computes for the message id,
 * timestamp and exact body must be among those sent. (`Webhook.verify` also refuses timestamps more than five
 * minutes from the wall clock; these tests run on a manual clock, so the timestamp is asserted on its own.)
 */
export function signatureValid(secret: string, request: RecordedRequest): boolean {
  const id = request.headers['webhook-id'] as string;
  const timestamp = Number(request.headers['webhook-timestamp']);
  const expected = new Webhook(secret).sign(id, new Date(timestamp * 1000), request.body);
  return (request.headers['webhook-signature'] as string).split(' ').includes(expected);
}

export async function auditOf(t: TestApp, target: string): Promise<Array<{ action: string; actor: string; after: Json }>> {
  const response = await t.app.inject({ method: 'GET', url: '/api/v1/audit', query: { target, limit: '100' }, headers: t.as('admin') });
  expect(response.statusCode, response.body).toBe(200);
  return ((response.json() as { items: Array<{ action: string; actor: string; after: Json }> }).items).reverse();
}

export async function metricValue(t: TestApp, series: string): Promise<number> {
  const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
  const line = text.split('\n').find((entry) => entry.startsWith(`${series} `));
  return Number(line?.split(' ')[1] ?? NaN);
}
