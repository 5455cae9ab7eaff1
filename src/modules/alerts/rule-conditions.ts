/**
 * What each rule kind finds true now: one condition per subject (an agent, a gap type on a contract, a stream, an
 * incident …), with the subject's labels, the measured value and the variables its annotations may use. A subject
 * absent from the answer has no condition: its alert resolves.
 */
import type { Queryable } from '../../platform/db/index.js';
import type { AlertsReadModel } from './alerts.read-model.js';
import type { CompiledRule } from './compile-alert-rules.js';
import type { KpiOperator } from './rule-match.js';
import type { ViolationCountsSession } from './violation-counts.js';

export interface Condition {
  labels: Record<string, string>;
  value: number;
  variables: Record<string, string>;
  /**
   * The agent whose name is the `agent_name` variable (null: none, "unknown agent"): the evaluator reads the names
   * of every rule's agents in one statement once all rules' conditions are in.
   */
  namedAgent?: string | null;
}

export interface StreamFreshness {
  contract: string;
  stream: string;
  agent_id: string;
  status: 'within_slo' | 'stale' | 'no_data';
}

/** The last backup attempt, as the backups module records it in BACKUP_DIR (backup_failed and backup_stale rules). */
export interface LastBackup {
  outcome: 'success' | 'failure';
  attempted_at: string;
  last_success_at: string | null;
  error: string | null;
}

export interface ConditionSources {
  readModel: AlertsReadModel;
  /**
   * The streams of the active sync contracts and whether each is within its freshness SLA, read before the
   * evaluation's transaction: the sync service reads on its own connection, which on the embedded database (one
   * connection) would wait for that transaction forever.
   */
  streams: StreamFreshness[];
  /** The last backup attempt (null before the first), read with the streams, before the transaction. */
  lastBackup: LastBackup | null;
  /** Where an approval is read (and decided) in ORCA's API: the link of approval_requested alerts. */
  approvalUrl: (id: string) => string;
  /** violations rules' window counts, kept between evaluations (this evaluation's session of them). */
  violationCounts: ViolationCountsSession;
}

const withAgent = (labels: Record<string, string>, agentId: string | null | undefined): Record<string, string> => (agentId ? { ...labels, agent_id: agentId } : labels);

