import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import pg from 'pg';
import { withTimeout, type Database, type Queryable, type QueryObserver } from './driver.js';
import { seedFromSnapshot } from './pglite-snapshot.js';
import { adapt, typeParsers } from './postgres.js';

/**
 * PGlite is one process's database: a second process opening the same folder would corrupt it. A lock file
 * holding the owner's pid refuses that, and a lock left by a process that no longer exists is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, 'orca.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is ORCA_DATA_DIR, from configuration, never a request's
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is ORCA_DATA_DIR, from configuration, never a request's
      const owner = Number(readFileSync(path, 'utf8'));
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new Error(`the embedded database in ${dataDir} is in use by another ORCA process (pid ${owner}); set DATABASE_URL to run several replicas`);
      }
      rmSync(path, { force: true });
    }
  }
  throw new Error(`could not lock ${path}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface PgliteOptions {
  /**
   * A data directory dumped by PGlite's `dumpDataDir`, to start the in-memory database from instead of running initdb
   * (tests start every file from one migrated template this way: loading it takes a fraction of initdb's time).
   */
  snapshot?: Blob;
}

/**
 * The PostgreSQL settings the embedded database runs with. PGlite's WebAssembly memory only ever grows, and
 * PostgreSQL's defaults size it for a server of its own: shared_buffers alone (128 MB by default) is allocated
 * up front inside this process. One connection and ORCA's small working set need far less; the operating
 * system's page cache still holds the data files. Measured by the `memory` benchmark (docs/OPERATIONS.md, Memory).
 */
export const PGLITE_SETTINGS: Readonly<Record<string, string>> = {
  shared_buffers: '16MB',
  // Index builds in migrations and vacuum: 64 MB by default, a transient peak of this process.
  maintenance_work_mem: '16MB',
  temp_buffers: '2MB',
};

/** PGlite's own start parameters (single-user mode, no parallel workers…) followed by ORCA's settings. */
export function pgliteStartParams(): string[] {
  return [...PGlite.defaultStartParams, ...Object.entries(PGLITE_SETTINGS).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
}

/**
 * A PGlite instance with ORCA's settings, in `dataDir` (created by initdb when empty) or in memory — from `snapshot`
 * (a `dumpDataDir` blob) when one is given.
 */
export function createPglite(dataDir: string | undefined, snapshot?: Blob): Promise<PGlite> {
  const location = dataDir ? { dataDir } : snapshot ? { loadDataDir: snapshot } : {};
  return PGlite.create({ ...location, startParams: pgliteStartParams() });
}

/**
 * Creates the embedded database's data directory from an archive made by `dumpDataDir`. The directory must not
 * exist yet (a restore moves the previous one aside first); it is locked while PGlite unpacks it.
 */
export async function loadPgliteDataDir(dataDir: string, archive: Blob): Promise<void> {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is ORCA_DATA_DIR, from configuration, never a request's
  mkdirSync(dataDir, { recursive: true });
  const unlock = lockDataDir(dataDir);
  try {
    const lite = await PGlite.create({ dataDir, loadDataDir: archive });
    await lite.close();
  } finally {
    unlock();
  }
}

/**
 * Embedded PostgreSQL (WASM). `dataDir` undefined keeps everything in memory (tests); otherwise the files
 * live in that folder and survive restarts. An empty `dataDir` is seeded from the pre-initialised, migrated
 * snapshot built with the package when there is one (pglite-snapshot.ts), instead of running initdb.
 * PGlite is a single connection: statements queue in-process, which is why `waiting` counts statements, not clients.
 */
export async function openPglite(dataDir: string | undefined, observe: QueryObserver, options: PgliteOptions = {}): Promise<Database> {
  if (dataDir && options.snapshot) throw new Error('a snapshot starts an in-memory database only');
  let unlock = () => {};
  if (dataDir) {
    seedFromSnapshot(dataDir);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is ORCA_DATA_DIR, from configuration, never a request's
    mkdirSync(dataDir, { recursive: true });
    unlock = lockDataDir(dataDir);
  }
  let lite: PGlite;
  try {
    lite = await createPglite(dataDir, options.snapshot);
  } catch (error) {
    unlock();
    throw error;
  }
  return wrapPglite(lite, observe, unlock);
}

/** ORCA's Database over one PGlite instance; `close` closes the instance and then calls `unlock`. */
export async function wrapPglite(lite: PGlite, observe: QueryObserver, unlock: () => void = () => {}): Promise<Database> {
  // Statements reach PGlite through node-postgres on PGlite's own node-postgres connection: the same driver, type
  // parsers and named prepared statements as on a PostgreSQL server. A hot statement (QueryOptions.prepared) is then
  // parsed and planned once instead of on every call (docs/OPERATIONS.md, Databases).
  let client: pg.Client;
  try {
    client = new pg.Client({ ...(createPgConfig(lite) as unknown as pg.ClientConfig), types: typeParsers });
    await client.connect();
  } catch (error) {
    await lite.close().catch(() => {});
    unlock();
    throw error;
  }
  const direct = adapt(client, observe, true);
  // One connection: a transaction holds it from BEGIN to COMMIT, so everything else waits its turn (in order). Code
  // inside a transaction must use its `tx`: a statement on the database itself would wait for the transaction, which
  // waits for it.
  let inFlight = 0;
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    inFlight += 1;
    const turn = tail.then(work, work).finally(() => {
      inFlight -= 1;
    });
    tail = turn.catch(() => {});
    return turn;
  };
  const serialised: Queryable = {
    query: (text, values, options) => exclusive(() => direct.query(text, values, options)),
    exec: (script) => exclusive(() => direct.exec(script)),
  };
  return {
    kind: 'pglite',
    query: serialised.query,
    exec: serialised.exec,
    // Statement budgets do not apply: PGlite runs inside this process, so it cannot freeze apart from it, and a
    // client-side timeout would leave its one connection's protocol stream out of step for good.
    heavy: serialised,
    transaction(fn) {
      return exclusive(async () => {
        await client.query('begin');
        try {
          const result = await fn(direct);
          await client.query('commit');
          return result;
        } catch (error) {
          // The error that ended the transaction is the one to report; a rollback that fails too means the database
          // itself is gone, which the next statement reports.
          await client.query('rollback').catch(() => {});
          throw error;
        }
      });
    },
    async listen(channel, onMessage, onListening) {
      // In-process: the one PGlite instance delivers its own notifications; it cannot disconnect.
      const unsubscribe = await exclusive(() => lite.listen(channel, onMessage));
      onListening(true);
      return {
        async close() {
          // Closing the database already dropped every subscription.
          if (!lite.closed) await exclusive(() => unsubscribe());
        },
      };
    },
    async ping(timeoutMs) {
      await withTimeout(exclusive(() => direct.query('select 1')), timeoutMs, 'database ping');
    },
    // PGlite's one connection runs statements one at a time: between two turns of the queue no transaction is
    // open, so the data directory copied then is a consistent state, and the server never stops serving for long.
    dumpDataDir: (inspect) =>
      exclusive(async () => {
        const inspected = await inspect(direct);
        return { archive: await lite.dumpDataDir('gzip'), inspected };
      }),
    poolStats: () => ({ total: 1, idle: inFlight === 0 ? 1 : 0, waiting: Math.max(0, inFlight - 1) }),
    async close() {
      await exclusive(() => client.end()).catch(() => {});
      if (!lite.closed) await lite.close();
      unlock();
    },
  };
}
