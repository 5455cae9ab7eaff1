import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupOrcaProcesses, deferCleanup, freePort, runOrca, startOrca, stopOrca, tempDir, waitUntilReady } from '../helpers/orca-process.js';
import { startFakeN8n, workflow } from '../http/discovery/fakes/n8n.js';

/** `orca discover` as an operator runs it (docs/discovery.md): beside a running server, and on its own. */

const FLOW_TIMEOUT_MS = 600_000;
// secretlint-disable-next-line @secretlint/secretlint-rule-preset-recommend -- a made-up key for the local fake n8n
const API_KEY = 'n8n_api_cli_0ddba11';

afterAll(cleanupOrcaProcesses);

interface CliRun {
  status: string;
  found: number;
  new: number;
  unchanged: number;
  trigger: string;
}

describe('orca discover [pglite]', { timeout: FLOW_TIMEOUT_MS }, () => {
  it('asks the running server, then runs in its own process once the server stopped; exits 1 for an unknown source', async () => {
    const n8n = await startFakeN8n({ apiKey: API_KEY, workflows: [workflow('a', { ai: true }), workflow('b'), workflow('c')] });
    deferCleanup(n8n.close);
    const dataDir = tempDir('orca-discover-cli-');
    const env = { ORCA_DATA_DIR: dataDir, OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8' };
    const server = startOrca(env, await freePort());
    await waitUntilReady(server);
    const adminKey = readFileSync(join(dataDir, 'admin.key'), 'utf8').trim();
    const created = await fetch(`http://127.0.0.1:${server.port}/api/v1/discovery/sources`, {
      method: 'POST',
      headers: { 'x-api-key': adminKey, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'n8n', name: 'n8n-cli', config: { url: n8n.url }, credentials: { api_key: API_KEY } }),
    });
    expect(created.status).toBe(201);
    const sourceId = ((await created.json()) as { id: string }).id;

    const beside = await runOrca(['discover', '--json'], env);
    expect(beside.code, beside.stderr).toBe(0);
    expect(JSON.parse(beside.stdout) as CliRun[]).toEqual([expect.objectContaining({ status: 'succeeded', found: 3, new: 3, trigger: 'api' })]);
    expect((await stopOrca(server, 60_000)).code).toBe(0);

    n8n.workflows = [...n8n.workflows, workflow('d')];
    const alone = await runOrca(['discover', '--source', sourceId], env);
    expect(alone.code, alone.stderr).toBe(0);
    // Not a terminal: no progress line, only the outcome.
    expect(alone.stderr).toContain('n8n-cli (n8n): succeeded — 4 found, 1 new, 0 linked, 0 changed, 3 unchanged, 0 missing\n');

    const unknown = await runOrca(['discover', '--source', '0190d5b4-0000-7000-8000-000000000000'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe('orca discover: discovery source 0190d5b4-0000-7000-8000-000000000000 was not found');
  });
});
