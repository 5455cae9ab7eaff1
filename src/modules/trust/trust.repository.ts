/**
 * The SQL of trust's own tables: the trust and KPI snapshots, and the daily rollups of runs and decisions
 * (trust_rollup_day, filled by the read model from the tables it reads; trust_rollup_state, which days are done).
 * Every read of another module's table goes through trust.read-model.ts.
 */
import type { Queryable } from '../../platform/db/index.js';
import type { Counts, DecisionTotals } from './trust.read-model.js';

export interface SnapshotRow {
  id: string;
  at: Date;
  window_label: string;
  window_ms: number;
  kpis: unknown;
}

/** The nil UUID stands for "no agent" in the rollup key (decisions evaluated without an agent id). */
export const NO_AGENT_KEY = '00000000-0000-0000-0000-000000000000';

export function createTrustRepository(db: Queryable) {
  return {
    /**
     * Serialises snapshots across replicas for the rest of the transaction; false when another replica holds it.
     * The key includes the schema so that databases sharing a server (one schema each) do not block each other.
     */
    async tryLockSnapshot(tx: Queryable): Promise<boolean> {
      const { rows } = await tx.query<{ locked: boolean }>(`select pg_try_advisory_xact_lock(hashtext('orca:trust-snapshot:' || current_schema())) as locked`);
      return rows[0]?.locked === true;
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

    /** The rolled-up days from `horizonDay` on ('YYYY-MM-DD') and when each was computed. */
    async rollupState(horizonDay: string, tx: Queryable = db): Promise<Array<{ day: string; computed_at: Date }>> {
      const { rows } = await tx.query<{ day: string; computed_at: Date }>(
        `select to_char(day, 'YYYY-MM-DD') as day, computed_at from trust_rollup_state where day >= $1::date`,
        [horizonDay],
      );
      return rows;
    },

    /** Records the `days` as rolled up at `now`. */
    async markRolledUp(days: string[], now: Date, tx: Queryable = db): Promise<void> {
      await tx.query(
        `insert into trust_rollup_state (day, computed_at) select unnest($1::date[]), $2
         on conflict (day) do update set computed_at = excluded.computed_at`,
        [days, now],
      );
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
  };
}

export type TrustRepository = ReturnType<typeof createTrustRepository>;
