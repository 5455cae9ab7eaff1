/**
 * The alerts module's read model: every statement by which alert rules read the tables of other modules. Those
 * tables are read here and nowhere else in the module, and never written:
 *
 * | table             | owner     | read for                                                                   |
 * |-------------------|-----------|----------------------------------------------------------------------------|
 * | `sync_gap`        | sync      | gap_opened: open gaps by type, contract, agent and minimum severity         |
 * | `policy_violation`| policies  | violations: violations per agent in the rule's window                      |
 * | `trust_snapshot`  | trust     | trust_below: each agent's latest score, and its score one window ago        |
 * | `kpi_snapshot`    | trust     | kpi_threshold: the latest organisation KPIs                                 |
 * | `incident`        | incidents | incident_opened: open incidents                                             |
 * | `run`, `event`    | ingest    | agent_silent: each agent's last run or event                                |
 * | `approval`        | approvals | approval_requested: pending approvals not yet past their expiry             |
 * | `agent`           | agents    | names for annotations; selection by id, tag and owner; agent_changed        |
 * | `agent_identities`, `discovery_run`, `discovery_source`, `discovery_finding` | discovery | agent_discovered, tool_poisoning, discovery_failed |
 *
 * Reading the tables rather than asking each module's service keeps each rule one grouped statement, run inside
 * the evaluation's transaction (so every rule sees the same moment). Stream freshness is asked of the sync service
 * (it is computed from the active contracts, not stored); signature failures and dead letters are alerts' own
 * `alert_signal` rows.
 */
import type { Queryable } from '../../platform/db/index.js';

const SEVERITY_RANK = "(case %s when 'low' then 1 when 'medium' then 2 when 'high' then 3 when 'critical' then 4 else 0 end)";
const rank = (column: string) => SEVERITY_RANK.replace('%s', column);
const SEVERITY_VALUE: Record<string, number> = { low: 1, medium: 2, high: 3, critical: 4 };
export const severityRank = (severity: unknown): number => (typeof severity === 'string' ? (SEVERITY_VALUE[severity] ?? 0) : 0);

export interface AgentSelector {
  agent_id?: string | undefined;
  tag?: string | undefined;
  owner?: string | undefined;
}

/** `and …` conditions on `agent a` for a selector, numbering parameters after `params`. */
function agentFilter(selector: AgentSelector, params: unknown[]): string {
  let sql = '';
  if (selector.agent_id !== undefined) {
    params.push(selector.agent_id);
    sql += ` and a.id = $${params.length}`;
  }
  if (selector.tag !== undefined) {
    params.push(selector.tag);
    sql += ` and $${params.length} = any(a.tags)`;
  }
  if (selector.owner !== undefined) {
    params.push(selector.owner);
    sql += ` and a.owner = $${params.length}`;
  }
  return sql;
}

/** What a `violations` rule matches: a rule, a minimum severity, a decision, and which agents. */
export type ViolationSelector = AgentSelector & { rule?: string | undefined; min_severity?: string | undefined; decision?: string | undefined };

export interface ViolationGroup {
  agent_id: string | null;
  rule: string;
  severity: string;
  decision: string;
  count: number;
}

