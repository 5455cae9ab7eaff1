import type { Database, Queryable } from '../../platform/db/index.js';
import type { Clock } from '../../platform/clock.js';
import { notFound } from '../../platform/errors.js';
import { decodeCursor, pageOf } from '../../platform/http/cursor.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { Actor } from '../../platform/http/actor.js';
import { freshnessUnits, type StreamStatus, type StreamStatusSource } from './freshness.js';
import { computeKpis, type KpiSet } from './kpis.js';
import { readAll } from './read-all.js';
import { addDecisionTotals, daysToRefresh, mergeCounts, mergeDecisions } from './rollups.js';
import { classificationRiskWeight, trustScore, type TrustInputs, type TrustResult } from './score.js';
import type { AvailableTables, Counts, DecisionTotals, TrustAgentRow, TrustReadModel } from './trust.read-model.js';
import type { TrustRepository } from './trust.repository.js';
import { createSnapshotTaker } from './trust.snapshot.js';
import { closedDays, parseWindow, splitWindow } from './window.js';

export interface TrustServiceDeps {
  db: Database;
  readModel: TrustReadModel;
  repository: TrustRepository;
  clock: Clock;
  logger: Logger;
  settings: { quarantineBelow: number; platformCostUsdMonthly: number | undefined; snapshotIntervalMs: number };
  agents: { transition(actor: Actor, id: string, action: 'quarantine', reason: string | null): Promise<unknown> };
  /** The sync module's stream status; absent while the sync module is not installed (then only gaps count). */
  sync?: () => StreamStatusSource | undefined;
  /**
   * Risk weight per classification level from the active policy document (docs/policies.md); absent → the defaults of score.ts.
   * Read once per computation, so every agent of one answer is scored against the same policy.
   */
  classificationWeights?: () => Promise<ReadonlyMap<string, number>>;
  /** Closes incidents whose linked gap resolved on its own (incidents module). */
  incidents?: { autoResolveFromGaps(now: Date, tx: Queryable): Promise<number> };
}

export interface AgentTrust extends TrustResult {
  agent_id: string;
  name: string;
  status: string;
  classification: string;
  at: string;
  window: string;
  from: string;
  inputs: {
    runs: number;
    successful_runs: number;
    decisions: number;
    compliant_decisions: number;
    owned_streams_and_contracts: number;
    healthy_streams_and_contracts: number;
    open_severe_incidents: number;
    /** The risk weight of the agent's classification in the active policy: X's starting point. */
    classification_risk_weight: number;
  };
}

export interface KpiReport {
  at: string;
  window: string;
  window_ms: number;
  from: string;
  kpis: KpiSet;
}

export interface Gathered {
  agents: AgentTrust[];
  kpis: KpiReport;
}

