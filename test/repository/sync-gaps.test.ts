import { expect, it } from 'vitest';
import { createGapsRepository, gapKey, type GapRow, type NewGap } from '../../src/modules/sync/gaps.repository.js';
import { describeRepository } from './database.js';

const AGENT = '0190c0de-aaaa-7000-8000-000000000001';
const DETECTED = new Date('2026-03-02T09:00:00.000Z');
const LATER = new Date('2026-03-02T10:00:00.000Z');

/** Ids in creation order (keyset pagination is by id). */
const gapId = (n: number) => `0190c0de-0000-7000-8000-${String(n).padStart(12, '0')}`;

function newGap(n: number, values: Partial<NewGap> = {}): NewGap {
  return {
    id: gapId(n),
    type: 'out_of_order',
    severity: 'medium',
    contract: 'orders',
    stream: 'zapier-orders',
    rule: 'sequence:zapier-orders',
    entity_type: 'order',
    entity_id: `order-${n}`,
    agent_id: AGENT,
    detected_at: DETECTED,
    due_at: new Date('2026-03-02T10:00:00.000Z'),
    risk_kind: 'order_duplication',
    cost_usd: 12.5,
    detail: { event_id: `event-${n}` },
    ...values,
  };
}

/**
 * The row as stored: the columns the repository does not write as a fresh gap has them, and the database's own
 * bookkeeping timestamps (rows are read with `select *`).
 */
const openRow = (gap: NewGap): GapRow & { created_at: Date; updated_at: Date } => ({
  ...gap,
  resolved_at: null,
  resolution: null,
  resolved_by: null,
  resolution_reason: null,
  created_at: expect.any(Date) as Date,
  updated_at: expect.any(Date) as Date,
});

