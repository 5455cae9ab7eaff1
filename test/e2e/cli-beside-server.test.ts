import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupOrcaProcesses, freePort, runOrca, startOrca, stopOrca, tempDir, waitUntilReady } from '../helpers/orca-process.js';

/**
 * The embedded database belongs to the server that holds its data directory, so `orca keys` run beside
 * `orca start` goes through that server's API with the admin key saved on first start (docs/CLI.md). Before this,
 * every such command failed with "in use by another ORCA process".
 */

const FLOW_TIMEOUT_MS = 600_000;

afterAll(cleanupOrcaProcesses);

interface KeyJson {
  id: string;
  name: string;
  role: string;
  origin: string;
  status: string;
}

describe('orca keys beside a running embedded server [pglite]', { timeout: FLOW_TIMEOUT_MS }, () => {
  it('creates, lists and revokes keys through the running server, and says so', async () => {
    const dataDir = tempDir('orca-beside-');
    const env = { ORCA_DATA_DIR: dataDir };
    const server = startOrca(env, await freePort());
    await waitUntilReady(server);
    const endpointFile = join(dataDir, 'orca.server.json');
    expect(JSON.parse(readFileSync(endpointFile, 'utf8'))).toEqual({ pid: server.child.pid, url: `http://127.0.0.1:${server.port}` });
    const via = `orca keys: via the running ORCA (pid ${server.child.pid}, http://127.0.0.1:${server.port})`;

    const created = await runOrca(['keys', 'create', '--name', 'beside', '--role', 'viewer', '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr.trim()).toBe(via);
    const { key, secret } = JSON.parse(created.stdout) as { key: KeyJson; secret: string };
    // Through the API, so the key's origin is the API's and its creator is the data directory's admin key.
    expect(key).toMatchObject({ name: 'beside', role: 'viewer', origin: 'api', status: 'active' });
    const read = await fetch(`http://127.0.0.1:${server.port}/api/v1/agents`, { headers: { 'x-api-key': secret } });
    expect(read.status).toBe(200);

    const listed = await runOrca(['keys', 'list', '--json'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as KeyJson[]).map((k) => k.name).sort()).toEqual(['beside', 'initial-admin']);
    expect(listed.stdout).not.toContain(secret);

    const revoked = await runOrca(['keys', 'revoke', key.id, '--json'], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ id: key.id, status: 'revoked' });
    expect((await fetch(`http://127.0.0.1:${server.port}/api/v1/agents`, { headers: { 'x-api-key': secret } })).status).toBe(401);

    // A refusal from the server is one line and exit 1: the last admin key cannot be revoked.
    const admins = (JSON.parse((await runOrca(['keys', 'list', '--json'], env)).stdout) as KeyJson[]).filter((k) => k.role === 'admin');
    const last = await runOrca(['keys', 'revoke', admins[0]!.id], env);
    expect(last.code).toBe(1);
    expect(last.stderr).toContain('orca keys: the running ORCA answered 409: this is the last active admin key');

    // Without the admin key file the command cannot act for anyone: it says what to do.
    renameSync(join(dataDir, 'admin.key'), join(dataDir, 'admin.key.moved'));
    const keyless = await runOrca(['keys', 'list'], env);
    expect(keyless.code).toBe(1);
    expect(keyless.stderr).toContain(`is gone: stop the server and run the command again, or call the API with an admin key`);
    renameSync(join(dataDir, 'admin.key.moved'), join(dataDir, 'admin.key'));

    // Stopped, the server removes its endpoint and the CLI opens the database itself again (no "via" line).
    expect(await stopOrca(server, 20_000)).toEqual({ code: 0, signal: null });
    expect(existsSync(endpointFile)).toBe(false);
    const direct = await runOrca(['keys', 'list', '--json'], env);
    expect(direct.code, direct.stderr).toBe(0);
    expect(direct.stderr).not.toContain('via the running ORCA');
    expect((JSON.parse(direct.stdout) as KeyJson[]).find((k) => k.name === 'beside')).toMatchObject({ status: 'revoked' });
  });
});
