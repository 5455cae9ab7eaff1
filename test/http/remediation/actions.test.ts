import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Notification } from '../../../src/modules/receivers/index.js';
import { startTestReceiver } from '../../helpers/http-receiver.js';
import { waitFor } from '../../helpers/jobs.js';
import { createSource } from '../ingest/helpers.js';
import { createAgent } from '../sync/fixtures.js';
import { auditOf, createReceiver, describeRemediationSuite, metricValue, MINUTE, remediationsReaching, uniqueName, type Json } from './fixtures.js';

const byAction = (rows: Json[]) => Object.fromEntries(rows.map((row) => [row.action as string, row]));

/**
 * The other actions through the whole app (docs/self-healing.md "Actions"): notify through a receiver, open_incident,
 * retry_delivery of ORCA's own dead-lettered deliveries, a disabled step skipped, a delayed quarantine of the owner
 * agent (audited, reversible by approve), and a silenced step skipped.
 */
describeRemediationSuite('remediation actions', '2026-10-01T10:00:00.000Z', (ctx) => {
  it('carries out notify, open_incident, retry_delivery and a delayed quarantine; skips disabled and silenced steps', async () => {
    const { t, clock } = ctx();
    const server = await startTestReceiver();
    try {
      const owner = await createAgent(t);
      const quietOwner = await createAgent(t);
      const { id: sourceId } = await createSource(t, 'generic');
      const ops = await createReceiver(t, { name: uniqueName('ops'), kind: 'webhook', url: server.url('/ops') });

      // A notification about contract "ops" that ORCA failed to deliver: dead-lettered by a 400.
      server.answer(400, 'not now');
      const flaky = await createReceiver(t, { name: uniqueName('flaky'), kind: 'webhook', url: server.url('/flaky') });
      const earlier: Notification = {
        id: randomUUID(),
        kind: 'alert',
        receiver: flaky.name,
        groupKey: '{}:{alertname="stream-stale"}',
        groupLabels: { alertname: 'stream-stale' },
        status: 'firing',
        alerts: [
          {
            fingerprint: 'f-ops',
            status: 'firing',
            labels: { alertname: 'stream-stale', contract: 'ops', stream: 'tickets' },
            annotations: { summary: 'Stream tickets of contract ops is past its freshness SLA' },
            startsAt: '2026-10-01T09:00:00.000Z',
            endsAt: null,
            generatorURL: 'http://127.0.0.1:3000/api/v1/alerts',
          },
        ],
        correlationId: 'corr-earlier',
      };
      await t.container.modules.receivers.sink.enqueue(earlier);
      const [dead] = await waitFor(
        async () => ((await t.app.inject({ method: 'GET', url: `/api/v1/deliveries?receiver_id=${flaky.id}`, headers: t.as('operator') })).json() as { items: Json[] }).items,
        (rows) => rows[0]?.status === 'dead_lettered',
      );
      server.answer(200);

      const stream = (name: string) => ({ name, source: sourceId, entity_type: name, freshness: '10m' });
      const document = {
        contracts: [
          {
            name: 'ops',
            owner,
            remediation: {
              stale: [
                { action: 'notify', receiver: ops.name },
                { action: 'open_incident' },
                { action: 'retry_delivery', max_attempts: 1 },
                { action: 'suspend_agent', enabled: false },
                { action: 'quarantine_agent', after: '1h' },
              ],
            },
            streams: [stream('tickets')],
          },
          { name: 'quiet', owner: quietOwner, remediation: { stale: [{ action: 'notify', receiver: ops.name }] }, streams: [stream('notes')] },
        ],
      };
      const put = await t.app.inject({ method: 'PUT', url: '/api/v1/sync/contracts', headers: t.as('operator'), payload: document });
      expect(put.statusCode, put.body).toBe(200);
      const silence = await t.app.inject({
        method: 'POST',
        url: '/api/v1/silences',
        headers: t.as('operator'),
        payload: { matchers: ['contract="quiet"'], ends_at: '2026-10-02T10:00:00.000Z', comment: 'maintenance of the notes stream' },
      });
      expect(silence.statusCode, silence.body).toBe(201);
      const silenceId = (silence.json() as { id: string }).id;

      clock.advance(11 * MINUTE); // 10:11: both streams silent past their 10m SLO
      expect(await t.container.modules.sync.sweeper.runOnce()).toMatchObject({ stale_opened: 2 });
      const gaps = ((await t.app.inject({ method: 'GET', url: '/api/v1/sync/gaps?type=stale', headers: t.as('viewer') })).json() as { items: Json[] }).items;
      const gapOf = (contract: string) => gaps.find((gap) => gap.contract === contract)!;

      const settled = byAction(
        await remediationsReaching(t, gapOf('ops').id as string, (rows) =>
          rows.length === 5 && ['notify', 'open_incident', 'retry_delivery'].every((action) => byAction(rows)[action]?.status === 'verifying'),
        ),
      );
      expect(settled.suspend_agent).toMatchObject({ status: 'skipped', attempts: 0, reason: 'disabled in the remediation policy (enabled: false)', finished_at: '2026-10-01T10:11:00.000Z' });
      expect(settled.quarantine_agent).toMatchObject({ status: 'pending', attempts: 0, next_attempt_at: '2026-10-01T11:11:00.000Z' });
      // verify_within defaults to the contract's resolve_within (1h).
      expect(settled.notify).toMatchObject({ attempts: 1, verify_within_seconds: 3600, verify_until: '2026-10-01T11:11:00.000Z', result: { notification_id: expect.any(String) } });

      // notify: a Standard Webhooks notification to the ops receiver, labelled so that silences can match it.
      await waitFor(() => server.requests.filter((request) => request.url === '/ops').length, (count) => count === 1);
      const notified = JSON.parse(server.requests.find((request) => request.url === '/ops')!.body) as Json;
      expect(notified).toMatchObject({ type: 'orca.notification', kind: 'alert', status: 'firing' });
      expect((notified.alerts as Json[])[0]).toMatchObject({
        labels: { alertname: 'sync-gap-remediation', remediation_action: 'notify', gap_type: 'stale', severity: 'medium', rule: 'stream:tickets', contract: 'ops', agent_id: owner },
        generator_url: `http://127.0.0.1:3000/api/v1/remediations/${settled.notify!.id as string}`,
      });

      // open_incident: an incident linked to the gap and the owner agent.
      const incidentId = (settled.open_incident!.result as Json).incident_id as string;
      const incident = (await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${incidentId}`, headers: t.as('viewer') })).json() as Json;
      expect(incident).toMatchObject({ kind: 'sync_stale', severity: 'medium', agent_id: owner, gap_id: gapOf('ops').id, status: 'open', opened_by: 'system:remediation' });

      // retry_delivery: the dead-lettered notification about contract "ops" went out again, and arrived this time.
      expect(settled.retry_delivery!.result).toEqual({ retried_deliveries: [dead!.id] });
      await waitFor(
        async () => ((await t.app.inject({ method: 'GET', url: `/api/v1/deliveries?receiver_id=${flaky.id}`, headers: t.as('operator') })).json() as { items: Json[] }).items,
        (rows) => rows[0]?.status === 'delivered',
      );

      // The silenced contract's notify is skipped, naming the silence; nothing reached the receiver for it.
      const [quiet] = await remediationsReaching(t, gapOf('quiet').id as string, (rows) => rows[0]?.status === 'skipped');
      expect(quiet).toMatchObject({ action: 'notify', attempts: 0, reason: `silenced by silence ${silenceId}`, result: { silences: [silenceId] } });

      // 11:11:01: notify and open_incident had one attempt each and the gap is still open → gave up; the quarantine
      // is due (after: 1h) and is carried out.
      clock.advance(60 * MINUTE + 1000);
      expect(await t.container.modules.remediation.tick()).toMatchObject({ expired: 3, dispatched: 1 });
      const later = byAction(await remediationsReaching(t, gapOf('ops').id as string, (rows) => byAction(rows).quarantine_agent?.status === 'verifying'));
      expect([later.notify!.status, later.open_incident!.status, later.retry_delivery!.status]).toEqual(['gave_up', 'gave_up', 'gave_up']);
      expect(later.quarantine_agent).toMatchObject({ attempts: 1, result: { agent_id: owner, from_status: 'active', to_status: 'quarantined' } });
      const agent = (await t.app.inject({ method: 'GET', url: `/api/v1/agents/${owner}`, headers: t.as('viewer') })).json() as Json;
      expect(agent.status).toBe('quarantined');
      const history = ((await t.app.inject({ method: 'GET', url: `/api/v1/agents/${owner}/history`, headers: t.as('viewer') })).json() as { items: Json[] }).items;
      expect(history.find((entry) => entry.action === 'quarantine')).toMatchObject({ actor: 'system:remediation', reason: expect.stringContaining(`stale gap ${gapOf('ops').id as string}`) });

      // The stream speaks again: the gap closes by its data within the quarantine's window → healed.
      const event = { source_id: sourceId, event_type: 'ticket.updated', entity_type: 'tickets', entity_id: 'T-1', occurred_at: clock.now().toISOString() };
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/events', headers: t.as('ingest'), payload: { events: [event] } })).statusCode).toBe(201);
      const healed = byAction(await remediationsReaching(t, gapOf('ops').id as string, (rows) => byAction(rows).quarantine_agent?.status === 'healed'));
      expect(healed.quarantine_agent).toMatchObject({ healed_at: '2026-10-01T11:11:01.000Z' });
      expect((await auditOf(t, `agent:${owner}`)).map((entry) => [entry.action, entry.actor])).toContainEqual(['agent.quarantine', 'system:remediation']);

      // Reversible through the agents lifecycle: an operator approves the agent back.
      const approve = await t.app.inject({ method: 'POST', url: `/api/v1/agents/${owner}/approve`, headers: t.as('operator'), payload: { reason: 'upstream fixed' } });
      expect(approve.statusCode, approve.body).toBe(200);
      expect(await metricValue(t, 'orca_remediations_total{action="suspend_agent",outcome="skipped"}')).toBe(1);
      expect(await metricValue(t, 'orca_remediations_total{action="notify",outcome="skipped"}')).toBe(1);
      expect(await metricValue(t, 'orca_remediations_total{action="quarantine_agent",outcome="healed"}')).toBe(1);
    } finally {
      await server.close();
    }
  });
});