export function createTrustService(deps: TrustServiceDeps) {
  const { db, readModel, repository, clock, settings } = deps;

  async function streams(at: Date): Promise<StreamStatus[]> {
    const source = deps.sync?.();
    if (!source) return [];
    return source.streamStatus(at);
  }

  /**
   * Everything trust and KPIs need at `at` over (at − W, at], one grouped query per input. With `agentId`, only
   * that agent's rows are read (GET /agents/{id}/trust); organisation inputs are then left empty. On the pool the
   * reads run side by side; inside a transaction (`tx`, the snapshot) one after another.
   */
  async function gather(
    at: Date,
    window: { label: string; ms: number },
    scope: { agentId?: string; agents: TrustAgentRow[]; streams?: StreamStatus[]; weights?: ReadonlyMap<string, number>; raw?: boolean },
    tx: Queryable = db,
  ): Promise<Gathered> {
    const from = new Date(at.getTime() - window.ms);
    const { agentId } = scope;
    // db.heavy is the pool too, each read under the heavy statement budget (docs/OPERATIONS.md, "Timeouts").
    const concurrently = tx === db || tx === db.heavy;
    const tables = await readModel.availableTables(tx);
    // Whole UTC days come from the daily rollups when they cover them; the partial days at both edges are scanned.
    const split = scope.raw ? null : splitWindow(from, at);
    const rolled = split && (await repository.rollupCovers(split.firstDay, split.lastDay, split.days, tx)) ? split : null;
    const ranges = rolled ? rolled.edges : [{ gt: from, lte: at }];
    const [runsRaw, decisionsRaw, incidents, gaps, streamList, rollup, policyWeights] = await readAll(concurrently, [
      () => (tables.run ? readModel.runsByAgent(ranges, agentId, tx) : new Map<string, Counts>()),
      () => (tables.decision ? readModel.decisionsByAgent(ranges, agentId, tx) : new Map<string, DecisionTotals>()),
      () => readModel.openSevereIncidentsByAgent(at, agentId, tx),
      () => (tables.sync_gap ? readModel.openGaps(at, undefined, tx) : []),
      () => scope.streams ?? streams(at),
      () => (rolled ? repository.rolledUp(rolled.firstDay, rolled.lastDay, agentId, tx) : undefined),
      () => scope.weights ?? deps.classificationWeights?.(),
    ]);
    const runs = rollup ? mergeCounts(runsRaw, rollup.runs) : runsRaw;
    const decisions = rollup ? mergeDecisions(decisionsRaw, rollup.decisions) : decisionsRaw;
    const freshness = freshnessUnits(streamList, gaps);

    const agents = scope.agents.map((agent): AgentTrust => {
      const agentRuns = runs.get(agent.id) ?? { total: 0, ok: 0 };
      const agentDecisions = decisions.get(agent.id) ?? { total: 0, compliant: 0 };
      const inputs: TrustInputs = {
        runs: { total: agentRuns.total, success: agentRuns.ok },
        decisions: { total: agentDecisions.total, compliant: agentDecisions.compliant },
        freshness: freshness.get(agent.id) ?? { owned: 0, healthy: 0 },
        classificationRiskWeight: classificationRiskWeight(agent.classification, policyWeights),
        openSevereIncidents: incidents.get(agent.id) ?? 0,
      };
      return {
        agent_id: agent.id,
        name: agent.name,
        status: agent.status,
        classification: agent.classification,
        at: at.toISOString(),
        window: window.label,
        from: from.toISOString(),
        ...trustScore(inputs),
        inputs: {
          runs: inputs.runs.total,
          successful_runs: inputs.runs.success,
          decisions: inputs.decisions.total,
          compliant_decisions: inputs.decisions.compliant,
          owned_streams_and_contracts: inputs.freshness.owned,
          healthy_streams_and_contracts: inputs.freshness.healthy,
          open_severe_incidents: inputs.openSevereIncidents,
          classification_risk_weight: inputs.classificationRiskWeight,
        },
      };
    });

    let decisionTotals = { total: 0, compliant: 0, riskAvoidedUsd: 0, blocked: 0 };
    let entities = { seen: 0, withOpenGap: 0 };
    let gapResolutions = { auto: 0, healed: 0, resolved: 0, beforeDue: 0, beforeDueUsd: 0 };
    let incidentResolutions = { auto: 0, resolved: 0 };
    let approvalsAvoided = { count: 0, usd: 0 };
    if (!agentId) {
      for (const totals of decisions.values()) decisionTotals = addDecisionTotals(decisionTotals, totals);
      [entities, gapResolutions, incidentResolutions, approvalsAvoided] = await readAll(concurrently, [
        () => (tables.event ? readModel.entities(from, at, tables.sync_gap, tx) : entities),
        () => (tables.sync_gap ? readModel.gapResolutions(from, at, tx) : gapResolutions),
        () => readModel.incidentResolutions(from, at, tx),
        () => (tables.approval ? readModel.approvalsAvoided(from, at, tx) : approvalsAvoided),
      ]);
    }
    const active = agents.filter((agent) => agent.status === 'active');
    const kpis = computeKpis({
      window: window.label,
      windowMs: window.ms,
      agentScores: active.map((agent) => agent.score),
      streams: { monitored: streamList.length, withinSlo: streamList.filter((status) => status.within_slo).length },
      entities,
      decisions: { total: decisionTotals.total, compliant: decisionTotals.compliant },
      resolutions: {
        gapsAuto: gapResolutions.auto,
        gapsHealed: gapResolutions.healed,
        gapsResolved: gapResolutions.resolved,
        incidentsAuto: incidentResolutions.auto,
        incidentsResolved: incidentResolutions.resolved,
      },
      riskAvoided: {
        policyUsd: decisionTotals.riskAvoidedUsd,
        blockedDecisions: decisionTotals.blocked,
        syncUsd: gapResolutions.beforeDueUsd,
        gapsResolvedBeforeDue: gapResolutions.beforeDue,
        approvalsUsd: approvalsAvoided.usd,
        approvalsDeniedOrExpired: approvalsAvoided.count,
      },
      platformCostUsdMonthly: settings.platformCostUsdMonthly,
    });
    return { agents, kpis: { at: at.toISOString(), window: window.label, window_ms: window.ms, from: from.toISOString(), kpis } };
  }

  /**
   * `streamList` and `weights` must be read before a transaction is opened: the sync and policies modules read
   * through their own connection (on PGlite, one connection: a read through `db` inside `tx` would wait forever).
   */
  async function organisation(
    at: Date,
    window: { label: string; ms: number },
    tx: Queryable = db,
    preRead: { streams?: StreamStatus[]; weights?: ReadonlyMap<string, number> } = {},
    raw = false,
  ): Promise<Gathered> {
    // A past instant (the executive report's previous window) counts the agents that were active then.
    const past = at.getTime() < clock.now().getTime();
    const agents = await readModel.agents(past ? { activeAt: at } : { activeOnly: true }, tx);
    return gather(at, window, { agents, streams: preRead.streams, weights: preRead.weights, raw }, tx);
  }

  /** Brings the rollups of the closed days before `now` up to date; returns the days computed. */
  async function refreshRollups(now: Date, tables: AvailableTables, tx: Queryable): Promise<string[]> {
    if (!tables.run || !tables.decision) return [];
    const { today, horizon, days: closed } = closedDays(now);
    const state = await repository.rollupState(horizon, tx);
    const lastRefresh = state.reduce<Date | null>((latest, row) => (!latest || row.computed_at > latest ? row.computed_at : latest), null);
    const late = lastRefresh ? await readModel.daysWithRunsReceivedSince(lastRefresh, horizon, today, tx) : [];
    const days = daysToRefresh(closed, new Set(state.map((row) => row.day)), late);
    if (days.length === 0) return [];
    await readModel.rollUpDays(days, tx);
    await repository.markRolledUp(days, now, tx);
    return days;
  }

  const snapshot = createSnapshotTaker({
    ...deps,
    preRead: async (at) => ({ streams: await streams(at), weights: await deps.classificationWeights?.() }),
    organisation,
    refreshRollups,
  });

  return {
    async agentTrust(id: string, windowLabel: string | undefined, options: { raw?: boolean } = {}): Promise<AgentTrust> {
      const window = parseWindow(windowLabel);
      const agents = await readModel.agents({ id });
      if (agents.length === 0) throw notFound(`agent ${id}`);
      const { agents: [trust] } = await gather(clock.now(), window, { agentId: id, agents, raw: options.raw }, db.heavy);
      return trust!;
    },

    /** `raw` scans every row instead of using the daily rollups (the rollup test compares both). */
    async kpis(windowLabel: string | undefined, at: Date = clock.now(), options: { raw?: boolean } = {}): Promise<KpiReport> {
      return (await organisation(at, parseWindow(windowLabel), db.heavy, {}, options.raw)).kpis;
    },

    /**
     * KPIs over a period (from, to] that is not a whole number of hours or days (evidence packs), at most 365 days like
     * every window; the window is labelled with the ISO 8601 interval.
     */
    async kpisBetween(from: Date, to: Date): Promise<KpiReport> {
      const ms = to.getTime() - from.getTime();
      if (ms <= 0 || ms > 365 * 86_400_000) throw new Error('kpisBetween: the period must be longer than 0 and at most 365 days');
      return (await organisation(to, { label: `${from.toISOString()}/${to.toISOString()}`, ms }, db.heavy)).kpis;
    },

    /** KPIs and every active agent's trust at `at` (the executive report). */
    async overview(windowLabel: string | undefined, at: Date = clock.now(), options: { raw?: boolean } = {}): Promise<Gathered> {
      return organisation(at, parseWindow(windowLabel), db.heavy, {}, options.raw);
    },

    /** Brings the daily rollups up to date (also part of every snapshot). Returns the days computed. */
    async refreshRollups(tx: Queryable = db): Promise<string[]> {
      return refreshRollups(clock.now(), await readModel.availableTables(tx), tx);
    },

    openGapsByType: async (at: Date) => ((await readModel.availableTables()).sync_gap ? readModel.openGapsByType(at) : []),

    async history(query: { limit?: number; cursor?: string }): Promise<{ items: Array<KpiReport & { id: string }>; next_cursor: string | null }> {
      const limit = query.limit ?? 50;
      const rows = await repository.listKpiSnapshots(limit + 1, decodeCursor(query.cursor));
      const items = rows.map((row) => ({
        id: row.id,
        at: row.at.toISOString(),
        window: row.window_label,
        window_ms: Number(row.window_ms),
        from: new Date(row.at.getTime() - Number(row.window_ms)).toISOString(),
        kpis: row.kpis as KpiSet,
      }));
      return pageOf(items, limit);
    },

    snapshot,

    latestTrustSummary: (lowest: number) => readModel.latestTrustSummary(lowest),
    latestKpiValues: () => repository.latestKpiValues(),
  };
}

export type TrustService = ReturnType<typeof createTrustService>;
