import { afterAll, describe, expect, it } from 'vitest';
import { bundledMigrations } from '../../src/platform/db/migrate.js';
import { SETTINGS } from '../../src/platform/config/schema.js';
import { createSchema, serverUrl } from '../helpers/db.js';
import { cleanupOrcaProcesses, deferCleanup, runOrca, tempDir } from '../helpers/orca-process.js';

/**
 * The CLI as an operator meets it: real `orca` processes (run from source through tsx, since dist/ may be stale),
 * checked by exit code and output (docs/CLI.md, docs/CONFIGURATION.md): invalid config stops start-up naming the variable, secrets are never
 * echoed, `--help` everywhere, `--json` where output is data.
 */

// Each case spawns one or more Node processes that compile TypeScript on the fly, and a fresh PGlite data dir
// runs initdb in WASM: from seconds to over a minute each on a loaded 2-core machine. This bounds a hang; it measures nothing.
const PROCESS_TEST_TIMEOUT_MS = 300_000;

afterAll(cleanupOrcaProcesses);

describe('orca start: invalid configuration', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('exits 2 and names PORT when PORT is not a number', async () => {
    const result = await runOrca(['start'], { PORT: 'abc', ORCA_DATA_DIR: tempDir('orca-cli-') });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\bPORT\b/);
    expect(result.stderr).toContain('abc');
    expect(result.stdout).not.toMatch(/listening/i);
  });

  it('names every bad variable at once, not only the first', async () => {
    const result = await runOrca(['start'], { PORT: 'abc', LOG_LEVEL: 'loudest', ORCA_DATA_DIR: tempDir('orca-cli-') });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\bPORT\b/);
    expect(result.stderr).toMatch(/\bLOG_LEVEL\b/);
  });

  it('reports a bad DATABASE_URL without echoing its password', async () => {
    // secretlint-disable-next-line @secretlint/secretlint-rule-database-connection-string -- deliberate fake: the test checks it is never echoed
    const result = await runOrca(['start'], { DATABASE_URL: 'mysql://u:secretpw@h/db', ORCA_DATA_DIR: tempDir('orca-cli-') });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\bDATABASE_URL\b/);
    expect(result.stderr).not.toContain('secretpw');
    expect(result.stdout).not.toContain('secretpw');
  });
});

describe('orca --help', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('lists the commands start, migrate and doctor', async () => {
    const result = await runOrca(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['start', 'migrate', 'doctor']) expect(result.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
  });

  it('orca start --help lists every setting with its default', async () => {
    const result = await runOrca(['start', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--role/);
    for (const setting of SETTINGS) {
      // An empty default means "unset" (e.g. CORS_ORIGIN: no cross-origin access), as docs/CONFIGURATION.md words it.
      const shown = setting.default === undefined || setting.default === '' ? 'unset' : setting.default;
      const line = result.stdout.split('\n').find((text) => new RegExp(`^\\s+${setting.env}\\s`).test(text));
      expect(line, `${setting.env} is missing from orca start --help`).toBeDefined();
      expect(line, `${setting.env} does not show its default`).toContain(`(default: ${shown})`);
    }
  });
});

describe('orca migrate and orca doctor [pglite]', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  const expected = bundledMigrations().map((m) => `${String(m.version).padStart(4, '0')}_${m.name}`);
  const latest = Math.max(...bundledMigrations().map((m) => m.version));

  it('migrate applies every migration on a fresh data dir, then says up to date (also as JSON); doctor --json then exits 0', async () => {
    const dataDir = tempDir('orca-cli-');
    const first = await runOrca(['migrate'], { ORCA_DATA_DIR: dataDir });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    for (const name of expected) expect(first.stdout).toContain(name);

    const second = await runOrca(['migrate'], { ORCA_DATA_DIR: dataDir });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/up to date/);
    for (const name of expected) expect(second.stdout).not.toContain(name);

    const json = await runOrca(['migrate', '--json'], { ORCA_DATA_DIR: dataDir });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ applied: [], schema_version: latest, database: 'pglite' });

    const doctor = await runOrca(['doctor', '--json'], { ORCA_DATA_DIR: dataDir });
    expect(doctor.code).toBe(0);
    expect(JSON.parse(doctor.stdout)).toMatchObject({
      status: 'ok',
      database: 'pglite',
      checks: { database: { status: 'up' }, migrations: { status: 'up' } },
    });
  });
});

describe.skipIf(!serverUrl)(
  serverUrl ? 'orca migrate and orca doctor [postgres]' : 'orca migrate and orca doctor [postgres; skipped: ORCA_TEST_DATABASE_URL is unset]',
  { timeout: PROCESS_TEST_TIMEOUT_MS },
  () => {
    it('doctor --json exits 1 on an un-migrated schema, naming the pending migrations, and 0 once migrated', async () => {
      const schema = await createSchema(serverUrl as string);
      deferCleanup(schema.drop);
      const env = { DATABASE_URL: schema.url, ORCA_DATA_DIR: tempDir('orca-cli-') };

      const before = await runOrca(['doctor', '--json'], env);
      expect(before.code).toBe(1);
      const report = JSON.parse(before.stdout);
      expect(report).toMatchObject({ status: 'down', database: 'postgres', checks: { database: { status: 'up' }, migrations: { status: 'down' } } });
      expect(report.checks.migrations.detail).toMatch(/pending/);

      const migrated = await runOrca(['migrate', '--json'], env);
      expect(migrated.code).toBe(0);
      expect(JSON.parse(migrated.stdout)).toMatchObject({ database: 'postgres', applied: bundledMigrations().map((m) => `${String(m.version).padStart(4, '0')}_${m.name}`) });

      const after = await runOrca(['doctor', '--json'], env);
      expect(after.code).toBe(0);
      expect(JSON.parse(after.stdout)).toMatchObject({ status: 'ok', database: 'postgres' });
    });
  },
);
