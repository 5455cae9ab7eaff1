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
  type StatementBudget,
  type Subscription,
  type TransactionOptions,
} from './driver.js';

export interface PostgresOptions {
  url: string;
  poolMax: number;
  /** Honour QueryOptions.prepared (DATABASE_PREPARED_STATEMENTS); off, every statement is parsed on every call. */
  preparedStatements: boolean;
  /** Lets the process log pool-level errors (a dropped idle connection) instead of crashing on them. */
  onPoolError: (error: Error) => void;
  /**
   * DATABASE_STATEMENT_TIMEOUT and DATABASE_HEAVY_STATEMENT_TIMEOUT. Absent (tools and tests that build a pool by
   * hand), statements are not bounded.
   */
  statementTimeouts?: StatementTimeouts;
}

export interface StatementTimeouts {
  defaultMs: number;
  heavyMs: number;
}

/**
 * How long the client waits for a statement with a server-side budget of `budgetMs`. The server cancels the
 * statement at its budget (SQLSTATE 57014) and the connection stays usable; the client gives up a little later
 * only when the server said nothing at all — a frozen server or a partition, which statement_timeout cannot catch.
 */
export function clientTimeoutFor(budgetMs: number): number {
  return budgetMs + Math.min(1000, Math.ceil(budgetMs / 5));
}

/** node-postgres' own error when `query_timeout` fires: the connection may still be busy on the server. */
function isClientTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === 'Query read timeout';
}

// Per-pool type parsers (not the global pg.types) so that nothing else in the process is surprised.
export const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === NUMERIC_OID || oid === INT8_OID) return parseNumeric;
    return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
  },
} as pg.CustomTypesConfig;

/**
 * A node-postgres pool or client (also PGlite's node-postgres connection, pglite.ts) as a Queryable; its results are
 * parsed by the `typeParsers` given to the pool or client.
 */
export function adapt(target: pg.Pool | pg.ClientBase, observe: QueryObserver, prepare: boolean, queryTimeoutMs?: number): Queryable {
  // node-postgres reads query_timeout from each query's config (the pool's clients get none of their own).
  const timeout = queryTimeoutMs === undefined ? {} : { query_timeout: queryTimeoutMs };
  return {
    query<Row>(text: string, values: unknown[] = [], options?: QueryOptions): Promise<QueryResult<Row>> {
      return observed(observe, text, async () => {
        const result = await target.query({ ...(prepare && options?.prepared ? { name: options.prepared } : {}), text, values, ...timeout } as pg.QueryConfig);
        return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
      });
    },
    async exec(script: string) {
      // Without values node-postgres uses the simple protocol, which accepts several statements.
      await target.query({ text: script, ...timeout } as pg.QueryConfig);
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
  const timeouts = options.statementTimeouts;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax,
    // Fail fast when the server is unreachable so that readiness flips to 503 within its 2 s budget. This also bounds
    // the wait for a pooled connection when every one is busy.
    connectionTimeoutMillis: 1500,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: 'orca',
    types: typeParsers,
    // Sent when each connection starts: the server cancels any statement over budget, even one the client gave up on.
    ...(timeouts ? { statement_timeout: timeouts.defaultMs } : {}),
  });
  pool.on('error', options.onPoolError);
  const subscriptions = new Set<Subscription>();
  const defaultTimeout = timeouts && clientTimeoutFor(timeouts.defaultMs);
  // On the pool, a statement that fails (a client-side timeout included) releases its connection with the error,
  // which pg-pool destroys: a connection the server may still be busy on is never handed out again.
  const queryable = adapt(pool, observe, options.preparedStatements, defaultTimeout);

  /** The server-side budget set at BEGIN (none for `default`: the connection's own) and the client's wait. */
  const budgetOf = (budget: StatementBudget): { begin: string; clientTimeoutMs: number | undefined } => {
    if (!timeouts || budget === 'default') return { begin: 'begin', clientTimeoutMs: defaultTimeout };
    if (budget === 'unbounded') return { begin: 'begin; set local statement_timeout = 0', clientTimeoutMs: undefined };
    return { begin: `begin; set local statement_timeout = ${timeouts.heavyMs}`, clientTimeoutMs: clientTimeoutFor(timeouts.heavyMs) };
  };

  async function transaction<T>(fn: (tx: Queryable) => Promise<T>, transactionOptions: TransactionOptions = {}): Promise<T> {
    const { begin, clientTimeoutMs } = budgetOf(transactionOptions.budget ?? 'default');
    const client = await pool.connect();
    const control = (text: string) => client.query({ text, ...(clientTimeoutMs === undefined ? {} : { query_timeout: clientTimeoutMs }) } as pg.QueryConfig);
    let broken: Error | undefined;
    try {
      await control(begin);
      const result = await fn(adapt(client, observe, options.preparedStatements, clientTimeoutMs));
      await control('commit');
      return result;
    } catch (error) {
      if (isClientTimeout(error)) {
        // The server never answered: a rollback would queue behind the lost statement and time out in its turn.
        // Destroying the connection rolls the transaction back on the server.
        broken = error as Error;
      } else {
        try {
          await control('rollback');
        } catch (rollbackError) {
          broken = rollbackError as Error;
        }
      }
      throw error;
    } finally {
      // A client whose rollback failed has a dead connection: destroy it rather than return it to the pool.
      client.release(broken);
    }
  }

  return {
    kind: 'postgres',
    query: queryable.query,
    exec: queryable.exec,
    transaction,
    // A read on its own, under the heavy budget: the server's budget can only be raised for a transaction (SET LOCAL).
    heavy: {
      query: (text, values, queryOptions) => transaction((tx) => tx.query(text, values, queryOptions), { budget: 'heavy' }),
      exec: (script) => transaction((tx) => tx.exec(script), { budget: 'heavy' }),
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