function compare(value: number, operator: KpiOperator, threshold: number): boolean {
  switch (operator) {
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}

export async function conditionsOf(rule: CompiledRule, now: Date, tx: Queryable, sources: ConditionSources): Promise<Condition[]> {
  const { readModel } = sources;
  const match = rule.match as Record<string, string | undefined>;
  const threshold = rule.threshold ?? 1;
  const since = new Date(now.getTime() - (rule.windowMs ?? 0));
  switch (rule.kind) {
    case 'gap_opened': {
      const rows = await readModel.openGaps(tx, match);
      return rows
        .filter((row) => row.count >= threshold)
        .map((row) => ({
          labels: withAgent({ gap_type: row.type, ...(row.contract ? { contract: row.contract } : {}) }, row.agent_id),
          value: row.count,
          variables: { agent_name: row.agent_name ?? '', contract: row.contract ?? '', gap_type: row.type },
        }));
    }
    case 'violations': {
      // Kept between evaluations (violation-counts.ts): the key changes whenever the rule's match or window does.
      const key = JSON.stringify([rule.name, rule.windowMs ?? 0, match]);
      const rows = (await sources.violationCounts.perAgent(tx, key, since, now, match)).filter((row) => row.count >= threshold);
      return rows.map((row) => ({
        labels: withAgent(match.rule ? { rule: match.rule } : {}, row.agent_id),
        value: row.count,
        variables: {},
        namedAgent: row.agent_id,
      }));
    }
    case 'trust_below': {
      const rows = await readModel.trustScores(tx, since, match);
      return rows
        .filter(
          (row) =>
            (rule.threshold !== undefined && row.score < rule.threshold) ||
            (rule.drop !== undefined && row.previous_score !== null && row.previous_score - row.score >= rule.drop),
        )
        .map((row) => ({
          labels: { agent_id: row.agent_id },
          value: row.score,
          variables: { agent_name: row.agent_name, drop: row.previous_score === null ? '' : String(Math.round((row.previous_score - row.score) * 100) / 100) },
        }));
    }
    case 'kpi_threshold': {
      const latest = await readModel.latestKpis(tx);
      const value = latest?.kpis[match.kpi!]?.value;
      if (typeof value !== 'number' || !compare(value, match.operator as KpiOperator, threshold)) return [];
      return [{ labels: { kpi: match.kpi! }, value, variables: { window: latest!.window_label } }];
    }
    case 'incident_opened': {
      const rows = await readModel.openIncidents(tx, match);
      return rows.map((row) => ({
        labels: withAgent({ incident_id: row.id, incident_kind: row.kind }, row.agent_id),
        value: 1,
        variables: { agent_name: row.agent_name ?? '', incident_severity: row.severity, incident_title: row.title ?? row.kind },
      }));
    }
    case 'agent_silent': {
      const rows = await readModel.silentAgents(tx, since, match);
      return rows.map((row) => ({
        labels: { agent_id: row.agent_id },
        value: Math.floor((now.getTime() - row.last_seen.getTime()) / 1000),
        variables: { agent_name: row.agent_name, last_seen: row.last_seen.toISOString() },
      }));
    }
    case 'approval_requested': {
      // One alert per pending approval; deciding it (or its expiry) ends the condition, and the alert resolves.
      const rows = await readModel.pendingApprovals(tx, now, match);
      return rows.map((row) => ({
        labels: { approval_id: row.id, agent_id: row.agent_id, action: row.action },
        value: 1,
        variables: {
          agent_name: row.agent_name ?? row.agent_id,
          action: row.action,
          resource: row.resource,
          classification: row.classification,
          rule: row.rule,
          expires_at: row.expires_at.toISOString(),
          approval_url: sources.approvalUrl(row.id),
        },
      }));
    }
    case 'stream_stale': {
      return sources.streams
        .filter((stream) => stream.status === 'stale' && (match.contract === undefined || stream.contract === match.contract) && (match.stream === undefined || stream.stream === match.stream))
        .map((stream) => ({ labels: { contract: stream.contract, stream: stream.stream, agent_id: stream.agent_id }, value: 1, variables: {} }));
    }
    case 'signature_failures': {
      const rows = await readModel.signalCounts(tx, 'signature_failure', since, now, match.source_id ? { source_id: match.source_id } : {});
      return rows.filter((row) => row.count >= threshold).map((row) => ({ labels: { source_id: row.subject.source_id ?? '' }, value: row.count, variables: {} }));
    }
    case 'delivery_dead_lettered': {
      const rows = await readModel.signalCounts(tx, 'delivery_dead_lettered', since, now, match.receiver ? { receiver: match.receiver } : {});
      const perReceiver = new Map<string, { kind: string; count: number }>();
      for (const row of rows) {
        const receiver = row.subject.receiver ?? '';
        const entry = perReceiver.get(receiver) ?? { kind: row.subject.receiver_kind ?? '', count: 0 };
        entry.count += row.count;
        perReceiver.set(receiver, entry);
      }
      return [...perReceiver]
        .filter(([, entry]) => entry.count >= threshold)
        .map(([receiver, entry]) => ({ labels: { receiver, receiver_kind: entry.kind }, value: entry.count, variables: {} }));
    }
    case 'backup_failed': {
      // Fires from the failed attempt until the next one succeeds (scheduled, or `orca backup`).
      const last = sources.lastBackup;
      if (last?.outcome !== 'failure') return [];
      return [{ labels: {}, value: 1, variables: { error: last.error ?? 'unknown error', attempted_at: last.attempted_at, last_success_at: last.last_success_at ?? 'never' } }];
    }
    case 'backup_stale': {
      // Before the first success there is no age: a failing first backup is backup_failed's to report.
      const at = sources.lastBackup?.last_success_at;
      if (!at) return [];
      const ageMs = now.getTime() - Date.parse(at);
      if (ageMs <= (rule.windowMs ?? 0)) return [];
      return [{ labels: {}, value: Math.floor(ageMs / 1000), variables: { last_success_at: at, age_hours: String(Math.floor(ageMs / 360_000) / 10) } }];
    }
    case 'agent_discovered': {
      const rows = await readModel.awaitingFirstApproval(tx, match);
      return rows
        .filter((row) => row.count >= threshold)
        .map((row) => ({ labels: { discovery_source_id: row.source_id, source_kind: row.source_kind }, value: row.count, variables: { source_name: row.source_name } }));
    }
    case 'agent_changed': {
      const rows = await readModel.agentsInReview(tx, match);
      return rows.map((row) => ({ labels: { agent_id: row.agent_id }, value: 1, variables: { agent_name: row.agent_name, changes: row.reason ?? '' } }));
    }
    case 'tool_poisoning': {
      const rows = await readModel.unacknowledgedFindings(tx, match);
      return rows.map((row) => ({
        labels: { agent_id: row.agent_id, finding: row.kind },
        value: row.count,
        variables: { agent_name: row.agent_name, tools: row.tools.join(', ') },
      }));
    }
    case 'discovery_failed': {
      const rows = await readModel.failedDiscoverySources(tx, match);
      return rows.map((row) => ({ labels: { discovery_source_id: row.source_id, source_kind: row.source_kind }, value: 1, variables: { source_name: row.source_name, error: row.error ?? '' } }));
    }
  }
}
