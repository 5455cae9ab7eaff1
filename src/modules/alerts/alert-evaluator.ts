/**
 * One evaluation: the rules of the active document in its scope (every rule, or the kinds a prompt evaluation's
 * writes can change: evaluation-scope.ts) against ORCA's data now, each alert's state moved on
 * (alert-state.ts), and the notifications due handed to the sink — all in one transaction under an advisory lock, so
 * evaluations on several workers never interleave, and a notification is enqueued only if the alert state that
 * caused it is stored. Everything written carries the correlation id of the request or job that caused it. Alerts of
 * rules outside the scope are left as they are: their conditions were not read, so they neither resolve nor move
 * on, but they still take part in routing and grouping (and their `for` still schedules a full evaluation).
 */
import type { Clock } from '../../platform/clock.js';
import type { AfterCommit } from '../../platform/db/index.js';
import { newId } from '../../platform/ids.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { NotificationSink } from '../receivers/notification.js';
import { firesAt, nextAlertState, type AlertState } from './alert-state.js';
import type { AlertRulesService } from './alert-rules.service.js';
import type { AlertMetrics } from './alerts.metrics.js';
import type { CompiledRule } from './compile-alert-rules.js';
import type { AlertRow, AlertsRepository, GroupRow } from './alerts.repository.js';
import { alertFingerprint } from './fingerprint.js';
import { parseMatcher } from './matchers.js';
import { planNotifications, silencesOf, type ActiveSilence, type GroupState } from './notification-plan.js';
import { conditionsOf, type Condition, type ConditionSources } from './rule-conditions.js';
import type { SilencesRepository } from './silences.repository.js';
import { renderTemplate } from './templating.js';
import { inScope, type EvaluationScope } from './evaluation-scope.js';
import { createViolationCounts } from './violation-counts.js';

export interface EvaluationReport {
  firing: number;
  pending: number;
  resolved: number;
  notifications: number;
  /** When a pending alert or a waiting group needs the next evaluation (undefined: the schedule suffices). */
  wakeAt: Date | undefined;
}

