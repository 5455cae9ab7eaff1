import { expect, it } from 'vitest';
import { createTrustRepository, NO_AGENT_KEY } from '../../src/modules/trust/trust.repository.js';
import { describeRepository } from './database.js';
import { at, DAY, HOUR, NOW, TRUST_TABLES, uuid } from './trust-seed.js';

const A1 = uuid(1);
const A2 = uuid(2);

/** A KPI snapshot row as the snapshot job writes it. */
const kpiRow = (id: string, when: Date, values: Record<string, number | null> = {}) => ({
  id,
  at: when,
  window_label: '30d',
  window_ms: 30 * DAY,
  values,
  kpis: { trust_score: { value: values.trust_score ?? null } },
});

describeRepository('trust repository', TRUST_TABLES, (db, target) => {
  const repository = () => createTrustRepository(db());

  it('tryLockSnapshot: takes the snapshot lock for the transaction and releases it at its end', async () => {
    expect(await db().transaction((tx) => repository().tryLockSnapshot(tx))).toBe(true);
    // Edge: taken again once the first transaction ended (a transaction-scoped lock is never left behind).
    expect(await db().transaction((tx) => repository().tryLockSnapshot(tx))).toBe(true);
  });

  // PGlite is one connection: a second transaction waits for the first, so only a server can hold two at once.
  it.runIf(target.name === 'postgres')('tryLockSnapshot: another replica is refused while one holds the lock', async () => {
    await db().transaction(async (tx) => {
      expect(await repository().tryLockSnapshot(tx)).toBe(true);
      expect(await db().transaction((other) => repository().tryLockSnapshot(other))).toBe(false);
    });
  });

  it('rolledUp: sums the rolled-up days [first, last] per agent key, decisions without an agent under ""', async () => {
    await db().query(
      `insert into trust_rollup_day (day, agent_key, runs, runs_ok, decisions, decisions_compliant, risk_avoided_usd, blocked) values
         ('2025-03-05', $1, 4, 3, 2, 1, 100, 1),
         ('2025-03-06', $1, 6, 6, 0, 0, 0, 0),
         ('2025-03-06', $3, 0, 0, 5, 4, 12.5, 1),
         ('2025-03-07', $2, 0, 0, 3, 3, 0, 0),
         ('2025-03-08', $1, 100, 0, 100, 0, 0, 0),
         ('2025-03-04', $2, 9, 9, 0, 0, 0, 0)`,
      [A1, A2, NO_AGENT_KEY],
    );

    const all = await repository().rolledUp('2025-03-05', '2025-03-07', undefined);
    // A1: runs 4 + 6 = 10, 3 + 6 = 9 ok; A2 had no run in the range (03-04 is before it) → absent from runs.
    expect(all.runs).toEqual(new Map([[A1, { total: 10, ok: 9 }]]));
    expect(all.decisions).toEqual(
      new Map([
        [A1, { total: 2, compliant: 1, riskAvoidedUsd: 100, blocked: 1 }],
        ['', { total: 5, compliant: 4, riskAvoidedUsd: 12.5, blocked: 1 }],
        [A2, { total: 3, compliant: 3, riskAvoidedUsd: 0, blocked: 0 }],
      ]),
    );
    const one = await repository().rolledUp('2025-03-05', '2025-03-07', A1);
    expect(one).toEqual({ runs: new Map([[A1, { total: 10, ok: 9 }]]), decisions: new Map([[A1, { total: 2, compliant: 1, riskAvoidedUsd: 100, blocked: 1 }]]) });
    // Edge: a range with no rolled-up row.
    expect(await repository().rolledUp('2025-01-01', '2025-01-31', undefined)).toEqual({ runs: new Map(), decisions: new Map() });
  });

  it('rollupCovers: true only when every day of the range is rolled up', async () => {
    await repository().markRolledUp(['2025-03-05', '2025-03-06', '2025-03-07'], NOW);
    expect(await repository().rollupCovers('2025-03-05', '2025-03-07', 3)).toBe(true);
    expect(await repository().rollupCovers('2025-03-06', '2025-03-06', 1)).toBe(true);
    // Edge: one day of the range (03-04) was never rolled up.
    expect(await repository().rollupCovers('2025-03-04', '2025-03-07', 4)).toBe(false);
  });

  it('rollupState and markRolledUp: the days rolled up from the horizon on, each with when it was computed', async () => {
    await repository().markRolledUp(['2025-02-28', '2025-03-05', '2025-03-06'], at(-2 * HOUR));
    // Recomputing a day moves its computed_at (upsert, no second row).
    await repository().markRolledUp(['2025-03-06'], at(-HOUR));

    const state = await repository().rollupState('2025-03-01');
    expect([...state].sort((a, b) => a.day.localeCompare(b.day))).toEqual([
      { day: '2025-03-05', computed_at: at(-2 * HOUR) },
      { day: '2025-03-06', computed_at: at(-HOUR) },
    ]);
    // Edge: a horizon after every rolled-up day.
    expect(await repository().rollupState('2025-03-07')).toEqual([]);
  });

  it('insertTrustSnapshots: writes every row, in statements of 1,000 agents, numbers back as numbers', async () => {
    // Edge: 1,001 agents take two statements.
    await db().query(
      `insert into agent (id, name, kind, source, fingerprint, status)
       select ('00000000-0000-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, 'bulk-' || g, 'llm_agent', 'manual', 'f', 'active'
         from generate_series(1, 1001) g`,
    );
    const rows = Array.from({ length: 1001 }, (_, index) => ({
      id: uuid(10_000 + index),
      agent_id: uuid(index + 1),
      score: index === 0 ? 72.5 : 50,
      grade: index === 0 ? 'good' : 'fair',
      confidence: 0.8,
      reliability: index === 0 ? null : 0.5,
      policy_adherence: 0.9,
      freshness: 1,
      risk_exposure: 0.25,
      signals: 40,
      inputs: { runs: index },
    }));
    await repository().insertTrustSnapshots(rows, NOW, 30 * DAY);

    const { rows: counted } = await db().query<{ count: number }>('select count(*)::int as count from trust_snapshot where at = $1', [NOW]);
    expect(counted[0]!.count).toBe(1001);
    const { rows: first } = await db().query('select * from trust_snapshot where agent_id = $1', [A1]);
    expect(first).toEqual([
      {
        id: uuid(10_000),
        agent_id: A1,
        at: NOW,
        window_ms: 30 * DAY,
        score: 72.5,
        grade: 'good',
        confidence: 0.8,
        reliability: null,
        policy_adherence: 0.9,
        freshness: 1,
        risk_exposure: 0.25,
        signals: 40,
        inputs: { runs: 0 },
      },
    ]);
    const { rows: last } = await db().query<{ inputs: unknown }>('select inputs from trust_snapshot where agent_id = $1', [uuid(1001)]);
    expect(last).toEqual([{ inputs: { runs: 1000 } }]);
  });

  it('insertKpiSnapshot: one row with a column per KPI; a KPI without data is null, risk avoided 0', async () => {
    await repository().insertKpiSnapshot(
      kpiRow(uuid(1), NOW, { trust_score: 81.2, sync_freshness: null, drift_rate: 2.5, compliance_sla: 99.1, self_resolution: 0.75 }),
    );
    const { rows } = await db().query('select * from kpi_snapshot');
    expect(rows).toEqual([
      {
        id: uuid(1),
        at: NOW,
        window_label: '30d',
        window_ms: 30 * DAY,
        trust_score: 81.2,
        sync_freshness: null,
        drift_rate: 2.5,
        compliance_sla: 99.1,
        self_resolution: 0.75,
        // Edge: the values left out (no data in the window).
        risk_avoided_usd: 0,
        roi: null,
        kpis: { trust_score: { value: 81.2 } },
      },
    ]);
  });

  it('latestKpiSnapshotAt: the instant of the newest KPI snapshot', async () => {
    // Edge: none yet.
    expect(await repository().latestKpiSnapshotAt()).toBeNull();
    await repository().insertKpiSnapshot(kpiRow(uuid(2), at(-HOUR)));
    await repository().insertKpiSnapshot(kpiRow(uuid(1), at(-2 * HOUR)));
    expect(await repository().latestKpiSnapshotAt()).toEqual(at(-HOUR));
  });

  it('listKpiSnapshots: newest id first, `limit` rows, before a keyset id', async () => {
    for (const n of [1, 2, 3]) await repository().insertKpiSnapshot(kpiRow(uuid(n), at(-n * HOUR), { trust_score: n }));
    const page = await repository().listKpiSnapshots(2, undefined);
    expect(page).toEqual([
      { id: uuid(3), at: at(-3 * HOUR), window_label: '30d', window_ms: 30 * DAY, kpis: { trust_score: { value: 3 } } },
      { id: uuid(2), at: at(-2 * HOUR), window_label: '30d', window_ms: 30 * DAY, kpis: { trust_score: { value: 2 } } },
    ]);
    expect((await repository().listKpiSnapshots(2, uuid(2))).map((row) => row.id)).toEqual([uuid(1)]);
    // Edge: before the oldest id.
    expect(await repository().listKpiSnapshots(2, uuid(1))).toEqual([]);
  });

  it('latestKpiValues: the KPI columns of the newest snapshot, ties on the instant broken by id', async () => {
    // Edge: none yet.
    expect(await repository().latestKpiValues()).toBeNull();
    await repository().insertKpiSnapshot(kpiRow(uuid(3), at(-HOUR), { trust_score: 10 }));
    await repository().insertKpiSnapshot(kpiRow(uuid(1), NOW, { trust_score: 60 }));
    await repository().insertKpiSnapshot(kpiRow(uuid(2), NOW, { trust_score: 70, drift_rate: 1.5, risk_avoided: 1500, roi: 3 }));
    expect(await repository().latestKpiValues()).toEqual({
      window: '30d',
      trust_score: 70,
      sync_freshness: null,
      drift_rate: 1.5,
      compliance_sla: null,
      self_resolution: null,
      risk_avoided: 1500,
      roi: 3,
    });
  });
});