export function createAlertsReadModel() {
  return {
    async openGaps(tx: Queryable, match: { gap_type?: string; contract?: string; min_severity?: string }) {
      const { rows } = await tx.query<{ type: string; contract: string | null; agent_id: string | null; agent_name: string | null; count: number }>(
        `select g.type, g.contract, g.agent_id, a.name as agent_name, count(*)::int as count
           from sync_gap g left join agent a on a.id = g.agent_id
          where g.resolved_at is null and ($1::text is null or g.type = $1) and ($2::text is null or g.contract = $2) and ${rank('g.severity')} >= $3
          group by g.type, g.contract, g.agent_id, a.name`,
        [match.gap_type ?? null, match.contract ?? null, severityRank(match.min_severity)],
      );
      return rows;
    },

    /**
     * Violations per agent with `from < at <= to` matching the selector (no names: violation-counts.ts adds them for
     * the agents it reports). The range scan uses policy_violation_window_idx (migration 0019).
     */
    async violationCountsBetween(tx: Queryable, from: Date, to: Date, match: ViolationSelector) {
      if (to <= from) return [];
      const params: unknown[] = [from, to, match.rule ?? null, severityRank(match.min_severity), match.decision ?? null];
      const selectorSql = agentFilter(match, params);
      const joinSql = selectorSql ? 'join agent a on a.id = v.agent_id' : '';
      const { rows } = await tx.query<{ agent_id: string | null; count: number }>(
        `select v.agent_id, count(*)::int as count
           from policy_violation v ${joinSql}
          where v.at > $1 and v.at <= $2 and ($3::text is null or v.rule = $3) and ${rank('v.severity')} >= $4
            and ($5::text is null or v.decision = $5) ${selectorSql}
          group by v.agent_id`,
        params,
      );
      return rows;
    },

    /**
     * Every violation with `from < at <= to`, counted per agent, rule, severity and decision: one range scan that
     * serves all the `violations` rules of an evaluation reading the same stretch (violation-counts.ts filters it).
     */
    async violationGroupsBetween(tx: Queryable, from: Date, to: Date) {
      if (to <= from) return [];
      const { rows } = await tx.query<ViolationGroup>(
        `select agent_id, rule, severity, decision, count(*)::int as count from policy_violation
          where at > $1 and at <= $2 group by agent_id, rule, severity, decision`,
        [from, to],
      );
      return rows;
    },

    async trustScores(tx: Queryable, previousAt: Date, selector: AgentSelector) {
      const params: unknown[] = [previousAt];
      const filterSql = agentFilter(selector, params);
      const { rows } = await tx.query<{ agent_id: string; agent_name: string; score: number; previous_score: number | null }>(
        `select a.id as agent_id, a.name as agent_name, current.score::float8 as score, previous.score::float8 as previous_score
           from agent a
           cross join lateral (select score from trust_snapshot s where s.agent_id = a.id order by s.at desc limit 1) current
           left join lateral (select score from trust_snapshot s where s.agent_id = a.id and s.at <= $1 order by s.at desc limit 1) previous on true
          where a.status <> 'retired' ${filterSql}`,
        params,
      );
      return rows;
    },

    async latestKpis(tx: Queryable): Promise<{ at: Date; window_label: string; kpis: Record<string, { value: number | null }> } | undefined> {
      const { rows } = await tx.query<{ at: Date; window_label: string; kpis: Record<string, { value: number | null }> }>(
        'select at, window_label, kpis from kpi_snapshot order by at desc limit 1',
      );
      return rows[0];
    },

    async openIncidents(tx: Queryable, match: { kind?: string; min_severity?: string; agent_id?: string }) {
      const { rows } = await tx.query<{ id: string; kind: string; severity: string; title: string | null; agent_id: string | null; agent_name: string | null }>(
        `select i.id, i.kind, i.severity, i.title, i.agent_id, a.name as agent_name
           from incident i left join agent a on a.id = i.agent_id
          where i.status = 'open' and ($1::text is null or i.kind = $1) and ${rank('i.severity')} >= $2 and ($3::uuid is null or i.agent_id = $3)`,
        [match.kind ?? null, severityRank(match.min_severity), match.agent_id ?? null],
      );
      return rows;
    },

    /** Active agents whose last run or event (or, lacking both, registration) is at or before `silentSince`. */
    async silentAgents(tx: Queryable, silentSince: Date, selector: AgentSelector) {
      const params: unknown[] = [silentSince];
      const filterSql = agentFilter(selector, params);
      const { rows } = await tx.query<{ agent_id: string; agent_name: string; last_seen: Date }>(
        `select agent_id, agent_name, last_seen from (
           select a.id as agent_id, a.name as agent_name,
                  greatest(a.created_at, (select max(r.started_at) from run r where r.agent_id = a.id),
                           (select max(e.occurred_at) from event e where e.agent_id = a.id)) as last_seen
             from agent a where a.status = 'active' ${filterSql}) seen
          where last_seen <= $1`,
        params,
      );
      return rows;
    },

    async pendingApprovals(tx: Queryable, now: Date, match: AgentSelector & { action?: string }) {
      const params: unknown[] = [now, match.action ?? null];
      const selectorSql = agentFilter(match, params);
      const { rows } = await tx.query<{
        id: string;
        agent_id: string;
        agent_name: string | null;
        action: string;
        resource: string;
        classification: string;
        rule: string;
        expires_at: Date;
      }>(
        `select p.id, p.agent_id, a.name as agent_name, p.action, p.resource, p.classification, p.rule, p.expires_at
           from approval p left join agent a on a.id = p.agent_id
          where p.status = 'pending' and p.expires_at > $1 and ($2::text is null or p.action = $2) ${selectorSql}
          order by p.id`,
        params,
      );
      return rows;
    },

    async agentNames(tx: Queryable, ids: string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const { rows } = await tx.query<{ id: string; name: string }>('select id, name from agent where id = any($1::uuid[])', [ids]);
      return new Map(rows.map((row) => [row.id, row.name]));
    },

    /** Per discovery source: agents it registered that were never approved and still wait in quarantine. */
    async awaitingFirstApproval(tx: Queryable, match: { source_id?: string; source_kind?: string }) {
      const { rows } = await tx.query<{ source_id: string; source_kind: string; source_name: string; count: number }>(
        `select s.id as source_id, s.kind as source_kind, s.name as source_name, count(distinct a.id)::int as count
           from agent_identities i
           join discovery_source s on s.id = i.discovery_source_id
           join agent a on a.id = i.agent_id
          where a.status = 'quarantined' and s.deleted_at is null
            and ($1::uuid is null or s.id = $1) and ($2::text is null or s.kind = $2)
            and not exists (select 1 from agent_event e where e.agent_id = a.id and e.action = 'approve')
          group by s.id, s.kind, s.name`,
        [match.source_id ?? null, match.source_kind ?? null],
      );
      return rows;
    },

    /** Agents in needs_review, with the reason of the move (what changed). */
    async agentsInReview(tx: Queryable, selector: AgentSelector) {
      const params: unknown[] = [];
      const filterSql = agentFilter(selector, params);
      const { rows } = await tx.query<{ agent_id: string; agent_name: string; reason: string | null }>(
        `select a.id as agent_id, a.name as agent_name, a.status_reason as reason from agent a where a.status = 'needs_review' ${filterSql}`,
        params,
      );
      return rows;
    },

    /** Findings (tool poisoning, rug pulls) per agent and kind that no approval of the agent came after. */
    async unacknowledgedFindings(tx: Queryable, match: AgentSelector & { finding?: string }) {
      const params: unknown[] = [match.finding ?? null];
      const filterSql = agentFilter(match, params);
      const { rows } = await tx.query<{ agent_id: string; agent_name: string; kind: string; count: number; tools: string[] }>(
        `select a.id as agent_id, a.name as agent_name, f.kind, count(*)::int as count, array_agg(distinct f.tool order by f.tool) as tools
           from discovery_finding f join agent a on a.id = f.agent_id
          where a.status <> 'retired' and ($1::text is null or f.kind = $1) ${filterSql}
            and not exists (select 1 from agent_event e where e.agent_id = f.agent_id and e.action = 'approve' and e.at >= f.detected_at)
          group by a.id, a.name, f.kind`,
        params,
      );
      return rows;
    },

    /** Live discovery sources whose latest finished run failed, with its first error. */
    async failedDiscoverySources(tx: Queryable, match: { source_id?: string }) {
      const { rows } = await tx.query<{ source_id: string; source_kind: string; source_name: string; error: string | null }>(
        `select s.id as source_id, s.kind as source_kind, s.name as source_name, r.errors -> 0 ->> 'message' as error
           from discovery_source s
           cross join lateral (select status, errors from discovery_run where source_id = s.id and finished_at is not null order by id desc limit 1) r
          where s.deleted_at is null and s.enabled and r.status = 'failed' and ($1::uuid is null or s.id = $1)`,
        [match.source_id ?? null],
      );
      return rows;
    },

    /** alerts' own signals (signature failures, dead letters) per subject in a window. */
    async signalCounts(tx: Queryable, kind: string, since: Date, until: Date, subjectFilter: Record<string, string>) {
      const { rows } = await tx.query<{ subject: Record<string, string>; count: number }>(
        `select subject, count(*)::int as count from alert_signal
          where kind = $1 and at > $2 and at <= $3 and subject @> $4::jsonb
          group by subject`,
        [kind, since, until, JSON.stringify(subjectFilter)],
      );
      return rows;
    },
  };
}

export type AlertsReadModel = ReturnType<typeof createAlertsReadModel>;
