import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { listBackups } from '../../src/modules/backups/index.js';
import { createSchema, serverUrl } from '../helpers/db.js';
import { cleanupOrcaProcesses, deferCleanup, freePort, runOrca, startOrca, stopOrca, tempDir, waitUntilReady } from '../helpers/orca-process.js';
import { startLocalS3 } from '../helpers/s3-server.js';

/** `orca backup`, `orca backup verify` and `orca restore` as operators run them (docs/backups.md). */

const FLOW_TIMEOUT_MS = 600_000;

afterAll(cleanupOrcaProcesses);

describe('backups of the embedded database, by the running server and the CLI [pglite]', { timeout: FLOW_TIMEOUT_MS }, () => {
  it('the server backs itself up on schedule while serving; the CLI verifies and restores once it stops', async () => {
    const dataDir = tempDir('orca-backup-cli-');
    const env = { ORCA_DATA_DIR: dataDir, BACKUP_INTERVAL: '2s' };
    const server = startOrca(env, await freePort());
    await waitUntilReady(server);
    await server.waitForOutput('backup written', 120_000);
    const adminKey = readFileSync(join(dataDir, 'admin.key'), 'utf8').trim();
    const status = (await (await fetch(`http://127.0.0.1:${server.port}/status`, { headers: { 'x-api-key': adminKey } })).json()) as { backup: Record<string, unknown> };
    expect(status.backup).toMatchObject({ last_outcome: 'success', last_error: null, s3: 'off' });
    // A success is dated by its manifest (the instant it holds), within the attempt.
    expect(Date.parse(String(status.backup.last_success_at))).toBeGreaterThanOrEqual(Date.parse(String(status.backup.last_attempt_at)));
    const metrics = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
    expect(metrics).toContain('orca_backup_last_outcome{outcome="success"} 1');

    // The CLI cannot open the database the server holds: it says why and what to do.
    const beside = await runOrca(['backup'], env);
    expect(beside.code).toBe(1);
    expect(beside.stderr.trim()).toBe(
      `orca backup: ORCA is running on ${dataDir} (pid ${server.child.pid}, http://127.0.0.1:${server.port}) and holds its embedded database: ` +
        'its worker takes the scheduled backups (BACKUP_INTERVAL); to back up now, stop it and run `orca backup` again',
    );
    expect((await stopOrca(server, 60_000)).code).toBe(0);

    const backups = listBackups(join(dataDir, 'backups'));
    expect(backups.length).toBeGreaterThan(0);
    const newest = join(dataDir, 'backups', backups.at(-1)!);
    const verified = await runOrca(['backup', 'verify', newest], env);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(new RegExp(`^backup valid: ${newest} — 1 file\\(s\\) match their SHA-256, pglite, schema version \\d+`));

    // The first start created an admin key: the database holds data, so replacing it takes --yes.
    const refused = await runOrca(['restore', '--latest'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('already holds data: restoring replaces it. Run again with --yes');
    const restored = await runOrca(['restore', '--latest', '--yes', '--json'], env);
    expect(restored.code, restored.stderr).toBe(0);
    expect(JSON.parse(restored.stdout)).toMatchObject({ backup: newest, kind: 'pglite', migrations_applied: [], audit_entries_checked: 1, audit_head_seq: 1 });

    const neither = await runOrca(['restore'], env);
    expect(neither.code).toBe(1);
    expect(neither.stderr.trim()).toBe('orca restore: name the backup: --latest or --file <path> (one of them)');
  });
});

describe.runIf(serverUrl)('backups of a PostgreSQL server with pg_dump, copied to S3 [postgres]', { timeout: FLOW_TIMEOUT_MS }, () => {
  it('writes a custom-format dump, copies it to an S3-compatible bucket, restores it; names a missing pg_dump', async () => {
    const schema = await createSchema(serverUrl!);
    deferCleanup(schema.drop);
    const s3 = await startLocalS3();
    deferCleanup(s3.close);
    const dataDir = tempDir('orca-backup-pg-');
    const env = { ORCA_DATA_DIR: dataDir, DATABASE_URL: schema.url, S3_BUCKET: s3.bucket, S3_ENDPOINT: s3.endpoint, ...s3.credentials };
    expect((await runOrca(['keys', 'create', '--name', 'someone', '--role', 'viewer'], env)).code).toBe(0);

    const backup = await runOrca(['backup', '--json'], env);
    expect(backup.code, backup.stderr).toBe(0);
    const run = JSON.parse(backup.stdout) as { backup: string; manifest: { files: Array<{ name: string; sha256: string }>; row_counts: Record<string, number> }; s3: { status: string; location: string } };
    expect(run.manifest.files.map((file) => file.name)).toEqual(['database.pgdump']);
    expect(run.manifest.row_counts.api_key).toBe(1);
    const name = run.backup.split('/').at(-1)!;
    expect(run.s3).toEqual({ status: 'copied', location: `s3://${s3.bucket}/${name}/` });
    // The copy in the bucket is the same bytes: its manifest is the local one.
    const client = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    const copied = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: `${name}/manifest.json` }));
    expect(await copied.Body!.transformToString()).toBe(readFileSync(join(run.backup, 'manifest.json'), 'utf8'));
    client.destroy();

    const restored = await runOrca(['restore', '--file', join(run.backup, 'manifest.json'), '--yes', '--json'], env);
    expect(restored.code, restored.stderr).toBe(0);
    expect(JSON.parse(restored.stdout)).toMatchObject({ kind: 'postgres', migrations_applied: [], audit_entries_checked: 1 });

    // Without the PostgreSQL client programs on PATH, the error names the one missing.
    const noClient = await runOrca(['backup'], { ...env, PATH: tempDir('orca-empty-path-') });
    expect(noClient.code).toBe(1);
    expect(noClient.stderr).toContain('orca backup: pg_dump was not found on PATH: backing up or restoring a PostgreSQL server needs the PostgreSQL client programs');
  });
});
