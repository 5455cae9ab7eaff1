import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSchema, serverUrl } from '../helpers/db.js';
import { cleanupOrcaProcesses, deferCleanup, runOrca, tempDir } from '../helpers/orca-process.js';

/** `orca evidence` as an operator runs it (docs/evidence.md, docs/CLI.md). */

const FLOW_TIMEOUT_MS = 600_000;

afterAll(cleanupOrcaProcesses);

describe('orca evidence refuses bad options before touching the database', { timeout: FLOW_TIMEOUT_MS }, () => {
  it('names the option that is wrong, and an --out that exists, with exit code 1', async () => {
    const dir = tempDir('orca-evidence-cli-');
    const env = { ORCA_DATA_DIR: dir };
    const badTime = await runOrca(['evidence', '--from', '2026-13-01', '--to', '2026-02-01', '--out', join(dir, 'a.tar.gz')], env);
    expect(badTime.code).toBe(1);
    expect(badTime.stderr.trim()).toBe('orca evidence: --from must be an RFC 3339 time (2026-01-01T00:00:00Z) or a date (2026-01-01, midnight UTC), not "2026-13-01"');
    const existing = join(dir, 'exists.tar.gz');
    writeFileSync(existing, 'keep me');
    const refused = await runOrca(['evidence', '--from', '2026-01-01', '--to', '2026-02-01', '--out', existing], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(`orca evidence: ${existing} exists: choose another --out or remove it`);
    expect(readFileSync(existing, 'utf8')).toBe('keep me');
  });
});

describe.runIf(serverUrl)('orca evidence on a PostgreSQL server [postgres]', { timeout: FLOW_TIMEOUT_MS }, () => {
  it('writes an archive that verifies with sha256sum -c, prints its digest, and refuses a reversed period', async () => {
    const schema = await createSchema(serverUrl!);
    deferCleanup(schema.drop);
    const dir = tempDir('orca-evidence-pg-');
    const env = { ORCA_DATA_DIR: dir, DATABASE_URL: schema.url };
    const from = new Date(Date.now() - 3_600_000).toISOString();
    expect((await runOrca(['keys', 'create', '--name', 'auditor', '--role', 'viewer'], env)).code).toBe(0);
    const to = new Date().toISOString();

    const out = join(dir, 'pack.tar.gz');
    const written = await runOrca(['evidence', '--from', from, '--to', to, '--out', out, '--json'], env);
    expect(written.code, written.stderr).toBe(0);
    const result = JSON.parse(written.stdout) as { file: string; bytes: number; sha256: string; from: string; to: string };
    const archive = readFileSync(out);
    expect(result).toEqual({ file: out, bytes: archive.length, sha256: createHash('sha256').update(archive).digest('hex'), from, to });
    expect(readdirSync(dir).filter((name) => name.endsWith('.partial'))).toEqual([]);

    const extracted = tempDir('orca-evidence-pg-x-');
    expect(spawnSync('tar', ['-xzf', out, '-C', extracted]).status).toBe(0);
    const [root] = readdirSync(extracted);
    const check = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: join(extracted, root!), encoding: 'utf8' });
    expect(check.status, check.stdout).toBe(0);
    const audit = readFileSync(join(extracted, root!, 'audit-log.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { action: string; actor: string });
    expect(audit).toContainEqual(expect.objectContaining({ action: 'key.create', actor: expect.stringMatching(/^cli:/) }));

    const reversed = await runOrca(['evidence', '--from', to, '--to', from, '--out', join(dir, 'reversed.tar.gz')], env);
    expect(reversed.code).toBe(1);
    expect(reversed.stderr.trim()).toBe(`orca evidence: from (${to}) must be before to (${from})`);
  });
});
