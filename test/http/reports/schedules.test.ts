import { createHash } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { startTestReceiver, type RecordedRequest, type TestReceiver } from '../../helpers/http-receiver.js';
import { waitFor } from '../../helpers/jobs.js';
import { createReceiver, DELIVERY_ENV, uniqueName, webhookSecret } from '../receivers/fixtures.js';
import { insertGap, testClock } from '../trust/fixtures.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test reads of JSON answers

const MINUTE = 60_000;

/**
 * Report schedules end to end (docs/reports.md "Scheduled reports"): a schedule every minute, driven by an injected
 * clock, delivers the executive report to a webhook receiver (a local server) through the real job queue and the
 * receivers' durable deliveries; each run is recorded.
 */
for (const target of databaseTargets) {
  describe(`report schedules [${target.name}]`, () => {
    const clock = testClock();
    let t: TestApp;
    let server: TestReceiver;
    let webhook: Json;
    const secret = webhookSecret();
    beforeAll(async () => {
      // Half past a minute, so that the first cron time is 30 s away on the injected clock.
      clock.set(new Date(Math.floor(clock.start.getTime() / MINUTE) * MINUTE + 30_000));
      server = await startTestReceiver();
      t = await createTestApp(target, { ...DELIVERY_ENV, REPORT_SCHEDULE_CHECK_INTERVAL: '1s' }, { clock });
      webhook = await createReceiver(t, { name: uniqueName('reports'), kind: 'webhook', url: server.url('/reports'), secret });
    });
    afterAll(async () => {
      await t?.close();
      await server?.close();
    });

    const post = (payload: Json, role: 'operator' | 'viewer' = 'operator') =>
      t.app.inject({ method: 'POST', url: '/api/v1/report-schedules', headers: t.as(role), payload });
    const runsOf = async (id: string): Promise<Json[]> => {
      const response = await t.app.inject({ method: 'GET', url: `/api/v1/report-schedules/${id}/runs`, headers: t.as('viewer') });
      expect(response.statusCode).toBe(200);
      return (response.json() as { items: Json[] }).items;
    };
    const requestsFor = (scheduleId: string): RecordedRequest[] =>
      server.requests.filter((request) => (JSON.parse(request.body) as Json).schedule?.id === scheduleId);

    it('refuses a cron that does not parse or an unknown time zone with a 400 naming it, and writes nothing', async () => {
      const valid = { name: 'weekly', cron: '0 8 * * 1', report_kind: 'executive', receiver_ids: [webhook.id] };
      const badCron = await post({ ...valid, cron: '61 8 * * 1' });
      expect(badCron.statusCode).toBe(400);
      expect(badCron.headers['content-type']).toContain('application/problem+json');
      expect(badCron.json().detail).toBe('cron "61 8 * * 1" is not a valid five-field cron expression (minute hour day-of-month month day-of-week, or @daily…): Invalid value for minute: 61');
      expect(badCron.json().errors).toEqual([{ path: '/body/cron', message: badCron.json().detail }]);
      const never = await post({ ...valid, cron: '0 0 31 2 *' });
      expect(never.statusCode).toBe(400);
      expect(never.json().detail).toBe('cron "0 0 31 2 *" never matches a date');
      const badZone = await post({ ...valid, time_zone: 'Europe/Atlantis' });
      expect(badZone.statusCode).toBe(400);
      expect(badZone.json().errors).toEqual([{ path: '/body/time_zone', message: 'time_zone "Europe/Atlantis" is not an IANA time zone (e.g. UTC, Europe/Paris, America/New_York)' }]);
      expect((await post({ ...valid, report_kind: 'weekly' })).statusCode).toBe(400);
      expect((await post({ ...valid, window: '400d' })).json().errors).toEqual([{ path: '/body/window', message: 'must be between 1h and 365d, e.g. 30d' }]);
      expect((await post({ ...valid, receiver_ids: [] })).statusCode).toBe(400);

      const missing = '01900000-0000-7000-8000-000000000000';
      const unknown = await post({ ...valid, receiver_ids: [webhook.id, missing] });
      expect(unknown.statusCode).toBe(422);
      expect(unknown.json().errors).toEqual([{ path: '/body/receiver_ids/1', message: `no receiver has the id ${missing}` }]);
      const alertmanager = await createReceiver(t, { name: uniqueName('am'), kind: 'alertmanager', url: server.url('/am') });
      const refusedKind = await post({ ...valid, receiver_ids: [alertmanager.id] });
      expect(refusedKind.statusCode).toBe(422);
      expect(refusedKind.json().errors).toEqual([{ path: '/body/receiver_ids/0', message: `receiver ${alertmanager.name} is an Alertmanager: it takes alerts, not reports` }]);

      expect((await post(valid, 'viewer')).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/report-schedules', payload: valid })).statusCode).toBe(401);
      const { rows } = await t.container.db.query<{ count: number }>('select count(*)::int as count from report_schedule');
      expect(rows[0]!.count).toBe(0);
    });

    it('creates, reads, lists and deletes a schedule (operator writes, viewer reads, audited)', async () => {
      const created = await post({ name: 'paris mornings', cron: '0 9 * * *', time_zone: 'Europe/Paris', report_kind: 'drift', format: 'csv', window: '7d', receiver_ids: [webhook.id] });
      expect(created.statusCode).toBe(201);
      const schedule = created.json();
      expect(created.headers.location).toBe(`/api/v1/report-schedules/${schedule.id}`);
      // The next 09:00 in Paris after the clock's now: within a day, and 09:00 on a Paris wall clock.
      const untilNext = new Date(schedule.next_run_at).getTime() - clock.now().getTime();
      expect(untilNext).toBeGreaterThan(0);
      expect(untilNext).toBeLessThanOrEqual(24 * 3_600_000);
      expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(schedule.next_run_at))).toBe('09:00');
      expect(schedule).toMatchObject({ name: 'paris mornings', report_kind: 'drift', format: 'csv', window: '7d', receiver_ids: [webhook.id], report_available: true });

      const read = await t.app.inject({ method: 'GET', url: `/api/v1/report-schedules/${schedule.id}`, headers: t.as('viewer') });
      expect(read.json()).toEqual(schedule);
      const list = await t.app.inject({ method: 'GET', url: '/api/v1/report-schedules', headers: t.as('viewer') });
      expect((list.json() as { items: Json[] }).items.map((item) => item.id)).toContain(schedule.id);

      expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/report-schedules/${schedule.id}`, headers: t.as('viewer') })).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/report-schedules/${schedule.id}`, headers: t.as('operator') })).statusCode).toBe(204);
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/report-schedules/${schedule.id}`, headers: t.as('viewer') })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/report-schedules/${schedule.id}`, headers: t.as('operator') })).statusCode).toBe(404);
      expect(await runsOf(schedule.id)).toEqual([]);
      const audit = await t.app.inject({ method: 'GET', url: `/api/v1/audit?target=report_schedule:${schedule.id}`, headers: t.as('admin') });
      expect((audit.json() as { items: Json[] }).items.map((entry) => entry.action)).toEqual(['report_schedule.delete', 'report_schedule.create']);
    });

    // Its budget covers its waits (60 s, 30 s and 60 s), not vitest's default 60 s.
    it('every minute, delivers the executive report to the webhook receiver, signed, and records each run', async () => {
      const executive = (await post({ name: 'minutely executive', cron: '* * * * *', report_kind: 'executive', receiver_ids: [webhook.id] })).json();
      const drift = (await post({ name: 'minutely drift', cron: '* * * * *', report_kind: 'drift', format: 'md', window: '24h', receiver_ids: [webhook.id] })).json();
      const firstMinute = new Date(Math.ceil(clock.now().getTime() / MINUTE) * MINUTE);
      expect(executive.next_run_at).toBe(firstMinute.toISOString());
      expect(await runsOf(executive.id)).toEqual([]);

      // The cron time passes on the injected clock: the next scheduled check queues one run per schedule.
      clock.set(new Date(firstMinute.getTime() + 5_000));
      await waitFor(() => requestsFor(executive.id).length + requestsFor(drift.id).length, (count) => count >= 2, 60_000);
      const [request] = requestsFor(executive.id);
      const envelope = new Webhook(secret).verify(request!.body, request!.headers as Record<string, string>) as Json;
      expect(envelope).toMatchObject({
        type: 'orca.report',
        version: 1,
        receiver: webhook.name,
        schedule: { id: executive.id, name: 'minutely executive' },
        scheduled_for: firstMinute.toISOString(),
        report: { kind: 'executive', format: 'json', window: '30d', media_type: 'application/json; charset=utf-8' },
      });
      expect(request!.headers['webhook-id']).toBe(envelope.id);
      // The report is built as of its cron time, whole, in the envelope; its digest covers exactly what was rendered.
      const report = envelope.report.content as Json;
      expect(report).toMatchObject({ generated_at: firstMinute.toISOString(), to: firstMinute.toISOString(), window: '30d', active_agents: 0 });
      expect(Object.keys(report.kpis).sort()).toEqual(['compliance_sla', 'drift_rate', 'risk_avoided', 'roi', 'self_resolution', 'sync_freshness', 'trust_score']);
      expect(envelope.report.sha256).toBe(createHash('sha256').update(JSON.stringify(report)).digest('hex'));

      const markdown = JSON.parse(requestsFor(drift.id)[0]!.body) as Json;
      expect(markdown.report).toMatchObject({ kind: 'drift', format: 'md', window: '24h', media_type: 'text/markdown; charset=utf-8' });
      expect(markdown.report.content).toMatch(/^# ORCA drift report\n\nWindow: 24h /);

      const [run] = await waitFor(() => runsOf(executive.id), (runs) => runs[0]?.deliveries[0]?.status === 'delivered', 30_000);
      expect(run).toMatchObject({
        schedule_id: executive.id,
        scheduled_for: firstMinute.toISOString(),
        status: 'sent',
        attempts: 1,
        error: null,
        media_type: 'application/json; charset=utf-8',
        report_bytes: Buffer.byteLength(JSON.stringify(report)),
        report_sha256: envelope.report.sha256,
        deliveries: [{ receiver_id: webhook.id, notification_id: envelope.id, status: 'delivered', attempts: 1, last_error: null }],
      });

      // A minute later on the clock: one more run, one more delivery, each for its own cron time.
      const secondMinute = new Date(firstMinute.getTime() + MINUTE);
      clock.set(new Date(secondMinute.getTime() + 5_000));
      await waitFor(() => requestsFor(executive.id).length, (count) => count >= 2, 60_000);
      const second = JSON.parse(requestsFor(executive.id)[1]!.body) as Json;
      expect(second.scheduled_for).toBe(secondMinute.toISOString());
      expect(second.run_id).not.toBe(envelope.run_id);
      const runs = await runsOf(executive.id);
      expect(runs.map((item) => item.scheduled_for)).toEqual([secondMinute.toISOString(), firstMinute.toISOString()]);
      const schedule = (await t.app.inject({ method: 'GET', url: `/api/v1/report-schedules/${executive.id}`, headers: t.as('viewer') })).json();
      expect(schedule.next_run_at).toBe(new Date(secondMinute.getTime() + MINUTE).toISOString());

      // A check that finds the same cron time due again (another replica that read the schedule before it moved on)
      // queues nothing twice: the run of (schedule, cron time) exists once.
      await t.container.db.query('update report_schedule set next_run_at = $2 where id = $1', [executive.id, secondMinute]);
      await t.container.modules.reports.dispatchDue();
      const { rows } = await t.container.db.query<{ count: number }>('select count(*)::int as count from report_run where schedule_id = $1', [executive.id]);
      expect(rows[0]!.count).toBe(2);
      const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metrics).toMatch(/orca_report_runs_total\{kind="executive",outcome="sent"\} [2-9]/);
      for (const id of [executive.id, drift.id]) {
        expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/report-schedules/${id}`, headers: t.as('operator') })).statusCode).toBe(204);
      }
    }, 240_000);

    // Its budget covers its waits (60 s and 30 s), not vitest's default 60 s.
    it('delivers the healing report of a healing schedule, built from the remediations as of its cron time', async () => {
      const healing = (await post({ name: 'minutely healing', cron: '* * * * *', report_kind: 'healing', receiver_ids: [webhook.id] })).json();
      expect(healing.report_available).toBe(true);
      const cronTime = new Date(Math.ceil(clock.now().getTime() / MINUTE) * MINUTE);
      expect(healing.next_run_at).toBe(cronTime.toISOString());
      const before = (minutes: number) => new Date(cronTime.getTime() - minutes * MINUTE);
      // Gap A: detected 10 min before the cron time, resolved by data 2 min later, before it was due, costing $120;
      // the resync that healed it acted 1 min before it closed. Gap B stays open; its notify step gave up.
      const gapA = await insertGap(t, { detected_at: before(10), due_at: before(1), resolved_at: before(8), resolution: 'auto', cost_usd: 120 });
      const gapB = await insertGap(t, { detected_at: before(5) });
      const remediation = (id: string, gap: string, fields: { action: string; position: number; status: string; attempts: number; created: Date; acted: Date; reason?: string }) =>
        t.container.db.query(
          `insert into remediation (id, gap_id, gap_type, contract, rule, action, position, status, attempts, max_attempts, verify_within_ms,
                                    last_attempt_at, finished_at, reason, created_at, updated_at)
           values ($1, $2, 'missing_record', 'orders', 'order-synced', $3, $9, $4, $5, 3, 60000, $6, $6, $7, $8, $8)`,
          [id, gap, fields.action, fields.status, fields.attempts, fields.acted, fields.reason ?? null, fields.created, fields.position],
        );
      await remediation('01900000-0000-7000-8000-0000000be001', gapA, { action: 'resync_request', position: 0, status: 'healed', attempts: 1, created: before(9.5), acted: before(9) });
      await remediation('01900000-0000-7000-8000-0000000be002', gapB, { action: 'notify', position: 0, status: 'gave_up', attempts: 3, created: before(4), acted: before(2), reason: 'no answer' });
      // Created after the cron time: a report as of the cron time does not count it, however late its run.
      await remediation('01900000-0000-7000-8000-0000000be003', gapB, { action: 'open_incident', position: 1, status: 'failed', attempts: 1, created: new Date(cronTime.getTime() + 1_000), acted: new Date(cronTime.getTime() + 1_000) });

      clock.set(new Date(cronTime.getTime() + 5_000));
      await waitFor(() => requestsFor(healing.id).length, (count) => count >= 1, 60_000);
      const envelope = new Webhook(secret).verify(requestsFor(healing.id)[0]!.body, requestsFor(healing.id)[0]!.headers as Record<string, string>) as Json;
      expect(envelope).toMatchObject({
        type: 'orca.report',
        schedule: { id: healing.id, name: 'minutely healing' },
        scheduled_for: cronTime.toISOString(),
        report: { kind: 'healing', format: 'json', window: '30d', media_type: 'application/json; charset=utf-8' },
      });
      const report = envelope.report.content as Json;
      // Exactly the report GET /reports/healing serves, as of the cron time.
      expect(report).toEqual(JSON.parse(JSON.stringify(await t.container.modules.reports.service.healing('30d', cronTime))));
      expect(report).toMatchObject({
        generated_at: cronTime.toISOString(),
        to: cronTime.toISOString(),
        window: '30d',
        remediations: { total: 2, in_progress: 0, healed: 1, failed: 0, gave_up: 1, skipped: 0, attempts: 4, heal_rate: 0.5 },
        time_to_heal: { gaps: 1, since_detection: { mean_seconds: 120, median_seconds: 120, max_seconds: 120 }, after_action: { mean_seconds: 60, max_seconds: 60 } },
        cost_avoided: { usd: 120, gaps: 1 },
        problems: [{ contract: 'orders', rule: 'order-synced', action: 'notify', count: 1, last_reason: 'no answer' }],
      });
      expect((report.by_action as Json[]).find((row) => row.action === 'resync_request')).toMatchObject({ total: 1, healed: 1, heal_rate: 1 });
      expect(envelope.report.sha256).toBe(createHash('sha256').update(JSON.stringify(report)).digest('hex'));

      const [run] = await waitFor(() => runsOf(healing.id), (runs) => runs[0]?.deliveries[0]?.status === 'delivered', 30_000);
      expect(run).toMatchObject({ scheduled_for: cronTime.toISOString(), status: 'sent', error: null, report_sha256: envelope.report.sha256 });
      const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metrics).toMatch(/orca_report_runs_total\{kind="healing",outcome="sent"\} [1-9]/);
      expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/report-schedules/${healing.id}`, headers: t.as('operator') })).statusCode).toBe(204);
    }, 150_000);
  });
}
