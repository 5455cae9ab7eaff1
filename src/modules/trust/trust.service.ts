import type { Database, Queryable } from '../../platform/db/index.js';
import type { Clock } from '../../platform/clock.js';
import { notFound } from '../../platform/errors.js';
import { decodeCursor, pageOf } from '../../platform/http/cursor.js';
import { newId } from '../../platform/ids.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { Actor } from '../../platform/http/actor.js';
import { computeKpis, KPI_NAMES, type KpiSet } from './kpis.js';
import { classificationRiskWeight, trustScore, type TrustInputs, type TrustResult } from './score.js';
import type { TrustAgentRow, TrustRepository } from './trust.repository.js';
import { closedDays, parseWindow, splitWindow } from './window.js';
import type { Counts, DecisionTotals } from './trust.repository.js';

/** One sync stream as the sync module reports it (PLAN: `streamStatus(now)`). */
export interface StreamStatus {
  contract: string;
  stream: string;
  /** The owner agent of the stream's contract. */
  agent_id?: string | null;
  owner_agent_id?: string | null;
  within_slo: boolean;
}

export interface StreamStatusSource {
  streamStatus(now: Date): Promise<StreamStatus[]>;
}

export interface TrustServiceDeps {
  db: Database;
  repository: TrustRepository;
  clock: Clock;
  logger: Logger;
  settings: { quarantineBelow: number; platformCostUsdMonthly: number | undefined; snapshotIntervalMs: number };
  agents: { transition(actor: Actor, id: string, action: 'quarantine', reason: string | null): Promise<unknown> };
  /** The sync module's stream status; absent while the sync module is not installed (then only gaps count). */
  sync?: () => StreamStatusSource | undefined;
  /**
   * Risk weight per classification level from the active policy document (SPEC §6); absent → SPEC defaults.
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

interface Gathered {
  agents: AgentTrust[];
  kpis: KpiReport;
}

function mergeCounts(a: Map<string, Counts>, b: Map<string, Counts>): Map<string, Counts> {
  const merged = new Map(a);
  for (const [key, value] of b) {
    const current = merged.get(key);
    merged.set(key, current ? { total: current.total + value.total, ok: current.ok + value.ok } : value);
  }
  return merged;
}

function mergeDecisions(a: Map<string, DecisionTotals>, b: Map<string, DecisionTotals>): Map<string, DecisionTotals> {
  const merged = new Map(a);
  for (const [key, value] of b) {
    const current = merged.get(key);
    merged.set(
      key,
      current
        ? {
            total: current.total + value.total,
            compliant: current.compliant + value.compliant,
            riskAvoidedUsd: current.riskAvoidedUsd + value.riskAvoidedUsd,
            blocked: current.blocked + value.blocked,
          }
        : value,
    );
  }
  return merged;
}

const unitKey = (contract: string | null, stream: string | null) => `${contract ?? ''}\u0000${stream ?? ''}`;

export function createTrustService(deps: TrustServiceDeps) {
  const { db, repository, clock, logger, settings } = deps;

  async function streams(at: Date): Promise<StreamStatus[]> {
    const source = deps.sync?.();
    if (!source) return [];
    return source.streamStatus(at);
  }

  /**
   * Everything trust and KPIs need at `at` over (at − W, at], one grouped query per input. With `agentId`, only
   * that agent's rows are read (GET /agents/{id}/trust); organisation inputs are then left empty.
   */
  async function gather(
    at: Date,
    window: { label: string; ms: number },
    scope: { agentId?: string; agents: TrustAgentRow[]; streams?: StreamStatus[]; weights?: ReadonlyMap<string, number>; raw?: boolean },
    tx: Queryable = db,
  ): Promise<Gathered> {
    const from = new Date(at.getTime() - window.ms);
    const { agentId } = scope;
    const tables = await repository.availableTables(tx);
    const empty = new Map();
    // Whole UTC days come from the daily rollups when they cover them; the partial days at both edges are scanned.
    const split = scope.raw ? null : splitWindow(from, at);
    const rolled = split && (await repository.rollupCovers(split.firstDay, split.lastDay, split.days, tx)) ? split : null;
    const ranges = rolled ? rolled.edges : [{ gt: from, lte: at }];
    const [runsRaw, decisionsRaw, incidents, gaps, streamList, rollup, policyWeights] = await Promise.all([
      tables.run ? repository.runsByAgent(ranges, agentId, tx) : empty,
      tables.decision ? repository.decisionsByAgent(ranges, agentId, tx) : empty,
      repository.openSevereIncidentsByAgent(at, agentId, tx),
      tables.sync_gap ? repository.openGaps(at, undefined, tx) : Promise.resolve([]),
      scope.streams ?? streams(at),
      rolled ? repository.rolledUp(rolled.firstDay, rolled.lastDay, agentId, tx) : undefined,
      scope.weights ?? deps.classificationWeights?.(),
    ]);
    const runs = rollup ? mergeCounts(runsRaw, rollup.runs) : runsRaw;
    const decisions = rollup ? mergeDecisions(decisionsRaw, rollup.decisions) : decisionsRaw;

    // Freshness units per agent: the streams it owns (healthy = within SLO and no open gap on the stream or its
    // whole contract), plus each open gap attributed to it that no owned stream already covers (unhealthy).
    const units = new Map<string, Map<string, boolean>>();
    const unitsOf = (agent: string) => {
      let map = units.get(agent);
      if (!map) units.set(agent, (map = new Map()));
      return map;
    };
    const gapOn = (contract: string, stream: string) => gaps.some((gap) => gap.contract === contract && (gap.stream === stream || gap.stream === null));
    for (const status of streamList) {
      const owner = status.agent_id ?? status.owner_agent_id;
      if (!owner) continue;
      unitsOf(owner).set(unitKey(status.contract, status.stream), status.within_slo && !gapOn(status.contract, status.stream));
    }
    for (const gap of gaps) {
      if (!gap.agent_id) continue;
      const owned = unitsOf(gap.agent_id);
      const covered = [...owned.keys()].some((key) => {
        const [contract, stream] = key.split('\u0000');
        return contract === (gap.contract ?? '') && (gap.stream === null || stream === gap.stream);
      });
      if (!covered) owned.set(unitKey(gap.contract, gap.stream), false);
    }

    const agents = scope.agents.map((agent): AgentTrust => {
      const agentRuns = runs.get(agent.id) ?? { total: 0, ok: 0 };
      const agentDecisions = decisions.get(agent.id) ?? { total: 0, compliant: 0 };
      const agentUnits = [...(units.get(agent.id)?.values() ?? [])];
      const inputs: TrustInputs = {
        runs: { total: agentRuns.total, success: agentRuns.ok },
        decisions: { total: agentDecisions.total, compliant: agentDecisions.compliant },
        freshness: { owned: agentUnits.length, healthy: agentUnits.filter(Boolean).length },
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
    let gapResolutions = { auto: 0, resolved: 0, beforeDue: 0, beforeDueUsd: 0 };
    let incidentResolutions = { auto: 0, resolved: 0 };
    if (!agentId) {
      for (const totals of decisions.values()) {
        decisionTotals = {
          total: decisionTotals.total + totals.total,
          compliant: decisionTotals.compliant + totals.compliant,
          riskAvoidedUsd: decisionTotals.riskAvoidedUsd + totals.riskAvoidedUsd,
          blocked: decisionTotals.blocked + totals.blocked,
        };
      }
      [entities, gapResolutions, incidentResolutions] = await Promise.all([
        tables.event ? repository.entities(from, at, tables.sync_gap, tx) : entities,
        tables.sync_gap ? repository.gapResolutions(from, at, tx) : gapResolutions,
        repository.incidentResolutions(from, at, tx),
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
        gapsResolved: gapResolutions.resolved,
        incidentsAuto: incidentResolutions.auto,
        incidentsResolved: incidentResolutions.resolved,
      },
      riskAvoided: {
        policyUsd: decisionTotals.riskAvoidedUsd,
        blockedDecisions: decisionTotals.blocked,
        syncUsd: gapResolutions.beforeDueUsd,
        gapsResolvedBeforeDue: gapResolutions.beforeDue,
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
    const agents = await repository.agents(past ? { activeAt: at } : { activeOnly: true }, tx);
    return gather(at, window, { agents, streams: preRead.streams, weights: preRead.weights, raw }, tx);
  }

  const systemActor = (purpose: string) => ({ id: 'system:trust', correlationId: `${purpose}-${newId()}` });

  /** Quarantines low-trust agents (SPEC §7) outside the snapshot transaction: the agents service audits each. */
  async function quarantineLowTrust(agents: AgentTrust[], now: Date, windowMs: number): Promise<string[]> {
    const candidates = agents.filter(
      (agent) => agent.status === 'active' && agent.score < settings.quarantineBelow && agent.confidence >= 0.5,
    );
    if (candidates.length === 0) return [];
    // A human who approved the agent within the last window has reviewed it: the approval holds for that window.
    const approved = await repository.recentlyApproved(new Date(now.getTime() - windowMs));
    const quarantined: string[] = [];
    for (const agent of candidates) {
      if (approved.has(agent.agent_id)) continue;
      const reason =
        `trust ${agent.score} < ${settings.quarantineBelow} with confidence ${agent.confidence} over ${agent.window} ` +
        `(R ${agent.components.reliability ?? 'n/a'}, P ${agent.components.policy_adherence}, F ${agent.components.freshness}, X ${agent.components.risk_exposure})`;
      try {
        await deps.agents.transition(systemActor('trust-quarantine'), agent.agent_id, 'quarantine', reason);
        quarantined.push(agent.agent_id);
        logger.warn({ agent_id: agent.agent_id, score: agent.score, confidence: agent.confidence }, 'agent quarantined for low trust');
      } catch (error) {
        // Another replica or a human changed the agent meanwhile (409): nothing to do.
        logger.info({ err: error, agent_id: agent.agent_id }, 'low-trust agent not quarantined');
      }
    }
    return quarantined;
  }

  return {
    async agentTrust(id: string, windowLabel: string | undefined, options: { raw?: boolean } = {}): Promise<AgentTrust> {
      const window = parseWindow(windowLabel);
      const agents = await repository.agents({ id });
      if (agents.length === 0) throw notFound(`agent ${id}`);
      const { agents: [trust] } = await gather(clock.now(), window, { agentId: id, agents, raw: options.raw });
      return trust!;
    },

    /** `raw` scans every row instead of using the daily rollups (the rollup test compares both). */
    async kpis(windowLabel: string | undefined, at: Date = clock.now(), options: { raw?: boolean } = {}): Promise<KpiReport> {
      return (await organisation(at, parseWindow(windowLabel), db, {}, options.raw)).kpis;
    },

    /** KPIs and every active agent's trust at `at` (the executive report). */
    async overview(windowLabel: string | undefined, at: Date = clock.now(), options: { raw?: boolean } = {}): Promise<Gathered> {
      return organisation(at, parseWindow(windowLabel), db, {}, options.raw);
    },

    /** Brings the daily rollups up to date (also part of every snapshot). Returns the days computed. */
    async refreshRollups(tx: Queryable = db): Promise<string[]> {
      const tables = await repository.availableTables(tx);
      if (!tables.run || !tables.decision) return [];
      const { today, horizon, days } = closedDays(clock.now());
      return repository.refreshRollups(clock.now(), today, horizon, days, tx);
    },

    openGapsByType: async (at: Date) => ((await repository.availableTables()).sync_gap ? repository.openGapsByType(at) : []),

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

    /**
     * One snapshot: auto-resolve incidents of auto-resolved gaps, record every active agent's trust and the
     * KPIs, then quarantine low-trust agents. Replicas serialise on an advisory lock and skip when another
     * replica snapshotted within half an interval, so N replicas still write one snapshot per interval.
     */
    async snapshot(options: { force?: boolean; window?: string } = {}): Promise<{ taken: boolean; agents: number; quarantined: string[] }> {
      const now = clock.now();
      const window = parseWindow(options.window);
      // Read outside the transaction: on PGlite (one connection) a read through `db` inside it would wait forever.
      const streamList = await streams(now);
      const weights = await deps.classificationWeights?.();
      const result = await db.transaction(async (tx) => {
        const { rows } = await tx.query<{ locked: boolean }>(`select pg_try_advisory_xact_lock(hashtext('orca:trust-snapshot:' || current_schema())) as locked`);
        if (!rows[0]?.locked) return null;
        const latest = await repository.latestKpiSnapshotAt(tx);
        if (!options.force && latest && now.getTime() - latest.getTime() < settings.snapshotIntervalMs / 2) return null;
        if (deps.incidents && (await repository.availableTables(tx)).sync_gap) await deps.incidents.autoResolveFromGaps(now, tx);
        const tables = await repository.availableTables(tx);
        if (tables.run && tables.decision) {
          const { today, horizon, days } = closedDays(now);
          await repository.refreshRollups(now, today, horizon, days, tx);
        }
        const gathered = await organisation(now, window, tx, { streams: streamList, weights });
        await repository.insertTrustSnapshots(
          gathered.agents.map((agent) => ({
            id: newId(),
            agent_id: agent.agent_id,
            score: agent.score,
            grade: agent.grade,
            confidence: agent.confidence,
            reliability: agent.components.reliability,
            policy_adherence: agent.components.policy_adherence,
            freshness: agent.components.freshness,
            risk_exposure: agent.components.risk_exposure,
            signals: agent.signals,
            inputs: agent.inputs,
          })),
          now,
          window.ms,
          tx,
        );
        const values = Object.fromEntries(KPI_NAMES.map((name) => [name, gathered.kpis.kpis[name].value]));
        await repository.insertKpiSnapshot({ id: newId(), at: now, window_label: window.label, window_ms: window.ms, values, kpis: gathered.kpis.kpis }, tx);
        return gathered;
      });
      if (!result) return { taken: false, agents: 0, quarantined: [] };
      const quarantined = await quarantineLowTrust(result.agents, now, window.ms);
      return { taken: true, agents: result.agents.length, quarantined };
    },

    latestTrustSummary: (lowest: number) => repository.latestTrustSummary(lowest),
    latestKpiValues: () => repository.latestKpiValues(),
  };
}

export type TrustService = ReturnType<typeof createTrustService>;
