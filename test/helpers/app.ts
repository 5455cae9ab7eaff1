import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe } from 'vitest';
import { buildApp, type BuildAppOptions } from '../../src/app.js';
import { createContainer, type Container } from '../../src/container.js';
import { loadConfig } from '../../src/platform/config/load.js';
import type { ProcessRole } from '../../src/platform/config/schema.js';
import type { Clock } from '../../src/platform/clock.js';
import type { NotificationSink } from '../../src/modules/receivers/notification.js';
import { createLogger } from '../../src/platform/telemetry/logger.js';
import { startTracing } from '../../src/platform/telemetry/tracing.js';
import { ORCA_VERSION } from '../../src/platform/version.js';
import { ROLES, type Role } from '../../src/platform/http/roles.js';
import { databaseTargets, type DatabaseTarget } from './db.js';

export interface TestApp {
  app: FastifyInstance;
  container: Container;
  /** Every log line the app wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  /**
   * Request headers that authenticate as a key of the given role. Every test that calls a protected route
   * passes them, so that the suite keeps working unchanged once the auth layer enforces roles.
   */
  as(role: Role): Record<string, string>;
  /** The secret of the key behind `as(role)`. */
  keys: Record<Role, string>;
  close(): Promise<void>;
}

/** Collects pino's JSON lines so tests can assert on what was (and was not) logged. */
export function captureStream(lines: Array<Record<string, unknown>>): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
}

/** Builds the real application (same options as production) on a fresh, isolated, migrated database. */
export interface TestAppOptions {
  /** Extra routes registered before `ready()`, for tests that need a route to fail or log on purpose. */
  routes?: (app: FastifyInstance) => void;
  /** The process role (`orca start --role`); `all` by default. */
  role?: ProcessRole;
  /** The container's clock (time-dependent features: SLOs, deadlines, windows); the system clock by default. */
  clock?: Clock;
  /** Where alert notifications go (test/helpers/notification-sink.ts records them). */
  notificationSink?: NotificationSink;
  /** Sees every route as it is registered (buildApp's `onRoute`). */
  onRoute?: BuildAppOptions['onRoute'];
}

export async function createTestApp(target: DatabaseTarget, env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const provisioned = await target.provision();
  const dataDir = mkdtempSync(join(tmpdir(), 'orca-test-'));
  // Suites make many requests with one key: the default limit would turn them into 429s. Rate-limit tests set their own.
  const defaults = { ORCA_DATA_DIR: dataDir, LOG_LEVEL: 'info', RATE_LIMIT_MAX: '1000000' };
  const config = loadConfig({ ...defaults, ...(provisioned.url ? { DATABASE_URL: provisioned.url } : {}), ...env }, dataDir);
  const logs: Array<Record<string, unknown>> = [];
  // Started here rather than by the container so that the captured log lines carry trace ids as production's do.
  const tracing = await startTracing({ otelEndpoint: config.otelEndpoint, version: ORCA_VERSION });
  const logger = createLogger({ level: config.logLevel, destination: captureStream(logs), ...(tracing ? { traceFields: tracing.logFields } : {}) });
  const container = await createContainer(config, {
    logger,
    ...(tracing ? { tracing } : {}),
    inMemoryDatabase: true,
    databaseSnapshot: provisioned.snapshot,
    role: options.role ?? 'all',
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.notificationSink ? { notificationSink: options.notificationSink } : {}),
  });
  let app: FastifyInstance;
  try {
    app = await buildApp(container, options.onRoute ? { onRoute: options.onRoute } : {});
    options.routes?.(app);
    await app.ready();
  } catch (error) {
    await container.close();
    await provisioned.drop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const keys = {} as Record<Role, string>;
  for (const role of ROLES) {
    const created = await container.modules.keys.service.create({ id: 'test-setup', correlationId: null }, { name: `test-${role}`, role });
    keys[role] = created.secret;
  }
  return {
    app,
    container,
    logs,
    keys,
    as: (role) => ({ 'x-api-key': keys[role] }),
    async close() {
      await app.close();
      await container.close();
      await provisioned.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs a suite once per database target. The suite receives a getter: the app is built in beforeAll and
 * shared by the suite's tests, which therefore create their own data rather than assume an empty table.
 */
export function describeEachDatabase(name: string, suite: (ctx: () => TestApp, target: DatabaseTarget) => void): void {
  for (const target of databaseTargets) {
    describe(`${name} [${target.name}]`, () => {
      let testApp: TestApp | undefined;
      beforeAll(async () => {
        testApp = await createTestApp(target);
      });
      afterAll(async () => {
        await testApp?.close();
      });
      suite(() => {
        if (!testApp) throw new Error('test app not built');
        return testApp;
      }, target);
    });
  }
}
