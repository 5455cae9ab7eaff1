import { Redis } from 'ioredis';
import { backupDirOf, readBackupStatus } from '../../modules/backups/index.js';
import { withSettingsReceivers, type ReceiverEndpoint } from '../../modules/receivers/index.js';
import { createHealthChecks, type CheckResult } from '../../modules/system/index.js';
import type { OrcaConfig } from '../../platform/config/schema.js';
import { openDatabase, type Database, type DatabaseKind } from '../../platform/db/index.js';
import { createAddressGuard } from '../../platform/outbound/address-guard.js';
import { createLogger } from '../../platform/telemetry/logger.js';
import { createMetrics } from '../../platform/telemetry/metrics.js';
import { readServerEndpoint, type ServerEndpoint } from '../../platform/server-endpoint.js';
import { runningServerApi } from '../server-api.js';
import { checkBackup } from './backup-check.js';
import { checkClock, type LocalClock } from './clock-check.js';
import { databaseClock, serverClock } from './clock-references.js';
import type { ConfigurationOutcome } from './configuration-check.js';
import { checkDirectory, type DirectoryFs } from './directory-check.js';
import { collectHints, overallStatus, type DoctorCheck, type OverallStatus, type ReceiversCheck } from './doctor-check.js';
import { readinessHints, type HintContext } from './hints.js';
import { checkReceivers, receiversNotListed, type ReceiverNetwork } from './receivers-check.js';
import { endpointsFromDatabase, endpointsFromServer } from './receiver-listing.js';

export interface Diagnosis {
  status: OverallStatus;
  /** null when the configuration is invalid (which database it names is then unknown). */
  database: DatabaseKind | null;
  checks: Record<string, DoctorCheck>;
  /** one actionable line per failing or warning check (per receiver for receivers), in the order of the checks */
  hints: string[];
  /** set when the database checks were those of the server running on this data directory (its /health) */
  via?: string;
}

/** The outside world, replaceable in tests: the filesystem's statfs, this host's clock, the network to receivers. */
export interface DoctorEnvironment {
  directoryFs?: DirectoryFs;
  localClock?: LocalClock;
  network?: ReceiverNetwork;
  now?: () => Date;
}

/** The database, migrations and Redis checks with their hints attached. */
function withReadinessHints(checks: Record<string, CheckResult>, context: HintContext): Record<string, DoctorCheck> {
  const hints = readinessHints(checks, context);
  return Object.fromEntries(
    Object.entries(checks).map(([name, check]) => {
      const hint = hints[name as keyof typeof hints];
      return [name, hint ? { ...check, hint } : check];
    }),
  );
}

/** A check that needs what just failed: down, with no hint of its own (the failing check's hint is the fix). */
function notChecked(reason: string): DoctorCheck {
  return { status: 'down', latency_ms: 0, detail: `not checked: ${reason}` };
}

function notListed(reason: string): ReceiversCheck {
  return receiversNotListed(`not checked: ${reason}`);
}

/** The checks that need no database: the directories ORCA writes. The data directory only holds data with PGlite. */
async function localChecks(config: Readonly<OrcaConfig>, env: DoctorEnvironment): Promise<Record<string, DoctorCheck>> {
  const checks: Record<string, DoctorCheck> = {};
  if (!config.databaseUrl) {
    checks.data_dir = await checkDirectory({ setting: 'ORCA_DATA_DIR', path: config.dataDir, holds: 'the embedded database (pgdata/), admin.key and secret.key' }, env.directoryFs);
  }
  const lastBytes = readBackupStatus(backupDirOf(config))?.bytes ?? undefined;
  checks.backup_dir = await checkDirectory(
    { setting: 'BACKUP_DIR', path: backupDirOf(config), holds: 'the backups and last-backup.json', ...(lastBytes ? { needsBytes: lastBytes } : {}) },
    env.directoryFs,
  );
  return checks;
}

function backupCheck(config: Readonly<OrcaConfig>, env: DoctorEnvironment, dueSince: Date | undefined): DoctorCheck {
  const dir = backupDirOf(config);
  return checkBackup({ dir, status: readBackupStatus(dir), intervalMs: config.backupIntervalMs, now: env.now?.() ?? new Date(), dueSince });
}

async function receiversCheck(config: Readonly<OrcaConfig>, env: DoctorEnvironment, list: () => Promise<ReceiverEndpoint[]>): Promise<DoctorCheck> {
  let endpoints: ReceiverEndpoint[];
  try {
    endpoints = withSettingsReceivers(await list(), config);
  } catch (error) {
    return receiversNotListed(`the receivers could not be listed: ${(error as Error).message}`, 'run `orca doctor` again; if it persists, look at the server and its log');
  }
  return checkReceivers(endpoints, { guard: createAddressGuard(config.outboundAllowCidrs), ...(env.network ? { network: env.network } : {}) });
}

function finish(database: DatabaseKind, checks: Record<string, DoctorCheck>, via?: string): Diagnosis {
  return { status: overallStatus(checks), database, checks, hints: collectHints(checks), ...(via ? { via } : {}) };
}

/**
 * The embedded database belongs to the server holding ORCA_DATA_DIR: its /health gives the database, migrations and
 * Redis checks, its API the receivers, and the Date of its answers the clock; the directories are checked here.
 */
