import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBackupStatus } from '../../src/modules/backups/backup-status.js';
import { createSchema, serverUrl } from '../helpers/db.js';
import { chmodStopsWrites, listenOnLoopback, seedReceivers, type CheckJson, type DoctorJson } from '../helpers/doctor.js';
import { cleanupOrcaProcesses, deferCleanup, freePort, runOrca, startOrca, stopOrca, tempDir, waitUntilReady } from '../helpers/orca-process.js';

/**
 * `orca doctor`'s checks beyond readiness, as an operator meets them (docs/CLI.md "orca doctor"), on each database:
 * a receiver that is down (a closed port) and one that is up, a stale and a failed backup, a directory that cannot
 * be written, the clock against the database; and beside a running server, where that server answers for the
 * database. Each failure comes with its hint, and no receiver secret appears anywhere in the output.
 */

// Process spawns compile TypeScript on the fly and PGlite runs initdb in WASM: slow on a loaded machine. Bounds a hang.
const PROCESS_TEST_TIMEOUT_MS = 300_000;
const HOUR = 3_600_000;

afterAll(cleanupOrcaProcesses);

// Made-up secrets in receiver URLs and tokens: none may appear in anything orca doctor prints.
const SECRETS = ['slack-path-secret', 'userinfo-secret', 'query-secret', 'bearer-token-secret'];
const SECRET_KEY = Buffer.alloc(32, 7).toString('base64');
const targets = serverUrl ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

