/**
 * The SQL behind trust and KPIs: one grouped query per input over the window (from, to], set-based so that it
 * stays fast at 10,000 agents and millions of runs and decisions (indexes: run_started_idx, decision(at),
 * incident_*). The tables of other modules (run, event, sync_gap, decision) are read, never written.
 *
 * "Open at t" means opened/detected at or before t and not resolved at t, so the same queries answer for the
 * previous window of a trend as for now.
 */
import type { Queryable } from '../../platform/db/index.js';
import type { Classification } from './score.js';

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

export interface SnapshotRow {
  id: string;
  at: Date;
  window_label: string;
  window_ms: number;
  kpis: unknown;
}

/** Tables of modules that may not be installed yet (their migrations land separately): absent reads as empty. */
export interface AvailableTables {
  decision: boolean;
  sync_gap: boolean;
  event: boolean;
  run: boolean;
}

/** A time range for a raw scan; each bound inclusive or exclusive. */
export interface TimeRange {
  gt?: Date;
  gte?: Date;
  lt?: Date;
  lte?: Date;
}

/** The nil UUID stands for "no agent" in the rollup key (decisions evaluated without an agent id). */
export const NO_AGENT_KEY = '00000000-0000-0000-0000-000000000000';

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

export function createTrustRepository(db: Queryable) {
  return {
    async availableTables(tx: Queryable = db): Promise<AvailableTables> {
      const { rows } = await tx.query<AvailableTables>(
        `select to_regclass('decision') is not null as decision, to_regclass('sync_gap') is not null as sync_gap,
                to_regclass('event') is not null as event, to_regclass('run') is not null as run`,
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
      const status = filter.activeAt ? `'active'::text as status` : 'status';
      const { rows } = await tx.query<TrustAgentRow>(`select id, name, ${status}, classification from agent ${where} order by id`, values);
      return rows;
    },

    /** Runs started in the ranges, per agent: total and successful. */
    async runsByAgent(ranges: TimeRange[], agentId: string | undefined, tx: Queryable = db): Promise<Map<string, Counts>> {
      const values: unknown[] = [];
      const where = rangeSql('started_at', ranges, values);
      if (agentId) values.push(agentId);
      const { rows } = await tx.query<{ agent_id: string; total: number; ok: number }>(
        `select agent_id, count(*)::int as total, count(*) filter (where outcome = 'success')::int as ok
           from run where ${where} ${agentId ? `and agent_id = $${values.length}` : ''}
          group by agent_id`,
        values,
      );
      return new Map(rows.map((row) => [row.agent_id, { total: row.total, ok: row.ok }]));
    },

    /** Rolled-up runs and decisions per agent key over the closed UTC days [firstDay, lastDay] ('YYYY-MM-DD'). */
    async rolledUp(firstDay: string, lastDay: string, agentId: string | undefined, tx: Queryable = db): Promise<{ runs: Map<string, Counts>; decisions: Map<string, DecisionTotals> }> {
      const { rows } = await tx.query<{ agent_key: string; runs: number; runs_ok: number; decisions: number; compliant: number; risk_avoided_usd: number; blocked: number }>(
        `select agent_key, sum(runs)::int as runs, sum(runs_ok)::int as runs_ok, sum(decisions)::int as decisions,
                sum(decisions_compliant)::int as compliant, sum(risk_avoided_usd)::float8 as risk_avoided_usd, sum(blocked)::int as blocked
           from trust_rollup_day where day >= $1::date and day <= $2::date ${agentId ? 'and agent_key = $3' : ''}
          group by agent_key`,
        agentId ? [firstDay, lastDay, agentId] : [firstDay, lastDay],
      );
      const runs = new Map<string, Counts>();
      const decisions = new Map<string, DecisionTotals>();
      for (const row of rows) {
        if (row.runs > 0) runs.set(row.agent_key, { total: row.runs, ok: row.runs_ok });
        if (row.decisions > 0) {
          decisions.set(row.agent_key === NO_AGENT_KEY ? '' : row.agent_key, {
            total: row.decisions,
            compliant: row.compliant,
            riskAvoidedUsd: Number(row.risk_avoided_usd),
            blocked: row.blocked,
          });
        }
      }
      return { runs, decisions };
    },

    /** Whether every UTC day of [firstDay, lastDay] is rolled up. */
    async rollupCovers(firstDay: string, lastDay: string, days: number, tx: Queryable = db): Promise<boolean> {
      const { rows } = await tx.query<{ count: number }>(
        `select count(*)::int as count from trust_rollup_state where day >= $1::date and day <= $2::date`,
        [firstDay, lastDay],
      );
      return rows[0]?.count === days;
    },

    /**
     * Brings the rollups of closed days in [horizonDay, todayDay) up to date: days never computed, the last two
     * closed days (stragglers), and days that received runs since the last refresh (late telemetry). Returns the
     * days computed.
     */
    async refreshRollups(now: Date, todayDay: string, horizonDay: string, allDays: string[], tx: Queryable = db): Promise<string[]> {
      const state = await tx.query<{ day: string; computed_at: Date }>(
        `select to_char(day, 'YYYY-MM-DD') as day, computed_at from trust_rollup_state where day >= $1::date`,
        [horizonDay],
      );
      const done = new Set(state.rows.map((row) => row.day));
      const lastRefresh = state.rows.reduce<Date | null>((latest, row) => (!latest || row.computed_at > latest ? row.computed_at : latest), null);
      const days = new Set(allDays.filter((day) => !done.has(day)));
      for (const day of allDays.slice(-2)) days.add(day);
      if (lastRefresh) {
        const late = await tx.query<{ day: string }>(
          `select distinct to_char((started_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day from run
            where received_at > $1 and started_at >= ($2::date::timestamp at time zone 'UTC') and started_at < ($3::date::timestamp at time zone 'UTC')`,
          [lastRefresh, horizonDay, todayDay],
        );
        for (const row of late.rows) days.add(row.day);
      }
      const list = [...days].sort();
      if (list.length === 0) return [];
      const first = list[0]!;
      const end = list.at(-1)!;
      await tx.query(`delete from trust_rollup_day where day = any($1::date[])`, [list]);
      await tx.query(
        `insert into trust_rollup_day (day, agent_key, runs, runs_ok)
         select (started_at at time zone 'UTC')::date, agent_id, count(*), count(*) filter (where outcome = 'success')
           from run
          where started_at >= ($2::date::timestamp at time zone 'UTC') and started_at < (($3::date + 1)::timestamp at time zone 'UTC') and (started_at at time zone 'UTC')::date = any($1::date[])
          group by 1, 2`,
        [list, first, end],
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
        [list, first, end],
      );
      await tx.query(
        `insert into trust_rollup_state (day, computed_at) select unnest($1::date[]), $2
         on conflict (day) do update set computed_at = excluded.computed_at`,
        [list, now],
      );
      return list;
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
      const { rows } = await tx.query<{ agent_id: string | null; total: number; compliant: number; risk_avoided_usd: number; blocked: number }>(
        `select agent_id, count(*)::int as total, count(*) filter (where compliant)::int as compliant,
                coalesce(sum(risk_avoided_usd), 0)::float8 as risk_avoided_usd,
                count(*) filter (where risk_avoided_usd > 0)::int as blocked
           from decision where ${where} ${agentId ? `and agent_id = $${values.length}` : ''}
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
      const seen = tx.query<{ seen: number }>(
        `select count(*)::int as seen from (select distinct entity_type, entity_id from event where received_at > $1 and received_at <= $2) e`,
        [from, to],
      );
      const open = withGaps
        ? tx.query<{ with_open_gap: number }>(
            `select count(*)::int as with_open_gap
               from (select distinct entity_type, entity_id from sync_gap
                      where entity_id is not null and entity_type is not null and detected_at <= $2 and (resolved_at is null or resolved_at > $2)) g
              where exists (select 1 from event e where e.entity_type = g.entity_type and e.entity_id = g.entity_id
                               and e.received_at > $1 and e.received_at <= $2)`,
            [from, to],
          )
        : undefined;
      const [seenRows, openRows] = await Promise.all([seen, open]);
      return { seen: seenRows.rows[0]?.seen ?? 0, withOpenGap: openRows?.rows[0]?.with_open_gap ?? 0 };
    },

    /** Gaps resolved in (from, to]: automatically or not, and those resolved before their due time with their cost. */
    async gapResolutions(from: Date, to: Date, tx: Queryable = db): Promise<{ auto: number; resolved: number; beforeDue: number; beforeDueUsd: number }> {
      const { rows } = await tx.query<{ auto: number; resolved: number; before_due: number; before_due_usd: number }>(
        `select count(*) filter (where resolution = 'auto')::int as auto, count(*)::int as resolved,
                count(*) filter (where due_at is not null and resolved_at <= due_at)::int as before_due,
                coalesce(sum(cost_usd) filter (where due_at is not null and resolved_at <= due_at), 0)::float8 as before_due_usd
           from sync_gap
          where resolved_at > $1 and resolved_at <= $2
            -- A gap closed because a newer contracts version dropped its rule was withdrawn, not resolved.
            and detail->>'closed_because' is distinct from 'rule_removed'`,
        [from, to],
      );
      const row = rows[0];
      return { auto: row?.auto ?? 0, resolved: row?.resolved ?? 0, beforeDue: row?.before_due ?? 0, beforeDueUsd: Number(row?.before_due_usd ?? 0) };
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

    async insertTrustSnapshots(
      rows: Array<{
        id: string;
        agent_id: string;
        score: number;
        grade: string;
        confidence: number;
        reliability: number | null;
        policy_adherence: number;
        freshness: number;
        risk_exposure: number;
        signals: number;
        inputs: unknown;
      }>,
      at: Date,
      windowMs: number,
      tx: Queryable = db,
    ): Promise<void> {
      // One statement per 1,000 agents: unnest over parallel arrays keeps the parameter count fixed.
      for (let start = 0; start < rows.length; start += 1000) {
        const chunk = rows.slice(start, start + 1000);
        await tx.query(
          `insert into trust_snapshot (id, agent_id, at, window_ms, score, grade, confidence, reliability, policy_adherence, freshness, risk_exposure, signals, inputs)
           select id, agent_id, $1, $2, score, grade, confidence, reliability, policy_adherence, freshness, risk_exposure, signals, inputs
             from unnest($3::uuid[], $4::uuid[], $5::numeric[], $6::text[], $7::numeric[], $8::numeric[], $9::numeric[], $10::numeric[], $11::numeric[], $12::int[], $13::jsonb[])
               as t(id, agent_id, score, grade, confidence, reliability, policy_adherence, freshness, risk_exposure, signals, inputs)`,
          [
            at,
            windowMs,
            chunk.map((row) => row.id),
            chunk.map((row) => row.agent_id),
            chunk.map((row) => row.score),
            chunk.map((row) => row.grade),
            chunk.map((row) => row.confidence),
            chunk.map((row) => row.reliability),
            chunk.map((row) => row.policy_adherence),
            chunk.map((row) => row.freshness),
            chunk.map((row) => row.risk_exposure),
            chunk.map((row) => row.signals),
            chunk.map((row) => JSON.stringify(row.inputs)),
          ],
        );
      }
    },

    async insertKpiSnapshot(
      row: { id: string; at: Date; window_label: string; window_ms: number; values: Record<string, number | null>; kpis: unknown },
      tx: Queryable = db,
    ): Promise<void> {
      await tx.query(
        `insert into kpi_snapshot (id, at, window_label, window_ms, trust_score, sync_freshness, drift_rate, compliance_sla, self_resolution, risk_avoided_usd, roi, kpis)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          row.id,
          row.at,
          row.window_label,
          row.window_ms,
          row.values.trust_score ?? null,
          row.values.sync_freshness ?? null,
          row.values.drift_rate ?? null,
          row.values.compliance_sla ?? null,
          row.values.self_resolution ?? null,
          row.values.risk_avoided ?? 0,
          row.values.roi ?? null,
          JSON.stringify(row.kpis),
        ],
      );
    },

    async latestKpiSnapshotAt(tx: Queryable = db): Promise<Date | null> {
      const { rows } = await tx.query<{ at: Date }>('select at from kpi_snapshot order by at desc limit 1');
      return rows[0]?.at ?? null;
    },

    /** Newest first; keyset on id (UUIDv7, so insertion order). */
    async listKpiSnapshots(limit: number, before: string | undefined, tx: Queryable = db): Promise<SnapshotRow[]> {
      const { rows } = await tx.query<SnapshotRow>(
        `select id, at, window_label, window_ms, kpis from kpi_snapshot
          ${before ? 'where id < $2' : ''} order by id desc limit $1`,
        before ? [limit, before] : [limit],
      );
      return rows;
    },

    async latestKpiValues(tx: Queryable = db): Promise<(Record<string, number | null> & { window: string }) | null> {
      const { rows } = await tx.query<Record<string, number | null> & { window: string }>(
        `select window_label as window, trust_score, sync_freshness, drift_rate, compliance_sla, self_resolution, risk_avoided_usd as risk_avoided, roi
           from kpi_snapshot order by at desc, id desc limit 1`,
      );
      return rows[0] ?? null;
    },

    /** The lowest scores of the latest snapshot of each active agent, and the count per grade (trust gauges). */
    async latestTrustSummary(lowest: number, tx: Queryable = db): Promise<{ lowest: Array<{ agent_id: string; score: number }>; grades: Array<{ grade: string; count: number }> }> {
      const latest = `select distinct on (s.agent_id) s.agent_id, s.score, s.grade from trust_snapshot s
                        join agent a on a.id = s.agent_id and a.status = 'active'
                       where s.at = (select max(at) from trust_snapshot)
                       order by s.agent_id, s.at desc`;
      const low = await tx.query<{ agent_id: string; score: number }>(`select agent_id, score from (${latest}) l order by score, agent_id limit $1`, [lowest]);
      const grades = await tx.query<{ grade: string; count: number }>(`select grade, count(*)::int as count from (${latest}) l group by grade`);
      return { lowest: low.rows, grades: grades.rows };
    },

    /** Agents approved by a human since `since`: auto-quarantine leaves them alone for one window. */
    async recentlyApproved(since: Date, tx: Queryable = db): Promise<Set<string>> {
      const { rows } = await tx.query<{ agent_id: string }>(`select distinct agent_id from agent_event where action = 'approve' and at > $1`, [since]);
      return new Set(rows.map((row) => row.agent_id));
    },

  };
}

export type TrustRepository = ReturnType<typeof createTrustRepository>;
