import pg from 'pg';
import {
  INT8_OID,
  NUMERIC_OID,
  observed,
  parseNumeric,
  withTimeout,
  type Database,
  type QueryObserver,
  type QueryOptions,
  type QueryResult,
  type Queryable,
  type Subscription,
} from './driver.js';

export interface PostgresOptions {
  url: string;
  poolMax: number;
  /** Honour QueryOptions.prepared (DATABASE_PREPARED_STATEMENTS); off, every statement is parsed on every call. */
  preparedStatements: boolean;
  /** Lets the process log pool-level errors (a dropped idle connection) instead of crashing on them. */
  onPoolError: (error: Error) => void;
}

// Per-pool type parsers (not the global pg.types) so that nothing else in the process is surprised.
export const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === NUMERIC_OID || oid === INT8_OID) return parseNumeric;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/**
 * A node-postgres pool or client (also PGlite's node-postgres connection, pglite.ts) as a Queryable; its results are
 * parsed by the `typeParsers` given to the pool or client.
 */
export function adapt(target: pg.Pool | pg.ClientBase, observe: QueryObserver, prepare: boolean): Queryable {
  return {
    query<Row>(text: string, values: unknown[] = [], options?: QueryOptions): Promise<QueryResult<Row>> {
      return observed(observe, text, async () => {
        const result = await target.query({ ...(prepare && options?.prepared ? { name: options.prepared } : {}), text, values });
        return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
      });
    },
    async exec(script: string) {
      // Without values node-postgres uses the simple protocol, which accepts several statements.
      await target.query(script);
    },
  };
}

/**
 * A dedicated connection (outside the pool) holding LISTEN. When it drops, the subscriber is told at once and
 * the connection is re-established with jittered exponential backoff (0.5 s doubling to 30 s).
 */
function listenWithReconnect(
  url: string,
  channel: string,
  onMessage: (payload: string) => void,
  onListening: (listening: boolean) => void,
  onError: (error: Error) => void,
): Subscription {
  let client: pg.Client | undefined;
  let closed = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | undefined;

  const scheduleReconnect = () => {
    if (closed || timer) return;
    const delay = Math.min(30_000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);
    attempt += 1;
    timer = setTimeout(() => {
      timer = undefined;
      connecting = connect();
    }, delay);
    timer.unref();
  };

  const connect = async () => {
    const next = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000, keepAlive: true, application_name: 'orca-listen' });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (error) onError(error);
      onListening(false);
      next.removeAllListeners('notification');
      void next.end().catch(() => {});
      scheduleReconnect();
    };
    next.on('error', (error) => onLost(error));
    next.on('end', () => onLost());
    next.on('notification', (message) => {
      if (message.channel === channel && message.payload !== undefined) onMessage(message.payload);
    });
    try {
      await next.connect();
      await next.query(`listen ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      onLost(error as Error);
      return;
    }
    if (closed) {
      // Closed while connecting (a short CLI command): ending this client on purpose is not a lost feed.
      next.removeAllListeners();
      next.on('error', () => {});
      await next.end().catch(() => {});
      return;
    }
    attempt = 0;
    client = next;
    onListening(true);
  };

  let connecting = connect();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      // A connection still being made ends itself once it sees `closed`; wait for it so nothing outlives close().
      await connecting;
      const current = client;
      client = undefined;
      if (current) {
        current.removeAllListeners();
        current.on('error', () => {});
        await current.end().catch(() => {});
      }
    },
  };
}

export async function openPostgres(options: PostgresOptions, observe: QueryObserver): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax,
    // Fail fast when the server is unreachable so that readiness flips to 503 within its 2 s budget.
    connectionTimeoutMillis: 1500,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: 'orca',
    types: typeParsers,
  });
  pool.on('error', options.onPoolError);
  const subscriptions = new Set<Subscription>();
  const queryable = adapt(pool, observe, options.preparedStatements);
  return {
    kind: 'postgres',
    query: queryable.query,
    exec: queryable.exec,
    async transaction(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('begin');
        const result = await fn(adapt(client, observe, options.preparedStatements));
        await client.query('commit');
        return result;
      } catch (error) {
        try {
          await client.query('rollback');
        } catch (rollbackError) {
          broken = rollbackError as Error;
        }
        throw error;
      } finally {
        // A client whose rollback failed has a dead connection: destroy it rather than return it to the pool.
        client.release(broken);
      }
    },
    async listen(channel, onMessage, onListening) {
      const subscription = listenWithReconnect(options.url, channel, onMessage, onListening, options.onPoolError);
      subscriptions.add(subscription);
      return {
        async close() {
          subscriptions.delete(subscription);
          await subscription.close();
        },
      };
    },
    async ping(timeoutMs) {
      await withTimeout(pool.query({ text: 'select 1', query_timeout: timeoutMs } as pg.QueryConfig), timeoutMs, 'database ping');
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
      subscriptions.clear();
      if (!pool.ended) await pool.end();
    },
  };
}
