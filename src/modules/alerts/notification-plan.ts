/**
 * From the alerts after an evaluation to the notifications to send now: each alert that is not silenced goes down
 * the routing tree; at each route with a receiver it joins a group (route + group labels); each group's timers
 * (group-timers.ts) decide whether it sends now, later, or never. Pure: the evaluator reads the inputs and writes
 * the outputs in its transaction.
 */
import type { AlertInstance, Notification } from '../receivers/notification.js';
import { decideGroup, type GroupMember } from './group-timers.js';
import { matchesAll, type Matcher } from './matchers.js';
import { groupKeyOf, groupLabelsOf, routeAlert, type CompiledRoute } from './routing.js';

export interface PlannedAlert {
  fingerprint: string;
  status: 'pending' | 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: Date | null;
  endsAt: Date | null;
}

export interface GroupState {
  groupKey: string;
  receiver: string;
  groupLabels: Record<string, string>;
  firstSeenAt: Date;
  lastSentAt: Date | null;
  sentFiring: string[];
}

export interface ActiveSilence {
  id: string;
  matchers: Matcher[];
  startsAt: Date;
  endsAt: Date;
}

export interface NotificationPlan {
  notifications: Array<Omit<Notification, 'id' | 'correlationId'>>;
  /** Groups to create or update (after sending, or first seen now). */
  saveGroups: GroupState[];
  /** Groups with nothing left to report. */
  deleteGroups: string[];
  /** The earliest moment a group waits for (undefined: none waits). */
  wakeAt: Date | undefined;
}

/** The silences in force at `now` that match these labels. */
export function silencesOf(labels: Readonly<Record<string, string>>, silences: readonly ActiveSilence[], now: Date): ActiveSilence[] {
  return silences.filter((silence) => silence.startsAt <= now && now < silence.endsAt && matchesAll(silence.matchers, labels));
}

export function planNotifications(input: {
  alerts: readonly PlannedAlert[];
  groups: readonly GroupState[];
  route: CompiledRoute;
  silences: readonly ActiveSilence[];
  now: Date;
  generatorUrl: (alert: PlannedAlert) => string;
}): NotificationPlan {
  const { now } = input;
  const previous = new Map(input.groups.map((group) => [group.groupKey, group]));
  const members = new Map<string, { route: CompiledRoute; receiver: string; groupLabels: Record<string, string>; alerts: PlannedAlert[] }>();
  for (const alert of input.alerts) {
    if (alert.status === 'pending' || alert.startsAt === null) continue;
    if (silencesOf(alert.labels, input.silences, now).length > 0) continue;
    for (const route of routeAlert(input.route, alert.labels)) {
      if (route.receiver === undefined) continue;
      const groupLabels = groupLabelsOf(route, alert.labels);
      const key = groupKeyOf(route, groupLabels);
      const group = members.get(key) ?? { route, receiver: route.receiver, groupLabels, alerts: [] };
      // A resolved alert belongs to a group only while the group last reported it firing: that resolution is news.
      if (alert.status === 'resolved' && !previous.get(key)?.sentFiring.includes(alert.fingerprint)) continue;
      group.alerts.push(alert);
      members.set(key, group);
    }
  }

  const plan: NotificationPlan = { notifications: [], saveGroups: [], deleteGroups: [], wakeAt: undefined };
  for (const [key, group] of members) {
    const history = previous.get(key);
    const decision = decideGroup(
      history ? { firstSeenAt: history.firstSeenAt, lastSentAt: history.lastSentAt, sentFiring: new Set(history.sentFiring) } : undefined,
      group.alerts.map((alert): GroupMember => ({ fingerprint: alert.fingerprint, status: alert.status === 'firing' ? 'firing' : 'resolved' })),
      group.route,
      now,
    );
    const base: GroupState = history ?? { groupKey: key, receiver: group.receiver, groupLabels: group.groupLabels, firstSeenAt: now, lastSentAt: null, sentFiring: [] };
    if (decision.action === 'send') {
      const firing = group.alerts.filter((alert) => alert.status === 'firing');
      plan.notifications.push({
        kind: 'alert',
        receiver: group.receiver,
        groupKey: key,
        groupLabels: group.groupLabels,
        status: firing.length > 0 ? 'firing' : 'resolved',
        alerts: group.alerts.map((alert) => instanceOf(alert, input.generatorUrl(alert))),
      });
      if (firing.length > 0) plan.saveGroups.push({ ...base, lastSentAt: now, sentFiring: firing.map((alert) => alert.fingerprint).sort() });
      else plan.deleteGroups.push(key);
    } else if (decision.action === 'wait') {
      if (!history) plan.saveGroups.push(base);
      if (plan.wakeAt === undefined || decision.at < plan.wakeAt) plan.wakeAt = decision.at;
    } else if (history) {
      plan.deleteGroups.push(key);
    }
  }
  // A group none of whose alerts is left (silenced, or removed with its rule) reports nothing more.
  for (const group of input.groups) if (!members.has(group.groupKey)) plan.deleteGroups.push(group.groupKey);
  return plan;
}

function instanceOf(alert: PlannedAlert, generatorURL: string): AlertInstance {
  return {
    fingerprint: alert.fingerprint,
    status: alert.status === 'firing' ? 'firing' : 'resolved',
    labels: alert.labels,
    annotations: alert.annotations,
    startsAt: alert.startsAt!.toISOString(),
    endsAt: alert.status === 'resolved' ? (alert.endsAt?.toISOString() ?? null) : null,
    generatorURL,
  };
}
