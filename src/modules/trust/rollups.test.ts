import { describe, expect, it } from 'vitest';
import { daysToRefresh, mergeCounts, mergeDecisions } from './rollups.js';

const CLOSED = ['2025-03-05', '2025-03-06', '2025-03-07', '2025-03-08', '2025-03-09'];

describe('daysToRefresh', () => {
  it('recomputes every closed day on the first refresh', () => {
    expect(daysToRefresh(CLOSED, new Set(), [])).toEqual(CLOSED);
  });

  it('then only the last two closed days, plus the days that received late runs, sorted and once each', () => {
    const computed = new Set(CLOSED);
    expect(daysToRefresh(CLOSED, computed, [])).toEqual(['2025-03-08', '2025-03-09']);
    expect(daysToRefresh(CLOSED, computed, ['2025-03-09', '2025-03-05'])).toEqual(['2025-03-05', '2025-03-08', '2025-03-09']);
  });

  it('adds a day that slid into the horizon since the last refresh', () => {
    const computed = new Set(CLOSED.slice(1));
    expect(daysToRefresh(CLOSED, computed, [])).toEqual(['2025-03-05', '2025-03-08', '2025-03-09']);
  });
});

describe('merging rolled-up days into the edge scans', () => {
  it('adds the counts of an agent present in both, and keeps those present in one', () => {
    const merged = mergeCounts(
      new Map([
        ['a', { total: 2, ok: 1 }],
        ['b', { total: 1, ok: 1 }],
      ]),
      new Map([
        ['a', { total: 10, ok: 9 }],
        ['c', { total: 3, ok: 0 }],
      ]),
    );
    expect(merged).toEqual(
      new Map([
        ['a', { total: 12, ok: 10 }],
        ['b', { total: 1, ok: 1 }],
        ['c', { total: 3, ok: 0 }],
      ]),
    );
  });

  it('adds every decision total', () => {
    const merged = mergeDecisions(
      new Map([['', { total: 2, compliant: 1, riskAvoidedUsd: 10.5, blocked: 1 }]]),
      new Map([['', { total: 5, compliant: 5, riskAvoidedUsd: 0.25, blocked: 0 }]]),
    );
    expect(merged).toEqual(new Map([['', { total: 7, compliant: 6, riskAvoidedUsd: 10.75, blocked: 1 }]]));
  });
});
