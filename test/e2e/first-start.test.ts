import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createSchema, serverUrl } from '../helpers/db.js';
import {
  cleanupOrcaProcesses,
  deferCleanup,
  exitWithin,
  freePort,
  runOrca,
  startOrca,
  stopOrca,
  tempDir,
  waitUntilReady,
  type OrcaProcess,
} from '../helpers/orca-process.js';

/**
 * First start as an operator meets it (docs/SECURITY.md "API keys"): `orca start` on an empty ORCA_DATA_DIR prints
 * one admin key once and writes it to admin.key (0600); a restart prints nothing new. The `orca keys` and
 * `orca audit verify` commands work on the same database. Real processes, run from source through tsx.
 */

// Process starts compile TypeScript on the fly and PGlite runs initdb in WASM: over a minute on a loaded
// 2-core machine. These bound a hang; they measure nothing.
const FLOW_TIMEOUT_MS = 600_000;
const COMMAND_TIMEOUT_MS = 150_000;
const KEY_PATTERN = /orca_[0-9a-f]{12}_[A-Za-z0-9_-]{43}/g;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

afterAll(cleanupOrcaProcesses);

/** SIGTERM and a clean exit: the CLI may only open the PGlite data dir once the server has let go of it. */
async function stopServer(server: OrcaProcess): Promise<void> {
  const outcome = await stopOrca(server, 20_000);
  expect(outcome, server.output()).toEqual({ code: 0, signal: null });
}

async function status(port: number, path: string, key: string, init: RequestInit = {}): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { ...init, headers: { 'x-api-key': key, ...(init.headers ?? {}) } });
  await response.arrayBuffer();
  return response.status;
}

/**
 * The first start's admin key, read from the key file. The tests' stdout is a pipe, not a terminal — what a log
 * collector sees — so the key must not be on it at all: the log says where the key file is instead.
 */
function firstAdminKey(stdout: string, dataDir: string): string {
  const file = join(dataDir, 'admin.key');
  const key = readFileSync(file, 'utf8').trim();
  expect(key).toMatch(new RegExp(`^${KEY_PATTERN.source}$`));
  expect(stdout).not.toContain(key);
  expect(stdout.match(KEY_PATTERN)).toBeNull();
  const lines = stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(lines.filter((line) => line.msg === 'created the first admin API key; it is in key_file')).toEqual([
    expect.objectContaining({ level: 'info', key_file: file, file_mode: '0600' }),
  ]);
  return key;
}

function expectAdminKeyFile(dataDir: string, key: string): void {
  const file = join(dataDir, 'admin.key');
  expect(existsSync(file)).toBe(true);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(readFileSync(file, 'utf8')).toBe(`${key}\n`);
}

interface KeyJson {
  id: string;
  name: string;
  role: string;
  origin: string;
  status: string;
  expires_at: string | null;
}

function expectNoSecrets(text: string, secrets: string[]): void {
  for (const secret of secrets) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(secret.slice(18));
    expect(text).not.toContain(sha256(secret));
  }
  expect(text).not.toMatch(/[0-9a-f]{64}/);
}

