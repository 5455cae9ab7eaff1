import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { openPostgres } from '../../src/platform/db/postgres.js';
import type { Database } from '../../src/platform/db/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createSchema, serverUrl } from '../helpers/db.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

/**
 * Nothing hangs when the database freezes (docs/OPERATIONS.md, "Timeouts"): a PostgreSQL process stopped with its
 * TCP connections open answers nothing and closes nothing, so only ORCA's own bounds can end a request. A TCP proxy
 * between the app and the server stops forwarding (freeze: bytes are queued both ways, as in the kernel of a stopped
 * process) and later delivers them (thaw). Requests in flight must answer 503 problem+json with Retry-After, and
 * the pool must serve correct answers by itself after the thaw: a connection whose statement timed out may still
 * deliver that statement's result, so it must never be handed out again.
 *
 * PostgreSQL only: the embedded PGlite runs inside the ORCA process and cannot freeze apart from it.
 */

const title = serverUrl
  ? 'statement budgets and a frozen database [postgres through a TCP proxy]'
  : 'statement budgets and a frozen database [skipped: ORCA_TEST_DATABASE_URL is unset; a frozen database needs a PostgreSQL server — PGlite is in-process]';

if (!serverUrl) console.warn('[frozen-database.test] ORCA_TEST_DATABASE_URL is unset: skipping the frozen-database tests (PostgreSQL only)');

// Far above every bound under test: reaching it means the request hung, which is the failure this file is about.
const HANG_MS = 20_000;

/** The response, or 'hung' when none came within HANG_MS. */
async function answerOf<T>(pending: Promise<T>): Promise<T | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), HANG_MS);
  });
  try {
    return await Promise.race([pending, hung]);
  } finally {
    clearTimeout(timer);
  }
}

