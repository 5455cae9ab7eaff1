/**
 * The rules of the daily rollups, without I/O: which closed UTC days a refresh recomputes, and how the totals of
 * rolled-up whole days add to the raw scans of a window's partial edge days.
 */
import type { Counts, DecisionTotals } from './trust.read-model.js';

/**
 * The days of `closed` ('YYYY-MM-DD', oldest first) to recompute: those never computed, the last two (runs of a
 * day that just closed may still be arriving), and those that received runs since the last refresh (`late`).
 * Sorted.
 */
export function daysToRefresh(closed: readonly string[], computed: ReadonlySet<string>, late: readonly string[]): string[] {
  const days = new Set(closed.filter((day) => !computed.has(day)));
  for (const day of closed.slice(-2)) days.add(day);
  for (const day of late) days.add(day);
  return [...days].sort();
}

export function mergeCounts(a: Map<string, Counts>, b: Map<string, Counts>): Map<string, Counts> {
  const merged = new Map(a);
  for (const [key, value] of b) {
    const current = merged.get(key);
    merged.set(key, current ? { total: current.total + value.total, ok: current.ok + value.ok } : value);
  }
  return merged;
}

export function addDecisionTotals(a: DecisionTotals, b: DecisionTotals): DecisionTotals {
  return {
    total: a.total + b.total,
    compliant: a.compliant + b.compliant,
    riskAvoidedUsd: a.riskAvoidedUsd + b.riskAvoidedUsd,
    blocked: a.blocked + b.blocked,
  };
}

export function mergeDecisions(a: Map<string, DecisionTotals>, b: Map<string, DecisionTotals>): Map<string, DecisionTotals> {
  const merged = new Map(a);
  for (const [key, value] of b) {
    const current = merged.get(key);
    merged.set(key, current ? addDecisionTotals(current, value) : value);
  }
  return merged;
}