async function createAgent(port: number, key: string, name: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/api/v1/agents`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'content-type': 'application/json' },
    body: JSON.stringify({ name, kind: 'llm_agent' }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

describe('first start and key/audit commands [pglite]', { timeout: FLOW_TIMEOUT_MS }, () => {
  it('saves one admin key 0600 and logs where it is, never the key (stdout is not a terminal); the CLI manages keys and verifies the audit chain', async () => {
    const dataDir = tempDir('orca-data-');
    const env = { ORCA_DATA_DIR: dataDir };

    const first = startOrca(env, await freePort());
    await waitUntilReady(first);
    const admin = firstAdminKey(first.stdout(), dataDir);
    expectAdminKeyFile(dataDir, admin);
    const listed = await fetch(`http://127.0.0.1:${first.port}/api/v1/keys`, { headers: { authorization: `Bearer ${admin}` } });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { items: KeyJson[] }).items.map(({ name, role, origin, status: s }) => ({ name, role, origin, status: s }))).toEqual([
      { name: 'initial-admin', role: 'admin', origin: 'bootstrap', status: 'active' },
    ]);
    await createAgent(first.port, admin, 'first-start-agent');
    await stopServer(first);

    // PGlite is single-process: the CLI works on the data dir while no server holds it.
    const startedAt = Date.now();
    const created = await runOrca(['keys', 'create', '--name', 'x', '--role', 'viewer', '--expires', '1d', '--json'], env);
    const exitedAt = Date.now();
    expect(created.code, created.stderr).toBe(0);
    const { key, secret } = JSON.parse(created.stdout) as { key: KeyJson; secret: string };
    expect(secret).toMatch(new RegExp(`^${KEY_PATTERN.source}$`));
    expect(key).toMatchObject({ name: 'x', role: 'viewer', origin: 'cli', status: 'active' });
    // --expires 1d: one day from the moment the command ran.
    expect(Date.parse(key.expires_at!)).toBeGreaterThanOrEqual(startedAt + 86_400_000);
    expect(Date.parse(key.expires_at!)).toBeLessThanOrEqual(exitedAt + 86_400_000);

    const list = await runOrca(['keys', 'list', '--json'], env);
    expect(list.code, list.stderr).toBe(0);
    expectNoSecrets(list.stdout, [admin, secret]);
    const keys = JSON.parse(list.stdout) as KeyJson[];
    expect(keys.map((k) => k.name).sort()).toEqual(['initial-admin', 'x']);

    const second = startOrca(env, await freePort());
    await waitUntilReady(second);
    expect(second.stdout().match(KEY_PATTERN)).toBeNull();
    expect(second.stdout()).not.toContain('created the first admin API key');
    expectAdminKeyFile(dataDir, admin);
    expect(await status(second.port, '/api/v1/keys', admin)).toBe(200);
    expect(await status(second.port, '/api/v1/agents', secret)).toBe(200);
    expect(await status(second.port, '/api/v1/keys', secret)).toBe(403);
    await stopServer(second);

    const revoked = await runOrca(['keys', 'revoke', key.id], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toBe(`revoked key ${key.id} ("x")\n`);
    const again = await runOrca(['keys', 'revoke', key.id], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`api key ${key.id} is already revoked`);
    const afterRevoke = JSON.parse((await runOrca(['keys', 'list', '--json'], env)).stdout) as KeyJson[];
    expect(afterRevoke.find((k) => k.id === key.id)?.status).toBe('revoked');

    const clean = await runOrca(['audit', 'verify'], env);
    expect(clean.code, clean.stderr).toBe(0);
    // bootstrap admin, agent create, CLI key create, CLI key revoke.
    expect(clean.stdout).toMatch(/^audit chain valid: 4 entries, head 4 [0-9a-f]{64}\n$/);

    const db = new PGlite(join(dataDir, 'pgdata'));
    try {
      await db.query(`update audit_entry set after = jsonb_set(after, '{name}', '"forged"') where seq = 2`);
    } finally {
      await db.close();
    }
    const tampered = await runOrca(['audit', 'verify', '--json'], env);
    expect(tampered.code).toBe(1);
    const report = JSON.parse(tampered.stdout) as { valid: boolean; problems: Array<{ seq: number; problem: string }> };
    expect(report.valid).toBe(false);
    expect(report.problems.map(({ seq, problem }) => ({ seq, problem }))).toEqual([{ seq: 2, problem: 'hash_mismatch' }]);
    const text = await runOrca(['audit', 'verify'], env);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('audit chain BROKEN (4 entries checked):');
    expect(text.stdout).toContain('seq 2: hash_mismatch');
  });

  it('refuses to start with an API_KEYS secret under 24 characters, naming API_KEYS and not echoing it', async () => {
    const short = 'short-secret-23-chars-xx'.slice(0, 23);
    const server = startOrca({ ORCA_DATA_DIR: tempDir('orca-data-'), API_KEYS: `ci:viewer:${short}` }, await freePort());
    const outcome = await exitWithin(server, COMMAND_TIMEOUT_MS);
    expect(outcome).toEqual({ code: 1, signal: null });
    expect(server.output()).toContain('API_KEYS: the secret of "ci" must be at least 24 characters');
    expect(server.output()).not.toContain(short);
    expect(server.output().match(KEY_PATTERN)).toBeNull();
  });
});

