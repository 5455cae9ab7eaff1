import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../modules/system/index.js';
import { doctorHints } from './hints.js';

const up: CheckResult = { status: 'up', latency_ms: 1 };
const down = (detail: string): CheckResult => ({ status: 'down', latency_ms: 1, detail });

describe('doctorHints', () => {
  it('says nothing when every check is up', () => {
    expect(doctorHints({ database: up, migrations: up, redis: up }, { database: 'postgres', redisTarget: 'cache:6379' })).toEqual([]);
  });

  it('sends an unreachable PostgreSQL to DATABASE_URL and the server, never to orca migrate', () => {
    const hints = doctorHints({ database: down('connect ECONNREFUSED'), migrations: down('database unreachable') }, { database: 'postgres' });
    expect(hints).toEqual([
      'the PostgreSQL server did not answer: check DATABASE_URL (host, port, user, password, database name) and that the server is running and reachable from here',
    ]);
  });

  it('sends an embedded database that cannot be opened to ORCA_DATA_DIR', () => {
    expect(doctorHints({ database: down('EACCES') }, { database: 'pglite' })).toEqual([
      'the embedded database could not be opened: check that ORCA_DATA_DIR is writable and that no other ORCA process is using it (PGlite belongs to one process)',
    ]);
  });

  it('sends pending migrations to orca migrate, and a failed migration check elsewhere', () => {
    expect(doctorHints({ database: up, migrations: down('pending migrations: 7, 8') }, { database: 'pglite' })).toEqual([
      'run `orca migrate` (or start ORCA once) to apply the pending migrations',
    ]);
    expect(doctorHints({ database: up, migrations: down('migration check timed out after 800 ms') }, { database: 'postgres' })[0]).not.toContain('orca migrate');
  });

  it('names the Redis target and its connection error, and says what running without Redis means', () => {
    const hints = doctorHints({ database: up, migrations: up, redis: down('connect ECONNREFUSED 127.0.0.1:6390') }, {
      database: 'postgres',
      redisTarget: '127.0.0.1:6390',
      redisError: 'connect ECONNREFUSED 127.0.0.1:6390',
    });
    expect(hints).toEqual([
      'Redis at 127.0.0.1:6390 did not answer (connect ECONNREFUSED 127.0.0.1:6390): check REDIS_URL and that Redis is running, or unset REDIS_URL. ' +
        'ORCA serves without it (rate limits fall back to per-process counters) and stays ready; /health and /status say degraded meanwhile',
    ]);
  });

  it('gives one line per failing dependency', () => {
    expect(doctorHints({ database: down('x'), migrations: down('database unreachable'), redis: down('y') }, { database: 'postgres' })).toHaveLength(2);
  });
});