async function diagnoseBesideServer(config: Readonly<OrcaConfig>, endpoint: ServerEndpoint, env: DoctorEnvironment, local: Record<string, DoctorCheck>): Promise<Diagnosis> {
  const via = `the running ORCA (pid ${endpoint.pid}, ${endpoint.url})`;
  let health: { checks: Record<string, CheckResult>; uptime_seconds?: number };
  try {
    const response = await fetch(new URL('/health', endpoint.url), { signal: AbortSignal.timeout(5_000) });
    health = (await response.json()) as typeof health;
  } catch (error) {
    const server: DoctorCheck = {
      status: 'down',
      latency_ms: 0,
      detail: `${via} did not answer /health: ${(error as Error).message}`,
      hint: `the server holding ORCA_DATA_DIR (pid ${endpoint.pid}) is not answering: look at its logs, or stop it`,
    };
    return finish('pglite', { ...local, server, backup: backupCheck(config, env, undefined) }, via);
  }
  const now = env.now?.() ?? new Date();
  const startedAt = health.uptime_seconds === undefined ? undefined : new Date(now.getTime() - health.uptime_seconds * 1000);
  const listed = (() => {
    try {
      const api = runningServerApi(config);
      return api ? () => endpointsFromServer(api) : undefined;
    } catch (error) {
      return () => Promise.reject(error as Error);
    }
  })();
  const checks: Record<string, DoctorCheck> = {
    ...local,
    ...withReadinessHints(health.checks, { database: 'pglite' }),
    clock: await checkClock(serverClock(endpoint.url), env.localClock),
    receivers: listed ? await receiversCheck(config, env, listed) : notListed('the server stopped'),
    backup: backupCheck(config, env, startedAt),
  };
  return finish('pglite', checks, via);
}

/** When backups became due: the database's first migration (undefined before any). */
async function firstMigrationAt(db: Database): Promise<Date | undefined> {
  const { rows } = await db.query<{ exists: boolean }>(`select to_regclass('schema_migration') is not null as exists`);
  if (!rows[0]?.exists) return undefined;
  const first = await db.query<{ at: Date | null }>('select min(applied_at) as at from schema_migration');
  return first.rows[0]?.at ?? undefined;
}

/**
 * Everything a run needs (docs/CLI.md "orca doctor"): the configuration, the directories ORCA writes, the database
 * and its migrations, Redis when configured, the clock against the database, every receiver's reachability and the
 * age of the last backup. `down` (exit 1) when any fails, except Redis alone (`degraded`, as /health says), and
 * `degraded` on warnings. Beside a server holding the embedded database, that server answers for the database.
 */
export async function diagnose(configuration: ConfigurationOutcome, env: DoctorEnvironment = {}): Promise<Diagnosis> {
  const config = configuration.config;
  if (!config) {
    const checks = { configuration: configuration.check };
    return { status: 'down', database: null, checks, hints: collectHints(checks) };
  }
  const database: DatabaseKind = config.databaseUrl ? 'postgres' : 'pglite';
  const local = { configuration: configuration.check, ...(await localChecks(config, env)) };
  const running = config.databaseUrl ? undefined : readServerEndpoint(config.dataDir);
  if (running) return diagnoseBesideServer(config, running, env, local);
  // Redis first: opening PGlite keeps the event loop busy for seconds on a loaded machine, long enough for a
  // connection attempt made meanwhile to hit its connect timeout although Redis answered at once.
  const redis = config.redisUrl ? await connectRedis(config.redisUrl) : undefined;
  let db: Database;
  try {
    db = await openDatabase(config, createLogger({ level: 'silent' }), createMetrics());
  } catch (error) {
    redis?.client.disconnect();
    const failed = { database: { status: 'down' as const, latency_ms: 0, detail: (error as Error).message } };
    const unreachable = notChecked('database unreachable');
    return finish(database, {
      ...local,
      ...withReadinessHints(failed, { database }),
      clock: unreachable,
      receivers: notListed('database unreachable'),
      backup: backupCheck(config, env, undefined),
    });
  }
  try {
    const report = await createHealthChecks(db, redis ? { client: redis.client, state: { up: () => {}, down: () => {} } } : undefined).run();
    // A connection that never came up fails the ping with ioredis' "Stream isn't writeable": the connection's
    // own error (refused, unknown host, bad password) is what the operator can act on.
    if (redis?.error && report.checks.redis?.status === 'down') report.checks.redis.detail = redis.error;
    const ready = report.checks.database?.status === 'up' && report.checks.migrations?.status === 'up';
    const reason = report.checks.database?.status !== 'up' ? 'database unreachable' : 'migrations not applied';
    const checks: Record<string, DoctorCheck> = {
      ...local,
      ...withReadinessHints(report.checks, { database, redisTarget: redis?.target, redisError: redis?.error }),
      clock: report.checks.database?.status === 'up' ? await checkClock(databaseClock(db), env.localClock) : notChecked(reason),
      receivers: ready ? await receiversCheck(config, env, () => endpointsFromDatabase(db, config)) : notListed(reason),
      backup: backupCheck(config, env, report.checks.database?.status === 'up' ? await firstMigrationAt(db).catch(() => undefined) : undefined),
    };
    return finish(database, checks);
  } finally {
    redis?.client.disconnect();
    await db.close();
  }
}

/** One connection attempt, no retries: a doctor reports the state of Redis, it does not wait for it to come back. */
async function connectRedis(url: string): Promise<{ client: Redis; target: string; error?: string }> {
  const parsed = new URL(url);
  const target = `${parsed.hostname}:${parsed.port || '6379'}`;
  const client = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000, retryStrategy: () => null });
  let lastError: string | undefined;
  client.on('error', (error: Error) => (lastError = error.message));
  try {
    await client.connect();
    return { client, target };
  } catch (error) {
    return { client, target, error: lastError ?? (error as Error).message };
  }
}
