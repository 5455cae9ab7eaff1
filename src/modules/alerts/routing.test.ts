import { describe, expect, it } from 'vitest';
import { compileAlertRules } from './compile-alert-rules.js';
import { groupKeyOf, groupLabelsOf, routeAlert } from './routing.js';

const receivers = new Set(['default', 'pager', 'security', 'audit']);
const tree = compileAlertRules(
  {
    rules: [],
    route: {
      receiver: 'default',
      group_by: ['alertname', 'agent_id'],
      group_wait: '0s',
      routes: [
        { matchers: ['team="security"'], receiver: 'audit', continue: true, group_by: ['...'] },
        { matchers: ['severity="critical"'], receiver: 'pager', repeat_interval: '1h', routes: [{ matchers: ['team="security"'], receiver: 'security' }] },
        { matchers: ['severity=~"high|critical"'], receiver: 'security' },
      ],
    },
  },
  1,
  receivers,
).route;

const names = (labels: Record<string, string>) => routeAlert(tree, labels).map((route) => route.receiver);

describe('routing tree', () => {
  it('stops at the first matching child; falls back to the parent when no child matches', () => {
    expect(names({ alertname: 'x', severity: 'critical' })).toEqual(['pager']);
    expect(names({ alertname: 'x', severity: 'high' })).toEqual(['security']);
    expect(names({ alertname: 'x', severity: 'low' })).toEqual(['default']);
  });

  it('goes on past a matching child that says continue, and down into nested routes', () => {
    expect(names({ alertname: 'x', severity: 'critical', team: 'security' })).toEqual(['audit', 'security']);
    // As in Alertmanager: a parent takes the alert only when none of its children did, `continue` or not.
    expect(names({ alertname: 'x', severity: 'low', team: 'security' })).toEqual(['audit']);
  });

  it('inherits grouping and timers, overriding what a child sets', () => {
    const [pager] = routeAlert(tree, { alertname: 'x', severity: 'critical' });
    expect(pager).toMatchObject({ groupBy: ['alertname', 'agent_id'], groupWaitMs: 0, groupIntervalMs: 300_000, repeatIntervalMs: 3_600_000 });
    const [audit] = routeAlert(tree, { alertname: 'x', team: 'security' });
    expect(audit!.groupBy).toBe('all');
  });

  it('groups by the route\'s labels, one key per route and group', () => {
    const [route] = routeAlert(tree, { alertname: 'x', severity: 'low', agent_id: 'a1' });
    expect(groupLabelsOf(route!, { alertname: 'x', severity: 'low', agent_id: 'a1' })).toEqual({ alertname: 'x', agent_id: 'a1' });
    expect(groupLabelsOf(route!, { alertname: 'x' })).toEqual({ alertname: 'x' });
    const one = groupKeyOf(route!, { alertname: 'x', agent_id: 'a1' });
    expect(groupKeyOf(route!, { agent_id: 'a1', alertname: 'x' })).toBe(one);
    expect(groupKeyOf(route!, { alertname: 'x', agent_id: 'a2' })).not.toBe(one);
    expect(groupKeyOf(tree.routes[1]!, { alertname: 'x', agent_id: 'a1' })).not.toBe(one);
  });
});
