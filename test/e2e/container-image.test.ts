import { lstatSync, readFileSync, readlinkSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchema, serverUrl } from '../helpers/db.js';
import { waitFor } from '../helpers/jobs.js';
import { freePort } from '../helpers/orca-process.js';
import { readRecommendedNodeOptions } from '../../bench/lib/node-options.js';
import {
  buildah,
  containerToolsMissing,
  execInImage,
  imageConfig,
  imageEnv,
  imageUser,
  mountImage,
  procStatus,
  run,
  startFromImage,
  type ImageConfig,
  type ImageProcess,
} from '../helpers/image-process.js';

/**
 * The container image (Dockerfile), built and started on a machine that can run no container: buildah builds it
 * from a base made locally (scripts/container/), then ORCA starts from the built image's filesystem exactly as the
 * image says — ENTRYPOINT + CMD, ENV, USER, WORKDIR — as PID 1 of its own PID namespace (test/helpers/image-process.ts).
 * Checked: production dependencies only, the non-root user, /readyz, the HEALTHCHECK command, and SIGTERM — after
 * start-up and during it — ending in a drain and exit 0. Needs root and buildah, and runs only when asked
 * (ORCA_TEST_CONTAINER=1); ORCA_REQUIRE_BUILDAH=1 asks too, and makes the tools' absence a failure.
 */

const REPO = new URL('../..', import.meta.url).pathname;
const recommended = readRecommendedNodeOptions(REPO);
const missing = containerToolsMissing();
const required = process.env.ORCA_REQUIRE_BUILDAH === '1';
// Building the image takes minutes (two npm installs): it runs when asked (ORCA_TEST_CONTAINER=1, or
// ORCA_REQUIRE_BUILDAH=1), not whenever buildah happens to be installed.
const wanted = required || process.env.ORCA_TEST_CONTAINER === '1';
const TITLE = 'the container image, built with buildah and started from its filesystem';
// Bounds of hangs on a loaded 2-core machine; they measure nothing. The build compiles ORCA and installs its
// dependencies twice; a first start of the embedded database on Node 24 compiles PGlite's WebAssembly.
const BUILD_TIMEOUT_MS = 1_500_000;
const START_TIMEOUT_MS = 300_000;
const STOP_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 600_000;

