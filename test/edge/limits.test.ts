import { once } from 'node:events';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { pgliteTarget } from '../helpers/db.js';

/**
 * Connection and size limits, tested the way an attacker meets them: a real server on an ephemeral port and raw
 * TCP sockets (docs/SECURITY.md "Limits"). Nothing here goes through `inject`, because these limits live in
 * Node's HTTP parser and socket timers, which `inject` bypasses.
 */

// Long enough that a normal request on another connection is served while the slow client still hangs on, even on
// a loaded 2-core CI machine; short enough to keep the test quick.
const HEADERS_TIMEOUT_MS = 3000;
const KEEP_ALIVE_TIMEOUT_MS = 1000;
const BODY_LIMIT_BYTES = 4096;
// MAX_HEADER_SIZE is left at its documented default.
const MAX_HEADER_SIZE_BYTES = 16 * 1024;
// Node 20.20 keeps an idle socket KEEP_ALIVE_TIMEOUT + 1 s (HTTP_SERVER_KEEP_ALIVE_TIMEOUT_BUFFER), so that a
// client reusing the connection just as the advertised timeout expires does not race the close.
const NODE_KEEP_ALIVE_BUFFER_MS = 1000;
// Scheduling slack for a loaded CI machine; the bounds below are behavioural, not benchmarks.
const SLACK_MS = 2000;

interface RawResponse {
  status: number;
  reason: string;
  headers: Record<string, string>;
  body: string;
}

/** Reads HTTP/1.1 responses off a raw socket, one at a time, in the order they arrive. */
function responseReader(socket: net.Socket) {
  let buffer = Buffer.alloc(0);
  let closed = false;
  let wake: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    wake?.();
  });
  socket.on('close', () => {
    closed = true;
    wake?.();
  });

  function parse(): RawResponse | undefined {
    const end = buffer.indexOf('\r\n\r\n');
    if (end === -1) return undefined;
    const [statusLine, ...lines] = buffer.subarray(0, end).toString('latin1').split('\r\n');
    const match = /^HTTP\/1\.1 (\d{3}) (.*)$/.exec(statusLine ?? '');
    if (!match) throw new Error(`not an HTTP/1.1 status line: ${statusLine}`);
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    if (headers['content-length'] === undefined) throw new Error(`response without Content-Length: ${statusLine}`);
    const length = Number(headers['content-length']);
    if (buffer.length < end + 4 + length) return undefined;
    const body = buffer.subarray(end + 4, end + 4 + length).toString('utf8');
    buffer = buffer.subarray(end + 4 + length);
    return { status: Number(match[1]), reason: match[2]!, headers, body };
  }

  return {
    async next(): Promise<RawResponse> {
      for (;;) {
        const response = parse();
        if (response) return response;
        if (closed) throw new Error(`connection closed before a complete response (received ${JSON.stringify(buffer.toString('latin1').slice(0, 200))})`);
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    },
    /** Everything received and not yet read as a response. */
    rest: () => buffer.toString('latin1'),
  };
}

