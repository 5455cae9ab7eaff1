import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundError } from '../../src/platform/outbound/index.js';
import { ORCA_VERSION } from '../../src/platform/version.js';
import { startTestReceiver, type TestReceiver } from '../helpers/http-receiver.js';
import { createTestOutbound } from '../helpers/outbound.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

let receiver: TestReceiver;
beforeAll(async () => {
  receiver = await startTestReceiver();
});
afterAll(async () => {
  await receiver.close();
});

describe('outbound headers', () => {
  const { client } = createTestOutbound();
  afterAll(() => client.close());
  const target = { kind: 'receiver' as const, id: 'headers' };

  it('propagates the correlation id and continues the trace with a new span', async () => {
    const parent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await client.request(target, { url: receiver.url(), correlationId: 'req-42', traceparent: parent });
    const { headers } = receiver.requests.at(-1)!;
    expect(headers['x-correlation-id']).toBe('req-42');
    const [, traceId, spanId, flags] = TRACEPARENT.exec(String(headers.traceparent))!;
    expect([traceId, flags]).toEqual(['4bf92f3577b34da6a3ce929d0e0e4736', '01']);
    expect(spanId).not.toBe('00f067aa0ba902b7');
    expect(headers['user-agent']).toBe(`orca/${ORCA_VERSION}`);
  });

  it('makes a correlation id and a new trace when the call has none', async () => {
    await client.request(target, { url: receiver.url() });
    const first = receiver.requests.at(-1)!.headers;
    await client.request(target, { url: receiver.url() });
    const second = receiver.requests.at(-1)!.headers;
    expect(first['x-correlation-id']).toMatch(UUID);
    expect(first['x-correlation-id']).not.toBe(second['x-correlation-id']);
    expect(first.traceparent).toMatch(TRACEPARENT);
    expect(TRACEPARENT.exec(String(first.traceparent))![1]).not.toBe(TRACEPARENT.exec(String(second.traceparent))![1]);
  });

  it('replaces a malformed correlation id or traceparent instead of sending it', async () => {
    await client.request(target, { url: receiver.url(), correlationId: 'bad id\twith spaces', traceparent: 'junk' });
    const { headers } = receiver.requests.at(-1)!;
    expect(headers['x-correlation-id']).toMatch(UUID);
    expect(headers.traceparent).toMatch(TRACEPARENT);
  });

  it("sends the caller's method, headers and body; ORCA's own headers win", async () => {
    await client.request(target, {
      url: receiver.url('/alerts?x=1'),
      method: 'PUT',
      headers: { Authorization: 'Bearer s3cr3t-token-value', 'X-Correlation-ID': 'spoofed', 'Content-Type': 'application/vnd.custom+json' },
      body: '{"a":"é"}',
      correlationId: 'req-43',
    });
    const request = receiver.requests.at(-1)!;
    expect([request.method, request.url, request.body]).toEqual(['PUT', '/alerts?x=1', '{"a":"é"}']);
    expect(request.headers).toMatchObject({
      authorization: 'Bearer s3cr3t-token-value',
      'x-correlation-id': 'req-43',
      'content-type': 'application/vnd.custom+json',
      'content-length': String(Buffer.byteLength('{"a":"é"}')),
    });
  });

  it('defaults a body to JSON and POST', async () => {
    await client.request(target, { url: receiver.url(), body: '{}' });
    const request = receiver.requests.at(-1)!;
    expect([request.method, request.headers['content-type']]).toEqual(['POST', 'application/json']);
  });

  it('throws (a caller bug, not a target failure) on a header that cannot be sent', async () => {
    await expect(client.request(target, { url: receiver.url(), headers: { 'bad header': 'x' } })).rejects.toThrow(TypeError);
    await expect(client.request(target, { url: receiver.url(), headers: { ok: 'line\nbreak' } })).rejects.not.toBeInstanceOf(OutboundError);
    expect(client.breakers().find((breaker) => breaker.target === target.id)).toMatchObject({ consecutiveFailures: 0 });
  });
});

