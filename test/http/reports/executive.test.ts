import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { backdateAgentEvent, createAgent, DAY, insertDecisions, insertGap, insertRuns, testClock } from '../trust/fixtures.js';

/** RFC 4180: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += ch;
  }
  return rows;
}

const HOSTILE = '<script>alert("x")</script> | =HYPERLINK("http://evil") *bold*';

for (const target of databaseTargets) {
  describe(`GET /api/v1/reports/executive [${target.name}]`, () => {
    const clock = testClock();
    const now = clock.start;
    const ago = (ms: number) => new Date(now.getTime() - ms);
    let ctx: TestApp;
    let hostile: { id: string };
    beforeAll(async () => {
      ctx = await createTestApp(target, {}, { clock });
      hostile = await createAgent(ctx, { name: HOSTILE, classification: 'critical' });
      const good = await createAgent(ctx, { name: 'billing-sync', classification: 'public' });
      // Both were registered before the previous window (30–60 days ago), so both count in it.
      for (const agent of [hostile, good]) await backdateAgentEvent(ctx, agent.id, ago(90 * DAY));
      // hostile: R = 3/30 = 0.1, P = 6/30 = 0.2, F = 1, X = 1 → 100 × (0.03 + 0.06 + 0.25) = 34 (critical)
      await insertRuns(ctx, hostile.id, ago(DAY), 30, 3);
      await insertDecisions(ctx, hostile.id, ago(DAY), 30, 6, 100);
      // good: 100
      await insertRuns(ctx, good.id, ago(DAY), 50, 50);
      await insertDecisions(ctx, good.id, ago(DAY), 50, 50);
      // Previous window (30–60 days ago): 100 compliant decisions of the good agent.
      await insertDecisions(ctx, good.id, ago(40 * DAY), 100, 100);
      // Open gaps: 2 missing_record (high), 1 stale (medium).
      await insertGap(ctx, { type: 'missing_record', severity: 'high', contract: 'orders', entity_id: 'o-1', detected_at: ago(DAY) });
      await insertGap(ctx, { type: 'missing_record', severity: 'high', contract: 'orders', entity_id: 'o-2', detected_at: ago(DAY) });
      await insertGap(ctx, { type: 'stale', severity: 'medium', contract: 'tickets', detected_at: ago(DAY) });
    });
    afterAll(async () => {
      await ctx?.close();
    });

    const get = (query: string, headers: Record<string, string> = {}) =>
      ctx.app.inject({ method: 'GET', url: `/api/v1/reports/executive${query}`, headers: { ...ctx.as('viewer'), ...headers } });

    it('answers JSON with KPIs, trends, top risks, gaps by kind, and insights that quote the numbers', async () => {
      const response = await get('');
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('application/json');
      const report = response.json();
      // Trust: (34 + 100) / 2 = 67.0 (fair); previous: hostile had no data → P = F = 1, X = 1 → 78.6; good 100 → 89.3
      expect(report.kpis.trust_score).toMatchObject({ value: 67, band: 'fair' });
      expect(report.previous_kpis.trust_score).toMatchObject({ value: 89.3 });
      expect(report.trends.trust_score).toEqual({ current: 67, previous: 89.3, delta: -22.3, direction: 'down', improved: false });
      // Compliance: (6 + 50) / (30 + 50) = 70 % (critical); previous 100/100 = 100 %
      expect(report.kpis.compliance_sla).toMatchObject({ value: 70, numerator: 56, denominator: 80, band: 'critical' });
      expect(report.trends.compliance_sla).toMatchObject({ previous: 100, delta: -30, improved: false });
      expect(report.top_risky_agents.map((a: { name: string; score: number }) => [a.name, a.score])).toEqual([
        [HOSTILE, 34],
        ['billing-sync', 100],
      ]);
      expect(report.open_gaps_by_kind).toEqual([
        { type: 'missing_record', count: 2, by_severity: { low: 0, medium: 0, high: 2, critical: 0 } },
        { type: 'stale', count: 1, by_severity: { low: 0, medium: 1, high: 0, critical: 0 } },
      ]);
      const insights = report.insights.map((f: { text: string }) => f.text);
      expect(insights).toEqual(
        expect.arrayContaining([
          'Trust Score is 67.0, in the fair band (50–70): mean of 2 active agents over 30d.',
          'Compliance SLA % is 70.00 %, in the critical band (< 95 %): 24 of 80 decisions were non-compliant over 30d.',
          'Trust Score worsened from 89.3 to 67 (-22.3) against the previous 30d.',
          'Compliance SLA % worsened from 100 to 70 (-30) against the previous 30d.',
          `1 of 2 active agents score critical (< 50): ${HOSTILE} (34).`,
          '3 sync gaps are open, 2 of them missing_record; 2 are high or critical.',
        ]),
      );
      // 24 blocked violations × $100
      expect(insights.some((text: string) => text.startsWith('ORCA avoided $2,400.00 of risk over 30d: 24 blocked'))).toBe(true);
      const recommendations = report.recommendations.map((f: { text: string }) => f.text);
      expect(recommendations).toEqual(
        expect.arrayContaining([
          `Review agent ${HOSTILE}: trust 34 with confidence 1; weakest component risk exposure (1 − X) 0 % (classification critical, 0 open high/critical incidents).`,
          `Tighten the policy role or classification ceiling of ${HOSTILE}: 24 of its 30 decisions were non-compliant, the most of any agent.`,
          'Set PLATFORM_COST_USD_MONTHLY to turn the $2,400.00 of risk avoided into an ROI.',
        ]),
      );
    });

    it('answers Markdown with a KPI table (?format=md and Accept: text/markdown)', async () => {
      for (const response of [await get('?format=md'), await get('', { accept: 'text/markdown' })]) {
        expect(response.statusCode).toBe(200);
        expect(response.headers['content-type']).toContain('text/markdown');
        const lines = response.body.split('\n');
        const header = lines.indexOf('| KPI | Value | Band | Numerator | Denominator | Previous | Change |');
        expect(header).toBeGreaterThan(0);
        expect(lines[header + 1]).toBe('|---|---|---|---|---|---|---|');
        const rows = lines.slice(header + 2, header + 9).map((line) => line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim()));
        expect(rows).toHaveLength(7);
        expect(rows.find((row) => row[0] === 'Compliance SLA %')).toEqual(['Compliance SLA %', '70.00 %', 'critical', '56', '80', '100.00 %', '-30 (down, worse)']);
        // The hostile name cannot break the agent table or inject markup.
        const agentLine = lines.find((line) => line.includes('alert'))!;
        expect(agentLine.startsWith('| &lt;script&gt;alert("x")&lt;/script&gt; \\| =HYPERLINK("http://evil") \\*bold\\* | 34 |')).toBe(true);
        expect(response.body).not.toContain('<script>');
      }
    });

    it('answers CSV that parses, with numbers as numbers and formula-looking text neutralised', async () => {
      const response = await get('', { accept: 'text/csv' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('text/csv');
      const rows = parseCsv(response.body);
      expect(rows[0]).toEqual(['section', 'item', 'value', 'band', 'numerator', 'denominator', 'previous', 'delta', 'detail']);
      expect(rows.every((row) => row.length === 9)).toBe(true);
      expect(rows.find((row) => row[0] === 'kpi' && row[1] === 'compliance_sla')).toEqual(['kpi', 'compliance_sla', '70', 'critical', '56', '80', '100', '-30', 'window 30d']);
      expect(rows.find((row) => row[0] === 'kpi' && row[1] === 'roi')).toEqual(['kpi', 'roi', '', 'not_configured', '2400', '', '', '', 'window 30d']);
      expect(rows.find((row) => row[0] === 'risky_agent')?.[1]).toBe(HOSTILE);
      expect(rows.filter((row) => row[0] === 'open_gaps').map((row) => [row[1], row[2]])).toEqual([['missing_record', '2'], ['stale', '1']]);
      // Every text field that a spreadsheet would evaluate starts with an apostrophe.
      for (const row of rows) for (const cell of row) if (/^[=+@]/.test(cell)) throw new Error(`formula-like cell ${cell}`);
    });

    it('answers self-contained HTML that escapes data and loads nothing', async () => {
      const response = await get('?format=html', { accept: 'application/json' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('text/html');
      const html = response.body;
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect(html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(|@import/i);
      expect(html).not.toMatch(/https?:\/\/(?!evil)/); // the only URL is the hostile name's text, escaped
      expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; | =HYPERLINK(&quot;http://evil&quot;) *bold*');
      const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
      const hash = createHash('sha256').update(style).digest('base64');
      expect(response.headers['content-security-policy']).toContain(`style-src 'sha256-${hash}'`);
      expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    });

    it('negotiates by Accept q-values, defaults to JSON, and rejects an unknown format', async () => {
      expect((await get('', { accept: 'text/html;q=0.5, text/csv;q=0.9' })).headers['content-type']).toContain('text/csv');
      expect((await get('', { accept: 'image/png' })).headers['content-type']).toContain('application/json');
      expect((await get('?format=pdf')).statusCode).toBe(400);
      expect((await get('?window=2d')).json().window).toBe('2d');
    });
  });

  describe(`the previous window counts the agents active then [${target.name}]`, () => {
    const clock = testClock();
    const ago = (ms: number) => new Date(clock.start.getTime() - ms);
    let ctx: TestApp;
    beforeAll(async () => {
      ctx = await createTestApp(target, {}, { clock });
    });
    afterAll(async () => {
      await ctx?.close();
    });

    it('leaves out agents registered later and agents suspended at the time, from the lifecycle history', async () => {
      const steady = await createAgent(ctx, { classification: 'public' });
      await backdateAgentEvent(ctx, steady.id, ago(90 * DAY));
      const paused = await createAgent(ctx, { classification: 'critical' });
      await backdateAgentEvent(ctx, paused.id, ago(90 * DAY));
      for (const action of ['suspend', 'resume']) {
        const response = await ctx.app.inject({ method: 'POST', url: `/api/v1/agents/${paused.id}/${action}`, headers: ctx.as('operator'), payload: { reason: 'test' } });
        expect(response.statusCode, response.body).toBe(200);
      }
      // Suspended 45 days ago, resumed 20 days ago: active now, suspended at the end of the previous window.
      await backdateAgentEvent(ctx, paused.id, ago(45 * DAY), 'suspend');
      await backdateAgentEvent(ctx, paused.id, ago(20 * DAY), 'resume');
      const newcomer = await createAgent(ctx, { classification: 'critical' });
      await backdateAgentEvent(ctx, newcomer.id, ago(10 * DAY));

      const report = (await ctx.app.inject({ method: 'GET', url: '/api/v1/reports/executive', headers: ctx.as('viewer') })).json();
      // Now: three active agents, no data → public 100, critical 78.6 twice → (100 + 78.6 + 78.6) / 3 = 85.7333… → 85.7
      expect(report.kpis.trust_score).toMatchObject({ value: 85.7, denominator: 3 });
      // At now − 30 d only `steady` was active: 100 over 1 agent.
      expect(report.previous_kpis.trust_score).toMatchObject({ value: 100, numerator: 100, denominator: 1 });
      expect(report.trends.trust_score).toMatchObject({ previous: 100, current: 85.7, delta: -14.3 });
    });
  });

  describe(`executive report of an empty organisation [${target.name}]`, () => {
    let ctx: TestApp;
    beforeAll(async () => {
      ctx = await createTestApp(target, {}, { clock: testClock() });
    });
    afterAll(async () => {
      await ctx?.close();
    });

    it('has no insights or recommendations when the data does not warrant any', async () => {
      const report = (await ctx.app.inject({ method: 'GET', url: '/api/v1/reports/executive', headers: ctx.as('viewer') })).json();
      expect(report).toMatchObject({ active_agents: 0, top_risky_agents: [], open_gaps_by_kind: [], insights: [], recommendations: [] });
      expect(report.trends.trust_score).toEqual({ current: null, previous: null, delta: null, direction: 'no_data', improved: null });
      const md = (await ctx.app.inject({ method: 'GET', url: '/api/v1/reports/executive?format=md', headers: ctx.as('viewer') })).body;
      expect(md).toContain('None: the data does not warrant action.');
    });
  });
}
