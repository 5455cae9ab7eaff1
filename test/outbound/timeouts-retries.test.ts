import { once } from 'node:events';
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutboundError } from '../../src/platform/outbound/index.js';
import { startTestReceiver, type TestReceiver } from '../helpers/http-receiver.js';
import { createTestOutbound } from '../helpers/outbound.js';

const target = { kind: 'receiver' as const, id: 'timeouts-retries' };

async function failure(promise: Promise<unknown>): Promise<OutboundError> {
  const error = await promise.then(
    () => undefined,
    (rejected: unknown) => rejected,
  );
  if (!(error instanceof OutboundError)) throw new Error(`expected an OutboundError, got ${String(error)}`);
  return error;
}

describe('outbound timeouts', () => {
  let receiver: TestReceiver;
  beforeEach(async () => {
    receiver = await startTestReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('gives up an attempt at its timeout and closes the connection', async () => {
    let closed: Promise<unknown> = Promise.resolve();
    receiver.respond((_request, response) => {
      closed = once(response, 'close');
    });
    const { client } = createTestOutbound();
    const started = performance.now();
    const error = await failure(client.request(target, { url: receiver.url(), timeoutMs: 150, retries: 0 }));
    const elapsed = performance.now() - started;
    expect({ reason: error.reason, attempts: error.attempts, message: error.message }).toEqual({ reason: 'timeout', attempts: 1, message: 'no answer within 150 ms' });
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(elapsed).toBeLessThan(2000);
    // The server sees the connection go: the attempt does not linger after its deadline.
    await closed;
    client.close();
  });

  it('bounds the whole exchange, a body that trickles included', async () => {
    receiver.respond((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('first bytes');
    });
    const { client } = createTestOutbound();
    const error = await failure(client.request(target, { url: receiver.url(), timeoutMs: 150, retries: 0 }));
    expect(error.reason).toBe('timeout');
    client.close();
  });

  it('uses OUTBOUND_TIMEOUT when the call names none', async () => {
    receiver.respond(() => {});
    const { client } = createTestOutbound({ settings: { outboundTimeoutMs: 100, outboundRetries: 0 } });
    const error = await failure(client.request(target, { url: receiver.url() }));
    expect({ reason: error.reason, message: error.message }).toEqual({ reason: 'timeout', message: 'no answer within 100 ms' });
    client.close();
  });

  it('retries a timed-out attempt', async () => {
    let calls = 0;
    receiver.respond((_request, response) => {
      calls += 1;
      if (calls > 1) response.writeHead(204).end();
    });
    const { client } = createTestOutbound();
    const answer = await client.request(target, { url: receiver.url(), timeoutMs: 150, retries: 1 });
    expect({ status: answer.status, attempts: answer.attempts }).toEqual({ status: 204, attempts: 2 });
    client.close();
  });
});

describe('outbound retries', () => {
  let receiver: TestReceiver;
  beforeEach(async () => {
    receiver = await startTestReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('retries 5xx answers and returns the first success', async () => {
    receiver.answerInTurn([503, 500, 200]);
    const { client } = createTestOutbound();
    const answer = await client.request(target, { url: receiver.url('/hook'), method: 'POST', body: '{"n":1}', retries: 2 });
    expect({ status: answer.status, attempts: answer.attempts }).toEqual({ status: 200, attempts: 3 });
    expect(receiver.requests.map((request) => [request.method, request.url, request.body])).toEqual([
      ['POST', '/hook', '{"n":1}'],
      ['POST', '/hook', '{"n":1}'],
      ['POST', '/hook', '{"n":1}'],
    ]);
    // One call: every attempt carries the same correlation id.
    expect(new Set(receiver.requests.map((request) => request.headers['x-correlation-id'])).size).toBe(1);
    client.close();
  });

  it('resolves with the last answer when the retries are spent', async () => {
    receiver.answer(502, 'bad gateway');
    const { client } = createTestOutbound();
    const answer = await client.request(target, { url: receiver.url(), retries: 2 });
    expect({ status: answer.status, body: answer.body, attempts: answer.attempts }).toEqual({ status: 502, body: 'bad gateway', attempts: 3 });
    expect(receiver.requests).toHaveLength(3);
    client.close();
  });

  it('uses OUTBOUND_RETRIES when the call names none, and retries: 0 sends once', async () => {
    receiver.answer(503);
    const { client } = createTestOutbound({ settings: { outboundRetries: 1 } });
    expect((await client.request(target, { url: receiver.url() })).attempts).toBe(2);
    expect((await client.request(target, { url: receiver.url(), retries: 0 })).attempts).toBe(1);
    expect(receiver.requests).toHaveLength(3);
    client.close();
  });

  it.each([408, 429])('retries %i (the receiver says "not now")', async (status) => {
    receiver.answerInTurn([status, 200]);
    const { client } = createTestOutbound();
    const answer = await client.request(target, { url: receiver.url(), retries: 2 });
    expect({ status: answer.status, attempts: answer.attempts }).toEqual({ status: 200, attempts: 2 });
    client.close();
  });

  it.each([400, 401, 403, 404, 409, 422])('does not retry %i: it is the receiver\'s verdict', async (status) => {
    receiver.answer(status, 'no');
    const { client } = createTestOutbound();
    const answer = await client.request(target, { url: receiver.url(), retries: 2 });
    expect({ status: answer.status, body: answer.body, attempts: answer.attempts }).toEqual({ status, body: 'no', attempts: 1 });
    client.close();
  });

  it('retries a connection reset by the server', async () => {
    let calls = 0;
    receiver.respond((_request, response) => {
      calls += 1;
      if (calls === 1) response.socket?.resetAndDestroy();
      else response.writeHead(200).end('ok');
    });
    const { client } = createTestOutbound();
    const answer = await client.request(target, { url: receiver.url(), retries: 2 });
    expect({ status: answer.status, body: answer.body, attempts: answer.attempts }).toEqual({ status: 200, body: 'ok', attempts: 2 });
    client.close();
  });

  it('fails with reason network after the retries when nothing listens', async () => {
    const closedPort = net.createServer();
    closedPort.listen(0, '127.0.0.1');
    await once(closedPort, 'listening');
    const port = (closedPort.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closedPort.close(() => resolve()));
    const { client } = createTestOutbound();
    const error = await failure(client.request(target, { url: `http://127.0.0.1:${port}/`, retries: 2 }));
    expect({ reason: error.reason, attempts: error.attempts }).toEqual({ reason: 'network', attempts: 3 });
    expect(error.message).toContain('ECONNREFUSED');
    client.close();
  });

  it('waits as long as Retry-After asks (seconds) before retrying', async () => {
    receiver.answerInTurn([503, 200], { 'retry-after': '1' });
    const { client } = createTestOutbound({ retryDelay: { initialMs: 1, maxMs: 10_000 } });
    const answer = await client.request(target, { url: receiver.url(), retries: 1 });
    expect(answer.status).toBe(200);
    const [first, second] = receiver.requests;
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(990);
    client.close();
  });

  it('waits until the date Retry-After names', async () => {
    // HTTP dates have whole seconds: two seconds ahead is more than one second away.
    receiver.respond((_request, response) => {
      const status = receiver.requests.length === 1 ? 429 : 200;
      response.writeHead(status, { 'retry-after': new Date(Date.now() + 2000).toUTCString() }).end();
    });
    const { client } = createTestOutbound({ retryDelay: { initialMs: 1, maxMs: 10_000 } });
    const answer = await client.request(target, { url: receiver.url(), retries: 1 });
    expect(answer.status).toBe(200);
    const [first, second] = receiver.requests;
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(1000);
    client.close();
  });

  it('returns at once when Retry-After asks for longer than the longest wait, for the caller to come back later', async () => {
    receiver.answer(429, 'slow down', { 'retry-after': '3600' });
    const { client } = createTestOutbound({ retryDelay: { initialMs: 1, maxMs: 10_000 } });
    const answer = await client.request(target, { url: receiver.url(), retries: 2 });
    expect({ status: answer.status, retryAfter: answer.headers['retry-after'], attempts: answer.attempts }).toEqual({ status: 429, retryAfter: '3600', attempts: 1 });
    client.close();
  });
});

describe('outbound answers', () => {
  let receiver: TestReceiver;
  beforeEach(async () => {
    receiver = await startTestReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('refuses a body beyond OUTBOUND_MAX_RESPONSE_BYTES, declared or streamed, and does not retry', async () => {
    const { client } = createTestOutbound({ settings: { outboundMaxResponseBytes: 1024 } });
    receiver.answer(200, 'x'.repeat(1025));
    const declared = await failure(client.request(target, { url: receiver.url(), retries: 2 }));
    expect({ reason: declared.reason, attempts: declared.attempts, message: declared.message }).toEqual({
      reason: 'too_large',
      attempts: 1,
      message: "the answer's body exceeds OUTBOUND_MAX_RESPONSE_BYTES (1024 bytes)",
    });
    receiver.respond((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('y'.repeat(1000));
      setImmediate(() => response.end('y'.repeat(100)));
    });
    expect((await failure(client.request(target, { url: receiver.url(), retries: 2 }))).reason).toBe('too_large');
    receiver.answer(200, 'z'.repeat(1024));
    expect((await client.request(target, { url: receiver.url() })).body).toBe('z'.repeat(1024));
    client.close();
  });

  it('does not follow redirects: the 3xx answer is returned', async () => {
    receiver.answer(302, '', { location: receiver.url('/elsewhere') });
    const { client } = createTestOutbound();
    const answer = await client.request(target, { url: receiver.url('/start') });
    expect({ status: answer.status, location: answer.headers.location, attempts: answer.attempts }).toEqual({ status: 302, location: receiver.url('/elsewhere'), attempts: 1 });
    expect(receiver.requests.map((request) => request.url)).toEqual(['/start']);
    client.close();
  });
});