describe.skipIf(!serverUrl)(
  serverUrl ? 'first start and key/audit commands [postgres]' : 'first start and key/audit commands [postgres; skipped: ORCA_TEST_DATABASE_URL is unset]',
  { timeout: FLOW_TIMEOUT_MS },
  () => {
    it('a key made by `orca keys create` works against a running server on the same schema, and `orca keys revoke` stops it', async () => {
      const schema = await createSchema(serverUrl as string);
      deferCleanup(schema.drop);
      const dataDir = tempDir('orca-data-');
      const env = { DATABASE_URL: schema.url, ORCA_DATA_DIR: dataDir };

      const server = startOrca(env, await freePort());
      await waitUntilReady(server);
      const admin = firstAdminKey(server.stdout(), dataDir);
      expectAdminKeyFile(dataDir, admin);
      expect(await status(server.port, '/api/v1/keys', admin)).toBe(200);
      await createAgent(server.port, admin, 'pg-first-start-agent');

      const created = await runOrca(['keys', 'create', '--name', 'x', '--role', 'viewer', '--expires', '1d', '--json'], env);
      expect(created.code, created.stderr).toBe(0);
      const { key, secret } = JSON.parse(created.stdout) as { key: KeyJson; secret: string };
      expect(key).toMatchObject({ name: 'x', role: 'viewer', origin: 'cli', status: 'active' });
      expect(await status(server.port, '/api/v1/agents', secret)).toBe(200);
      expect(await status(server.port, '/api/v1/agents', secret, { headers: { authorization: `Bearer ${secret}` } })).toBe(200);
      expect(await status(server.port, '/api/v1/keys', secret)).toBe(403);

      const list = await runOrca(['keys', 'list', '--json'], env);
      expect(list.code, list.stderr).toBe(0);
      expectNoSecrets(list.stdout, [admin, secret]);
      expect((JSON.parse(list.stdout) as KeyJson[]).map((k) => k.name).sort()).toEqual(['initial-admin', 'x']);

      const revoked = await runOrca(['keys', 'revoke', key.id], env);
      expect(revoked.code, revoked.stderr).toBe(0);
      const revokedAt = performance.now();
      // The server cached the key; the revocation reaches it within 1 s (the CLI process needed time to exit too).
      let refusedAfter: number | undefined;
      while (performance.now() - revokedAt < 3000) {
        if ((await status(server.port, '/api/v1/agents', secret)) === 401) {
          refusedAfter = performance.now() - revokedAt;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(refusedAfter, 'the server still accepted the key 3 s after `orca keys revoke` exited').toBeDefined();
      expect(refusedAfter!).toBeLessThan(1500);

      const clean = await runOrca(['audit', 'verify'], env);
      expect(clean.code, clean.stderr).toBe(0);
      expect(clean.stdout).toMatch(/^audit chain valid: 4 entries, head 4 [0-9a-f]{64}\n$/);

      await stopServer(server);
      const restarted = startOrca(env, await freePort());
      await waitUntilReady(restarted);
      expect(restarted.stdout().match(KEY_PATTERN)).toBeNull();
      expectAdminKeyFile(dataDir, admin);
      expect(await status(restarted.port, '/api/v1/keys', admin)).toBe(200);
      expect(await status(restarted.port, '/api/v1/agents', secret)).toBe(401);
      await stopServer(restarted);

      const client = new pg.Client({ connectionString: schema.url });
      await client.connect();
      try {
        await client.query('delete from audit_entry where seq = 3');
      } finally {
        await client.end();
      }
      const tampered = await runOrca(['audit', 'verify', '--json'], env);
      expect(tampered.code).toBe(1);
      const report = JSON.parse(tampered.stdout) as { valid: boolean; problems: Array<{ seq: number; problem: string }> };
      expect(report.valid).toBe(false);
      expect(report.problems.map(({ seq, problem }) => ({ seq, problem }))).toEqual([
        { seq: 4, problem: 'missing_entries' },
        { seq: 4, problem: 'prev_hash_mismatch' },
      ]);
    });
  },
);
