/**
 * The thin contract every repository codes against. Two implementations exist (a PostgreSQL server, and the
 * embedded PGlite on its node-postgres connection), both through node-postgres; both speak the same SQL and return
 * the same JS types:
 * `numeric` and `bigint` arrive as numbers (money crosses the API as a JSON number, never a string).
 */
export type DatabaseKind = 'pglite' | 'postgres';

export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

export interface QueryOptions {
  /**
   * The statement is parsed and planned once per connection and kept under this name (a named prepared statement),
   * instead of on every call: on each pooled connection of a PostgreSQL server (unless DATABASE_PREPARED_STATEMENTS
   * is off), on PGlite's one connection always. Only for hot statements whose text never changes, that name their
   * result columns, and whose plan does not depend on the values. One name, one text.
   */
  prepared?: string;
}

export interface Queryable {
  query<Row = Record<string, unknown>>(text: string, values?: unknown[], options?: QueryOptions): Promise<QueryResult<Row>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

/**
 * How long the statements of a unit of work may run (docs/OPERATIONS.md, "Timeouts"): `default`
 * (DATABASE_STATEMENT_TIMEOUT) for what a request does; `heavy` (DATABASE_HEAVY_STATEMENT_TIMEOUT) for reads known to
 * scan a large window (trust and KPIs); `unbounded` for migrations, which may build an index over a large table or
 * wait for another replica's migrations.
 */
export type StatementBudget = 'default' | 'heavy' | 'unbounded';

export interface TransactionOptions {
  budget?: StatementBudget;
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface Subscription {
  close(): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: DatabaseKind;
  /**
   * LISTEN on a channel. `onListening(false)` means notifications may be missed from now on (connection lost);
   * `onListening(true)` that the subscription is (re-)established. Writers NOTIFY with `select pg_notify(…)`
   * inside their transaction, so a notification is delivered only if the write committed.
   */
  listen(channel: string, onMessage: (payload: string) => void, onListening: (listening: boolean) => void): Promise<Subscription>;
  /** Runs fn in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** This database with each statement under the `heavy` budget: for known long reads outside a transaction. */
  readonly heavy: Queryable;
  /** Answers within timeoutMs or rejects: readiness depends on this never hanging. */
  ping(timeoutMs: number): Promise<void>;
  poolStats(): PoolStats;
  /**
   * The embedded database only: a gzipped tar of its data directory, taken while it keeps serving. `inspect` runs
   * on the same connection just before, with nothing else in between, so what it reads (row counts, the audit head)
   * describes exactly the state the archive holds.
   */
  dumpDataDir?<T>(inspect: (db: Queryable) => Promise<T>): Promise<{ archive: Blob; inspected: T }>;
  close(): Promise<void>;
}

/**
 * Receives the duration of every statement; telemetry turns it into a histogram. With tracing on, `trace` (set by
 * `tracedObserver`) also wraps each statement run within a trace in a span; without it, it is absent and a statement
 * costs one property read more.
 */
export type QueryObserver = ((operation: string, seconds: number, failed: boolean) => void) & {
  trace?: <T>(operation: string, text: string, run: () => Promise<T>) => Promise<T>;
};

/** The SQL verb of a statement: a bounded label for metrics (never the statement text). */
export function operationOf(text: string): string {
  const verb = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase() ?? 'other';
  return ['select', 'insert', 'update', 'delete', 'with', 'begin', 'commit', 'rollback'].includes(verb) ? verb : 'other';
}

/** Runs one statement and reports its duration and outcome to the observer, whichever driver ran it. */
export function observed<T>(observe: QueryObserver, text: string, run: () => Promise<T>): Promise<T> {
  return observe.trace ? observe.trace(operationOf(text), text, () => timed(observe, text, run)) : timed(observe, text, run);
}

async function timed<T>(observe: QueryObserver, text: string, run: () => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  let failed = false;
  try {
    return await run();
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    observe(operationOf(text), Number(process.hrtime.bigint() - started) / 1e9, failed);
  }
}

/** Postgres type OIDs whose text form we parse into JS numbers. */
export const NUMERIC_OID = 1700;
export const INT8_OID = 20;

export function parseNumeric(value: string): number {
  return Number(value);
}

/**
 * A JSON text as a `jsonb` parameter in PostgreSQL's binary format: the version byte 1, then the UTF-8 text.
 * node-postgres sends a Buffer parameter in binary, which skips the text-parameter path: on the embedded database
 * that path costs about 20 ns per byte (a 32 KB batch of decision rows: about 0.7 ms as text, 0.1 ms as bytes),
 * a third of what recording a batch of decisions cost. The statement must read the parameter as `$n::jsonb`.
 */
export function jsonbParameter(json: string): Buffer {
  const bytes = Buffer.allocUnsafe(1 + Buffer.byteLength(json));
  bytes[0] = 1;
  bytes.write(json, 1);
  return bytes;
}

export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
