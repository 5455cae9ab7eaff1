import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import {
  INT8_OID,
  NUMERIC_OID,
  observed,
  parseNumeric,
  withTimeout,
  type Database,
  type QueryObserver,
  type QueryResult,
  type Queryable,
} from './driver.js';

interface PgliteLike {
  query<Row>(text: string, values?: unknown[]): Promise<{ rows: Row[]; affectedRows?: number }>;
  exec(script: string): Promise<unknown>;
}

function adapt(target: PgliteLike, observe: QueryObserver): Queryable {
  return {
    query<Row>(text: string, values: unknown[] = []): Promise<QueryResult<Row>> {
      return observed(observe, text, async () => {
        const result = await target.query<Row>(text, values);
        return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
      });
    },
    async exec(script: string) {
      await target.exec(script);
    },
  };
}

/**
 * PGlite is one process's database: a second process opening the same folder would corrupt it. A lock file
 * holding the owner's pid refuses that, and a lock left by a process that no longer exists is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, 'orca.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
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

/**
 * Embedded PostgreSQL (WASM). `dataDir` undefined keeps everything in memory (tests); otherwise the files
 * live in that folder and survive restarts. PGlite is a single connection: statements queue in-process,
 * which is why `waiting` counts statements, not clients.
 */
export async function openPglite(dataDir: string | undefined, observe: QueryObserver): Promise<Database> {
  let unlock = () => {};
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    unlock = lockDataDir(dataDir);
  }
  let pg: PGlite;
  try {
    pg = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      parsers: { [NUMERIC_OID]: parseNumeric, [INT8_OID]: parseNumeric },
    });
  } catch (error) {
    unlock();
    throw error;
  }
  let inFlight = 0;
  const base = adapt(pg, observe);
  const counted: Queryable = {
    // Named prepared statements (QueryOptions.prepared) are a server round-trip saving: PGlite runs in-process.
    async query(text, values) {
      inFlight += 1;
      try {
        return await base.query(text, values);
      } finally {
        inFlight -= 1;
      }
    },
    exec: base.exec,
  };
  return {
    kind: 'pglite',
    query: counted.query,
    exec: counted.exec,
    async transaction(fn) {
      inFlight += 1;
      try {
        return await pg.transaction((tx) => fn(adapt(tx, observe)));
      } finally {
        inFlight -= 1;
      }
    },
    async listen(channel, onMessage, onListening) {
      // In-process: the one PGlite instance delivers its own notifications; it cannot disconnect.
      const unsubscribe = await pg.listen(channel, onMessage);
      onListening(true);
      return {
        async close() {
          // Closing the database already dropped every subscription.
          if (!pg.closed) await unsubscribe();
        },
      };
    },
    async ping(timeoutMs) {
      await withTimeout(pg.query('select 1'), timeoutMs, 'database ping');
    },
    poolStats: () => ({ total: 1, idle: inFlight === 0 ? 1 : 0, waiting: Math.max(0, inFlight - 1) }),
    async close() {
      if (!pg.closed) await pg.close();
      unlock();
    },
  };
}