export function createAlertEvaluator(deps: {
  afterCommit: AfterCommit;
  repository: AlertsRepository;
  silences: SilencesRepository;
  rules: Pick<AlertRulesService, 'active'>;
  readModel: ConditionSources['readModel'];
  /** The sync service's stream freshness (stream_stale rules). */
  streams: (now: Date) => Promise<ConditionSources['streams']>;
  /** The backups module's last attempt (backup_failed and backup_stale rules). */
  lastBackup: () => ConditionSources['lastBackup'];
  sink: Pick<NotificationSink, 'enqueueMany' | 'receiverNames'>;
  clock: Clock;
  logger: Logger;
  metrics: AlertMetrics;
  generatorUrl: (fingerprint: string) => string;
  approvalUrl: (id: string) => string;
}) {
  const { afterCommit, repository, clock, logger, metrics } = deps;
  const violationCounts = createViolationCounts(deps.readModel);

  return async function evaluate(correlationId: string, scope: EvaluationScope = 'all'): Promise<EvaluationReport> {
    const started = performance.now();
    // Read once: the rules compile against them (the built-in document routes to them), and a notification for a
    // receiver deleted since is skipped.
    const receiverNames = await deps.sink.receiverNames();
    const receivers = new Set(receiverNames);
    const compiled = await deps.rules.active(receiverNames);
    const evaluated = compiled.rules.filter((rule) => inScope(scope, rule.kind));
    const streams = evaluated.some((rule) => rule.kind === 'stream_stale') ? await deps.streams(clock.now()) : [];
    const lastBackup = evaluated.some((rule) => rule.kind === 'backup_failed' || rule.kind === 'backup_stale') ? deps.lastBackup() : null;
    const sources: ConditionSources = { readModel: deps.readModel, streams, lastBackup, approvalUrl: deps.approvalUrl, violationCounts: violationCounts.session() };
    return afterCommit.transaction(async (tx) => {
      await repository.lockEvaluation(tx);
      // Read the clock once the lock is held: an evaluation that waited for another one judges the moment it runs.
      const now = clock.now();
      const groups = await repository.listGroups(tx);
      const reportedFiring = [...new Set(groups.flatMap((group) => Object.keys(group.sent_state)))];
      const existing = new Map((await repository.listLive(reportedFiring, tx)).map((row) => [row.fingerprint, row]));
      const rulesByName = new Map(compiled.rules.map((rule) => [rule.name, rule]));

      const next = new Map<string, AlertRow>();
      /** Live alerts this evaluation leaves as they were: only their last_evaluated_at moves (in one statement). */
      const unchanged = new Set<string>();
      /** The unchanged alerts of the rules evaluated (the others were not looked at: their last_evaluated_at stays). */
      let evaluatedUnchanged = 0;
      const found: Array<{ rule: CompiledRule; conditions: Condition[] }> = [];
      for (const rule of evaluated) found.push({ rule, conditions: await conditionsOf(rule, now, tx, sources) });
      // The agents whose names the conditions' annotations use, read once for every rule that needs them.
      const named = [...new Set(found.flatMap(({ conditions }) => conditions.flatMap((condition) => (condition.namedAgent ? [condition.namedAgent] : []))))];
      const agentNames = named.length > 0 ? await deps.readModel.agentNames(tx, named) : new Map<string, string>();
      for (const { rule, conditions } of found) {
        for (const condition of conditions) {
          const labels = { ...condition.labels, ...rule.labels, alertname: rule.name, severity: rule.severity };
          const fingerprint = alertFingerprint(rule.name, labels);
          const variables = { ...labels, ...condition.variables, ...agentNameOf(condition, agentNames), value: String(condition.value) };
          const annotations = Object.fromEntries(Object.entries(rule.annotations).map(([name, template]) => [name, renderTemplate(template, variables)]));
          const previous = existing.get(fingerprint);
          const transition = nextAlertState(previous && stateOf(previous), true, now, rule.forMs);
          next.set(fingerprint, rowOf(fingerprint, rule.name, labels, annotations, transition.state, now, condition.value, transition.changed ? correlationId : (previous?.correlation_id ?? correlationId)));
          if (previous && !transition.changed && previous.value === condition.value && sameText(previous.annotations, annotations)) {
            unchanged.add(fingerprint);
            evaluatedUnchanged += 1;
          }
        }
      }
      for (const previous of existing.values()) {
        if (next.has(previous.fingerprint) || previous.status === 'resolved') continue;
        const rule = rulesByName.get(previous.rule);
        if (rule && !inScope(scope, rule.kind)) {
          next.set(previous.fingerprint, previous);
          unchanged.add(previous.fingerprint);
          continue;
        }
        // The condition ended, or its rule left the document: the alert resolves.
        const transition = nextAlertState(stateOf(previous), false, now, rule?.forMs ?? 0);
        next.set(previous.fingerprint, rowOf(previous.fingerprint, previous.rule, previous.labels, previous.annotations, transition.state, now, previous.value, correlationId));
      }
      await repository.upsert([...next.values()].filter((row) => !unchanged.has(row.fingerprint)), tx);
      // Every other live alert of these rules was just written with this moment: with none left as it was, there is
      // nothing to mark.
      if (evaluatedUnchanged > 0) await repository.markEvaluated(now, tx, scope === 'all' ? undefined : evaluated.map((rule) => rule.name));

      const silences = (await deps.silences.listCurrent(now, tx)).map(
        (row): ActiveSilence => ({ id: row.id, matchers: row.matchers.map((text) => parseMatcher(text)), startsAt: row.starts_at, endsAt: row.ends_at }),
      );
      const alerts = [...next.values(), ...[...existing.values()].filter((row) => !next.has(row.fingerprint))];
      const plan = planNotifications({
        alerts: alerts.map((row) => ({ fingerprint: row.fingerprint, status: row.status, labels: row.labels, annotations: row.annotations, startsAt: row.starts_at, endsAt: row.ends_at })),
        groups: groups.map(groupStateOf),
        route: compiled.route,
        silences,
        now,
        generatorUrl: (alert) => deps.generatorUrl(alert.fingerprint),
      });
      // A receiver deleted after the rules were PUT must not stop every other alert: its groups are skipped (and
      // retried at the next evaluation, should it come back). The rest are enqueued together, in this transaction.
      const deliverable = plan.notifications.filter((notification) => receivers.has(notification.receiver));
      const undeliverable = plan.notifications.length - deliverable.length;
      await deps.sink.enqueueMany(
        deliverable.map((notification) => ({ ...notification, id: newId(), correlationId })),
        { tx },
      );
      const skipped = new Set(plan.notifications.filter((notification) => !receivers.has(notification.receiver)).map((notification) => notification.groupKey));
      await repository.saveGroups(plan.saveGroups.filter((group) => !skipped.has(group.groupKey)).map(groupRowOf), tx);
      await repository.deleteGroups(plan.deleteGroups.filter((key) => !skipped.has(key)), tx);

      let wakeAt = plan.wakeAt;
      // A firing alert held back by a silence is delivered once the silence ends: wake up then, not at whatever
      // evaluation happens to come next.
      for (const row of next.values()) {
        if (row.status !== 'firing') continue;
        for (const silence of silencesOf(row.labels, silences, now)) if (wakeAt === undefined || silence.endsAt < wakeAt) wakeAt = silence.endsAt;
      }
      for (const row of next.values()) {
        const due = firesAt(stateOf(row), rulesByName.get(row.rule)?.forMs ?? 0);
        // An alert left as it was whose `for` has run out waits for the timer its own evaluation sent; a moment
        // already past here would keep this evaluation from sending the timer its own pending alerts need.
        if (due && unchanged.has(row.fingerprint) && due <= now) continue;
        if (due && (wakeAt === undefined || due < wakeAt)) wakeAt = due;
      }
      const counts = { firing: 0, pending: 0, resolved: 0 };
      for (const row of next.values()) counts[row.status] += 1;
      // Every live alert was read under the lock and `alerts` is what this evaluation left of them: the firing ones
      // are counted here rather than read back.
      const firing = firingCounts(alerts);
      afterCommit.defer(tx, () => {
        metrics.setFiring(firing);
        metrics.notifications.inc(plan.notifications.length - undeliverable);
        if (undeliverable > 0) logger.warn({ correlation_id: correlationId, notifications: undeliverable }, 'alert notifications for receivers that no longer exist were not sent');
        if (plan.notifications.length > 0 || counts.resolved > 0) {
          logger.info(
            { correlation_id: correlationId, ...counts, notifications: plan.notifications.length, rules_version: compiled.version, duration_ms: Math.round(performance.now() - started) },
            'alerts evaluated',
          );
        }
      });
      return { ...counts, notifications: plan.notifications.length - undeliverable, wakeAt };
    });
  };
}