describeRepository('sync gaps repository', ['sync_gap'], (db) => {
  it('opens a gap with exactly the values given, and returns the open one for the same identity', async () => {
    const gaps = createGapsRepository(db());
    const gap = newGap(1);
    expect(await gaps.openGap(db(), gap)).toEqual({ id: gap.id, opened: true });
    expect(await gaps.findGap(gap.id)).toEqual(openRow(gap));
    // Same (type, contract, rule, entity): not a second gap, whatever else differs.
    expect(await gaps.openGap(db(), newGap(2, { entity_id: 'order-1', severity: 'critical', detail: {} }))).toEqual({ id: gap.id, opened: false });
    // Another type on the same entity is another gap.
    expect(await gaps.openGap(db(), newGap(3, { entity_id: 'order-1', type: 'field_drift' }))).toEqual({ id: gapId(3), opened: true });
    const { rows } = await db().query<{ id: string }>('select id from sync_gap order by id');
    expect(rows).toEqual([{ id: gapId(1) }, { id: gapId(3) }]);
  });

  it('treats a missing contract or entity as one identity (an unattributed duplicate gap is opened once)', async () => {
    const gaps = createGapsRepository(db());
    const unattributed = { type: 'duplicate' as const, contract: null, stream: null, entity_id: null, agent_id: null, due_at: null, risk_kind: null, cost_usd: 0 };
    const first = newGap(1, { ...unattributed, rule: 'idempotency:source-1' });
    expect(await gaps.openGap(db(), first)).toEqual({ id: first.id, opened: true });
    expect(await gaps.openGap(db(), newGap(2, { ...unattributed, rule: 'idempotency:source-1' }))).toEqual({ id: first.id, opened: false });
    expect(await gaps.findGap(first.id)).toEqual(openRow(first));
    expect(await gaps.openAttributedGaps()).toEqual([]); // no contract: not closed when a contract version changes
  });

  it('keeps nothing of a gap opened in a transaction that rolls back', async () => {
    const gaps = createGapsRepository(db());
    await expect(
      db().transaction(async (tx) => {
        expect(await gaps.openGap(tx, newGap(1))).toEqual({ id: gapId(1), opened: true });
        expect((await gaps.findGap(gapId(1), tx))?.id).toBe(gapId(1));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await gaps.findGap(gapId(1))).toBeUndefined();
    expect(await gaps.openGap(db(), newGap(2, { entity_id: 'order-1' }))).toEqual({ id: gapId(2), opened: true });
  });

  it('closes automatically only the open gap of an identity, merging its detail; a new gap of it may open after', async () => {
    const gaps = createGapsRepository(db());
    await gaps.openGap(db(), newGap(1));
    await gaps.openGap(db(), newGap(2));
    const identity = { type: 'out_of_order' as const, contract: 'orders', rule: 'sequence:zapier-orders', entity_id: 'order-1' };
    const closed = await gaps.autoResolve(db(), identity, LATER, { resolved_by_event_id: 'event-9' });
    expect(closed).toEqual([
      { ...openRow(newGap(1)), resolved_at: LATER, resolution: 'auto', resolved_by: 'analyzer', detail: { event_id: 'event-1', resolved_by_event_id: 'event-9' } },
    ]);
    expect(await gaps.autoResolve(db(), identity, LATER, {})).toEqual([]);
    expect((await gaps.findGap(gapId(2)))?.resolved_at).toBeNull();
    expect(await gaps.openGap(db(), newGap(3, { entity_id: 'order-1' }))).toEqual({ id: gapId(3), opened: true });
  });

  it('closes by id only gaps still open, and replaces an open gap’s detail', async () => {
    const gaps = createGapsRepository(db());
    for (const n of [1, 2, 3]) await gaps.openGap(db(), newGap(n));
    await gaps.resolveManually(db(), gapId(2), LATER, 'operator-key', 'fixed upstream');
    expect(await gaps.autoResolveIds(db(), [], LATER, {})).toEqual([]);
    const closed = await gaps.autoResolveIds(db(), [gapId(1), gapId(2)], LATER, { closed_because: 'rule_removed' });
    expect(closed.map((row) => [row.id, row.resolution, row.detail])).toEqual([[gapId(1), 'auto', { event_id: 'event-1', closed_because: 'rule_removed' }]]);
    expect(await gaps.findGap(gapId(2))).toEqual({
      ...openRow(newGap(2)),
      resolved_at: LATER,
      resolution: 'manual',
      resolved_by: 'operator-key',
      resolution_reason: 'fixed upstream',
    });
    await gaps.replaceDetail(db(), gapId(3), { left: 1, right: 2 });
    expect((await gaps.findGap(gapId(3)))?.detail).toEqual({ left: 1, right: 2 });
  });

  it('lists newest first with filters and a keyset cursor', async () => {
    const gaps = createGapsRepository(db());
    for (const n of [1, 2, 3, 4]) await gaps.openGap(db(), newGap(n, { severity: n % 2 === 0 ? 'high' : 'low' }));
    await gaps.autoResolveIds(db(), [gapId(4)], LATER, {});
    const ids = (rows: GapRow[]) => rows.map((row) => row.id);
    expect(ids(await gaps.listGaps({ limit: 10 }))).toEqual([gapId(4), gapId(3), gapId(2), gapId(1)]);
    expect(ids(await gaps.listGaps({ limit: 2, after: gapId(3) }))).toEqual([gapId(2), gapId(1)]);
    expect(ids(await gaps.listGaps({ limit: 10, status: 'open', severity: 'high' }))).toEqual([gapId(2)]);
    expect(ids(await gaps.listGaps({ limit: 10, status: 'resolved' }))).toEqual([gapId(4)]);
    expect(ids(await gaps.listGaps({ limit: 10, entity: 'order-3', contract: 'orders', rule: 'sequence:zapier-orders', stream: 'zapier-orders' }))).toEqual([gapId(3)]);
    expect(await gaps.listGaps({ limit: 10, agent_id: '0190c0de-aaaa-7000-8000-00000000ffff' })).toEqual([]);
  });

  it('counts open gaps by type and severity, and by stream', async () => {
    const gaps = createGapsRepository(db());
    await gaps.openGap(db(), newGap(1));
    await gaps.openGap(db(), newGap(2));
    await gaps.openGap(db(), newGap(3, { type: 'stale', severity: 'high', entity_id: null, stream: 'other-stream' }));
    await gaps.openGap(db(), newGap(4, { type: 'duplicate', severity: 'high', contract: null, stream: null }));
    await gaps.openGap(db(), newGap(5));
    await gaps.autoResolveIds(db(), [gapId(5)], LATER, {});
    const byType = await gaps.countOpenGaps();
    expect([...byType].sort((a, b) => `${a.type}${a.severity}`.localeCompare(`${b.type}${b.severity}`))).toEqual([
      { type: 'duplicate', severity: 'high', count: 1 },
      { type: 'out_of_order', severity: 'medium', count: 2 },
      { type: 'stale', severity: 'high', count: 1 },
    ]);
    const byStream = await gaps.openGapsByStream();
    expect([...byStream].sort((a, b) => a.stream.localeCompare(b.stream))).toEqual([
      { contract: 'orders', stream: 'other-stream', count: 1 },
      { contract: 'orders', stream: 'zapier-orders', count: 2 },
    ]);
  });

  it('answers which entities of a batch have an open gap of the self-closing types, as gap keys', async () => {
    const gaps = createGapsRepository(db());
    await gaps.openGap(db(), newGap(1));
    await gaps.openGap(db(), newGap(2, { type: 'field_drift', rule: 'amounts', entity_id: 'deal-7' }));
    await gaps.openGap(db(), newGap(3, { type: 'duplicate', entity_id: 'order-3' }));
    await gaps.openGap(db(), newGap(4));
    await gaps.autoResolveIds(db(), [gapId(4)], LATER, {});
    const refs = [
      { contract: 'orders', rule: 'sequence:zapier-orders', key: 'order-1' },
      { contract: 'orders', rule: 'amounts', key: 'deal-7' },
      { contract: 'orders', rule: 'sequence:zapier-orders', key: 'order-3' },
      { contract: 'orders', rule: 'sequence:zapier-orders', key: 'order-4' },
    ];
    expect(await gaps.openGapKeys(db(), ['out_of_order', 'field_drift'], refs)).toEqual(
      new Set([gapKey('out_of_order', refs[0]!), gapKey('field_drift', refs[1]!)]),
    );
    expect(await gaps.openGapKeys(db(), ['out_of_order'], [])).toEqual(new Set());
    expect(await gaps.openAttributedGaps()).toEqual([
      { id: gapId(1), contract: 'orders', rule: 'sequence:zapier-orders' },
      { id: gapId(2), contract: 'orders', rule: 'amounts' },
      { id: gapId(3), contract: 'orders', rule: 'sequence:zapier-orders' },
    ]);
  });
});
