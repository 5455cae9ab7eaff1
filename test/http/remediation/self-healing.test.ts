import { expect, it } from 'vitest';
import { startTestReceiver, type TestReceiver } from '../../helpers/http-receiver.js';
import { waitFor } from '../../helpers/jobs.js';
import { createSource } from '../ingest/helpers.js';
import { createAgent } from '../sync/fixtures.js';
import {
  auditOf,
  createReceiver,
  describeRemediationSuite,
  metricValue,
  MINUTE,
  remediations,
  remediationsReaching,
  signatureValid,
  uniqueName,
  webhookSecret,
  type Json,
} from './fixtures.js';

/**
 * Self-healing end to end (docs/self-healing.md): a missing_record gap asks its owner automation for a resync with a
 * signed webhook; the automation sends the missing event into ingest, the gap closes and the remediation is healed,
 * counted by the Self-Resolution Ratio and the healing report. An automation that never answers is given up on after
 * max_attempts, its breaker open in /status, and nothing is lost: the gap stays open until its data arrives.
 */
describeRemediationSuite('self-healing', '2026-09-01T08:00:00.000Z', (ctx) => {
  const servers: TestReceiver[] = [];
  const state: { owner?: string; sourceId?: string; slowReceiver?: { id: string; name: string }; shopReceiver?: { id: string; name: string } } = {};

  const contracts = (extra: Json[] = []) => ({
    contracts: [
      {
        name: 'shop',
        owner: state.owner,
        costs: { missing_record: { risk_kind: 'order_unfulfilled', cost_usd: 1500 } },
        streams: [{ name: 'orders', source: state.sourceId, entity_type: 'order', freshness: '1h' }],
        follow_ups: [
          {
            name: 'fulfil',
            when: { stream: 'orders', event_type: 'order.created' },
            then: { stream: 'orders', event_type: 'order.fulfilled' },
            within: '30m',
            warn_before: '10m',
            remediation: [{ action: 'resync_request', receiver: state.shopReceiver!.name, verify_within: '5m' }],
          },
        ],
      },
      ...extra,
    ],
  });

  const postEvent = async (event: Json) => {
    const { clock, t } = ctx();
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: t.as('ingest'),
      payload: { events: [{ source_id: state.sourceId, occurred_at: clock.now().toISOString(), ...event }] },
    });
    expect(response.statusCode, response.body).toBe(201);
  };

  const openGap = async (contract: string) => {
    const { t } = ctx();
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/sync/gaps', query: { contract, type: 'missing_record' }, headers: t.as('viewer') });
    const [gap] = (response.json() as { items: Json[] }).items;
    expect(gap).toBeDefined();
    return gap!;
  };

  it('heals a missing_record gap: signed resync request, the automation sends the event, the KPI and report count it', async () => {
    const { t, clock } = ctx();
    const server = await startTestReceiver();
    servers.push(server);
    server.answer(202, '{"queued":true}', { 'content-type': 'application/json' });
    const secret = webhookSecret();
    state.owner = await createAgent(t);
    state.sourceId = (await createSource(t, 'generic')).id;
    state.shopReceiver = await createReceiver(t, { name: uniqueName('shop-resync'), kind: 'webhook', url: server.url('/resync'), secret });
    const put = await t.app.inject({ method: 'PUT', url: '/api/v1/sync/contracts', headers: t.as('operator'), payload: contracts() });
    expect(put.statusCode, put.body).toBe(200);

    await postEvent({ idempotency_key: 'o1-created', event_type: 'order.created', entity_type: 'order', entity_id: 'O-1' });
    clock.advance(20 * MINUTE + 1000); // 08:20:01, past the follow-up's warning time (30m − 10m)
    expect(await t.container.modules.sync.sweeper.runOnce()).toMatchObject({ missing_opened: 1 });
    const gap = await openGap('shop');
    expect(gap).toMatchObject({ status: 'open', entity_id: 'O-1', detected_at: '2026-09-01T08:20:01.000Z', due_at: '2026-09-01T08:30:00.000Z' });

    // The attempt's job calls the automation; the action done, the gap has until 08:25:01 to close.
    await server.received(1);
    const [verifying] = await remediationsReaching(t, gap.id as string, (rows) => rows[0]?.status === 'verifying');
    const id = verifying!.id as string;
    expect(verifying).toMatchObject({ attempts: 1, verify_until: '2026-09-01T08:25:01.000Z', last_attempt_at: '2026-09-01T08:20:01.000Z' });

    expect(new Set(server.requests.map((sent) => sent.headers['webhook-id'])).size).toBe(1);
    const request = server.requests[0]!;
    expect(request.method).toBe('POST');
    expect(signatureValid(secret, request)).toBe(true);
    expect(request.headers['webhook-id']).toBe(`${id}_1`);
    expect(request.headers['webhook-timestamp']).toBe(String(Date.parse('2026-09-01T08:20:01.000Z') / 1000));
    expect(request.headers['x-correlation-id']).toBe(`remediation-${id}`);
    const body = JSON.parse(request.body) as Json;
    expect(body).toEqual({
      type: 'orca.resync_request',
      version: 1,
      id: `${id}_1`,
      remediation_id: id,
      attempt: 1,
      max_attempts: 3,
      owner_agent_id: state.owner,
      gap: {
        id: gap.id,
        type: 'missing_record',
        severity: 'high',
        contract: 'shop',
        rule: 'fulfil',
        stream: 'orders',
        detected_at: '2026-09-01T08:20:01.000Z',
        due_at: '2026-09-01T08:30:00.000Z',
      },
      entity: { type: 'order', id: 'O-1' },
      missing: {
        event_type: 'order.fulfilled',
        stream: 'orders',
        key: 'O-1',
        deadline: '2026-09-01T08:30:00.000Z',
        after_event: { id: expect.any(String), type: 'order.created' },
      },
      status_url: `http://127.0.0.1:3000/api/v1/remediations/${id}`,
      correlation_id: `remediation-${id}`,
    });

    // Two minutes later the automation sends what the request says is missing.
    clock.advance(2 * MINUTE);
    const missing = body.missing as Json;
    const entity = body.entity as Json;
    await postEvent({ idempotency_key: 'o1-fulfilled', event_type: missing.event_type, entity_type: entity.type, entity_id: entity.id });
    const [healed] = await remediationsReaching(t, gap.id as string, (rows) => rows[0]?.status === 'healed');
    expect(healed).toEqual({
      id,
      gap_id: gap.id,
      gap_type: 'missing_record',
      contract: 'shop',
      rule: 'fulfil',
      entity_id: 'O-1',
      agent_id: state.owner,
      action: 'resync_request',
      receiver: state.shopReceiver.name,
      status: 'healed',
      outcome: 'healed',
      attempts: 1,
      max_attempts: 3,
      verify_within_seconds: 300,
      next_attempt_at: null,
      verify_until: '2026-09-01T08:25:01.000Z',
      last_attempt_at: '2026-09-01T08:20:01.000Z',
      finished_at: '2026-09-01T08:22:01.000Z',
      healed_at: '2026-09-01T08:22:01.000Z',
      reason: 'the gap closed within verify_within after the action',
      last_error: null,
      // One try, or two when PGlite held the event loop past OUTBOUND_TIMEOUT: the same webhook-id either way.
      result: { receiver_id: state.shopReceiver.id, webhook_id: `${id}_1`, http_status: 202, tries: expect.any(Number) },
      correlation_id: `remediation-${id}`,
      created_at: '2026-09-01T08:20:01.000Z',
      updated_at: expect.any(String),
    });
    const one = await t.app.inject({ method: 'GET', url: `/api/v1/remediations/${id}`, headers: t.as('viewer') });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual(healed);

    // Self-Resolution: the one gap resolved in W was automatic, and healed by an action: (1 + 0) / (1 + 0) = 1.
    const kpis = (await t.app.inject({ method: 'GET', url: '/api/v1/kpis?window=30d', headers: t.as('viewer') })).json() as { kpis: Record<string, Json> };
    expect(kpis.kpis.self_resolution).toEqual({
      value: 1,
      unit: 'ratio',
      numerator: 1,
      denominator: 1,
      window: '30d',
      band: null,
      inputs: { gaps_resolved_auto: 1, gaps_closed_by_data: 0, gaps_healed_by_action: 1, gaps_resolved: 1, incidents_resolved_auto: 0, incidents_resolved: 0 },
    });

    // Healing report: healed 2 min after detection and after the action; $1,500 avoided (resolved 08:22:01 ≤ due 08:30).
    const report = await t.app.inject({ method: 'GET', url: '/api/v1/reports/healing?window=30d', headers: t.as('viewer') });
    expect(report.statusCode, report.body).toBe(200);
    const healing = report.json() as Json;
    const two = { mean_seconds: 120, median_seconds: 120, p90_seconds: 120, max_seconds: 120 };
    expect(healing).toMatchObject({
      window: '30d',
      to: '2026-09-01T08:22:01.000Z',
      remediations: { total: 1, in_progress: 0, healed: 1, failed: 0, gave_up: 0, skipped: 0, attempts: 1, heal_rate: 1 },
      time_to_heal: { gaps: 1, since_detection: two, after_action: two },
      self_resolution: { value: 1, inputs: { gaps_healed_by_action: 1 } },
      cost_avoided: { usd: 1500, gaps: 1 },
      problems: [],
    });
    expect((healing.by_action as Json[]).find((row) => row.action === 'resync_request')).toMatchObject({ total: 1, healed: 1, heal_rate: 1 });
    expect((healing.by_action as Json[]).find((row) => row.action === 'notify')).toMatchObject({ total: 0, heal_rate: null });

    expect((await auditOf(t, `remediation:${id}`)).map((entry) => [entry.action, entry.actor])).toEqual([
      ['remediation.verifying', 'system:remediation'],
      ['remediation.healed', 'system:remediation'],
    ]);
    expect(await metricValue(t, 'orca_remediations_total{action="resync_request",outcome="healed"}')).toBe(1);
    expect(await metricValue(t, 'orca_remediation_attempts_total{action="resync_request",result="done"}')).toBe(1);
  });

  it('gives up on an automation that never answers after max_attempts, its breaker open, nothing lost', async () => {
    const { t, clock } = ctx();
    const server = await startTestReceiver();
    servers.push(server);
    server.respond(() => {
      // Never answers: every try runs into OUTBOUND_TIMEOUT.
    });
    state.slowReceiver = await createReceiver(t, { name: uniqueName('slow-resync'), kind: 'webhook', url: server.url('/resync'), secret: webhookSecret() });
    const late = {
      name: 'late',
      owner: state.owner,
      streams: [{ name: 'invoices', source: state.sourceId, entity_type: 'invoice', freshness: '1h' }],
      follow_ups: [
        {
          name: 'pay',
          when: { stream: 'invoices', event_type: 'invoice.sent' },
          then: { stream: 'invoices', event_type: 'invoice.paid' },
          within: '30m',
          warn_before: '10m',
          remediation: [{ action: 'resync_request', receiver: state.slowReceiver.name, verify_within: '5m', max_attempts: 3 }],
        },
      ],
    };
    const put = await t.app.inject({ method: 'PUT', url: '/api/v1/sync/contracts', headers: t.as('operator'), payload: contracts([late]) });
    expect(put.statusCode, put.body).toBe(200);
    await postEvent({ idempotency_key: 'i1-sent', event_type: 'invoice.sent', entity_type: 'invoice', entity_id: 'I-1' }); // 08:22:01
    clock.advance(20 * MINUTE + 1000); // 08:42:02
    expect(await t.container.modules.sync.sweeper.runOnce()).toMatchObject({ missing_opened: 1 });
    const gap = await openGap('late');

    // Attempt 1: two tries (OUTBOUND_RETRIES 1) time out; the next attempt is due REMEDIATION_RETRY_DELAY (1m) later.
    let [row] = await remediationsReaching(t, gap.id as string, (rows) => rows[0]?.attempts === 1 && rows[0]?.status === 'pending');
    expect(row).toMatchObject({ next_attempt_at: '2026-09-01T08:43:02.000Z', last_error: expect.stringMatching(/^timeout: /), outcome: null });
    const id = row!.id as string;
    // Not due yet: a tick sends nothing.
    expect(await t.container.modules.remediation.tick()).toEqual({ settled: 0, expired: 0, dispatched: 0 });

    // Attempt 2 at 08:43:02: two more timeouts; the wait doubles (2m).
    clock.advance(MINUTE);
    expect(await t.container.modules.remediation.tick()).toEqual({ settled: 0, expired: 0, dispatched: 1 });
    [row] = await remediationsReaching(t, gap.id as string, (rows) => rows[0]?.attempts === 2 && rows[0]?.status === 'pending');
    expect(row).toMatchObject({ next_attempt_at: '2026-09-01T08:45:02.000Z' });

    // Attempt 3 at 08:45:02: the fifth consecutive failure opens the breaker, so its retry is not even sent.
    clock.advance(2 * MINUTE);
    expect(await t.container.modules.remediation.tick()).toMatchObject({ dispatched: 1 });
    [row] = await remediationsReaching(t, gap.id as string, (rows) => rows[0]?.status === 'gave_up');
    expect(row).toMatchObject({
      id,
      status: 'gave_up',
      outcome: 'gave_up',
      attempts: 3,
      max_attempts: 3,
      next_attempt_at: null,
      finished_at: '2026-09-01T08:45:02.000Z',
      reason: expect.stringMatching(/^attempt 3 of 3 failed: breaker_open: /),
      last_error: expect.stringMatching(/^breaker_open: /),
      result: { receiver_id: state.slowReceiver.id, webhook_id: `${id}_3`, outbound_failure: 'breaker_open' },
    });
    expect(server.requests.map((request) => request.headers['webhook-id'])).toEqual([`${id}_1`, `${id}_1`, `${id}_2`, `${id}_2`, `${id}_3`]);
    const status = (await t.app.inject({ method: 'GET', url: '/status', headers: t.as('viewer') })).json() as { breakers: Json[] };
    expect(status.breakers.find((breaker) => breaker.target === state.slowReceiver!.id)).toMatchObject({ kind: 'remediation', state: 'open' });
    expect((await auditOf(t, `remediation:${id}`)).map((entry) => entry.action)).toEqual(['remediation.pending', 'remediation.pending', 'remediation.gave_up']);
    expect(await metricValue(t, 'orca_remediations_total{action="resync_request",outcome="gave_up"}')).toBe(1);
    expect(await metricValue(t, 'orca_remediation_attempts_total{action="resync_request",result="retry"}')).toBe(3);

    // Nothing lost: the gap is still open, and closes by itself when the payment finally arrives.
    expect(await openGap('late')).toMatchObject({ id: gap.id, status: 'open' });
    clock.advance(MINUTE);
    await postEvent({ idempotency_key: 'i1-paid', event_type: 'invoice.paid', entity_type: 'invoice', entity_id: 'I-1' });
    await waitFor(
      async () => (await t.app.inject({ method: 'GET', url: `/api/v1/sync/gaps/${gap.id as string}`, headers: t.as('viewer') })).json() as Json,
      (current) => current.status === 'resolved',
    );
    await t.container.modules.remediation.tick();
    expect((await remediations(t, { gap_id: gap.id as string }))[0]).toMatchObject({ status: 'gave_up' });

    // Two automatic gap resolutions in W: one healed by the resync, one closed by its data on its own.
    const kpis = (await t.app.inject({ method: 'GET', url: '/api/v1/kpis?window=30d', headers: t.as('viewer') })).json() as { kpis: Record<string, Json> };
    expect(kpis.kpis.self_resolution).toMatchObject({
      value: 1,
      numerator: 2,
      denominator: 2,
      inputs: { gaps_resolved_auto: 2, gaps_closed_by_data: 1, gaps_healed_by_action: 1, gaps_resolved: 2 },
    });
    const healing = (await t.app.inject({ method: 'GET', url: '/api/v1/reports/healing?window=30d', headers: t.as('viewer') })).json() as Json;
    expect(healing).toMatchObject({
      remediations: { total: 2, healed: 1, gave_up: 1, attempts: 4, heal_rate: 0.5 },
      cost_avoided: { usd: 1500, gaps: 1 },
      problems: [{ contract: 'late', rule: 'pay', action: 'resync_request', count: 1, last_reason: expect.stringMatching(/^attempt 3 of 3 failed: breaker_open/) }],
    });
    for (const server of servers) await server.close();
  });

  it('lists remediations with filters and cursor pagination, by viewer keys only; reads one or 404', async () => {
    const { t } = ctx();
    const all = await remediations(t, {});
    expect(all.map((row) => row.status)).toEqual(['gave_up', 'healed']);
    expect((await remediations(t, { status: 'healed' })).map((row) => row.contract)).toEqual(['shop']);
    expect(await remediations(t, { agent_id: state.owner! })).toHaveLength(2);
    expect(await remediations(t, { agent_id: '0190c0de-0000-7000-8000-00000000dead' })).toEqual([]);
    expect((await remediations(t, { gap_id: all[1]!.gap_id as string })).map((row) => row.id)).toEqual([all[1]!.id]);

    const first = await t.app.inject({ method: 'GET', url: '/api/v1/remediations?limit=1', headers: t.as('viewer') });
    const page = first.json() as { items: Json[]; next_cursor: string };
    expect(page.items.map((row) => row.id)).toEqual([all[0]!.id]);
    const second = (await t.app.inject({ method: 'GET', url: `/api/v1/remediations?limit=1&cursor=${page.next_cursor}`, headers: t.as('viewer') })).json() as { items: Json[]; next_cursor: string | null };
    expect(second).toEqual({ items: [all[1]], next_cursor: null });

    const badStatus = await t.app.inject({ method: 'GET', url: '/api/v1/remediations?status=fixed', headers: t.as('viewer') });
    expect(badStatus.statusCode).toBe(400);
    expect(badStatus.json().errors[0].path).toBe('/querystring/status');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/remediations?cursor=nope', headers: t.as('viewer') })).statusCode).toBe(400);
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/remediations/0190c0de-0000-7000-8000-00000000dead', headers: t.as('viewer') });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/remediations' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/remediations', headers: t.as('ingest') })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/reports/healing?window=2y', headers: t.as('viewer') })).statusCode).toBe(400);
    const md = await t.app.inject({ method: 'GET', url: '/api/v1/reports/healing?format=md', headers: t.as('viewer') });
    expect(md.headers['content-type']).toMatch(/^text\/markdown/);
    expect(md.body).toContain('| resync\\_request | 2 | 0 | 1 | 0 | 1 | 0 | 4 | 50 % |');
    const csv = await t.app.inject({ method: 'GET', url: '/api/v1/reports/healing', headers: { ...t.as('viewer'), accept: 'text/csv' } });
    expect(csv.body.split('\r\n')).toContain('cost_avoided,usd,,,,,,,,1500,1 gaps; sum of cost_usd of the gaps resolved in the window before their due time that a remediation healed: the healed share of Risk Avoided’s gap term');
    const html = await t.app.inject({ method: 'GET', url: '/api/v1/reports/healing?format=html', headers: t.as('viewer') });
    expect(html.headers['content-security-policy']).toMatch(/^default-src 'none'/);
    expect(html.body).toContain('<h1>ORCA healing report</h1>');
  });

  it('refuses a remediation policy that cannot work: 400 naming the path, 422 for an unknown receiver, nothing stored', async () => {
    const { t } = ctx();
    const before = (await t.app.inject({ method: 'GET', url: '/api/v1/sync/contracts', headers: t.as('viewer') })).json() as { version: number };
    const put = (document: Json) => t.app.inject({ method: 'PUT', url: '/api/v1/sync/contracts', headers: t.as('operator'), payload: document });
    const withPolicy = (policy: unknown) => {
      const document = contracts();
      (document.contracts[0] as Json).remediation = { missing_record: policy };
      return document;
    };

    const noReceiver = await put(withPolicy([{ action: 'notify' }]));
    expect(noReceiver.statusCode).toBe(400);
    expect(noReceiver.json().errors).toEqual([{ path: '/body/contracts/0/remediation/missing_record/0/receiver', message: 'notify needs a receiver: the name of the receiver to call' }]);
    const badAttempts = await put(withPolicy([{ action: 'open_incident', max_attempts: 0 }]));
    expect(badAttempts.statusCode).toBe(400);
    expect(badAttempts.json().errors[0].path).toBe('/body/contracts/0/remediation/missing_record/0/max_attempts');
    const unknown = await put(withPolicy([{ action: 'notify', receiver: 'nobody-here' }]));
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors).toEqual([{ path: '/body/contracts/0/remediation/missing_record/0/receiver', message: 'no receiver named "nobody-here"' }]);
    const after = (await t.app.inject({ method: 'GET', url: '/api/v1/sync/contracts', headers: t.as('viewer') })).json() as { version: number };
    expect(after.version).toBe(before.version);
  });
});
