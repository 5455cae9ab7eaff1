import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Queryable } from '../../../src/platform/db/index.js';
import type { QueryOptions } from '../../../src/platform/db/driver.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { createAgent, DAY, insertDecisions, insertEvents, insertGap, insertRuns, openIncident, testClock } from './fixtures.js';

/**
 * A transaction is one connection, which runs one statement at a time: a statement sent while another is running
 * is queued by node-postgres with a deprecation warning today ("Calling client.query() when the client is already
 * executing a query"), and refused from pg@9. The snapshot must therefore send its statements one after another.
 */
const PG_QUEUE_WARNING = 'already executing a query';

interface TransactionWatch {
  statements: number;
  mostInFlight: number;
}

/** Wraps every transaction's client so that the test sees how many statements were in flight on it at once. */
function watchTransactions(ctx: TestApp): { watches: TransactionWatch[]; restore(): void } {
  const db = ctx.container.db;
  const transaction = db.transaction.bind(db);
  const watches: TransactionWatch[] = [];
  const spy = vi.spyOn(db, 'transaction').mockImplementation(((fn: (tx: Queryable) => Promise<unknown>) =>
    transaction((tx) => {
      const watch = { statements: 0, mostInFlight: 0 };
      watches.push(watch);
      let inFlight = 0;
      const watched: Queryable = {
        ...tx,
        query: <Row>(text: string, values?: unknown[], options?: QueryOptions) => {
          watch.statements += 1;
          inFlight += 1;
          watch.mostInFlight = Math.max(watch.mostInFlight, inFlight);
          return tx.query<Row>(text, values, options).finally(() => {
            inFlight -= 1;
          });
        },
      };
      return fn(watched);
    })) as typeof db.transaction);
  return { watches, restore: () => spy.mockRestore() };
}

for (const target of databaseTargets) {
  describe(`trust snapshot statements on its transaction [${target.name}]`, () => {
    const clock = testClock();
    const now = clock.start;
    let ctx: TestApp;
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    beforeAll(async () => {
      // Alerts evaluate after a snapshot in transactions of their own; this test counts the snapshot's alone.
      ctx = await createTestApp(target, { ALERTS_ENABLED: 'false' }, { clock });
      process.on('warning', onWarning);
    });
    afterAll(async () => {
      process.off('warning', onWarning);
      await ctx?.close();
    });

    it('sends one statement at a time, with every input present, and no driver warning', async () => {
      // Every input of trust and the KPIs has rows, so that every read of the snapshot runs (none is skipped as empty).
      const agent = await createAgent(ctx, { classification: 'internal' });
      await insertRuns(ctx, agent.id, new Date(now.getTime() - 3 * DAY), 4, 3);
      await insertRuns(ctx, agent.id, new Date(now.getTime() - 60_000), 2, 2);
      await insertDecisions(ctx, agent.id, new Date(now.getTime() - 3 * DAY), 5, 4, 100);
      await insertEvents(ctx, 'order', ['o-1', 'o-2'], new Date(now.getTime() - DAY));
      const gap = await insertGap(ctx, { agent_id: agent.id, stream: 'orders', entity_type: 'order', entity_id: 'o-1', detected_at: new Date(now.getTime() - DAY) });
      await insertGap(ctx, { detected_at: new Date(now.getTime() - 2 * DAY), resolved_at: new Date(now.getTime() - DAY), due_at: now, cost_usd: 50 });
      await openIncident(ctx, { kind: 'drift', severity: 'high', agent_id: agent.id, gap_id: gap });

      const { watches, restore } = watchTransactions(ctx);
      try {
        expect(await ctx.container.modules.trust.service.snapshot({ force: true })).toMatchObject({ taken: true, agents: 1 });
      } finally {
        restore();
      }
      // Lets a deprecation warning emitted during the snapshot reach the 'warning' listener.
      await new Promise<void>((resolve) => setImmediate(resolve));

      expect(watches).toHaveLength(1);
      // Lock, latest snapshot, tables, incidents, rollups (state, days, writes), agents, inputs, KPIs, inserts.
      expect(watches[0]!.statements).toBeGreaterThan(15);
      expect(watches[0]!.mostInFlight).toBe(1);
      expect(warnings.filter((message) => message.includes(PG_QUEUE_WARNING))).toEqual([]);
    });
  });
}
