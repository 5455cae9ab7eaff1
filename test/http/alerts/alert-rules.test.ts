import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { createRecordingSink } from '../../helpers/notification-sink.js';

/** GET/PUT /api/v1/alert-rules: the default document, validation naming paths, versions, audit. */

const VALID_YAML = `# rules with a comment
rules:
  - name: injection-attempts
    kind: violations
    match: { rule: prompt_injection }
    threshold: 1
    window: 5m
    for: 0s
    severity: critical
    labels: { team: security }
    annotations: { summary: "Prompt injection attempts by {{ agent_name }}" }
route:
  receiver: default
  group_by: [alertname, agent_id]
  group_wait: 0s
  group_interval: 1m
  repeat_interval: 4h
  routes:
    - matchers: ['severity="critical"']
      receiver: pager
      continue: false
`;

for (const target of databaseTargets) {
  describe(`alert rules document [${target.name}]`, () => {
    let ctx: TestApp;
    beforeAll(async () => {
      ctx = await createTestApp(target, {}, { role: 'api', notificationSink: createRecordingSink(['default', 'pager', 'alertmanager']) });
    });
    afterAll(async () => {
      await ctx?.close();
    });

    const put = (payload: unknown, contentType = 'application/json', role: 'operator' | 'viewer' = 'operator') =>
      ctx.app.inject({
        method: 'PUT',
        url: '/api/v1/alert-rules',
        headers: { ...ctx.as(role), 'content-type': contentType },
        payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      });
    const get = () => ctx.app.inject({ method: 'GET', url: '/api/v1/alert-rules', headers: ctx.as('viewer') });

    it('serves the default rules as version 0, routed to the settings receivers that exist', async () => {
      const response = await get();
      expect(response.statusCode).toBe(200);
      const body = response.json() as { version: number; source: string; document: { rules: Array<{ name: string; kind: string }>; route: unknown } };
      expect(body.version).toBe(0);
      expect(body.source).toContain('# ORCA default alert rules');
      expect(body.document.rules.map((rule) => rule.kind).sort()).toEqual([
        'agent_changed',
        'agent_discovered',
        'agent_silent',
        'approval_requested',
        'backup_failed',
        'delivery_dead_lettered',
        'discovery_failed',
        'gap_opened',
        'incident_opened',
        'signature_failures',
        'stream_stale',
        'tool_poisoning',
        'trust_below',
        'trust_below',
        'violations',
        'violations',
      ]);
      // `webhook` does not exist here; `alertmanager` does.
      expect(body.document.route).toEqual({
        group_by: ['alertname', 'agent_id'],
        group_wait: '0s',
        group_interval: '1m',
        repeat_interval: '4h',
        routes: [{ receiver: 'alertmanager', continue: true }],
      });
    });

    it('refuses invalid documents with 400 naming each failing path, and keeps the active version', async () => {
      const rule = { name: 'r', kind: 'violations', severity: 'critical' };
      const response = await put({
        rules: [
          { ...rule, kind: 'cosmic_rays' },
          { ...rule, name: 'two', window: '5 minutes', for: '1x' },
          { ...rule, name: 'three', kind: 'kpi_threshold', match: { kpi: 'roi' } },
          { ...rule, name: 'four', match: { rule: 'x', colour: 'red' } },
        ],
        route: { receiver: 'nobody', routes: [{ matchers: ['severity'], receiver: 'pager' }, { matchers: ['a=~"(x)\\\\1"'] }] },
      });
      expect(response.statusCode).toBe(400);
      expect((response.json() as { errors: unknown[] }).errors).toEqual([
        { path: '/body/rules/0/kind', message: 'is not a rule kind (gap_opened, stream_stale, trust_below, kpi_threshold, violations, signature_failures, agent_silent, incident_opened, delivery_dead_lettered, backup_failed, backup_stale, agent_discovered, agent_changed, tool_poisoning, discovery_failed, approval_requested)' },
        { path: '/body/rules/1/for', message: 'is not a duration (a whole number and a unit: 0s, 30s, 5m, 4h, 1d; at most 90d)' },
        { path: '/body/rules/1/window', message: 'is not a duration (a whole number and a unit: 0s, 30s, 5m, 4h, 1d; at most 90d)' },
        { path: '/body/rules/2/match/operator', message: "must have required property 'operator'" },
        { path: '/body/rules/2/threshold', message: 'is required for a kpi_threshold rule' },
        { path: '/body/rules/3/match/colour', message: 'must NOT have additional properties' },
        { path: '/body/route/receiver', message: '"nobody" is not a receiver (GET /api/v1/receivers lists them)' },
        { path: '/body/route/routes/0/matchers/0', message: 'is not a matcher: expected name="value", name!="value", name=~"regex" or name!~"regex"' },
        { path: '/body/route/routes/1/matchers/0', message: expect.stringMatching(/^has a regex RE2 does not accept/) as unknown },
      ]);
      expect((await get()).json()).toMatchObject({ version: 0 });

      const duplicate = await put({ rules: [rule, rule] });
      expect(duplicate.statusCode).toBe(400);
      expect((duplicate.json() as { errors: unknown[] }).errors).toEqual([{ path: '/body/rules/1/name', message: '"r" names another rule of this document' }]);
      const noRules = await put({ route: {} });
      expect(noRules.statusCode).toBe(400);
      expect((noRules.json() as { errors: unknown[] }).errors).toEqual([{ path: '/body/rules', message: "must have required property 'rules'" }]);
    });

    it('stores YAML as written, versions every PUT, audits it, and needs the operator role', async () => {
      expect((await put(VALID_YAML, 'application/yaml', 'viewer')).statusCode).toBe(403);
      const first = await put(VALID_YAML, 'application/yaml');
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ version: 1, format: 'yaml', active: true, source: VALID_YAML });
      expect((await get()).json()).toMatchObject({ version: 1, document: { route: { receiver: 'default' } } });

      const second = await put({ rules: [] });
      expect(second.json()).toMatchObject({ version: 2, format: 'json' });
      const bad = await put({ rules: [{ name: 'x', kind: 'violations', severity: 'loud' }] });
      expect(bad.statusCode).toBe(400);
      expect((bad.json() as { errors: unknown[] }).errors).toEqual([{ path: '/body/rules/0/severity', message: 'is not a severity (info, low, medium, warning, high, critical)' }]);
      expect((await get()).json()).toMatchObject({ version: 2 });

      const { rows } = await ctx.container.db.query<{ action: string; target: string }>(
        "select action, target from audit_entry where action = 'alert_rules.update' order by seq",
      );
      expect(rows).toEqual([
        { action: 'alert_rules.update', target: 'alert_rules:1' },
        { action: 'alert_rules.update', target: 'alert_rules:2' },
      ]);
    });
  });
}
