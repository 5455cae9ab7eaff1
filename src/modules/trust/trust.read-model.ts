/**
 * The trust module's read model: every statement by which trust reads the tables of other modules. Those tables
 * are read here and nowhere else in the module, and never written:
 *
 * | table         | owner     | read for                                                                       |
 * |---------------|-----------|--------------------------------------------------------------------------------|
 * | `agent`       | agents    | the agents scored (name, status, classification → X); active agents in gauges  |
 * | `agent_event` | agents    | who was active at a past instant (previous window); recent human approvals     |
 * | `run`         | ingest    | reliability R: runs and successful runs per agent, per window and per day      |
 * | `event`       | ingest    | drift rate: the entities seen in the window                                    |
 * | `decision`    | policies  | policy adherence P, compliance SLA, risk avoided by blocking, per window/day   |
 * | `incident`    | incidents | X: open high/critical incidents per agent; self-resolution of incidents        |
 * | `sync_gap`    | sync      | freshness F, drift rate, self-resolution and risk avoided of gaps; open gaps   |
 * | `approval`    | approvals | risk avoided by approvals that were denied or expired                          |
 *
 * Reading the tables rather than asking each module's service keeps every input one grouped, set-based
 * statement over the window (from, to], fast at 10,000 agents and millions of runs and decisions (indexes:
 * run_started_idx, decision(at), incident_*). The one write here goes to trust's own `trust_rollup_day`: the
 * daily rollups are this read model materialised per closed UTC day, in one insert … select, so that the rows
 * of a day never travel through the process.
 *
 * "Open at t" means opened/detected at or before t and not resolved at t, so the same reads answer for the
 * previous window of a trend as for now.
 */
import type { Queryable } from '../../platform/db/index.js';
import { readAll } from './read-all.js';
import type { Classification } from './score.js';
import { NO_AGENT_KEY } from './trust.repository.js';

export interface TrustAgentRow {
  id: string;
  name: string;
  status: string;
  classification: Classification;
}

export interface Counts {
  total: number;
  ok: number;
}

export interface DecisionTotals {
  total: number;
  compliant: number;
  riskAvoidedUsd: number;
  blocked: number;
}

export interface OpenGapRow {
  contract: string | null;
  stream: string | null;
  agent_id: string | null;
}

/** Tables of modules that may not be installed yet (their migrations land separately): absent reads as empty. */
export interface AvailableTables {
  decision: boolean;
  sync_gap: boolean;
  event: boolean;
  run: boolean;
  approval: boolean;
}

/** A time range for a raw scan; each bound inclusive or exclusive. */
export interface TimeRange {
  gt?: Date;
  gte?: Date;
  lt?: Date;
  lte?: Date;
}

/** `(col > $n and col < $m) or (…)` for the ranges, appending their values to `values`. */
function rangeSql(column: string, ranges: TimeRange[], values: unknown[]): string {
  const parts = ranges.map((range) => {
    const conditions: string[] = [];
    for (const [key, op] of [['gt', '>'], ['gte', '>='], ['lt', '<'], ['lte', '<=']] as const) {
      const bound = range[key];
      if (bound) {
        values.push(bound);
        conditions.push(`${column} ${op} $${values.length}`);
      }
    }
    return `(${conditions.join(' and ')})`;
  });
  return parts.length > 0 ? `(${parts.join(' or ')})` : 'false';
}

