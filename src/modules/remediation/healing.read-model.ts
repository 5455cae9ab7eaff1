/**
 * What the healing report (docs/reports.md "Healing report") reads: remediations started in a window by action and
 * status, how long healed gaps took, what healing saved, and where it keeps failing. Over (from, to] of ORCA's
 * clock, like the KPIs.
 */
import type { Queryable } from '../../platform/db/index.js';
import type { RemediationActionName } from '../sync/index.js';
import type { RemediationStatus } from './remediation-state.js';

export interface DurationStats {
  mean_seconds: number | null;
  median_seconds: number | null;
  p90_seconds: number | null;
  max_seconds: number | null;
}

export interface HealingData {
  /** Remediations created in the window, counted by action and current status, with their attempts. */
  counts: Array<{ action: RemediationActionName; status: RemediationStatus; count: number; attempts: number }>;
  /** Gaps healed by a remediation created in the window: from detection, and from the first healing action. */
  timeToHeal: { gaps: number; sinceDetection: DurationStats; afterAction: DurationStats };
  /**
   * Gaps resolved in the window before their due time that a remediation healed, and the sum of their cost: the
   * healed share of Risk Avoided's gap term (docs/trust.md).
   */
  costAvoided: { gaps: number; usd: number };
  /** Where remediations of the window failed or gave up most, with the latest reason. */
  problems: Array<{ contract: string | null; rule: string; action: RemediationActionName; count: number; last_reason: string | null }>;
}

const PROBLEMS_LISTED = 10;

const stats = (prefix: string) => `avg(${prefix})::float8 as ${prefix}_mean,
  percentile_cont(0.5) within group (order by ${prefix})::float8 as ${prefix}_median,
  percentile_cont(0.9) within group (order by ${prefix})::float8 as ${prefix}_p90,
  max(${prefix})::float8 as ${prefix}_max`;

type StatsRow = Record<string, number | null>;

const round = (value: number | null | undefined) => (value === null || value === undefined ? null : Math.round(value * 1000) / 1000);
const statsOf = (row: StatsRow | undefined, prefix: string): DurationStats => ({
  mean_seconds: round(row?.[`${prefix}_mean`]),
  median_seconds: round(row?.[`${prefix}_median`]),
  p90_seconds: round(row?.[`${prefix}_p90`]),
  max_seconds: round(row?.[`${prefix}_max`]),
});

export function createHealingReadModel(db: Queryable) {
  return {
    async healing(from: Date, to: Date, tx: Queryable = db): Promise<HealingData> {
      const counts = await tx.query<{ action: RemediationActionName; status: RemediationStatus; count: number; attempts: number }>(
        `select action, status, count(*)::int as count, coalesce(sum(attempts), 0)::int as attempts
           from remediation where created_at > $1 and created_at <= $2
          group by action, status order by action, status`,
        [from, to],
      );
      const healed = await tx.query<StatsRow & { gaps: number }>(
        `with healed as (
           select r.gap_id, min(r.last_attempt_at) as acted_at from remediation r
            where r.status = 'healed' and r.created_at > $1 and r.created_at <= $2 group by r.gap_id
         ), durations as (
           select extract(epoch from (g.resolved_at - g.detected_at))::float8 as since,
                  extract(epoch from (g.resolved_at - h.acted_at))::float8 as after
             from healed h join sync_gap g on g.id = h.gap_id
         )
         select count(*)::int as gaps, ${stats('since')}, ${stats('after')} from durations`,
        [from, to],
      );
      const avoided = await tx.query<{ gaps: number; usd: number }>(
        `select count(*)::int as gaps, coalesce(sum(cost_usd), 0)::float8 as usd from sync_gap g
          where g.resolved_at > $1 and g.resolved_at <= $2 and g.resolution = 'auto'
            and g.due_at is not null and g.resolved_at <= g.due_at
            and g.detail->>'closed_because' is distinct from 'rule_removed'
            and exists (select 1 from remediation r where r.gap_id = g.id and r.status = 'healed')`,
        [from, to],
      );
      const problems = await tx.query<HealingData['problems'][number]>(
        `select contract, rule, action, count(*)::int as count,
                (array_agg(coalesce(reason, last_error) order by finished_at desc nulls last, id desc))[1] as last_reason
           from remediation where created_at > $1 and created_at <= $2 and status in ('failed', 'gave_up')
          group by contract, rule, action order by count(*) desc, contract nulls last, rule, action limit $3`,
        [from, to, PROBLEMS_LISTED],
      );
      const row = healed.rows[0];
      return {
        counts: counts.rows,
        timeToHeal: { gaps: row?.gaps ?? 0, sinceDetection: statsOf(row, 'since'), afterAction: statsOf(row, 'after') },
        costAvoided: { gaps: avoided.rows[0]?.gaps ?? 0, usd: Number(avoided.rows[0]?.usd ?? 0) },
        problems: problems.rows,
      };
    },
  };
}

export type HealingReadModel = ReturnType<typeof createHealingReadModel>;
