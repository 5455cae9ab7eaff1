import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createSchema, serverUrl } from '../helpers/db.js';
import { cleanupOrcaProcesses, deferCleanup, freePort, startOrca, stopOrca, tempDir, waitUntilReady, type OrcaProcess } from '../helpers/orca-process.js';

/**
 * Data survives a process restart: `orca start` as a real child process (from source through tsx, since dist/
 * may be stale), SIGTERM, clean exit, start again on the same data, read back what was written.
 */

// Two process starts (TypeScript compiled on the fly, PGlite initdb in WASM) take over a minute on a loaded
// 2-core machine. These bound a hang; they measure nothing.
const PROCESS_TEST_TIMEOUT_MS = 300_000;
const SHUTDOWN_BOUND_MS = 10_000;

afterAll(cleanupOrcaProcesses);

async function expectCleanShutdown(orca: OrcaProcess): Promise<void> {
  const started = performance.now();
  const { code, signal } = await stopOrca(orca, SHUTDOWN_BOUND_MS + 5000);
  const elapsedMs = performance.now() - started;
  expect({ code, signal }, orca.output()).toEqual({ code: 0, signal: null });
  expect(elapsedMs).toBeLessThan(SHUTDOWN_BOUND_MS);
  expect(orca.output()).toContain('shutdown complete');
}

async function restartFlow(settings: Record<string, string>): Promise<void> {
  // A bootstrap key from API_KEYS (docs/SECURITY.md "API keys"), the same on both starts: it is what an operator's deploy would pass.
  const secret = randomBytes(24).toString('hex');
  const env = { ...settings, API_KEYS: `e2e-restart:operator:${secret}` };
  const auth = { 'x-api-key': secret };
  const port = await freePort();
  const first = startOrca(env, port);
  await waitUntilReady(first);
  const created = await fetch(`http://127.0.0.1:${port}/api/v1/agents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify({
      name: 'survives-restart',
      kind: 'mcp_server',
      source: 'mcp',
      external_id: 'restart-1',
      owner: 'platform-team',
      tags: ['restart', 'e2e'],
      tools: [{ name: 'search', description: 'finds things' }],
      metadata: { note: 'written before SIGTERM' },
    }),
  });
  expect(created.status).toBe(201);
  const agent = (await created.json()) as { id: string };
  await expectCleanShutdown(first);

  // Same data dir (and same DATABASE_URL when set); a fresh port because the old one may linger in TIME_WAIT.
  const second = startOrca(env, await freePort());
  await waitUntilReady(second);
  const read = await fetch(`http://127.0.0.1:${second.port}/api/v1/agents/${agent.id}`, { headers: auth });
  expect(read.status).toBe(200);
  expect(await read.json()).toEqual(agent);
  await expectCleanShutdown(second);
}

describe('restart keeps the data [pglite]', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('an agent written before SIGTERM is read back, unchanged, after starting again on the same ORCA_DATA_DIR', async () => {
    await restartFlow({ ORCA_DATA_DIR: tempDir('orca-data-') });
  });
});

describe.skipIf(!serverUrl)(
  serverUrl ? 'restart keeps the data [postgres]' : 'restart keeps the data [postgres; skipped: ORCA_TEST_DATABASE_URL is unset]',
  { timeout: PROCESS_TEST_TIMEOUT_MS },
  () => {
    it('an agent written before SIGTERM is read back, unchanged, after starting again on the same DATABASE_URL', async () => {
      const schema = await createSchema(serverUrl as string);
      deferCleanup(schema.drop);
      await restartFlow({ DATABASE_URL: schema.url, ORCA_DATA_DIR: tempDir('orca-data-') });
    });
  },
);
