import type { Queryable } from '../../platform/db/index.js';
import type { ClockReference } from './clock-check.js';

/** The database server's clock: clock_timestamp() is the time the statement reads it (now() is the transaction's start). */
export function databaseClock(db: Queryable): ClockReference {
  return {
    kind: 'database',
    resolutionMs: 0,
    async read() {
      const { rows } = await db.query<{ ms: number }>('select (extract(epoch from clock_timestamp()) * 1000)::float8 as ms');
      const ms = Number(rows[0]?.ms);
      if (!Number.isFinite(ms)) throw new Error('the database returned no time');
      return ms;
    },
  };
}

/**
 * The running server's clock, from the Date header of its /livez answer (whole seconds). The embedded database runs
 * inside that server, on its clock.
 */
export function serverClock(baseUrl: string): ClockReference {
  return {
    kind: 'server',
    resolutionMs: 1000,
    async read() {
      const response = await fetch(new URL('/livez', baseUrl), { signal: AbortSignal.timeout(5_000) });
      await response.body?.cancel();
      const date = Date.parse(response.headers.get('date') ?? '');
      if (!Number.isFinite(date)) throw new Error('the server sent no Date header');
      return date;
    },
  };
}
