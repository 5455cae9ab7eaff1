import { describe, expect, it } from 'vitest';
import { driftReport } from './drift.js';
import type { DriftGroupRow } from './drift.repository.js';

function row(dimension: DriftGroupRow['dimension'], key: Partial<DriftGroupRow>, detected: number, cost: number): DriftGroupRow {
  return {
    dimension,
    type: null,
    contract: null,
    agent_id: null,
    agent_name: null,
    detected,
    open: 1,
    resolved: detected - 1,
    resolved_auto: 0,
    withdrawn: 0,
    low: 0,
    medium: 0,
    high: detected,
    critical: 0,
    cost_usd: cost,
    avoided_usd: 0.125,
    open_cost_usd: 0,
    mean_time_to_resolve_seconds: 90.4,
    ...key,
  };
}

const base = { generatedAt: new Date('2026-03-01T00:00:00Z'), window: '7d', from: new Date('2026-02-22T00:00:00Z'), to: new Date('2026-03-01T00:00:00Z') };

describe('driftReport', () => {
  it('ranks groups by gaps, then cost, then name, and keeps every kind', () => {
    const report = driftReport({
      ...base,
      rows: [
        row('kind', { type: 'stale' }, 2, 10),
        row('kind', { type: 'duplicate' }, 5, 0),
        row('kind', { type: 'field_drift' }, 2, 30),
        row('contract', { contract: 'b' }, 3, 0),
        row('contract', { contract: 'a' }, 3, 0),
        row('contract', { contract: null }, 3, 5),
        row('total', {}, 9, 40),
      ],
      openAtEnd: { count: 12, cost_usd: 1000.005 },
    });
    expect(report.by_kind.map((kind) => kind.type)).toEqual(['duplicate', 'field_drift', 'stale']);
    expect(report.by_contract.map((contract) => contract.contract)).toEqual([null, 'a', 'b']);
    expect(report.totals).toMatchObject({ detected: 9, resolved: 8, cost_usd: 40, avoided_usd: 0.13, mean_time_to_resolve_seconds: 90 });
    expect(report.open_at_end).toEqual({ count: 12, cost_usd: 1000.01 });
    expect(report.groups_omitted).toEqual({ by_contract: 0, by_owner_agent: 0 });
    expect(report).toMatchObject({ window: '7d', from: '2026-02-22T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z' });
  });

  it('lists at most `limit` contracts and owner agents and counts the rest', () => {
    const agents = Array.from({ length: 5 }, (_, index) => row('agent', { agent_id: `a-${index}`, agent_name: `agent ${index}` }, index + 1, 0));
    const report = driftReport({ ...base, rows: [...agents, row('total', {}, 15, 0)], openAtEnd: { count: 0, cost_usd: 0 }, limit: 2 });
    expect(report.by_owner_agent.map((agent) => agent.agent_id)).toEqual(['a-4', 'a-3']);
    expect(report.groups_omitted).toEqual({ by_contract: 0, by_owner_agent: 3 });
  });

  it('reports zeros and no mean time when no gap was detected', () => {
    const report = driftReport({ ...base, rows: [], openAtEnd: { count: 0, cost_usd: 0 } });
    expect(report.totals).toEqual({
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
    });
    expect(report.by_kind).toEqual([]);
  });
});