const skipReason = !wanted ? 'not asked for (set ORCA_TEST_CONTAINER=1)' : missing && !required ? `${missing} (ORCA_REQUIRE_BUILDAH=1 makes it a failure)` : undefined;
describe.runIf(skipReason === undefined)(skipReason ? `${TITLE} — SKIPPED: ${skipReason}` : TITLE, () => {
  const tag = `localhost/orca-e2e:${process.pid}`;
  const cleanups: Array<() => Promise<unknown>> = [];
  let config: ImageConfig;

  beforeAll(async () => {
    if (missing) throw new Error(`ORCA_REQUIRE_BUILDAH=1 but ${missing}`);
    cleanups.push(() => buildah(['rmi', '--force', tag]).catch(() => undefined));
    const started = Date.now();
    const build = await run(join(REPO, 'scripts/container/build-image.sh'), [tag], { cwd: REPO, timeoutMs: BUILD_TIMEOUT_MS });
    expect(build.code, build.output).toBe(0);
    console.info(`container image ${tag}: built in ${((Date.now() - started) / 1000).toFixed(0)} s; ${build.output.trim().split('\n').pop()}`);
    config = await imageConfig(tag);
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }, 120_000);

  async function mounted(): Promise<string> {
    const image = await mountImage(tag);
    cleanups.push(image.remove);
    return image.root;
  }

  function start(root: string, env: Record<string, string>): ImageProcess {
    const orca = startFromImage(root, config, imageEnv(config, env));
    cleanups.push(orca.kill);
    return orca;
  }

  async function readyz(port: number): Promise<number> {
    return waitFor(
      () => fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) }).then((response) => response.status, () => 0),
      (status) => status === 200,
      START_TIMEOUT_MS,
    );
  }

  async function exitWithin(orca: ImageProcess, timeoutMs: number) {
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no exit within ${timeoutMs} ms:\n${orca.output()}`)), timeoutMs)));
    return Promise.race([orca.exited, hung]).finally(() => clearTimeout(timer));
  }

  it('is configured to run ORCA as a non-root user, with its health check on /readyz and a data volume', () => {
    expect(config.User).toBe('10001:10001');
    expect(config.Entrypoint).toEqual(['node', ...recommended.commandLine, '/app/dist/main.js']);
    expect(config.Cmd).toEqual(['start']);
    expect(config.WorkingDir).toBe('/app');
    expect(config.StopSignal).toBe('SIGTERM');
    expect(config.Healthcheck?.Test).toEqual(['CMD', 'node', '/app/healthcheck.mjs']);
    expect(Object.keys(config.Volumes ?? {})).toEqual(['/data']);
    expect(Object.keys(config.ExposedPorts ?? {})).toEqual(['3000/tcp']);
    expect(config.Env).toEqual(expect.arrayContaining(['NODE_ENV=production', 'HOST=0.0.0.0', 'PORT=3000', 'ORCA_DATA_DIR=/data', `NODE_OPTIONS=${recommended.nodeOptions.pglite}`]));
  });

  it('holds dist/ and the production dependencies of the lockfile, and nothing else of the repository', async () => {
    const root = await mounted();
    const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; optional?: boolean }> };
    const entries = Object.entries(lock.packages).filter(([path]) => path.startsWith('node_modules/'));
    const present = (path: string) => existsSync(join(root, 'app', path, 'package.json'));
    expect(entries.filter(([path, entry]) => entry.dev && present(path)).map(([path]) => path)).toEqual([]);
    expect(entries.filter(([path, entry]) => !entry.dev && !entry.optional && !present(path)).map(([path]) => path)).toEqual([]);
    const built = ['dist/main.js', 'dist/platform/db/pglite-snapshot.tar.gz', 'dist/platform/db/migrations', 'dist/console/index.html', 'dist/console/manifest.json'];
    for (const file of [...built, 'package.json', 'healthcheck.mjs']) {
      expect(existsSync(join(root, 'app', file)), file).toBe(true);
    }
    for (const absent of ['src', 'console', 'test', 'scripts', '.git', '.orca', 'node_modules/.bin/tsc']) expect(existsSync(join(root, 'app', absent)), absent).toBe(false);
    expect(readFileSync(join(root, 'etc/passwd'), 'utf8')).toContain('\norca:x:10001:10001:ORCA:/data:/usr/sbin/nologin\n');
    const data = statSync(join(root, 'data'));
    expect([data.uid, data.gid, data.mode & 0o777]).toEqual([10001, 10001, 0o700]);
    expect(lstatSync(join(root, 'usr/local/bin/orca')).isSymbolicLink() && readlinkSync(join(root, 'usr/local/bin/orca'))).toBe('/app/bin/orca.js');
  });

  it(
    'starts from its own files as PID 1 and user orca, is ready and healthy, and drains on SIGTERM [pglite]',
    async () => {
      const root = await mounted();
      const port = await freePort();
      const env = { PORT: String(port) };
      const started = Date.now();
      const orca = start(root, env);
      const pid = await orca.hostPid(START_TIMEOUT_MS);
      await orca.waitForOutput('ORCA is listening', START_TIMEOUT_MS);
      await readyz(port);
      console.info(`container image: ready ${((Date.now() - started) / 1000).toFixed(1)} s after start (first start, embedded database)`);

      const listening = JSON.parse(orca.output().split('\n').find((line) => line.includes('ORCA is listening'))!) as Record<string, unknown>;
      expect([listening.pid, listening.database, listening.url]).toEqual([1, 'pglite', `http://127.0.0.1:${port}`]);
      const status = procStatus(pid);
      expect([status.Uid, status.Gid, status.Groups, status.NSpid?.split('\t').pop()]).toEqual(['10001\t10001\t10001\t10001', '10001\t10001\t10001\t10001', '', '1']);
      expect(readlinkSync(`/proc/${pid}/exe`)).toBe(join(root, 'usr/local/bin/node')); // the image's node, not the host's
      const pgdata = statSync(join(root, 'data/pgdata'));
      expect([pgdata.uid, pgdata.gid]).toEqual([10001, 10001]);

      // The image's HEALTHCHECK, run as `docker exec` would (same namespaces, user and environment).
      const health = await execInImage(pid, imageUser(root, config.User), config.Healthcheck!.Test.slice(1), imageEnv(config, env));
      expect([health.code, health.output]).toEqual([0, '']);
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
      // The web console, served from the image's dist/console.
      const page = await fetch(`http://127.0.0.1:${port}/console/`);
      expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
      expect(await page.text()).toMatch(/<script type="module" src="\/console\/assets\/main-[^"]+\.js"/);
      console.info(`container image: peak resident memory ${status.VmHWM} by readiness`);

      process.kill(pid, 'SIGTERM');
      const outcome = await exitWithin(orca, STOP_TIMEOUT_MS);
      expect([outcome.code, outcome.signal], outcome.output).toEqual([0, null]);
      expect(outcome.output).toContain('"signal":"SIGTERM"');
      expect(outcome.output).toContain('shutdown complete');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    `holds a SIGTERM received during start-up, then drains and exits 0 instead of losing it as PID 1 [${serverUrl ? 'postgres' : 'pglite'}]`,
    async () => {
      const root = await mounted();
      const port = await freePort();
      // The shutdown timeout runs from the signal: room for a start-up on a loaded machine.
      const env: Record<string, string> = { PORT: String(port), SHUTDOWN_TIMEOUT: '240s' };
      if (serverUrl) {
        const schema = await createSchema(serverUrl);
        cleanups.push(schema.drop);
        env.DATABASE_URL = schema.url;
        if (process.env.ORCA_TEST_REDIS_URL) env.REDIS_URL = process.env.ORCA_TEST_REDIS_URL;
      }
      const orca = start(root, env);
      const pid = await orca.hostPid(START_TIMEOUT_MS);
      // ORCA's first log line comes after `orca start` has taken SIGTERM over (src/server.ts, exitOnSignals), and long
      // before it listens. (Node's own bootstrap handler is there earlier, so /proc's SigCgt cannot tell them apart.)
      await orca.waitForOutput('{"level":', START_TIMEOUT_MS);
      const listeningBeforeSignal = orca.output().includes('ORCA is listening');
      process.kill(pid, 'SIGTERM');
      const outcome = await exitWithin(orca, START_TIMEOUT_MS);
      expect([outcome.code, outcome.signal], outcome.output).toEqual([0, null]);
      expect(listeningBeforeSignal, outcome.output).toBe(false);
      const order = ['SIGTERM received while starting', 'ORCA is listening', 'shutting down: draining', 'shutdown complete'].map((text) => outcome.output.indexOf(text));
      expect(order.every((position, index) => position >= 0 && (index === 0 || position > order[index - 1]!)), outcome.output).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );
});
