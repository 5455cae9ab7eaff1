/**
 * The drift report (docs/reports.md "Drift report"): the sync gaps detected over a window, by kind, by contract and
 * by owner agent, with what they put at stake and what their early resolution avoided. Pure: it shapes the grouped
 * rows the repository read, so every figure is a count or a sum over recorded gaps.
 */
import type { DriftGroupRow } from './drift.repository.js';

/** Contracts and agents listed; the rest are counted in `groups_omitted` (totals always cover every gap). */
export const DRIFT_GROUP_LIMIT = 100;

export interface DriftStats {
  /** Gaps detected in the window. */
  detected: number;
  /** Of those, still open at the window's end. */
  open: number;
  /** Of those, resolved by the window's end (automatically or by hand). */
  resolved: number;
  resolved_auto: number;
  /** Closed because a newer contracts version removed their rule: neither open nor resolved. */
  withdrawn: number;
  by_severity: { low: number; medium: number; high: number; critical: number };
  /** Σ cost_usd of the gaps detected: what their risk kinds put at stake. */
  cost_usd: number;
  /** Σ cost_usd of those resolved before their due time (the Risk Avoided rule). */
  avoided_usd: number;
  /** Σ cost_usd of those still open. */
  open_cost_usd: number;
  /** Mean of resolved_at − detected_at over the resolved ones; null when none was resolved. */
  mean_time_to_resolve_seconds: number | null;
}

export interface DriftReport {
  generated_at: string;
  window: string;
  from: string;
  to: string;
  totals: DriftStats;
  /** Every gap open at the window's end, whenever detected. */
  open_at_end: { count: number; cost_usd: number };
  by_kind: Array<{ type: string } & DriftStats>;
  by_contract: Array<{ contract: string | null } & DriftStats>;
  by_owner_agent: Array<{ agent_id: string | null; agent_name: string | null } & DriftStats>;
  groups_omitted: { by_contract: number; by_owner_agent: number };
}

const money = (value: number) => Math.round(value * 100) / 100;

function statsOf(row: DriftGroupRow | undefined): DriftStats {
  if (!row) {
    return {
      detected: 0,
      open: 0,
      resolved: 0,
      resolved_auto: 0,
      withdrawn: 0,
      by_severity: { low: 0, medium: 0, high: 0, critical: 0 },
      cost_usd: 0,
      avoided_usd: 0,
      open_cost_usd: 0,
      mean_time_to_resolve_seconds: null,
    };
  }
  return {
    detected: row.detected,
    open: row.open,
    resolved: row.resolved,
    resolved_auto: row.resolved_auto,
    withdrawn: row.withdrawn,
    by_severity: { low: row.low, medium: row.medium, high: row.high, critical: row.critical },
    cost_usd: money(row.cost_usd),
    avoided_usd: money(row.avoided_usd),
    open_cost_usd: money(row.open_cost_usd),
    mean_time_to_resolve_seconds: row.mean_time_to_resolve_seconds === null ? null : Math.round(row.mean_time_to_resolve_seconds),
  };
}

/** Most gaps first, then the costliest, then by name so that equal groups keep a stable order. */
function ranked<T extends DriftStats>(items: T[], key: (item: T) => string): T[] {
  return items.sort((a, b) => b.detected - a.detected || b.cost_usd - a.cost_usd || key(a).localeCompare(key(b)));
}

export function driftReport(input: {
  generatedAt: Date;
  window: string;
  from: Date;
  to: Date;
  rows: DriftGroupRow[];
  openAtEnd: { count: number; cost_usd: number };
  limit?: number;
}): DriftReport {
  const limit = input.limit ?? DRIFT_GROUP_LIMIT;
  const of = (dimension: DriftGroupRow['dimension']) => input.rows.filter((row) => row.dimension === dimension);
  const kinds = ranked(
    of('kind').map((row) => ({ type: row.type ?? 'unknown', ...statsOf(row) })),
    (item) => item.type,
  );
  const contracts = ranked(
    of('contract').map((row) => ({ contract: row.contract, ...statsOf(row) })),
    (item) => item.contract ?? '',
  );
  const agents = ranked(
    of('agent').map((row) => ({ agent_id: row.agent_id, agent_name: row.agent_name, ...statsOf(row) })),
    (item) => item.agent_name ?? item.agent_id ?? '',
  );
  return {
    generated_at: input.generatedAt.toISOString(),
    window: input.window,
    from: input.from.toISOString(),
    to: input.to.toISOString(),
    totals: statsOf(of('total')[0]),
    open_at_end: { count: input.openAtEnd.count, cost_usd: money(input.openAtEnd.cost_usd) },
    by_kind: kinds,
    by_contract: contracts.slice(0, limit),
    by_owner_agent: agents.slice(0, limit),
    groups_omitted: { by_contract: Math.max(0, contracts.length - limit), by_owner_agent: Math.max(0, agents.length - limit) },
  };
}
