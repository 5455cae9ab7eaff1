import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createSchema, serverUrl } from '../helpers/db.js';
import { cleanupOrcaProcesses, deferCleanup, exitWithin, freePort, startOrca, tempDir, waitUntilReady } from '../helpers/orca-process.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

/**
 * Graceful shutdown of a real `orca start` process (from source through tsx, since dist/ may be stale): on SIGTERM
 * it stops accepting connections, lets in-flight requests finish, closes the database and exits 0 (docs/OPERATIONS.md
 * "Shutdown": HTTP first, then background work, then the database). And the embedded database refuses a second
 * process on the same data dir.
 */

// Process starts (TypeScript compiled on the fly, PGlite initdb in WASM) take over a minute on a loaded
// 2-core machine. These bound a hang; they measure nothing.
const PROCESS_TEST_TIMEOUT_MS = 300_000;
const SHUTDOWN_BOUND_MS = 10_000;

afterAll(cleanupOrcaProcesses);

function within<T>(promise: Promise<T>, timeoutMs: number, failure: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(failure)), timeoutMs)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Opens a fresh TCP connection: 'refused' when nothing listens any more. */
function probeConnection(port: number): Promise<'accepted' | 'refused'> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNREFUSED' ? resolve('refused') : reject(error)));
  });
}

function get(port: number, path: string, headers: Record<string, string>, agent: http.Agent | false): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path, headers, agent }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

describe.skipIf(!serverUrl)(
  serverUrl
    ? 'graceful shutdown [postgres through a TCP proxy]'
    : 'graceful shutdown [skipped: ORCA_TEST_DATABASE_URL is unset; the slow request is made by delaying PostgreSQL traffic]',
  { timeout: PROCESS_TEST_TIMEOUT_MS },
  () => {
    let proxy: TcpProxy | undefined;
    afterAll(async () => {
      await proxy?.close();
    });

    it('SIGTERM lets an in-flight request finish with 200, refuses new connections, and exits 0', async () => {
      /*
       * How the request is made slow without adding a route to the product: ORCA reaches PostgreSQL through a TCP
       * proxy in this test. `hold(agent.id)` makes the proxy queue (not drop) the bytes of the connection that sends
       * the agent's id — the query of the read below, whose parameters travel as text — so that request is genuinely
       * in flight, its handler awaiting the database, until `release()`; other database traffic flows normally.
       * `whenHeld()` tells us the query has left ORCA, so no timing guess is involved anywhere.
       */
      const schema = await createSchema(serverUrl as string);
      deferCleanup(schema.drop);
      proxy = await startTcpProxy({ host: new URL(serverUrl as string).hostname, port: Number(new URL(serverUrl as string).port || 5432) });
      const secret = randomBytes(24).toString('hex');
      const auth = { 'x-api-key': secret };
      const orca = startOrca(
        {
          DATABASE_URL: proxy.urlFor(schema.url),
          ORCA_DATA_DIR: tempDir('orca-data-'),
          API_KEYS: `e2e-shutdown:operator:${secret}`,
          // Behind a load balancer the keep-alive timeout must exceed the balancer's idle timeout (60 s on AWS ALB),
          // i.e. it is longer than SHUTDOWN_TIMEOUT: draining must not wait for it.
          KEEP_ALIVE_TIMEOUT: '75s',
        },
        await freePort(),
      );
      await waitUntilReady(orca);
      const created = await fetch(`http://127.0.0.1:${orca.port}/api/v1/agents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ name: 'in-flight', kind: 'function' }),
      });
      expect(created.status).toBe(201);
      const agent = (await created.json()) as { id: string };

      // A keep-alive client, as a load balancer would use: the draining server must still close this connection.
      const keepAlive = new http.Agent({ keepAlive: true });
      proxy.hold(agent.id);
      let settled = false;
      const inFlight = get(orca.port, `/api/v1/agents/${agent.id}`, auth, keepAlive).finally(() => (settled = true));
      await within(proxy.whenHeld(), 30_000, 'the agent read never reached the proxy');

      orca.child.kill('SIGTERM');
      const signalledAt = performance.now();
      await orca.waitForOutput('shutting down');

      // New connections are refused while the in-flight request is still waiting for the database (bounded poll:
      // the listener closes a few ticks after the signal handler runs).
      let refused = false;
      for (let attempt = 0; attempt < 200 && !refused; attempt += 1) {
        refused = (await probeConnection(orca.port)) === 'refused';
        if (!refused) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(refused).toBe(true);
      await expect(get(orca.port, '/livez', {}, false)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      expect(settled).toBe(false);

      proxy.release();
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toEqual(agent);

      const exit = await exitWithin(orca, SHUTDOWN_BOUND_MS + 5000);
      expect(exit, orca.output()).toEqual({ code: 0, signal: null });
      expect(performance.now() - signalledAt).toBeLessThan(SHUTDOWN_BOUND_MS);
      expect(orca.output()).toContain('shutdown complete');
      keepAlive.destroy();
    });
  },
);

describe('embedded database lock [pglite]', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('a second process on the same ORCA_DATA_DIR fails to start, naming the pid of the first; the first keeps serving', async () => {
    const dataDir = tempDir('orca-data-');
    const first = startOrca({ ORCA_DATA_DIR: dataDir }, await freePort());
    await waitUntilReady(first);

    const second = startOrca({ ORCA_DATA_DIR: dataDir }, await freePort());
    const outcome = await exitWithin(second, 150_000);
    expect(outcome.code).not.toBe(0);
    expect(outcome.code).not.toBeNull();
    expect(second.output()).toContain(`pid ${first.child.pid}`);
    expect(second.output()).toMatch(/in use by another ORCA process/);

    // The refused process must not have taken or removed the first one's lock, nor disturbed its database.
    const ready = await fetch(`http://127.0.0.1:${first.port}/readyz`);
    expect(ready.status).toBe(200);
    const third = startOrca({ ORCA_DATA_DIR: dataDir }, await freePort());
    expect((await exitWithin(third, 150_000)).code).not.toBe(0);
    expect(third.output()).toContain(`pid ${first.child.pid}`);

    first.child.kill('SIGTERM');
    expect(await exitWithin(first, SHUTDOWN_BOUND_MS + 5000)).toEqual({ code: 0, signal: null });
  });
});