/** The `agent_name` variable of a condition that names an agent (its name, else its id, else "unknown agent"). */
function agentNameOf(condition: Condition, names: ReadonlyMap<string, string>): Record<string, string> {
  if (condition.namedAgent === undefined) return {};
  return { agent_name: (condition.namedAgent ? names.get(condition.namedAgent) : undefined) ?? condition.namedAgent ?? 'unknown agent' };
}

/** Firing alerts per rule and severity (the orca_alerts_firing gauge). */
function firingCounts(alerts: readonly AlertRow[]): Array<{ alertname: string; severity: string; count: number }> {
  const counts = new Map<string, { alertname: string; severity: string; count: number }>();
  for (const row of alerts) {
    if (row.status !== 'firing') continue;
    const alertname = row.labels.alertname ?? '';
    const severity = row.labels.severity ?? '';
    const key = JSON.stringify([alertname, severity]);
    const entry = counts.get(key);
    if (entry) entry.count += 1;
    else counts.set(key, { alertname, severity, count: 1 });
  }
  return [...counts.values()];
}

function sameText(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

function stateOf(row: Pick<AlertRow, 'status' | 'active_since' | 'starts_at' | 'ends_at'>): AlertState {
  return { status: row.status, activeSince: row.active_since, startsAt: row.starts_at, endsAt: row.ends_at };
}

function rowOf(
  fingerprint: string,
  rule: string,
  labels: Record<string, string>,
  annotations: Record<string, string>,
  state: AlertState,
  now: Date,
  value: number | null,
  correlationId: string | null,
): AlertRow {
  return {
    fingerprint,
    rule,
    labels,
    annotations,
    status: state.status,
    active_since: state.activeSince,
    starts_at: state.startsAt,
    ends_at: state.endsAt,
    last_evaluated_at: now,
    value,
    correlation_id: correlationId,
  };
}

function groupStateOf(row: GroupRow): GroupState {
  return {
    groupKey: row.group_key,
    receiver: row.receiver,
    groupLabels: row.group_labels,
    firstSeenAt: row.first_seen_at,
    lastSentAt: row.last_sent_at,
    sentFiring: Object.keys(row.sent_state),
  };
}

function groupRowOf(state: GroupState): GroupRow {
  return {
    group_key: state.groupKey,
    receiver: state.receiver,
    group_labels: state.groupLabels,
    first_seen_at: state.firstSeenAt,
    last_sent_at: state.lastSentAt,
    sent_state: Object.fromEntries(state.sentFiring.map((fingerprint) => [fingerprint, 'firing' as const])),
  };
}

export type AlertEvaluator = ReturnType<typeof createAlertEvaluator>;