function expectUnavailable(response: LightMyRequestResponse | 'hung', what: string): void {
  expect(response, `${what} never answered while the database was frozen`).not.toBe('hung');
  const answered = response as LightMyRequestResponse;
  expect(answered.statusCode, `${what}: ${answered.body}`).toBe(503);
  expect(answered.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  expect(answered.headers['retry-after']).toBe('5');
  expect(answered.json()).toMatchObject({ type: 'urn:orca:problem:unavailable', status: 503 });
}

const noObserver = () => {};

describe.skipIf(!serverUrl)(title, () => {
  let proxy: TcpProxy;
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);

  beforeAll(async () => {
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    const server = new URL(serverUrl as string);
    proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
  });

  afterEach(() => {
    // Whatever a case did, the next one starts with the network forwarding.
    proxy.thaw();
  });

  afterAll(async () => {
    await proxy?.close();
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  });

  describe('the driver', () => {
    let schema: Awaited<ReturnType<typeof createSchema>>;
    let db: Database | undefined;

    beforeAll(async () => {
      schema = await createSchema(serverUrl as string);
    });

    afterAll(async () => {
      await db?.close();
      await schema?.drop();
    });

    it('gives each statement the server-side budget of its kind: default, heavy, none for migrations', async () => {
      db = await openPostgres(
        { url: schema.url, poolMax: 2, preparedStatements: true, onPoolError: () => {}, statementTimeouts: { defaultMs: 1500, heavyMs: 7000 } },
        noObserver,
      );
      const shown = async (queryable: Pick<Database, 'query'>) => (await queryable.query<{ statement_timeout: string }>('show statement_timeout')).rows[0]?.statement_timeout;
      expect(await shown(db)).toBe('1500ms');
      expect(await shown(db.heavy)).toBe('7s');
      expect(await db.transaction((tx) => shown(tx))).toBe('1500ms');
      expect(await db.transaction((tx) => shown(tx), { budget: 'heavy' })).toBe('7s');
      expect(await db.transaction((tx) => shown(tx), { budget: 'unbounded' })).toBe('0');
      // SET LOCAL ends with its transaction: the connection goes back to the pool with the default budget.
      expect(await Promise.all([shown(db), shown(db)])).toEqual(['1500ms', '1500ms']);
      await db.close();
      db = undefined;
    });

    it('cancels a statement over budget on the server (57014) and keeps the connection usable', async () => {
      db = await openPostgres(
        { url: schema.url, poolMax: 1, preparedStatements: true, onPoolError: () => {}, statementTimeouts: { defaultMs: 300, heavyMs: 3000 } },
        noObserver,
      );
      await expect(db.query('select pg_sleep(2)')).rejects.toMatchObject({ code: '57014' });
      await expect(db.transaction((tx) => tx.query('select pg_sleep(2)'))).rejects.toMatchObject({ code: '57014' });
      expect((await db.heavy.query<{ slept: string }>(`select pg_sleep(0.5)::text as slept`)).rows).toEqual([{ slept: '' }]);
      expect((await db.query<{ n: number }>('select 7 as n')).rows).toEqual([{ n: 7 }]);
      await db.close();
      db = undefined;
    });

    it('stops waiting for a frozen server, and never reuses the connection that timed out', async () => {
      db = await openPostgres(
        {
          url: proxy.urlFor(schema.url),
          poolMax: 1,
          preparedStatements: true,
          onPoolError: () => {},
          statementTimeouts: { defaultMs: 400, heavyMs: 800 },
        },
        noObserver,
      );
      expect((await db.query<{ n: number }>('select 1 as n')).rows).toEqual([{ n: 1 }]);
      proxy.freeze();
      const outcomes = await Promise.all([
        answerOf(db.query('select 2 as n').then(() => 'answered', (error: Error) => error.message)),
        answerOf(db.transaction((tx) => tx.query('select 3 as n')).then(() => 'answered', (error: Error) => error.message)),
        answerOf(db.heavy.query('select 4 as n').then(() => 'answered', (error: Error) => error.message)),
      ]);
      for (const outcome of outcomes) expect(['Query read timeout', 'timeout exceeded when trying to connect']).toContain(outcome);
      expect(outcomes[0]).toBe('Query read timeout');
      proxy.thaw();
      // The frozen statements' results now arrive on the connections they were sent on. Handed out again, such a
      // connection would answer the next statement with an old result; every answer here is this statement's own.
      for (let n = 10; n < 20; n += 1) expect((await db.query<{ n: number }>(`select ${n} as n`)).rows).toEqual([{ n }]);
      expect((await db.transaction((tx) => tx.query<{ n: number }>('select 42 as n'))).rows).toEqual([{ n: 42 }]);
      expect(crashes).toEqual([]);
    });
  });

  describe('the HTTP API', () => {
    let testApp: TestApp;

    beforeAll(async () => {
      testApp = await createTestApp(
        {
          name: 'postgres',
          async provision() {
            const schema = await createSchema(serverUrl as string);
            return { url: proxy.urlFor(schema.url), drop: schema.drop };
          },
        },
        // Small budgets so the case is quick; the request deadline far above them, so what answers is the statement budget.
        { DATABASE_STATEMENT_TIMEOUT: '800ms', DATABASE_HEAVY_STATEMENT_TIMEOUT: '1500ms', HANDLER_TIMEOUT: '60s', DATABASE_POOL_MAX: '3' },
      );
    });

    afterAll(async () => {
      proxy.thaw();
      await testApp?.close();
    });

    it('answers requests in flight with 503 problem+json and Retry-After while the database is frozen, then serves again by itself', async () => {
      const created = await testApp.app.inject({ method: 'POST', url: '/api/v1/agents', headers: testApp.as('operator'), payload: { name: 'before-freeze', kind: 'workflow' } });
      expect(created.statusCode, created.body).toBe(201);
      expect((await testApp.app.inject({ method: 'GET', url: '/api/v1/kpis', headers: testApp.as('viewer') })).statusCode).toBe(200);

      proxy.freeze();
      const [list, write, kpis] = await Promise.all([
        answerOf(testApp.app.inject({ method: 'GET', url: '/api/v1/agents?limit=5', headers: testApp.as('viewer') })),
        answerOf(testApp.app.inject({ method: 'POST', url: '/api/v1/agents', headers: testApp.as('operator'), payload: { name: 'during-freeze', kind: 'workflow' } })),
        answerOf(testApp.app.inject({ method: 'GET', url: '/api/v1/kpis?window=7d', headers: testApp.as('viewer') })),
      ]);
      expectUnavailable(list, 'GET /api/v1/agents');
      expectUnavailable(write, 'POST /api/v1/agents');
      expectUnavailable(kpis, 'GET /api/v1/kpis');
      expect((await testApp.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);

      proxy.thaw();
      // No restart and no wait for a probe: the very next requests are served, with the data as it is.
      const after = await testApp.app.inject({ method: 'POST', url: '/api/v1/agents', headers: testApp.as('operator'), payload: { name: 'after-thaw', kind: 'workflow' } });
      expect(after.statusCode, after.body).toBe(201);
      for (let round = 0; round < 5; round += 1) {
        const listed = await testApp.app.inject({ method: 'GET', url: '/api/v1/agents?limit=50', headers: testApp.as('viewer') });
        expect(listed.statusCode, listed.body).toBe(200);
        const names = (listed.json() as { items: Array<{ name: string }> }).items.map((agent) => agent.name);
        expect(names).toEqual(expect.arrayContaining(['before-freeze', 'after-thaw']));
        expect(names).not.toContain('during-freeze');
      }
      expect((await testApp.app.inject({ method: 'GET', url: '/api/v1/kpis', headers: testApp.as('viewer') })).statusCode).toBe(200);
      expect((await testApp.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      const timedOut = testApp.logs.filter((line) => line.msg === 'database unavailable');
      expect(timedOut.length).toBeGreaterThanOrEqual(3);
      expect(crashes).toEqual([]);
    });
  });
});
