import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { createRecordingSink } from '../../helpers/notification-sink.js';
import { testClock } from '../trust/fixtures.js';

/**
 * Retention of resolved alerts (ALERTS_RESOLVED_RETENTION, here 2d): the alerts.prune job deletes alerts resolved
 * before it, and nothing else — not a live alert however old, not a resolved one a group still reports firing.
 */
const DAY = 86_400_000;

for (const target of databaseTargets) {
  describe(`resolved alert retention [${target.name}]`, () => {
    const clock = testClock();
    let ctx: TestApp;
    beforeAll(async () => {
      ctx = await createTestApp(target, { ALERTS_RESOLVED_RETENTION: '2d' }, { role: 'api', clock, notificationSink: createRecordingSink(['default']) });
    });
    afterAll(async () => {
      await ctx?.close();
    });

    const insertAlert = (fingerprint: string, status: 'firing' | 'resolved', since: Date, endsAt: Date | null) =>
      ctx.container.db.query(
        `insert into alert (fingerprint, rule, labels, annotations, status, active_since, starts_at, ends_at, last_evaluated_at)
         values ($1, 'retention', '{"alertname":"retention"}'::jsonb, '{}'::jsonb, $2, $3, $3, $4, $3)`,
        [fingerprint, status, since, endsAt],
      );

    it('deletes the alerts resolved before the retention, keeping live ones and those a group still reports firing', async () => {
      const now = clock.now().getTime();
      const at = (days: number) => new Date(now - days * DAY);
      await insertAlert('old-resolved', 'resolved', at(10), at(3));
      await insertAlert('just-inside', 'resolved', at(10), new Date(now - 2 * DAY + 1000));
      await insertAlert('old-firing', 'firing', at(40), null);
      await insertAlert('old-reported', 'resolved', at(10), at(5));
      await ctx.container.db.query(
        `insert into alert_group (group_key, receiver, group_labels, first_seen_at, last_sent_at, sent_state)
         values ('retention-group', 'default', '{}'::jsonb, $1, $1, '{"old-reported":"firing"}'::jsonb)`,
        [at(6)],
      );
      expect(await ctx.container.modules.alerts.pruneResolved()).toBe(1);
      const { rows } = await ctx.container.db.query<{ fingerprint: string }>("select fingerprint from alert where rule = 'retention' order by fingerprint");
      expect(rows.map((row) => row.fingerprint)).toEqual(['just-inside', 'old-firing', 'old-reported']);
      clock.advance(2000);
      expect(await ctx.container.modules.alerts.pruneResolved()).toBe(1);
      expect(await ctx.container.modules.alerts.pruneResolved()).toBe(0);
    });
  });
}
