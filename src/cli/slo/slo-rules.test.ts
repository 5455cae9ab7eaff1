import { describe, expect, it } from 'vitest';
import { alertWindowsFor, burnFactor, recordedWindows } from './alert-windows.js';
import type { SloDefinition } from './slo-definition.js';
import { sloRuleGroups, type AlertingRule, type RecordingRule } from './slo-rules.js';

const slo: SloDefinition = {
  id: 'shop-checkout',
  service: 'shop',
  name: 'checkout',
  displayName: 'Checkout answers',
  description: 'Checkout answers without a server error',
  objective: 0.999,
  periodDays: 30,
  sli: { numerator: 'bad', events: 'sum(rate(http_total{code=~"5.."}[{{.window}}]))', total: 'sum(rate(http_total[{{ .window }}]))' },
  labels: { team: 'payments' },
  alertName: 'ShopCheckoutErrorBudgetBurn',
  runbookUrl: 'https://runbooks.example/checkout',
};
const FILTER = '{sloth_id="shop-checkout", sloth_service="shop", sloth_slo="checkout"}';

describe('alert windows', () => {
  it('are the SRE workbook\'s: 14.4, 6, 3 and 1 over 30 days, scaled to 28 days as Sloth does', () => {
    const month = alertWindowsFor(30);
    expect([month.page.quick, month.page.slow, month.ticket.quick, month.ticket.slow].map((window) => [window.short, window.long, burnFactor(window, 30)])).toEqual([
      ['5m', '1h', 14.4],
      ['30m', '6h', 6],
      ['2h', '1d', 3],
      ['6h', '3d', 1],
    ]);
    const fourWeeks = alertWindowsFor(28);
    // 2 % of 672 h in 1 h; 5 % in 6 h; 10 % in 24 h; 10 % in 72 h.
    expect([fourWeeks.page.quick, fourWeeks.page.slow, fourWeeks.ticket.quick, fourWeeks.ticket.slow].map((window) => burnFactor(window, 28))).toEqual([13.44, 5.6, 2.8, 0.933333333333]);
    expect(recordedWindows(month)).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d']);
    expect(() => alertWindowsFor(7)).toThrow('no alert windows for a 7-day period (supported: 28, 30 days)');
  });
});

describe('sloRuleGroups', () => {
  const [sli, meta, alerts] = sloRuleGroups([slo]);

  it('records the error ratio over every alert window, and over the period from the 5-minute one', () => {
    expect(sli!.name).toBe('sloth-slo-sli-recordings-shop-checkout');
    const rules = sli!.rules as RecordingRule[];
    expect(rules.map((rule) => [rule.record, rule.labels.sloth_window])).toEqual([
      ['slo:sli_error:ratio_rate5m', '5m'],
      ['slo:sli_error:ratio_rate30m', '30m'],
      ['slo:sli_error:ratio_rate1h', '1h'],
      ['slo:sli_error:ratio_rate2h', '2h'],
      ['slo:sli_error:ratio_rate6h', '6h'],
      ['slo:sli_error:ratio_rate1d', '1d'],
      ['slo:sli_error:ratio_rate3d', '3d'],
      ['slo:sli_error:ratio_rate30d', '30d'],
    ]);
    expect(rules[0]).toEqual({
      record: 'slo:sli_error:ratio_rate5m',
      expr: '(sum(rate(http_total{code=~"5.."}[5m])))\n/\n(sum(rate(http_total[5m])))\n',
      labels: { sloth_id: 'shop-checkout', sloth_service: 'shop', sloth_slo: 'checkout', sloth_window: '5m', team: 'payments' },
    });
    expect(rules[7]!.expr).toBe(
      `sum_over_time(slo:sli_error:ratio_rate5m${FILTER}[30d])\n/ ignoring (sloth_window)\ncount_over_time(slo:sli_error:ratio_rate5m${FILTER}[30d])\n`,
    );
  });

  it('turns a good-events SLI into 1 − good / total', () => {
    const [good] = sloRuleGroups([{ ...slo, sli: { ...slo.sli, numerator: 'good', events: 'sum(rate(ok_total[{{.window}}]))' } }]);
    expect((good!.rules[2] as RecordingRule).expr).toBe('(\n  1 - (\n    (\n      sum(rate(ok_total[1h]))\n    )\n    /\n    (\n      sum(rate(http_total[1h]))\n    )\n  )\n)\n');
  });

  it('records the objective, the budget, burn rates and the budget left', () => {
    expect(meta!.name).toBe('sloth-slo-meta-recordings-shop-checkout');
    const byName = Object.fromEntries((meta!.rules as RecordingRule[]).map((rule) => [rule.record, rule]));
    expect(Object.keys(byName)).toEqual([
      'slo:objective:ratio',
      'slo:error_budget:ratio',
      'slo:time_period:days',
      'slo:current_burn_rate:ratio',
      'slo:period_burn_rate:ratio',
      'slo:period_error_budget_remaining:ratio',
      'sloth_slo_info',
    ]);
    expect(byName['slo:objective:ratio']!.expr).toBe('vector(0.999)');
    expect(byName['slo:error_budget:ratio']!.expr).toBe('vector(0.001)');
    expect(byName['slo:time_period:days']!.expr).toBe('vector(30)');
    expect(byName['slo:current_burn_rate:ratio']!.expr).toBe(
      `slo:sli_error:ratio_rate5m${FILTER}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio${FILTER}\n`,
    );
    expect(byName['slo:period_error_budget_remaining:ratio']!.expr).toBe(`1 - slo:period_burn_rate:ratio${FILTER}`);
    expect(byName.sloth_slo_info!.labels).toEqual({
      sloth_id: 'shop-checkout',
      sloth_service: 'shop',
      sloth_slo: 'checkout',
      team: 'payments',
      sloth_mode: 'cli-gen-openslo',
      sloth_objective: '99.9',
      sloth_spec: 'openslo/v1',
    });
  });

  it('pages on 1h and 5m over 14.4× or 6h and 30m over 6×, and tickets on 1d and 2h over 3× or 3d and 6h over 1×', () => {
    expect(alerts!.name).toBe('sloth-slo-alerts-shop-checkout');
    const [page, ticket] = alerts!.rules as AlertingRule[];
    const side = (window: string, factor: number) => `max(slo:sli_error:ratio_rate${window}${FILTER} > (${factor} * 0.001)) without (sloth_window)`;
    expect(page).toEqual({
      alert: 'ShopCheckoutErrorBudgetBurn',
      expr: `(\n    ${side('5m', 14.4)}\n    and\n    ${side('1h', 14.4)}\n)\nor\n(\n    ${side('30m', 6)}\n    and\n    ${side('6h', 6)}\n)\n`,
      labels: { severity: 'critical', sloth_severity: 'page' },
      annotations: {
        title: '(page) {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is too fast.',
        summary: '{{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is over expected.',
        description: 'Checkout answers (objective 99.9% over 30 days) is spending its error budget fast: 2% within 1h or 5% within 6h. Checkout answers without a server error',
        runbook_url: 'https://runbooks.example/checkout',
      },
    });
    expect(ticket!.expr).toBe(`(\n    ${side('2h', 3)}\n    and\n    ${side('1d', 3)}\n)\nor\n(\n    ${side('6h', 1)}\n    and\n    ${side('3d', 1)}\n)\n`);
    expect(ticket!.labels).toEqual({ severity: 'warning', sloth_severity: 'ticket' });
    expect(ticket!.annotations.description).toBe(
      'Checkout answers (objective 99.9% over 30 days) is spending its error budget steadily: 10% within 1d or 10% within 3d. Checkout answers without a server error',
    );
  });
});
