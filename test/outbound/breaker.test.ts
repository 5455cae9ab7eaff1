import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OutboundError, type OutboundTarget } from '../../src/platform/outbound/index.js';
import { startTestReceiver, type TestReceiver } from '../helpers/http-receiver.js';
import { createTestOutbound, type TestOutbound } from '../helpers/outbound.js';

const START = new Date('2026-03-01T12:00:00.000Z');
const OPEN_MS = 60_000;

async function rejection(promise: Promise<unknown>): Promise<OutboundError> {
  const error = await promise.then(
    () => undefined,
    (rejected: unknown) => rejected,
  );
  if (!(error instanceof OutboundError)) throw new Error(`expected an OutboundError, got ${String(error)}`);
  return error;
}

/**
 * The breaker's open period is measured by cockatiel with Date.now(): the tests move a fake Date forward (and
 * only Date — the sockets' timers stay real) instead of waiting a minute.
 */
describe('outbound circuit breaker', () => {
  let receiver: TestReceiver;
  let outbound: TestOutbound;
  let target: OutboundTarget;
  let targetCount = 0;

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(START);
    receiver = await startTestReceiver();
    outbound = createTestOutbound({ settings: { outboundRetries: 0 } });
    targetCount += 1;
    target = { kind: 'receiver', id: `receiver-${targetCount}` };
  });
  afterEach(async () => {
    outbound.client.close();
    await receiver.close();
    vi.useRealTimers();
  });

  const call = () => outbound.client.request(target, { url: receiver.url() });
  const breaker = () => outbound.client.breakers().find((status) => status.target === target.id);

  async function openBreaker(): Promise<void> {
    receiver.answer(503);
    for (let failure = 1; failure <= 5; failure += 1) expect((await call()).status).toBe(503);
    expect(breaker()).toMatchObject({ state: 'open' });
  }

  it('opens after 5 consecutive failures; while open, calls fail at once and nothing reaches the target', async () => {
    receiver.answer(503);
    for (let failure = 1; failure <= 4; failure += 1) {
      expect((await call()).status).toBe(503);
      expect(breaker()).toEqual({ target: target.id, kind: 'receiver', state: 'closed', consecutiveFailures: failure, openedAt: null });
    }
    expect((await call()).status).toBe(503);
    expect(breaker()).toEqual({ target: target.id, kind: 'receiver', state: 'open', consecutiveFailures: 5, openedAt: START.toISOString() });

    const refused = await rejection(call());
    expect({ reason: refused.reason, attempts: refused.attempts, target: refused.target }).toEqual({ reason: 'breaker_open', attempts: 0, target });
    expect(receiver.requests).toHaveLength(5);
    vi.setSystemTime(START.getTime() + OPEN_MS - 1);
    expect((await rejection(call())).reason).toBe('breaker_open');
    expect(receiver.requests).toHaveLength(5);
    expect(outbound.logs).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: 'outbound circuit breaker opened: calls to the target fail at once', target_id: target.id, state: 'open', consecutive_failures: 5 }),
    );
  });

  it('counts timeouts and network failures; a success resets the count', async () => {
    receiver.answerInTurn([500, 503, 429, 408, 200, 500]);
    for (let index = 0; index < 6; index += 1) await call();
    expect(breaker()).toMatchObject({ state: 'closed', consecutiveFailures: 1 });
    receiver.respond(() => {});
    for (let index = 0; index < 3; index += 1) expect((await rejection(outbound.client.request(target, { url: receiver.url(), timeoutMs: 50 }))).reason).toBe('timeout');
    expect(breaker()).toMatchObject({ state: 'closed', consecutiveFailures: 4 });
    const nowhere = await startTestReceiver();
    const deadUrl = nowhere.url();
    await nowhere.close();
    expect((await rejection(outbound.client.request(target, { url: deadUrl }))).reason).toBe('network');
    expect(breaker()).toMatchObject({ state: 'open', consecutiveFailures: 5 });
  });

  it("never opens on 4xx answers: they are the receiver's verdict", async () => {
    receiver.answerInTurn([400, 401, 403, 404, 410, 422, 400, 400]);
    for (let index = 0; index < 8; index += 1) await call();
    expect(breaker()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });

  it('is per target: one target open leaves another on the same host alone', async () => {
    await openBreaker();
    receiver.answer(200);
    const other = { kind: 'receiver' as const, id: `${target.id}-other` };
    expect((await outbound.client.request(other, { url: receiver.url() })).status).toBe(200);
    expect(outbound.client.breakers().map((status) => [status.target, status.state])).toEqual([
      [target.id, 'open'],
      [other.id, 'closed'],
    ]);
  });

  it('after the open period, probes the target and closes after 2 successful probes', async () => {
    await openBreaker();
    receiver.answer(200);
    vi.setSystemTime(START.getTime() + OPEN_MS);
    expect((await call()).status).toBe(200);
    expect(breaker()).toEqual({ target: target.id, kind: 'receiver', state: 'half_open', consecutiveFailures: 0, openedAt: START.toISOString() });
    expect((await call()).status).toBe(200);
    expect(breaker()).toEqual({ target: target.id, kind: 'receiver', state: 'closed', consecutiveFailures: 0, openedAt: null });
    expect(receiver.requests).toHaveLength(7);
    const transitions = outbound.logs.filter((line) => line.target_id === target.id && typeof line.state === 'string').map((line) => [line.previous_state, line.state]);
    expect(transitions).toEqual([
      ['closed', 'open'],
      ['open', 'half_open'],
      ['half_open', 'closed'],
    ]);
  });

  it('re-opens on a failed first probe, for another full period', async () => {
    await openBreaker();
    const reopenedAt = START.getTime() + OPEN_MS;
    vi.setSystemTime(reopenedAt);
    expect((await call()).status).toBe(503);
    expect(breaker()).toEqual({ target: target.id, kind: 'receiver', state: 'open', consecutiveFailures: 6, openedAt: new Date(reopenedAt).toISOString() });
    vi.setSystemTime(reopenedAt + OPEN_MS - 1);
    expect((await rejection(call())).reason).toBe('breaker_open');
    expect(receiver.requests).toHaveLength(6);
  });

  it('re-opens when the second probe fails after a successful first', async () => {
    await openBreaker();
    vi.setSystemTime(START.getTime() + OPEN_MS);
    receiver.answerInTurn([200, 502]);
    expect((await call()).status).toBe(200);
    expect(breaker()).toMatchObject({ state: 'half_open' });
    expect((await call()).status).toBe(502);
    expect(breaker()).toMatchObject({ state: 'open', openedAt: new Date(START.getTime() + OPEN_MS).toISOString() });
    expect((await rejection(call())).reason).toBe('breaker_open');
    expect(receiver.requests).toHaveLength(7);
  });

  it('does not count a probe the SSRF guard refused: it proves nothing about the target', async () => {
    // A fake DNS (the outside world): the name points at the receiver, then briefly at a refused address. The
    // receiver closes every connection, so that each call resolves the name again (a kept-alive socket would not).
    const answers = ['127.0.0.1', '127.0.0.1', '127.0.0.1', '127.0.0.1', '127.0.0.1', '10.0.0.1', '127.0.0.1'];
    const resolveHost = async () => [{ address: answers.shift() ?? '127.0.0.1', family: 4 }];
    const guarded = createTestOutbound({ settings: { outboundRetries: 0 }, resolveHost });
    const url = `http://receiver.example:${receiver.port}/`;
    const status = () => guarded.client.breakers()[0];
    receiver.answer(503, '', { connection: 'close' });
    for (let failure = 0; failure < 5; failure += 1) await guarded.client.request(target, { url });
    expect(status()).toMatchObject({ state: 'open' });
    vi.setSystemTime(START.getTime() + OPEN_MS);
    receiver.answer(200, '', { connection: 'close' });
    expect((await rejection(guarded.client.request(target, { url }))).reason).toBe('refused');
    expect(status()).toMatchObject({ state: 'half_open' });
    expect((await guarded.client.request(target, { url })).status).toBe(200);
    expect(status()).toMatchObject({ state: 'half_open' });
    expect((await guarded.client.request(target, { url })).status).toBe(200);
    expect(status()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    guarded.client.close();
  });

  it('lets at most 3 probes through at once while half-open; the rest fail as if open', async () => {
    await openBreaker();
    vi.setSystemTime(START.getTime() + OPEN_MS);
    const held: ServerResponse[] = [];
    receiver.respond((_request, response) => held.push(response));
    const calls = Array.from({ length: 5 }, () => call().then((answer) => answer.status, (error: OutboundError) => error.reason));
    // The first probe goes alone; two more wait for its outcome; the fourth and fifth are refused at once.
    await receiver.received(6);
    expect(await Promise.all([calls[3], calls[4]])).toEqual(['breaker_open', 'breaker_open']);
    expect(breaker()).toMatchObject({ state: 'half_open' });
    held.shift()!.writeHead(200).end();
    await receiver.received(8);
    for (const response of held.splice(0)) response.writeHead(200).end();
    expect(await Promise.all(calls)).toEqual([200, 200, 200, 'breaker_open', 'breaker_open']);
    expect(receiver.requests).toHaveLength(8);
    expect(breaker()).toMatchObject({ state: 'closed', consecutiveFailures: 0, openedAt: null });
  });

  it('counts breaker_open in the metrics and shows the state in orca_breaker_state (0 closed, 1 half-open, 2 open)', async () => {
    const state = () => outbound.sample('orca_breaker_state', { target: target.id, kind: 'receiver' });
    receiver.answer(200);
    await call();
    expect(await state()).toBe(0);
    await openBreaker();
    expect(await state()).toBe(2);
    await rejection(call());
    expect(await outbound.sample('orca_outbound_requests_total', { target_kind: 'receiver', outcome: 'breaker_open' })).toBe(1);
    vi.setSystemTime(START.getTime() + OPEN_MS);
    receiver.answer(200);
    await call();
    expect(await state()).toBe(1);
    await call();
    expect(await state()).toBe(0);
  });
});