describe.each(targets)('orca doctor [%s]: receivers, backups, directories, clock', { timeout: PROCESS_TEST_TIMEOUT_MS }, (target) => {
  const env: Record<string, string> = {};
  let openPort: number;
  let closedPort: number;
  let backupDir: string;

  beforeAll(async () => {
    env.ORCA_DATA_DIR = tempDir('orca-doctor-');
    env.ORCA_SECRET_KEY = SECRET_KEY;
    env.OUTBOUND_ALLOW_CIDRS = '127.0.0.0/8';
    backupDir = tempDir('orca-doctor-backups-');
    env.BACKUP_DIR = backupDir;
    if (target === 'postgres') {
      const schema = await createSchema(serverUrl!);
      deferCleanup(schema.drop);
      env.DATABASE_URL = schema.url;
    }
    const migrated = await runOrca(['migrate'], env);
    expect(migrated.code, migrated.stderr).toBe(0);
    openPort = (await listenOnLoopback()).port;
    closedPort = await freePort();
    await seedReceivers(env, [
      // secretlint-disable-next-line @secretlint/secretlint-rule-slack -- a made-up webhook path on loopback: doctor must not show it
      { name: 'chat', kind: 'slack', url: `http://127.0.0.1:${openPort}/services/T0DOCTOR/B0DOCTOR/slack-path-secret` },
      // secretlint-disable-next-line @secretlint/secretlint-rule-basicauth -- made-up credentials: doctor must not show them
      { name: 'pager', kind: 'webhook', url: `http://doctor:userinfo-secret@127.0.0.1:${closedPort}/hook?token=query-secret`, token: 'bearer-token-secret' },
    ]);
  }, PROCESS_TEST_TIMEOUT_MS);

  const pagerHint = () =>
    `receiver "pager" (http://127.0.0.1:${closedPort}) is not reachable from this host: check that it runs and that no firewall blocks ORCA's way to it; ` +
    'meanwhile deliveries to it retry, then dead-letter';

  it('--json: a receiver down and a backup 13 h old (BACKUP_INTERVAL 6 h) fail with their hints; the rest is up; no secret shown', async () => {
    const successAt = new Date(Date.now() - 13 * HOUR).toISOString();
    writeBackupStatus(backupDir, { outcome: 'success', attempted_at: successAt, duration_seconds: 2, backup: join(backupDir, 'b'), bytes: 4096, s3: 'off', error: null, last_success_at: successAt });
    const result = await runOrca(['doctor', '--json'], env);
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as DoctorJson;
    expect(report.status).toBe('down');
    expect(report.database).toBe(target);
    expect(Object.keys(report.checks)).toEqual([
      'configuration',
      ...(target === 'pglite' ? ['data_dir'] : []),
      'backup_dir',
      'database',
      'migrations',
      'clock',
      'receivers',
      'backup',
    ]);
    for (const name of ['configuration', 'backup_dir', 'database', 'migrations', 'clock']) expect(report.checks[name]!.status, name).toBe('up');
    expect(report.checks.backup_dir).toMatchObject({ path: backupDir });
    expect(report.checks.backup_dir!.free_bytes).toBeGreaterThan(0);
    if (target === 'pglite') expect(report.checks.data_dir).toMatchObject({ status: 'up', path: env.ORCA_DATA_DIR });
    // The same host's clock (PGlite) or a local server's: the skew is within its uncertainty plus a few ms.
    const clock = report.checks.clock as CheckJson & { skew_ms: number; uncertainty_ms: number };
    expect(clock.reference).toBe('database');
    expect(Math.abs(clock.skew_ms)).toBeLessThanOrEqual(clock.uncertainty_ms + 50);

    expect(report.checks.receivers).toMatchObject({ status: 'down', detail: '1 of 2 receivers reachable (TCP connect, nothing sent)' });
    const probes = (report.checks.receivers!.targets as Array<Record<string, unknown>>).map(({ latency_ms: _, ...rest }) => rest);
    expect(probes).toEqual([
      { name: 'chat', kind: 'slack', target: `http://127.0.0.1:${openPort}`, status: 'up' },
      { name: 'pager', kind: 'webhook', target: `http://127.0.0.1:${closedPort}`, status: 'down', error: `connection refused by 127.0.0.1:${closedPort}`, hint: pagerHint() },
    ]);

    expect(report.checks.backup).toMatchObject({ status: 'down', dir: backupDir, last_outcome: 'success', last_success_at: successAt, max_age_seconds: 43_200 });
    expect(report.checks.backup!.detail).toBe(`the last successful backup is 13 h old (${successAt}), more than 2 × BACKUP_INTERVAL = 12 h`);
    expect(report.hints).toEqual([pagerHint(), report.checks.backup!.hint]);
    expect(report.checks.backup!.hint).toMatch(/^backups have stopped: keep a worker process running/);
    for (const secret of SECRETS) expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it('text: one line per check and per receiver, the status, then the hints; a failed backup shows its error', async () => {
    writeBackupStatus(backupDir, {
      outcome: 'failure',
      attempted_at: new Date(Date.now() - HOUR).toISOString(),
      duration_seconds: 1,
      backup: null,
      bytes: null,
      s3: 'off',
      error: 'pg_dump not found',
      last_success_at: null,
    });
    // With a longer interval the stale-age rule would pass; the failed attempt fails the check on its own.
    const result = await runOrca(['doctor'], { ...env, BACKUP_INTERVAL: '1d' });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/^receivers: down \(.+ ms\) — 1 of 2 receivers reachable \(TCP connect, nothing sent\)$/m);
    expect(result.stdout).toMatch(new RegExp(`^  receiver chat \\(slack, http://127\\.0\\.0\\.1:${openPort}\\): up \\(.+ ms\\)$`, 'm'));
    expect(result.stdout).toMatch(new RegExp(`^  receiver pager \\(webhook, http://127\\.0\\.0\\.1:${closedPort}\\): down \\(.+ ms\\) — connection refused by 127\\.0\\.0\\.1:${closedPort}$`, 'm'));
    expect(result.stdout).toMatch(/^backup: down \(0 ms\) — the last backup attempt, at .+, failed: pg_dump not found \(no success yet\)$/m);
    expect(result.stdout).toMatch(/^clock: up \(.+ ms\) — the database's clock is \d+ ms (ahead of|behind) this host's \(± \d+ ms\)$/m);
    expect(result.stdout).toMatch(/^status: down$/m);
    const hints = result.stdout.split('\n').filter((line) => line.startsWith('hint: '));
    expect(hints).toEqual([`hint: ${pagerHint()}`, expect.stringMatching(/^hint: fix what the backup error names/)]);
    for (const secret of SECRETS) expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it('a directory under a file cannot be created: down, naming the setting (ORCA_DATA_DIR with PGlite, BACKUP_DIR always)', async () => {
    const file = join(tempDir('orca-doctor-file-'), 'not-a-dir');
    writeFileSync(file, 'x');
    const setting = target === 'pglite' ? 'ORCA_DATA_DIR' : 'BACKUP_DIR';
    const check = target === 'pglite' ? 'data_dir' : 'backup_dir';
    const path = join(file, 'orca');
    const result = await runOrca(['doctor', '--json'], { ...env, [setting]: path });
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as DoctorJson;
    expect(report.checks[check]).toMatchObject({
      status: 'down',
      path,
      detail: `${file} is not a directory (ENOTDIR)`,
      hint: `${setting} (${path}) is not a directory (it, or one of its parents, is a file): point ${setting} at a directory`,
    });
    expect(report.hints[0]).toBe(report.checks[check]!.hint);
  });
});

describe('orca doctor [pglite]: a read-only data directory, and beside a running server', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  const chmodWorks = chmodStopsWrites();

  it.skipIf(!chmodWorks)(
    `a data directory made read-only (chmod 0500) is down with the hint to give ORCA write access${chmodWorks ? '' : ' [skipped: running as root, chmod does not stop writes]'}`,
    async () => {
      const dataDir = tempDir('orca-doctor-ro-');
      const migrated = await runOrca(['migrate'], { ORCA_DATA_DIR: dataDir });
      expect(migrated.code, migrated.stderr).toBe(0);
      chmodSync(dataDir, 0o500);
      try {
        const result = await runOrca(['doctor', '--json'], { ORCA_DATA_DIR: dataDir, BACKUP_DIR: tempDir('orca-doctor-backups-') });
        expect(result.code, result.stderr).toBe(1);
        const report = JSON.parse(result.stdout) as DoctorJson;
        expect(report.checks.data_dir).toMatchObject({ status: 'down', detail: `cannot create and remove a file in ${dataDir} (EACCES)` });
        expect(report.hints[0]).toBe(
          `ORCA_DATA_DIR (${dataDir}) is not writable by this user (uid ${process.getuid!()}): give the user ORCA runs as write access (chown/chmod), or point ORCA_DATA_DIR at a directory it owns`,
        );
      } finally {
        chmodSync(dataDir, 0o700);
      }
    },
  );

  it('beside a server holding the embedded database: its /health and API answer, the directories and clock are checked here', async () => {
    const dataDir = tempDir('orca-doctor-beside-');
    const env = { ORCA_DATA_DIR: dataDir, ORCA_SECRET_KEY: SECRET_KEY, OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8', BACKUP_DIR: join(dataDir, 'backups') };
    const migrated = await runOrca(['migrate'], env);
    expect(migrated.code, migrated.stderr).toBe(0);
    const open = await listenOnLoopback();
    const closedPort = await freePort();
    await seedReceivers(env, [
      // secretlint-disable-next-line @secretlint/secretlint-rule-slack -- a made-up webhook path on loopback: doctor must not show it
      { name: 'chat', kind: 'slack', url: `http://127.0.0.1:${open.port}/services/T0DOCTOR/B0DOCTOR/slack-path-secret` },
      { name: 'pager', kind: 'webhook', url: `http://127.0.0.1:${closedPort}/hook?token=query-secret` },
    ]);
    mkdirSync(env.BACKUP_DIR);
    const successAt = new Date(Date.now() - HOUR).toISOString();
    writeBackupStatus(env.BACKUP_DIR, { outcome: 'success', attempted_at: successAt, duration_seconds: 2, backup: null, bytes: 4096, s3: 'off', error: null, last_success_at: successAt });
    const server = startOrca(env, await freePort());
    await waitUntilReady(server);

    const result = await runOrca(['doctor', '--json'], env);
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as DoctorJson;
    expect(report).toMatchObject({
      status: 'down',
      database: 'pglite',
      via: `the running ORCA (pid ${server.child.pid}, http://127.0.0.1:${server.port})`,
      checks: {
        configuration: { status: 'up' },
        data_dir: { status: 'up', path: dataDir },
        backup_dir: { status: 'up' },
        database: { status: 'up' },
        migrations: { status: 'up' },
        clock: { status: 'up', reference: 'server' },
        receivers: { status: 'down', detail: '1 of 2 receivers reachable (TCP connect, nothing sent)' },
        backup: { status: 'up', last_success_at: successAt },
      },
    });
    // Listed through the API (URLs shown redacted there): the same targets as from the database.
    const probes = (report.checks.receivers!.targets as Array<Record<string, unknown>>).map(({ name, target: where, status }) => [name, where, status]);
    expect(probes).toEqual([
      ['chat', `http://127.0.0.1:${open.port}`, 'up'],
      ['pager', `http://127.0.0.1:${closedPort}`, 'down'],
    ]);
    expect(report.hints).toHaveLength(1);
    for (const secret of SECRETS) expect(result.stdout + result.stderr).not.toContain(secret);
    expect(await stopOrca(server, 20_000)).toEqual({ code: 0, signal: null });
  });
});
