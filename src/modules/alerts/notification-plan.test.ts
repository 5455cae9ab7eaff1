import { describe, expect, it } from 'vitest';
import { compileAlertRules } from './compile-alert-rules.js';
import { parseMatcher } from './matchers.js';
import { planNotifications, type GroupState, type PlannedAlert } from './notification-plan.js';

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1) + seconds * 1000);
const route = compileAlertRules(
  { rules: [], route: { group_by: ['alertname'], group_wait: '30s', group_interval: '1m', repeat_interval: '1h', routes: [{ matchers: ['team="security"'], receiver: 'pager' }] } },
  1,
  new Set(['pager']),
).route;

const alert = (fingerprint: string, status: PlannedAlert['status'], labels: Record<string, string> = {}): PlannedAlert => ({
  fingerprint,
  status,
  labels: { alertname: 'injection', team: 'security', ...labels },
  annotations: {},
  startsAt: status === 'pending' ? null : at(0),
  endsAt: status === 'resolved' ? at(100) : null,
});

const plan = (alerts: PlannedAlert[], groups: GroupState[], now: Date, silences = [] as Parameters<typeof planNotifications>[0]['silences']) =>
  planNotifications({ alerts, groups, route, silences, now, generatorUrl: (item) => `http://orca/${item.fingerprint}` });

describe('notification plan', () => {
  it('creates a waiting group for a new firing alert, ignores pending ones and alerts routed to no receiver', () => {
    const result = plan([alert('a', 'firing'), alert('b', 'pending'), alert('c', 'firing', { team: 'ops' })], [], at(10));
    expect(result.notifications).toEqual([]);
    expect(result.saveGroups).toEqual([expect.objectContaining({ receiver: 'pager', groupLabels: { alertname: 'injection' }, firstSeenAt: at(10), lastSentAt: null })]);
    expect(result.wakeAt).toEqual(at(40));
  });

  it('sends the group when group_wait is over, then reports a resolution and forgets the group', () => {
    const first = plan([alert('a', 'firing')], [], at(10));
    const waiting = first.saveGroups[0]!;
    const sent = plan([alert('a', 'firing')], [waiting], at(40));
    expect(sent.notifications).toEqual([
      expect.objectContaining({ receiver: 'pager', status: 'firing', alerts: [expect.objectContaining({ fingerprint: 'a', status: 'firing', generatorURL: 'http://orca/a' })] }),
    ]);
    const afterSend = sent.saveGroups[0]!;
    expect(afterSend).toMatchObject({ lastSentAt: at(40), sentFiring: ['a'] });
    const resolved = plan([alert('a', 'resolved')], [afterSend], at(100));
    expect(resolved.notifications).toEqual([expect.objectContaining({ status: 'resolved', alerts: [expect.objectContaining({ status: 'resolved', endsAt: at(100).toISOString() })] })]);
    expect(resolved.deleteGroups).toEqual([afterSend.groupKey]);
    // A resolved alert the group never reported is nobody's news.
    expect(plan([alert('z', 'resolved')], [], at(200)).notifications).toEqual([]);
  });

  it('delivers nothing for a silenced alert, and drops its group', () => {
    const silence = { id: 's1', matchers: [parseMatcher('alertname="injection"')], startsAt: at(0), endsAt: at(3600) };
    const group: GroupState = { groupKey: 'k', receiver: 'pager', groupLabels: { alertname: 'injection' }, firstSeenAt: at(0), lastSentAt: at(0), sentFiring: ['a'] };
    const result = plan([alert('a', 'firing')], [group], at(7200 - 3600 + 10), [silence]);
    expect(result.notifications).toEqual([]);
    expect(result.deleteGroups).toEqual(['k']);
    // Once the silence ended, the alert is delivered again (a new group, after group_wait).
    expect(plan([alert('a', 'firing')], [], at(3600), [silence]).saveGroups).toHaveLength(1);
  });
});