describe('outbound metrics', () => {
  it('counts every attempt by target kind and outcome and times those that were sent', async () => {
    const { client, sample } = createTestOutbound({ settings: { outboundRetries: 0 } });
    const discovery = { kind: 'discovery' as const, id: 'metrics-discovery' };
    const receiverTarget = { kind: 'receiver' as const, id: 'metrics-receiver' };
    receiver.answer(200);
    await client.request(discovery, { url: receiver.url() });
    await client.request(discovery, { url: receiver.url() });
    receiver.answer(404);
    await client.request(discovery, { url: receiver.url() });
    receiver.answer(302, '', { location: '/x' });
    await client.request(discovery, { url: receiver.url() });
    receiver.answerInTurn([503, 503, 200]);
    await client.request(receiverTarget, { url: receiver.url(), retries: 2 });
    receiver.respond(() => {});
    await expect(client.request(receiverTarget, { url: receiver.url(), timeoutMs: 50 })).rejects.toMatchObject({ reason: 'timeout' });
    await expect(client.request(receiverTarget, { url: 'http://10.9.9.9/' })).rejects.toMatchObject({ reason: 'refused' });

    const count = (kind: string, outcome: string) => sample('orca_outbound_requests_total', { target_kind: kind, outcome });
    expect(await count('discovery', 'success')).toBe(2);
    expect(await count('discovery', 'http_4xx')).toBe(1);
    expect(await count('discovery', 'http_3xx')).toBe(1);
    expect(await count('receiver', 'http_5xx')).toBe(2);
    expect(await count('receiver', 'success')).toBe(1);
    expect(await count('receiver', 'timeout')).toBe(1);
    expect(await count('receiver', 'refused')).toBe(1);
    // Sent attempts only: 4 for discovery; 3 answered and 1 timed out for receiver (the refusal sent nothing).
    expect(await sample('orca_outbound_request_duration_seconds_count', { target_kind: 'discovery' })).toBe(4);
    expect(await sample('orca_outbound_request_duration_seconds_count', { target_kind: 'receiver' })).toBe(4);
    expect(await sample('orca_outbound_request_duration_seconds_sum', { target_kind: 'receiver' })).toBeGreaterThanOrEqual(0.05);
    expect(await sample('orca_breaker_state', { target: 'metrics-receiver', kind: 'receiver' })).toBe(0);
    client.close();
  });
});

describe('outbound logs', () => {
  it('logs each call at debug with the correlation id, target, status and duration, never a secret', async () => {
    const { client, logs } = createTestOutbound({ settings: { outboundRetries: 0 } });
    receiver.answer(201);
    const secretPath = '/services/T0000/B0000/slackSecretPathPart';
    await client.request(
      { kind: 'receiver', id: 'logged' },
      { url: `${receiver.url(secretPath)}?token=query-secret&sig=abc`, headers: { authorization: 'Bearer header-secret-value' }, correlationId: 'corr-7' },
    );
    expect(logs.filter((line) => line.msg === 'outbound call answered')).toEqual([
      {
        level: 'debug',
        time: expect.any(String),
        service: 'orca',
        msg: 'outbound call answered',
        correlation_id: 'corr-7',
        target_kind: 'receiver',
        target_id: 'logged',
        method: 'GET',
        host: `127.0.0.1:${receiver.port}`,
        status: 201,
        outcome: 'success',
        attempts: 1,
        duration_ms: expect.any(Number),
      },
    ]);
    await expect(client.request({ kind: 'receiver', id: 'logged' }, { url: `http://10.0.0.1${secretPath}?token=query-secret`, correlationId: 'corr-8' })).rejects.toThrow(OutboundError);
    expect(logs.find((line) => line.msg === 'outbound call failed')).toMatchObject({ correlation_id: 'corr-8', outcome: 'refused', host: '10.0.0.1', attempts: 0 });
    const everything = JSON.stringify(logs);
    for (const secret of ['slackSecretPathPart', 'query-secret', 'header-secret-value', 'sig=abc']) expect(everything).not.toContain(secret);
    client.close();
  });
});
