import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorJson } from '../helpers/doctor.js';
import { cleanupOrcaProcesses, freePort, runOrca, tempDir } from '../helpers/orca-process.js';

/**
 * `orca doctor` as an operator meets it (docs/CLI.md): a real process per case, checked by exit code and output. Each
 * failure comes with the fix for that failure: an unreachable database points at DATABASE_URL and the server (not at
 * `orca migrate`), pending migrations at `orca migrate`, an unreachable Redis at REDIS_URL, an invalid setting at the
 * settings. The database or migrations down exit 1; Redis alone down is `degraded` and exits 0, as a server would stay
 * ready. Receivers, backups, directories and the clock: doctor-checks.test.ts.
 */

// Process spawns compile TypeScript on the fly and PGlite runs initdb in WASM: slow on a loaded machine. Bounds a hang.
const PROCESS_TEST_TIMEOUT_MS = 300_000;
const redisUrl = process.env.ORCA_TEST_REDIS_URL;

afterAll(cleanupOrcaProcesses);

describe('orca doctor', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  const migratedDir = tempDir('orca-doctor-');
  beforeAll(async () => {
    const migrated = await runOrca(['migrate'], { ORCA_DATA_DIR: migratedDir });
    expect(migrated.code, migrated.stderr).toBe(0);
  }, PROCESS_TEST_TIMEOUT_MS);

  it('on an unreachable PostgreSQL server: exit 1, and a hint at DATABASE_URL and the server, not at orca migrate', async () => {
    const url = `postgres://orca@127.0.0.1:${await freePort()}/orca`;
    const text = await runOrca(['doctor'], { DATABASE_URL: url, ORCA_DATA_DIR: tempDir('orca-doctor-') });
    expect(text.code, text.stderr).toBe(1);
    expect(text.stdout).toMatch(/^database: down \(.+ ms\) — .*ECONNREFUSED/m);
    expect(text.stdout).toContain('migrations: down (0 ms) — database unreachable');
    expect(text.stdout).toContain('hint: the PostgreSQL server did not answer: check DATABASE_URL');
    expect(text.stdout).not.toContain('orca migrate');

    const json = await runOrca(['doctor', '--json'], { DATABASE_URL: url, ORCA_DATA_DIR: tempDir('orca-doctor-') });
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as DoctorJson;
    expect(report).toMatchObject({
      status: 'down',
      database: 'postgres',
      checks: {
        configuration: { status: 'up', file: null },
        backup_dir: { status: 'up' },
        database: { status: 'down' },
        migrations: { status: 'down' },
        // What needs the database is not checked; the database's hint is the fix.
        clock: { status: 'down', detail: 'not checked: database unreachable' },
        receivers: { status: 'down', detail: 'not checked: database unreachable', targets: [] },
        backup: { status: 'up' },
      },
    });
    // With PostgreSQL, ORCA_DATA_DIR holds no data: only BACKUP_DIR is checked.
    expect(report.checks.data_dir).toBeUndefined();
    expect(report.hints).toHaveLength(1);
    expect(report.hints[0]).toMatch(/^the PostgreSQL server did not answer/);
  });

  it('on an embedded database with pending migrations: exit 1, and a hint at orca migrate', async () => {
    const result = await runOrca(['doctor'], { ORCA_DATA_DIR: tempDir('orca-doctor-') });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/^database: up /m);
    expect(result.stdout).toMatch(/^migrations: down \(.+ ms\) — pending migrations: 1, 2/m);
    expect(result.stdout).toContain('hint: run `orca migrate` (or start ORCA once) to apply the pending migrations');
  });

  it('with REDIS_URL pointing at nothing: degraded, exit 0, a redis line with the connection error, and a hint at REDIS_URL', async () => {
    const port = await freePort();
    const result = await runOrca(['doctor', '--json'], { ORCA_DATA_DIR: migratedDir, REDIS_URL: `redis://:not-a-real-password@127.0.0.1:${port}` });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as DoctorJson;
    expect(report).toMatchObject({ status: 'degraded', database: 'pglite', checks: { database: { status: 'up' }, migrations: { status: 'up' }, redis: { status: 'down' } } });
    expect(report.checks.redis!.detail).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(report.hints).toEqual([
      `Redis at 127.0.0.1:${port} did not answer (connect ECONNREFUSED 127.0.0.1:${port}): check REDIS_URL and that Redis is running, or unset REDIS_URL. ` +
        'ORCA serves without it (rate limits fall back to per-process counters) and stays ready; /health and /status say degraded meanwhile',
    ]);
    expect(result.stdout + result.stderr).not.toContain('not-a-real-password');
  });

  it.skipIf(!redisUrl)(`with REDIS_URL reachable: exit 0, every check up, no hint${redisUrl ? '' : ' [skipped: ORCA_TEST_REDIS_URL is unset]'}`, async () => {
    const result = await runOrca(['doctor'], { ORCA_DATA_DIR: migratedDir, REDIS_URL: redisUrl! });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    const names = result.stdout.split('\n').filter((line) => /^\w+: up \(/.test(line)).map((line) => line.split(':')[0]);
    expect(names).toEqual(['configuration', 'data_dir', 'backup_dir', 'database', 'migrations', 'redis', 'clock', 'receivers', 'backup']);
    expect(result.stdout).toContain('receivers: up');
    expect(result.stdout).toMatch(/^status: ok$/m);
    expect(result.stdout).not.toContain('hint:');
  });

  it('with an invalid configuration: exit 2, and --json reports the configuration check with its hint', async () => {
    const result = await runOrca(['doctor', '--json'], { PORT: 'abc', ORCA_DATA_DIR: migratedDir });
    expect(result.code, result.stderr).toBe(2);
    const report = JSON.parse(result.stdout) as DoctorJson;
    expect(report).toMatchObject({ status: 'down', database: null, checks: { configuration: { status: 'down', file: null } } });
    expect(Object.keys(report.checks)).toEqual(['configuration']);
    expect(report.checks.configuration!.detail).toMatch(/^PORT: .*\(got "abc"\)$/);
    expect(report.hints).toEqual([
      'fix the settings named above (in the environment): `orca doctor --help` and docs/CONFIGURATION.md list every setting with its format and default',
    ]);
  });
});
