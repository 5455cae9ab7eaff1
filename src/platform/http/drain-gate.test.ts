import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { installErrorHandlers } from './error-handler.js';
import { DRAINING_RETRY_AFTER_SECONDS, installDrainGate } from './drain-gate.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((settle) => (resolve = settle));
  return { promise, resolve };
}

describe('drain gate', () => {
  it('answers a request that arrives while the server drains with 503 unavailable, Retry-After and Connection: close', async () => {
    const app = Fastify({ return503OnClosing: false });
    installErrorHandlers(app);
    installDrainGate(app);
    const slowEntered = deferred();
    const releaseSlow = deferred();
    const drainingBegan = deferred();
    app.get('/slow', async () => {
      slowEntered.resolve();
      await releaseSlow.promise;
      return { slow: true };
    });
    app.get('/work', async () => ({ ok: true }));
    // Runs after the gate's own preClose hook: from here on the server drains.
    app.addHook('preClose', (done) => {
      drainingBegan.resolve();
      done();
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;

    // A keep-alive connection busy with a slow request when draining begins, then a second request pipelined on it:
    // the case Fastify's server.close() cannot refuse at the socket.
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write('GET /slow HTTP/1.1\r\nHost: orca\r\n\r\n');
    await slowEntered.promise;
    const closed = app.close();
    await drainingBegan.promise;
    socket.write('GET /work HTTP/1.1\r\nHost: orca\r\n\r\n');
    releaseSlow.resolve();
    await ended;
    await closed;

    const text = Buffer.concat(received).toString('utf8');
    const second = text.slice(text.indexOf('HTTP/1.1', 1));
    expect(text.startsWith('HTTP/1.1 200')).toBe(true);
    expect(second.startsWith('HTTP/1.1 503')).toBe(true);
    const [head, body] = second.split('\r\n\r\n') as [string, string];
    const headers = Object.fromEntries(head.split('\r\n').slice(1).map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
    expect(headers['retry-after']).toBe(String(DRAINING_RETRY_AFTER_SECONDS));
    expect(headers.connection).toBe('close');
    expect(headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(body)).toMatchObject({ type: 'urn:orca:problem:unavailable', status: 503, detail: 'the server is shutting down; retry on another replica' });
  });
});
