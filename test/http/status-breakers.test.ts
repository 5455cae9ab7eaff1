import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/db.js';
import { startTestReceiver, type TestReceiver } from '../helpers/http-receiver.js';

/**
 * /status reports the real state of every outbound circuit breaker, and /metrics the same as orca_breaker_state,
 * through the whole app (the production container, with OUTBOUND_ALLOW_CIDRS letting it reach a local receiver).
 */
describe.each(databaseTargets.map((target) => [target.name, target] as const))('/status breakers [%s]', (_name, target) => {
  let app: TestApp;
  let receiver: TestReceiver;
  beforeAll(async () => {
    receiver = await startTestReceiver();
    app = await createTestApp(target, { OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8', OUTBOUND_RETRIES: '0' });
  });
  afterAll(async () => {
    await app?.close();
    await receiver?.close();
  });

  const status = async () => {
    const response = await app.app.inject({ method: 'GET', url: '/status', headers: app.as('viewer') });
    expect(response.statusCode).toBe(200);
    return response.json() as { breakers: unknown[] };
  };

  it('lists no breaker before any outbound call', async () => {
    expect((await status()).breakers).toEqual([]);
  });

  it('shows a target whose breaker opened after 5 failures, and one that stays closed', async () => {
    const outbound = app.container.outbound;
    receiver.answer(200);
    expect((await outbound.request({ kind: 'receiver', id: 'healthy' }, { url: receiver.url() })).status).toBe(200);
    receiver.answer(503);
    const before = Date.now();
    for (let failure = 0; failure < 5; failure += 1) await outbound.request({ kind: 'receiver', id: 'failing' }, { url: receiver.url() });
    await expect(outbound.request({ kind: 'receiver', id: 'failing' }, { url: receiver.url() })).rejects.toMatchObject({ reason: 'breaker_open' });

    const { breakers } = await status();
    expect(breakers).toEqual([
      { target: 'failing', kind: 'receiver', state: 'open', consecutive_failures: 5, opened_at: expect.any(String) },
      { target: 'healthy', kind: 'receiver', state: 'closed', consecutive_failures: 0, opened_at: null },
    ]);
    const openedAt = Date.parse((breakers[0] as { opened_at: string }).opened_at);
    expect(openedAt).toBeGreaterThanOrEqual(before - 1);
    expect(openedAt).toBeLessThanOrEqual(Date.now());

    const metrics = (await app.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('orca_breaker_state{target="failing",kind="receiver"} 2');
    expect(metrics).toContain('orca_breaker_state{target="healthy",kind="receiver"} 0');
    expect(metrics).toContain('orca_outbound_requests_total{target_kind="receiver",outcome="http_5xx"} 5');
    expect(metrics).toContain('orca_outbound_requests_total{target_kind="receiver",outcome="breaker_open"} 1');
  });
});