export function createTrustReadModel(db: Queryable) {
  return {
    async availableTables(tx: Queryable = db): Promise<AvailableTables> {
      const { rows } = await tx.query<AvailableTables>(
        `select to_regclass('decision') is not null as decision, to_regclass('sync_gap') is not null as sync_gap,
                to_regclass('event') is not null as event, to_regclass('run') is not null as run,
                to_regclass('approval') is not null as approval`,
      );
      return rows[0]!;
    },

    /**
     * `activeOnly`: agents whose status is active now. `activeAt`: agents that were active at that past instant,
     * from the lifecycle history (the last agent_event at or before it; registered later → not there). An agent
     * without any history row (written by SQL, not the API) counts with its current status from its created_at.
     * The classification is today's: the registry keeps no history of it.
     */
    async agents(filter: { id?: string; activeOnly?: boolean; activeAt?: Date }, tx: Queryable = db): Promise<TrustAgentRow[]> {
      const conditions: string[] = [];
      const values: unknown[] = [];
      if (filter.id) {
        values.push(filter.id);
        conditions.push(`id = $${values.length}`);
      }
      if (filter.activeAt) {
        values.push(filter.activeAt);
        const at = `$${values.length}`;
        conditions.push(
          `created_at <= ${at} and coalesce(
             (select e.to_status from agent_event e where e.agent_id = agent.id and e.at <= ${at} order by e.at desc, e.id desc limit 1),
             case when not exists (select 1 from agent_event e where e.agent_id = agent.id) then status end
           ) = 'active'`,
        );
      } else if (filter.activeOnly) conditions.push(`status = 'active'`);
      const where = conditions.length > 0 ? `where ${conditions.join(' and ')}` : '';
      // Status as the filter saw it: an agent that was active at `activeAt` is reported active for that instant.
      const statusSql = filter.activeAt ? `'active'::text as status` : 'status';
      const { rows } = await tx.query<TrustAgentRow>(`select id, name, ${statusSql}, classification from agent ${where} order by id`, values);
      return rows;
    },

    /** Runs started in the ranges, per agent: total and successful. */
    async runsByAgent(ranges: TimeRange[], agentId: string | undefined, tx: Queryable = db): Promise<Map<string, Counts>> {
      const values: unknown[] = [];
      const where = rangeSql('started_at', ranges, values);
      if (agentId) values.push(agentId);
      const agentSql = agentId ? `and agent_id = $${values.length}` : '';
      const { rows } = await tx.query<{ agent_id: string; total: number; ok: number }>(
        `select agent_id, count(*)::int as total, count(*) filter (where outcome = 'success')::int as ok
           from run where ${where} ${agentSql}
          group by agent_id`,
        values,
      );
      return new Map(rows.map((row) => [row.agent_id, { total: row.total, ok: row.ok }]));
    },

    /**
     * Decisions taken in the ranges per agent (key '' for decisions without an agent): total, compliant, and the
     * risk avoided by blocking (decision.risk_avoided_usd, set by the policy engine on blocked high/critical
     * violations).
     */
    async decisionsByAgent(ranges: TimeRange[], agentId: string | undefined, tx: Queryable = db): Promise<Map<string, DecisionTotals>> {
      const values: unknown[] = [];
      const where = rangeSql('at', ranges, values);
      if (agentId) values.push(agentId);
      const agentSql = agentId ? `and agent_id = $${values.length}` : '';
      const { rows } = await tx.query<{ agent_id: string | null; total: number; compliant: number; risk_avoided_usd: number; blocked: number }>(
        `select agent_id, count(*)::int as total, count(*) filter (where compliant)::int as compliant,
                coalesce(sum(risk_avoided_usd), 0)::float8 as risk_avoided_usd,
                count(*) filter (where risk_avoided_usd > 0)::int as blocked
           from decision where ${where} ${agentSql}
          group by agent_id`,
        values,
      );
      return new Map(
        rows.map((row) => [row.agent_id ?? '', { total: row.total, compliant: row.compliant, riskAvoidedUsd: Number(row.risk_avoided_usd), blocked: row.blocked }]),
      );
    },

    /** Open high/critical incidents at `at`, per linked agent. */
    async openSevereIncidentsByAgent(at: Date, agentId: string | undefined, tx: Queryable = db): Promise<Map<string, number>> {
      const { rows } = await tx.query<{ agent_id: string; open: number }>(
        `select agent_id, count(*)::int as open from incident
          where agent_id is not null and severity in ('high', 'critical') and opened_at <= $1
            and (resolved_at is null or resolved_at > $1) ${agentId ? 'and agent_id = $2' : ''}
          group by agent_id`,
        agentId ? [at, agentId] : [at],
      );
      return new Map(rows.map((row) => [row.agent_id, row.open]));
    },

    /** Gaps open at `at` (detected, not yet resolved): their contract, stream and attributed agent. */
    async openGaps(at: Date, agentId: string | undefined, tx: Queryable = db): Promise<OpenGapRow[]> {
      const { rows } = await tx.query<OpenGapRow>(
        `select distinct contract, stream, agent_id from sync_gap
          where detected_at <= $1 and (resolved_at is null or resolved_at > $1) ${agentId ? 'and agent_id = $2' : ''}`,
        agentId ? [at, agentId] : [at],
      );
      return rows;
    },

    /**
     * Distinct entities seen in events received in (from, to], and how many of them have a gap open at `to`. The
     * numerator starts from the open gaps (few) and probes the event index for each, rather than probing the gaps
     * for every entity seen (many).
     */
    async entities(from: Date, to: Date, withGaps: boolean, tx: Queryable = db): Promise<{ seen: number; withOpenGap: number }> {
      const [seen, open] = await readAll(tx === db, [
        () => tx.query<{ seen: number }>(
          `select count(*)::int as seen from (select distinct entity_type, entity_id from event where received_at > $1 and received_at <= $2) e`,
          [from, to],
        ),
        async () =>
          withGaps
            ? tx.query<{ with_open_gap: number }>(
                `select count(*)::int as with_open_gap
                   from (select distinct entity_type, entity_id from sync_gap
                          where entity_id is not null and entity_type is not null and detected_at <= $2 and (resolved_at is null or resolved_at > $2)) g
                  where exists (select 1 from event e where e.entity_type = g.entity_type and e.entity_id = g.entity_id
                                   and e.received_at > $1 and e.received_at <= $2)`,
                [from, to],
              )
            : undefined,
      ]);
      return { seen: seen.rows[0]?.seen ?? 0, withOpenGap: open?.rows[0]?.with_open_gap ?? 0 };
    },

    /**
     * Gaps resolved in (from, to]: automatically or not, those of the automatic ones a remediation healed
     * (docs/self-healing.md), and those resolved before their due time with their cost.
     */
    async gapResolutions(from: Date, to: Date, tx: Queryable = db): Promise<{ auto: number; healed: number; resolved: number; beforeDue: number; beforeDueUsd: number }> {
      const { rows } = await tx.query<{ auto: number; healed: number; resolved: number; before_due: number; before_due_usd: number }>(
        `select count(*) filter (where resolution = 'auto')::int as auto, count(*)::int as resolved,
                count(*) filter (where resolution = 'auto'
                                   and exists (select 1 from remediation r where r.gap_id = sync_gap.id and r.status = 'healed'))::int as healed,
                count(*) filter (where due_at is not null and resolved_at <= due_at)::int as before_due,
                coalesce(sum(cost_usd) filter (where due_at is not null and resolved_at <= due_at), 0)::float8 as before_due_usd
           from sync_gap
          where resolved_at > $1 and resolved_at <= $2
            -- A gap closed because a newer contracts version dropped its rule was withdrawn, not resolved.
            and detail->>'closed_because' is distinct from 'rule_removed'`,
        [from, to],
      );
      const row = rows[0];
      return { auto: row?.auto ?? 0, healed: row?.healed ?? 0, resolved: row?.resolved ?? 0, beforeDue: row?.before_due ?? 0, beforeDueUsd: Number(row?.before_due_usd ?? 0) };
    },

    /**
     * Approvals that ended without going ahead in (from, to] — denied then, or expired then — and the risk cost
     * their decisions held (RA$ counts an approval only so). A pending approval past its expiry is expired whether
     * or not the sweep has recorded it yet: the same answer before and after the sweep.
     */
    async approvalsAvoided(from: Date, to: Date, tx: Queryable = db): Promise<{ count: number; usd: number }> {
      const { rows } = await tx.query<{ count: number; usd: number }>(
        `select count(*)::int as count, coalesce(sum(risk_cost_usd), 0)::float8 as usd from approval
          where (status in ('denied', 'expired') and decided_at > $1 and decided_at <= $2)
             or (status = 'pending' and expires_at > $1 and expires_at <= $2)`,
        [from, to],
      );
      return { count: rows[0]?.count ?? 0, usd: Number(rows[0]?.usd ?? 0) };
    },

    async incidentResolutions(from: Date, to: Date, tx: Queryable = db): Promise<{ auto: number; resolved: number }> {
      const { rows } = await tx.query<{ auto: number; resolved: number }>(
        `select count(*) filter (where resolved_by = 'auto')::int as auto, count(*)::int as resolved
           from incident where resolved_at > $1 and resolved_at <= $2`,
        [from, to],
      );
      return { auto: rows[0]?.auto ?? 0, resolved: rows[0]?.resolved ?? 0 };
    },

    /** Open gaps at `at` by type and severity (executive report). */
    async openGapsByType(at: Date, tx: Queryable = db): Promise<Array<{ type: string; severity: string; count: number }>> {
      const { rows } = await tx.query<{ type: string; severity: string; count: number }>(
        `select type, severity, count(*)::int as count from sync_gap
          where detected_at <= $1 and (resolved_at is null or resolved_at > $1)
          group by type, severity order by type, severity`,
        [at],
      );
      return rows;
    },

    /** Agents approved by a human since `since`: auto-quarantine leaves them alone for one window. */
    async recentlyApproved(since: Date, tx: Queryable = db): Promise<Set<string>> {
      const { rows } = await tx.query<{ agent_id: string }>(`select distinct agent_id from agent_event where action = 'approve' and at > $1`, [since]);
      return new Set(rows.map((row) => row.agent_id));
    },

    /** The lowest scores of the latest snapshot among agents active now, and the count per grade (trust gauges). */
    async latestTrustSummary(lowest: number, tx: Queryable = db): Promise<{ lowest: Array<{ agent_id: string; score: number }>; grades: Array<{ grade: string; count: number }> }> {
      const latestSql = `select distinct on (s.agent_id) s.agent_id, s.score, s.grade from trust_snapshot s
                        join agent a on a.id = s.agent_id and a.status = 'active'
                       where s.at = (select max(at) from trust_snapshot)
                       order by s.agent_id, s.at desc`;
      const low = await tx.query<{ agent_id: string; score: number }>(`select agent_id, score from (${latestSql}) l order by score, agent_id limit $1`, [lowest]);
      const grades = await tx.query<{ grade: string; count: number }>(`select grade, count(*)::int as count from (${latestSql}) l group by grade`);
      return { lowest: low.rows, grades: grades.rows };
    },

    /** Closed UTC days in [horizonDay, todayDay) holding runs received after `since` (late telemetry). */
    async daysWithRunsReceivedSince(since: Date, horizonDay: string, todayDay: string, tx: Queryable = db): Promise<string[]> {
      const { rows } = await tx.query<{ day: string }>(
        `select distinct to_char((started_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day from run
          where received_at > $1 and started_at >= ($2::date::timestamp at time zone 'UTC') and started_at < ($3::date::timestamp at time zone 'UTC')`,
        [since, horizonDay, todayDay],
      );
      return rows.map((row) => row.day);
    },

    /** Recomputes the rollup rows of the UTC `days` ('YYYY-MM-DD', sorted) from run and decision. */
    async rollUpDays(days: string[], tx: Queryable = db): Promise<void> {
      const values = [days, days[0], days.at(-1)];
      await tx.query(`delete from trust_rollup_day where day = any($1::date[])`, [days]);
      await tx.query(
        `insert into trust_rollup_day (day, agent_key, runs, runs_ok)
         select (started_at at time zone 'UTC')::date, agent_id, count(*), count(*) filter (where outcome = 'success')
           from run
          where started_at >= ($2::date::timestamp at time zone 'UTC') and started_at < (($3::date + 1)::timestamp at time zone 'UTC') and (started_at at time zone 'UTC')::date = any($1::date[])
          group by 1, 2`,
        values,
      );
      await tx.query(
        `insert into trust_rollup_day (day, agent_key, decisions, decisions_compliant, risk_avoided_usd, blocked)
         select (at at time zone 'UTC')::date, coalesce(agent_id, '${NO_AGENT_KEY}'::uuid), count(*), count(*) filter (where compliant),
                coalesce(sum(risk_avoided_usd), 0), count(*) filter (where risk_avoided_usd > 0)
           from decision
          where at >= ($2::date::timestamp at time zone 'UTC') and at < (($3::date + 1)::timestamp at time zone 'UTC') and (at at time zone 'UTC')::date = any($1::date[])
          group by 1, 2
         on conflict (day, agent_key) do update set decisions = excluded.decisions, decisions_compliant = excluded.decisions_compliant,
           risk_avoided_usd = excluded.risk_avoided_usd, blocked = excluded.blocked`,
        values,
      );
    },
  };
}

export type TrustReadModel = ReturnType<typeof createTrustReadModel>;
