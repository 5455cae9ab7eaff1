import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { createTrustReadModel } from '../../src/modules/trust/trust.read-model.js';
import { createTrustRepository, NO_AGENT_KEY } from '../../src/modules/trust/trust.repository.js';
import { describeRepository } from './database.js';
import {
  at,
  DAY,
  HOUR,
  insertAgent,
  insertAgentEvent,
  insertApproval,
  insertDecisions,
  insertEvents,
  insertGap,
  insertIncident,
  insertRuns,
  NOW,
  TRUST_TABLES,
  uuid,
} from './trust-seed.js';

const A1 = uuid(1);
const A2 = uuid(2);
const A3 = uuid(3);
const A4 = uuid(4);
const A5 = uuid(5);
const A6 = uuid(6);

/** The window (NOW − 1 d, NOW] as one raw range. */
const LAST_DAY = [{ gt: at(-DAY), lte: NOW }];

describeRepository('trust read model', TRUST_TABLES, (db) => {
  const model = () => createTrustReadModel(db());

  it('availableTables: every table after the migrations; a dropped one reads as absent', async () => {
    expect(await model().availableTables()).toEqual({ decision: true, sync_gap: true, event: true, run: true, approval: true });
    // Edge: a module not installed yet (its table missing) — dropped inside a transaction that is rolled back.
    const rolledBack = new Error('roll back');
    await expect(
      db().transaction(async (tx) => {
        await tx.query('drop table decision cascade');
        expect(await model().availableTables(tx)).toEqual({ decision: false, sync_gap: true, event: true, run: true, approval: true });
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect((await model().availableTables()).decision).toBe(true);
  });

  it('agents: by id, active now, and active at a past instant from the lifecycle history', async () => {
    await insertAgent(db(), { id: A1, name: 'one', classification: 'public' }); // no history: current status (active) counts
    await insertAgent(db(), { id: A2, name: 'two', status: 'suspended', classification: 'critical' });
    await insertAgentEvent(db(), { agentId: A2, action: 'register', toStatus: 'active', at: at(-50 * DAY) });
    await insertAgentEvent(db(), { agentId: A2, action: 'suspend', toStatus: 'suspended', at: at(-5 * DAY) });
    await insertAgent(db(), { id: A3, name: 'three', createdAt: at(-3 * DAY) }); // registered after the instant
    await insertAgentEvent(db(), { agentId: A3, action: 'register', toStatus: 'active', at: at(-3 * DAY) });
    await insertAgent(db(), { id: A4, name: 'four', status: 'quarantined' }); // no history, not active
    await insertAgent(db(), { id: A5, name: 'five' });
    await insertAgentEvent(db(), { agentId: A5, action: 'register', toStatus: 'active', at: at(-40 * DAY) });
    await insertAgentEvent(db(), { agentId: A5, action: 'suspend', toStatus: 'suspended', at: at(-20 * DAY) });
    await insertAgentEvent(db(), { agentId: A5, action: 'approve', toStatus: 'active', at: at(-2 * DAY) });
    // Edge: two changes at the same instant — the later id is the later change (active).
    await insertAgent(db(), { id: A6, name: 'six' });
    await insertAgentEvent(db(), { agentId: A6, action: 'suspend', toStatus: 'suspended', at: at(-15 * DAY), id: uuid(100) });
    await insertAgentEvent(db(), { agentId: A6, action: 'approve', toStatus: 'active', at: at(-15 * DAY), id: uuid(101) });

    expect(await model().agents({ id: A2 })).toEqual([{ id: A2, name: 'two', status: 'suspended', classification: 'critical' }]);
    expect((await model().agents({})).map((agent) => agent.id)).toEqual([A1, A2, A3, A4, A5, A6]);
    expect((await model().agents({ activeOnly: true })).map((agent) => agent.id)).toEqual([A1, A3, A5, A6]);
    // 10 days ago: A1 (no history, active), A2 (active until −5 d, reported active then), A6 (tie → active);
    // not A3 (registered −3 d), A4 (quarantined, no history), A5 (suspended from −20 d to −2 d).
    const tenDaysAgo = await model().agents({ activeAt: at(-10 * DAY) });
    expect(tenDaysAgo.map((agent) => [agent.id, agent.status])).toEqual([
      [A1, 'active'],
      [A2, 'active'],
      [A6, 'active'],
    ]);
    expect(await model().agents({ id: A5, activeAt: at(-10 * DAY) })).toEqual([]);
  });

  it('runsByAgent: counts runs per agent in (from, to], and in several ranges with their own bounds', async () => {
    await insertAgent(db(), { id: A1 });
    await insertAgent(db(), { id: A2 });
    await insertRuns(db(), A1, at(-DAY), 2); // on the excluded lower bound
    await insertRuns(db(), A1, at(-18 * HOUR), 1);
    await insertRuns(db(), A1, at(-12 * HOUR), 3, 1);
    await insertRuns(db(), A1, at(-HOUR), 2);
    await insertRuns(db(), A1, NOW, 0, 1); // on the included upper bound
    await insertRuns(db(), A2, at(-2 * DAY), 4); // before the window

    // A1: −18 h (1 ok) + −12 h (3 ok, 1 failed) + −1 h (2 ok) + NOW (1 failed) = 8 runs, 6 ok.
    expect(await model().runsByAgent(LAST_DAY, undefined)).toEqual(new Map([[A1, { total: 8, ok: 6 }]]));
    // The rollups' edges: (−1 d, −12 h) and [−1 h, NOW] → −18 h (1 ok) + −1 h (2 ok) + NOW (1 failed) = 4 runs, 3 ok.
    const edges = [
      { gt: at(-DAY), lt: at(-12 * HOUR) },
      { gte: at(-HOUR), lte: NOW },
    ];
    expect(await model().runsByAgent(edges, undefined)).toEqual(new Map([[A1, { total: 4, ok: 3 }]]));
    expect(await model().runsByAgent([{ gt: at(-3 * DAY), lte: NOW }], A2)).toEqual(new Map([[A2, { total: 4, ok: 4 }]]));
    // Edge: no range (a window made only of rolled-up days) reads nothing.
    expect(await model().runsByAgent([], undefined)).toEqual(new Map());
  });

  it('decisionsByAgent: totals, compliant, risk avoided and blocked per agent, decisions without an agent under ""', async () => {
    await insertAgent(db(), { id: A1 });
    await insertAgent(db(), { id: A2 });
    await insertDecisions(db(), A1, at(-6 * HOUR), 3, 2, 250);
    await insertDecisions(db(), A1, at(-2 * DAY), 1); // before the window
    await insertDecisions(db(), null, at(-3 * HOUR), 1, 1, 99.5);
    // Edge: non-compliant but nothing avoided (monitor mode, low severity) → not counted as blocked.
    await insertDecisions(db(), A2, at(-HOUR), 0, 1, 0);

    expect(await model().decisionsByAgent(LAST_DAY, undefined)).toEqual(
      new Map([
        // A1: 3 + 2 = 5 decisions, 3 compliant, 2 × 250 = 500 avoided by 2 blocked.
        [A1, { total: 5, compliant: 3, riskAvoidedUsd: 500, blocked: 2 }],
        ['', { total: 2, compliant: 1, riskAvoidedUsd: 99.5, blocked: 1 }],
        [A2, { total: 1, compliant: 0, riskAvoidedUsd: 0, blocked: 0 }],
      ]),
    );
    // One agent: the decisions without an agent are not its own.
    expect(await model().decisionsByAgent(LAST_DAY, A1)).toEqual(new Map([[A1, { total: 5, compliant: 3, riskAvoidedUsd: 500, blocked: 2 }]]));
  });

  it('openSevereIncidentsByAgent: high and critical incidents open at the instant, per agent', async () => {
    await insertAgent(db(), { id: A1 });
    await insertAgent(db(), { id: A2 });
    await insertIncident(db(), { agentId: A1, severity: 'high', openedAt: at(-2 * DAY) }); // a: open
    await insertIncident(db(), { agentId: A1, severity: 'critical', openedAt: at(-DAY), resolvedAt: at(HOUR) }); // b: resolved later
    await insertIncident(db(), { agentId: A1, severity: 'high', openedAt: at(-3 * DAY), resolvedAt: NOW }); // c: resolved at NOW
    await insertIncident(db(), { agentId: A1, severity: 'critical', openedAt: at(-2.5 * DAY), resolvedAt: at(-DAY) }); // d
    await insertIncident(db(), { agentId: A1, severity: 'medium', openedAt: at(-DAY) }); // not severe
    await insertIncident(db(), { agentId: A2, severity: 'critical', openedAt: at(HOUR) }); // opened after NOW
    await insertIncident(db(), { agentId: null, severity: 'critical', openedAt: at(-DAY) }); // no agent

    // NOW: a and b (c's resolution at NOW closes it: resolved_at > NOW is false).
    expect(await model().openSevereIncidentsByAgent(NOW, undefined)).toEqual(new Map([[A1, 2]]));
    // 1.5 days ago: a, c and d were open; b not yet.
    expect(await model().openSevereIncidentsByAgent(at(-1.5 * DAY), undefined)).toEqual(new Map([[A1, 3]]));
    expect(await model().openSevereIncidentsByAgent(NOW, A2)).toEqual(new Map());
  });

  it('openGaps: distinct contract, stream and agent of the gaps open at the instant', async () => {
    await insertAgent(db(), { id: A1 });
    await insertGap(db(), { contract: 'orders', stream: 's1', agentId: A1, detectedAt: at(-DAY) });
    await insertGap(db(), { contract: 'orders', stream: 's1', agentId: A1, detectedAt: at(-2 * DAY) }); // same unit, once
    await insertGap(db(), { contract: 'orders', stream: null, detectedAt: at(-DAY), resolvedAt: at(HOUR) }); // still open at NOW
    await insertGap(db(), { contract: 'billing', stream: 's2', detectedAt: at(HOUR) }); // detected after NOW
    await insertGap(db(), { contract: 'billing', stream: 's3', detectedAt: at(-DAY), resolvedAt: at(-HOUR) }); // resolved

    const byKey = (rows: Array<{ stream: string | null }>) => [...rows].sort((a, b) => String(a.stream).localeCompare(String(b.stream)));
    expect(byKey(await model().openGaps(NOW, undefined))).toEqual([
      { contract: 'orders', stream: null, agent_id: null },
      { contract: 'orders', stream: 's1', agent_id: A1 },
    ]);
    expect(await model().openGaps(NOW, A1)).toEqual([{ contract: 'orders', stream: 's1', agent_id: A1 }]);
    // Edge: two hours ago the billing/s3 gap was open too.
    expect(byKey(await model().openGaps(at(-2 * HOUR), undefined)).map((row) => row.stream)).toEqual([null, 's1', 's3']);
  });

  it('entities: distinct entities seen in (from, to] and those with a gap open at `to`, on the pool and in a transaction', async () => {
    await insertEvents(db(), 'order', ['o-1', 'o-2'], at(-12 * HOUR));
    await insertEvents(db(), 'order', ['o-1'], at(-HOUR)); // seen again: one entity
    await insertEvents(db(), 'invoice', ['o-1'], at(-6 * HOUR)); // same id, other type: another entity
    await insertEvents(db(), 'order', ['o-3'], at(-2 * DAY)); // before the window
    await insertEvents(db(), 'order', ['o-4'], at(-DAY)); // on the excluded lower bound
    await insertGap(db(), { entityType: 'order', entityId: 'o-1', detectedAt: at(-3 * HOUR) });
    await insertGap(db(), { entityType: 'order', entityId: 'o-1', detectedAt: at(-2 * HOUR), type: 'duplicate' }); // same entity
    await insertGap(db(), { entityType: 'order', entityId: 'o-3', detectedAt: at(-3 * HOUR) }); // entity not seen in the window
    await insertGap(db(), { entityType: 'invoice', entityId: 'o-1', detectedAt: at(-3 * HOUR), resolvedAt: at(-2 * HOUR) }); // resolved
    await insertGap(db(), { entityType: 'order', entityId: 'o-2', detectedAt: at(HOUR) }); // detected after `to`

    // Seen: order/o-1, order/o-2, invoice/o-1 = 3; with an open gap: order/o-1 = 1.
    expect(await model().entities(at(-DAY), NOW, true)).toEqual({ seen: 3, withOpenGap: 1 });
    expect(await db().transaction((tx) => model().entities(at(-DAY), NOW, true, tx))).toEqual({ seen: 3, withOpenGap: 1 });
    // Edge: without the sync module's table the numerator is not read.
    expect(await model().entities(at(-DAY), NOW, false)).toEqual({ seen: 3, withOpenGap: 0 });
  });

  it('gapResolutions: gaps resolved in (from, to], automatically (healed by an action or not), before their due time and what that saved', async () => {
    await insertGap(db(), { detectedAt: at(-DAY), resolvedAt: at(-12 * HOUR), resolution: 'auto', dueAt: at(-6 * HOUR), costUsd: 100 }); // r1
    await insertGap(db(), { detectedAt: at(-DAY), resolvedAt: at(-2 * HOUR), resolution: 'manual', dueAt: at(-3 * HOUR), costUsd: 40 }); // r2: late
    await insertGap(db(), { detectedAt: at(-DAY), resolvedAt: at(-HOUR), resolution: 'auto', costUsd: 70 }); // r3: no due time
    await insertGap(db(), { detectedAt: at(-DAY), resolvedAt: at(-3 * HOUR), resolution: 'auto', dueAt: at(-3 * HOUR), costUsd: 30.5 }); // r4: at due
    await insertGap(db(), {
      detectedAt: at(-DAY),
      resolvedAt: at(-4 * HOUR),
      dueAt: at(HOUR),
      costUsd: 1000,
      detail: { closed_because: 'rule_removed' },
    }); // withdrawn, not resolved
    await insertGap(db(), { detectedAt: at(-3 * DAY), resolvedAt: at(-2 * DAY), dueAt: at(-DAY), costUsd: 5 }); // before the window
    await insertGap(db(), { detectedAt: at(-HOUR), dueAt: at(HOUR), costUsd: 5 }); // open

    // Self-healing: r1 healed by two remediations (counted once); r3's remediation gave up; r2 was closed by hand, so a
    // "healed" remediation of it does not make it healed.
    const remediation = async (costUsd: number, position: number, status: string) =>
      db().query(
        `insert into remediation (id, gap_id, gap_type, rule, action, position, status, max_attempts, verify_within_ms, created_at, updated_at)
         select gen_random_uuid(), id, type, rule, 'resync_request', $2, $3, 3, 60000, $4, $4 from sync_gap where cost_usd = $1`,
        [costUsd, position, status, at(-DAY)],
      );
    await remediation(100, 0, 'healed');
    await remediation(100, 1, 'healed');
    await remediation(70, 0, 'gave_up');
    await remediation(40, 0, 'healed');

    // auto: r1, r3, r4 = 3, of which healed: r1 = 1; resolved: r1–r4 = 4; before due: r1, r4 = 2 → 100 + 30.5 = 130.5.
    expect(await model().gapResolutions(at(-DAY), NOW)).toEqual({ auto: 3, healed: 1, resolved: 4, beforeDue: 2, beforeDueUsd: 130.5 });
    // Edge: an empty window.
    expect(await model().gapResolutions(at(-10 * DAY), at(-9 * DAY))).toEqual({ auto: 0, healed: 0, resolved: 0, beforeDue: 0, beforeDueUsd: 0 });
  });

  it('approvalsAvoided: approvals denied or expired in (from, to] and their held risk; pending past expiry counts as expired', async () => {
    await insertApproval(db(), { status: 'denied', decidedAt: at(-HOUR), expiresAt: at(DAY), riskCostUsd: 20000 }); // in
    await insertApproval(db(), { status: 'expired', decidedAt: at(-2 * HOUR), expiresAt: at(-2 * HOUR), riskCostUsd: 15000 }); // in
    await insertApproval(db(), { status: 'pending', expiresAt: at(-HOUR), riskCostUsd: 5000 }); // in: expired, not yet recorded
    await insertApproval(db(), { status: 'pending', expiresAt: at(HOUR), riskCostUsd: 7000 }); // out: still waiting
    await insertApproval(db(), { status: 'approved', decidedAt: at(-HOUR), expiresAt: at(DAY), riskCostUsd: 9000 }); // out: went ahead
    await insertApproval(db(), { status: 'approved', decidedAt: at(-2 * DAY), expiresAt: at(-HOUR), riskCostUsd: 9000 }); // out: approved, then unused past its expiry
    await insertApproval(db(), { status: 'denied', decidedAt: at(-2 * DAY), expiresAt: at(DAY), riskCostUsd: 1000 }); // out: before the window
    await insertApproval(db(), { status: 'denied', decidedAt: at(-DAY), expiresAt: at(DAY), riskCostUsd: 1000 }); // out: on the open bound
    // 20,000 + 15,000 + 5,000
    expect(await model().approvalsAvoided(at(-DAY), NOW)).toEqual({ count: 3, usd: 40000 });
    expect(await model().approvalsAvoided(at(-3 * DAY), at(-DAY))).toEqual({ count: 2, usd: 2000 });
  });

  it('incidentResolutions: incidents resolved in (from, to], and how many automatically', async () => {
    await insertIncident(db(), { severity: 'low', openedAt: at(-2 * DAY), resolvedAt: at(-12 * HOUR), resolvedBy: 'auto' });
    await insertIncident(db(), { severity: 'low', openedAt: at(-2 * DAY), resolvedAt: at(-HOUR), resolvedBy: 'human' });
    await insertIncident(db(), { severity: 'low', openedAt: at(-2 * DAY), resolvedAt: NOW, resolvedBy: 'auto' }); // upper bound: in
    await insertIncident(db(), { severity: 'low', openedAt: at(-2 * DAY), resolvedAt: at(-DAY), resolvedBy: 'human' }); // lower bound: out
    await insertIncident(db(), { severity: 'low', openedAt: at(-2 * DAY) }); // open

    expect(await model().incidentResolutions(at(-DAY), NOW)).toEqual({ auto: 2, resolved: 3 });
  });

  it('openGapsByType: gaps open at the instant, counted by type and severity in order', async () => {
    await insertGap(db(), { type: 'missing_record', severity: 'high', detectedAt: at(-DAY) });
    await insertGap(db(), { type: 'missing_record', severity: 'high', detectedAt: at(-HOUR) });
    await insertGap(db(), { type: 'missing_record', severity: 'low', detectedAt: at(-HOUR) });
    await insertGap(db(), { type: 'stale', severity: 'critical', detectedAt: at(-DAY) });
    await insertGap(db(), { type: 'stale', severity: 'critical', detectedAt: at(-DAY), resolvedAt: at(-HOUR) }); // resolved
    await insertGap(db(), { type: 'duplicate', severity: 'high', detectedAt: at(HOUR) }); // detected after NOW

    expect(await model().openGapsByType(NOW)).toEqual([
      { type: 'missing_record', severity: 'high', count: 2 },
      { type: 'missing_record', severity: 'low', count: 1 },
      { type: 'stale', severity: 'critical', count: 1 },
    ]);
    // Edge: before any gap was detected.
    expect(await model().openGapsByType(at(-2 * DAY))).toEqual([]);
  });

  it('recentlyApproved: agents a human approved after the instant', async () => {
    for (const id of [A1, A2, A3, A4]) await insertAgent(db(), { id });
    await insertAgentEvent(db(), { agentId: A1, action: 'approve', toStatus: 'active', at: at(-HOUR) });
    await insertAgentEvent(db(), { agentId: A1, action: 'approve', toStatus: 'active', at: at(-2 * HOUR) });
    await insertAgentEvent(db(), { agentId: A2, action: 'approve', toStatus: 'active', at: at(-DAY) }); // exactly at `since`: out
    await insertAgentEvent(db(), { agentId: A3, action: 'approve', toStatus: 'active', at: at(-2 * DAY) });
    await insertAgentEvent(db(), { agentId: A4, action: 'suspend', toStatus: 'suspended', at: at(-HOUR) });

    expect(await model().recentlyApproved(at(-DAY))).toEqual(new Set([A1]));
  });

  it('latestTrustSummary: lowest scores and grade counts of the latest snapshot, active agents only', async () => {
    // Edge: no snapshot yet.
    expect(await model().latestTrustSummary(2)).toEqual({ lowest: [], grades: [] });
    for (const id of [A1, A2, A3, A5]) await insertAgent(db(), { id });
    await insertAgent(db(), { id: A4, status: 'quarantined' }); // quarantined after the snapshot
    const repository = createTrustRepository(db());
    const snapshot = (agentId: string, score: number, grade: string) => ({
      id: randomUUID(),
      agent_id: agentId,
      score,
      grade,
      confidence: 1,
      reliability: 1,
      policy_adherence: 1,
      freshness: 1,
      risk_exposure: 0,
      signals: 50,
      inputs: {},
    });
    await repository.insertTrustSnapshots([snapshot(A1, 10, 'critical')], at(-HOUR), DAY); // an older snapshot
    await repository.insertTrustSnapshots(
      [snapshot(A1, 55.5, 'fair'), snapshot(A3, 20, 'critical'), snapshot(A2, 20, 'critical'), snapshot(A4, 5, 'critical'), snapshot(A5, 90, 'excellent')],
      NOW,
      DAY,
    );

    const summary = await model().latestTrustSummary(2);
    // Lowest two of A1 55.5, A2 20, A3 20, A5 90 (A4 is no longer active): A2 and A3, tied on score, by id.
    expect(summary.lowest).toEqual([
      { agent_id: A2, score: 20 },
      { agent_id: A3, score: 20 },
    ]);
    expect([...summary.grades].sort((a, b) => a.grade.localeCompare(b.grade))).toEqual([
      { grade: 'critical', count: 2 },
      { grade: 'excellent', count: 1 },
      { grade: 'fair', count: 1 },
    ]);
  });

  it('daysWithRunsReceivedSince: closed UTC days in [horizon, today) holding runs received after the instant', async () => {
    await insertAgent(db(), { id: A1 });
    const since = at(-2 * HOUR);
    await insertRuns(db(), A1, new Date('2025-03-05T10:00:00Z'), 1, 0, at(-HOUR));
    await insertRuns(db(), A1, new Date('2025-03-07T23:59:59Z'), 1, 0, at(-HOUR / 2));
    await insertRuns(db(), A1, new Date('2025-03-07T01:00:00Z'), 0, 1, at(-HOUR)); // same day
    await insertRuns(db(), A1, new Date('2025-03-10T01:00:00Z'), 1, 0, at(-HOUR)); // today: not closed
    await insertRuns(db(), A1, new Date('2025-02-28T12:00:00Z'), 1, 0, at(-HOUR)); // before the horizon
    await insertRuns(db(), A1, new Date('2025-03-06T12:00:00Z'), 1, 0, at(-3 * HOUR)); // received before `since`
    await insertRuns(db(), A1, new Date('2025-03-08T12:00:00Z'), 1, 0, since); // received exactly at `since`

    expect((await model().daysWithRunsReceivedSince(since, '2025-03-01', '2025-03-10')).sort()).toEqual(['2025-03-05', '2025-03-07']);
    // Edge: nothing received after NOW.
    expect(await model().daysWithRunsReceivedSince(NOW, '2025-03-01', '2025-03-10')).toEqual([]);
  });

  it('rollUpDays: replaces the listed days with runs and decisions per agent and UTC day, and leaves other days alone', async () => {
    await insertAgent(db(), { id: A1 });
    await insertRuns(db(), A1, new Date('2025-03-08T10:00:00Z'), 3, 1);
    await insertRuns(db(), A1, new Date('2025-03-08T23:00:00Z'), 1);
    await insertRuns(db(), A1, new Date('2025-03-09T00:00:00Z'), 0, 2);
    await insertRuns(db(), A1, new Date('2025-03-07T12:00:00Z'), 5); // a day not listed
    await insertDecisions(db(), A1, new Date('2025-03-08T05:00:00Z'), 2, 1, 250);
    await insertDecisions(db(), null, new Date('2025-03-09T13:00:00Z'), 1, 2, 10);
    await db().query(
      `insert into trust_rollup_day (day, agent_key, runs) values ('2025-03-08', $1, 99), ('2025-03-07', $1, 7)`,
      [A1],
    );

    await model().rollUpDays(['2025-03-08', '2025-03-09']);

    const { rows } = await db().query(
      `select to_char(day, 'YYYY-MM-DD') as day, agent_key, runs, runs_ok, decisions, decisions_compliant, risk_avoided_usd, blocked
         from trust_rollup_day order by day, agent_key`,
    );
    expect(rows).toEqual([
      // Not listed: the stale row stays as it was.
      { day: '2025-03-07', agent_key: A1, runs: 7, runs_ok: 0, decisions: 0, decisions_compliant: 0, risk_avoided_usd: 0, blocked: 0 },
      // 03-08, A1: runs 4 + 1 = 5, 3 + 1 = 4 ok; decisions 3, 2 compliant, 1 blocked avoiding 250 (one row: runs and decisions merged).
      { day: '2025-03-08', agent_key: A1, runs: 5, runs_ok: 4, decisions: 3, decisions_compliant: 2, risk_avoided_usd: 250, blocked: 1 },
      // 03-09: decisions without an agent under the nil UUID (sorts first): 3, 1 compliant, 2 × 10 avoided.
      { day: '2025-03-09', agent_key: NO_AGENT_KEY, runs: 0, runs_ok: 0, decisions: 3, decisions_compliant: 1, risk_avoided_usd: 20, blocked: 2 },
      { day: '2025-03-09', agent_key: A1, runs: 2, runs_ok: 0, decisions: 0, decisions_compliant: 0, risk_avoided_usd: 0, blocked: 0 },
    ]);
  });
});
