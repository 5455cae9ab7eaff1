/**
 * The drift report's reads: sync gaps (the sync module's table) and agent names (the registry's), read directly like
 * the trust read model does, so that the report is one grouped statement however many gaps the window holds.
 */
import type { Queryable } from '../../platform/db/index.js';

/** One group's figures over the gaps detected in (from, to]. */
export interface DriftGroupRow {
  dimension: 'kind' | 'contract' | 'agent' | 'total';
  type: string | null;
  contract: string | null;
  agent_id: string | null;
  agent_name: string | null;
  detected: number;
  open: number;
  resolved: number;
  resolved_auto: number;
  withdrawn: number;
  low: number;
  medium: number;
  high: number;
  critical: number;
  cost_usd: number;
  avoided_usd: number;
  open_cost_usd: number;
  mean_time_to_resolve_seconds: number | null;
}

/**
 * A gap closed because a newer contracts version dropped its rule was withdrawn, not resolved (as for the KPIs). A
 * gap resolved before its due time avoided its cost, the rule of Risk Avoided (docs/trust.md).
 */
const GROUPS = `
  with g as (
    select type, contract, agent_id, severity, cost_usd, detected_at, resolved_at, resolution, due_at,
           resolved_at is not null and resolved_at <= $2 as closed,
           coalesce(detail->>'closed_because' = 'rule_removed', false) as withdrawn
      from sync_gap
     where detected_at > $1 and detected_at <= $2
  )
  select case when grouping(g.type) = 0 then 'kind' when grouping(g.contract) = 0 then 'contract'
              when grouping(g.agent_id) = 0 then 'agent' else 'total' end as dimension,
         g.type, g.contract, g.agent_id::text as agent_id, max(a.name) as agent_name,
         count(*)::int as detected,
         count(*) filter (where not g.closed)::int as open,
         count(*) filter (where g.closed and not g.withdrawn)::int as resolved,
         count(*) filter (where g.closed and not g.withdrawn and g.resolution = 'auto')::int as resolved_auto,
         count(*) filter (where g.closed and g.withdrawn)::int as withdrawn,
         count(*) filter (where g.severity = 'low')::int as low,
         count(*) filter (where g.severity = 'medium')::int as medium,
         count(*) filter (where g.severity = 'high')::int as high,
         count(*) filter (where g.severity = 'critical')::int as critical,
         coalesce(sum(g.cost_usd), 0)::float8 as cost_usd,
         coalesce(sum(g.cost_usd) filter (where g.closed and not g.withdrawn and g.due_at is not null and g.resolved_at <= g.due_at), 0)::float8 as avoided_usd,
         coalesce(sum(g.cost_usd) filter (where not g.closed), 0)::float8 as open_cost_usd,
         (avg(extract(epoch from g.resolved_at - g.detected_at)) filter (where g.closed and not g.withdrawn))::float8 as mean_time_to_resolve_seconds
    from g left join agent a on a.id = g.agent_id
   group by grouping sets ((g.type), (g.contract), (g.agent_id), ())`;

export function createDriftRepository(db: Queryable) {
  return {
    async groups(from: Date, to: Date): Promise<DriftGroupRow[]> {
      const { rows } = await db.query<DriftGroupRow>(GROUPS, [from, to]);
      return rows;
    },

    /** Every gap open at `to`, whenever it was detected: the backlog the window ends with. */
    async openAt(to: Date): Promise<{ count: number; cost_usd: number }> {
      const { rows } = await db.query<{ count: number; cost_usd: number }>(
        `select count(*)::int as count, coalesce(sum(cost_usd), 0)::float8 as cost_usd from sync_gap
          where detected_at <= $1 and (resolved_at is null or resolved_at > $1)`,
        [to],
      );
      return rows[0] ?? { count: 0, cost_usd: 0 };
    },
  };
}

export type DriftRepository = ReturnType<typeof createDriftRepository>;