describe('connection and size limits (real sockets)', () => {
  let testApp: TestApp;
  let port: number;
  const sockets = new Set<net.Socket>();

  beforeAll(async () => {
    testApp = await createTestApp(pgliteTarget, {
      HEADERS_TIMEOUT: `${HEADERS_TIMEOUT_MS}ms`,
      KEEP_ALIVE_TIMEOUT: `${KEEP_ALIVE_TIMEOUT_MS}ms`,
      BODY_LIMIT: `${BODY_LIMIT_BYTES}`,
    });
    await testApp.app.listen({ port: 0, host: '127.0.0.1' });
    port = (testApp.app.server.address() as net.AddressInfo).port;
  });

  afterEach(() => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  });

  afterAll(async () => {
    await testApp?.close();
  });

  async function connect(): Promise<{ socket: net.Socket; reader: ReturnType<typeof responseReader>; closed: Promise<number> }> {
    const socket = net.connect(port, '127.0.0.1');
    sockets.add(socket);
    // Resets by the server are part of what is tested; they must not surface as unhandled errors.
    socket.on('error', () => {});
    const reader = responseReader(socket);
    const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now())));
    await once(socket, 'connect');
    return { socket, reader, closed };
  }

  /** One request on its own connection, which the server is asked to close afterwards. */
  async function exchange(raw: string | Buffer): Promise<RawResponse> {
    const { socket, reader } = await connect();
    socket.write(raw);
    return reader.next();
  }

  it('disconnects a slow-loris client that never finishes its headers, while serving others meanwhile', async () => {
    const slow = await connect();
    const started = performance.now();
    slow.socket.write('GET /livez HTTP/1.1\r\nHost: orca.test\r\nX-Slow: ');
    let dripped = 0;
    let onThirdByte: () => void = () => {};
    const thirdByte = new Promise<void>((resolve) => (onThirdByte = resolve));
    // The deliberate drip: one header byte every 200 ms, so the connection is never idle.
    const drip = setInterval(() => {
      if (slow.socket.destroyed) return;
      slow.socket.write('a');
      dripped += 1;
      if (dripped === 3) onThirdByte();
    }, 200);
    try {
      await thirdByte;
      // A normal client on another connection is served while the slow one is still hanging on.
      const normal = await exchange('GET /livez HTTP/1.1\r\nHost: orca.test\r\nConnection: close\r\n\r\n');
      expect(normal.status).toBe(200);
      expect(JSON.parse(normal.body)).toEqual({ status: 'ok' });
      expect(slow.socket.destroyed).toBe(false);

      const closedAt = await slow.closed;
      const elapsed = closedAt - started;
      expect(elapsed).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
      expect(elapsed).toBeLessThan(HEADERS_TIMEOUT_MS + SLACK_MS);
      // It was cut off while still sending, not for being idle.
      expect(dripped).toBeGreaterThanOrEqual(4);
      // Node may answer 408 before closing; it must never have served the request.
      const received = slow.reader.rest();
      if (received !== '') expect(received).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      clearInterval(drip);
    }
    // And the server is still healthy afterwards.
    expect((await exchange('GET /livez HTTP/1.1\r\nHost: orca.test\r\nConnection: close\r\n\r\n')).status).toBe(200);
  });

  it('answers 431 to a header block over MAX_HEADER_SIZE (16 KiB) and serves one just under it', async () => {
    const under = await exchange(`GET /livez HTTP/1.1\r\nHost: orca.test\r\nX-Padding: ${'a'.repeat(MAX_HEADER_SIZE_BYTES - 1024)}\r\nConnection: close\r\n\r\n`);
    expect(under.status).toBe(200);

    const oneHeader = await exchange(`GET /livez HTTP/1.1\r\nHost: orca.test\r\nX-Padding: ${'a'.repeat(MAX_HEADER_SIZE_BYTES + 1024)}\r\n\r\n`);
    expect(oneHeader.status).toBe(431);
    expect(oneHeader.reason).toBe('Request Header Fields Too Large');
    // Answered before Fastify sees a request, yet still problem+json with a correlation id and nosniff.
    expect(oneHeader.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(oneHeader.headers['x-content-type-options']).toBe('nosniff');
    expect(JSON.parse(oneHeader.body)).toMatchObject({
      type: 'urn:orca:problem:bad_request',
      status: 431,
      detail: 'the request headers are larger than this server accepts',
      correlation_id: oneHeader.headers['x-correlation-id'],
    });

    const manyHeaders = Array.from({ length: 100 }, (_, index) => `X-Padding-${index}: ${'b'.repeat(200)}\r\n`).join('');
    const many = await exchange(`GET /status HTTP/1.1\r\nHost: orca.test\r\n${manyHeaders}\r\n`);
    expect(many.status).toBe(431);
  });

  describe('request bodies (BODY_LIMIT=4096)', () => {
    const agentBody = (size: number) => {
      // `prompt` takes up to 200 000 characters, so it can pad a body to any size around the limit.
      const base = { name: `limits-${Math.random().toString(36).slice(2)}`, kind: 'mcp_server', prompt: '' };
      const body = { ...base, prompt: 'p'.repeat(size - JSON.stringify(base).length) };
      const text = JSON.stringify(body);
      expect(Buffer.byteLength(text)).toBe(size);
      return text;
    };
    const post = (headers: string, body: string) =>
      exchange(`POST /api/v1/agents HTTP/1.1\r\nHost: orca.test\r\nX-API-Key: ${testApp.keys.operator}\r\nContent-Type: application/json\r\nConnection: close\r\n${headers}\r\n${body}`);

    function expectPayloadTooLarge(response: RawResponse): void {
      expect(response.status).toBe(413);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(JSON.parse(response.body)).toEqual({
        type: 'urn:orca:problem:payload_too_large',
        title: 'Payload Too Large',
        status: 413,
        detail: 'the request body is larger than this route accepts',
        instance: '/api/v1/agents',
        correlation_id: response.headers['x-correlation-id'],
      });
    }

    it('accepts a body of exactly BODY_LIMIT bytes', async () => {
      const body = agentBody(BODY_LIMIT_BYTES);
      const response = await post(`Content-Length: ${BODY_LIMIT_BYTES}\r\n`, body);
      expect(response.status, response.body).toBe(201);
    });

    it('answers 413 problem+json to a body one byte over BODY_LIMIT', async () => {
      const body = agentBody(BODY_LIMIT_BYTES + 1);
      expectPayloadTooLarge(await post(`Content-Length: ${BODY_LIMIT_BYTES + 1}\r\n`, body));
    });

    it('answers 413 problem+json to an oversized chunked body (no Content-Length to check up front)', async () => {
      const body = agentBody(BODY_LIMIT_BYTES * 2);
      const chunks = [body.slice(0, 3000), body.slice(3000)].map((chunk) => `${Buffer.byteLength(chunk).toString(16)}\r\n${chunk}\r\n`).join('');
      expectPayloadTooLarge(await post('Transfer-Encoding: chunked\r\n', `${chunks}0\r\n\r\n`));
    });

    it('answers 413 to a Content-Length over the limit without waiting for the body', async () => {
      // Only the headers are sent: a server that waited for 10 MB before refusing would never answer.
      const { socket, reader } = await connect();
      socket.write(`POST /api/v1/agents HTTP/1.1\r\nHost: orca.test\r\nX-API-Key: ${testApp.keys.operator}\r\nContent-Type: application/json\r\nContent-Length: 10485760\r\n\r\n{"name":`);
      expectPayloadTooLarge(await reader.next());
    });
  });

  it('keeps an idle keep-alive connection for KEEP_ALIVE_TIMEOUT, then closes it', async () => {
    const { socket, reader, closed } = await connect();
    socket.write('GET /livez HTTP/1.1\r\nHost: orca.test\r\n\r\n');
    const first = await reader.next();
    expect(first.status).toBe(200);
    expect(first.headers.connection).toBe('keep-alive');
    expect(first.headers['keep-alive']).toBe(`timeout=${KEEP_ALIVE_TIMEOUT_MS / 1000}`);
    // The connection is reusable while it is fresh.
    socket.write('GET /livez HTTP/1.1\r\nHost: orca.test\r\n\r\n');
    expect((await reader.next()).status).toBe(200);
    const idleFrom = performance.now();

    const idle = (await closed) - idleFrom;
    expect(idle).toBeGreaterThanOrEqual(KEEP_ALIVE_TIMEOUT_MS - 50);
    expect(idle).toBeLessThan(KEEP_ALIVE_TIMEOUT_MS + NODE_KEEP_ALIVE_BUFFER_MS + SLACK_MS);
    expect(reader.rest()).toBe('');
  });
});
