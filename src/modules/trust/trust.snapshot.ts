/**
 * The scheduled trust/KPI snapshot: records every active agent's trust and the organisation's KPIs, then
 * quarantines the agents whose trust fell too low (SPEC §7).
 */
import type { Database, Queryable } from '../../platform/db/index.js';
import type { Clock } from '../../platform/clock.js';
import { newId } from '../../platform/ids.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { StreamStatus } from './freshness.js';
import { KPI_NAMES } from './kpis.js';
import type { AvailableTables, TrustReadModel } from './trust.read-model.js';
import type { TrustRepository } from './trust.repository.js';
import type { AgentTrust, Gathered, TrustServiceDeps } from './trust.service.js';
import { parseWindow } from './window.js';

export interface SnapshotDeps extends Pick<TrustServiceDeps, 'settings' | 'agents' | 'incidents'> {
  db: Database;
  readModel: TrustReadModel;
  repository: TrustRepository;
  clock: Clock;
  logger: Logger;
  /** Read before the transaction opens (see `snapshot`). */
  preRead(at: Date): Promise<{ streams: StreamStatus[]; weights: ReadonlyMap<string, number> | undefined }>;
  /** Every active agent's trust and the KPIs at `at`, read through `tx`. */
  organisation(at: Date, window: { label: string; ms: number }, tx: Queryable, preRead: { streams: StreamStatus[]; weights?: ReadonlyMap<string, number> }): Promise<Gathered>;
  refreshRollups(now: Date, tables: AvailableTables, tx: Queryable): Promise<string[]>;
}

export function createSnapshotTaker(deps: SnapshotDeps) {
  const { db, readModel, repository, clock, logger, settings } = deps;
  const systemActor = (purpose: string) => ({ id: 'system:trust', correlationId: `${purpose}-${newId()}` });

  /** Quarantines low-trust agents outside the snapshot transaction: the agents service audits each. */
  async function quarantineLowTrust(agents: AgentTrust[], now: Date, windowMs: number): Promise<string[]> {
    const candidates = agents.filter(
      (agent) => agent.status === 'active' && agent.score < settings.quarantineBelow && agent.confidence >= 0.5,
    );
    if (candidates.length === 0) return [];
    // A human who approved the agent within the last window has reviewed it: the approval holds for that window.
    const approved = await readModel.recentlyApproved(new Date(now.getTime() - windowMs));
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

  /**
   * One snapshot: auto-resolve incidents of auto-resolved gaps, record every active agent's trust and the
   * KPIs, then quarantine low-trust agents. Replicas serialise on an advisory lock and skip when another
   * replica snapshotted within half an interval, so N replicas still write one snapshot per interval.
   */
  return async function snapshot(options: { force?: boolean; window?: string } = {}): Promise<{ taken: boolean; agents: number; quarantined: string[] }> {
    const now = clock.now();
    const window = parseWindow(options.window);
    // Read outside the transaction: on PGlite (one connection) a read through `db` inside it would wait forever.
    const preRead = await deps.preRead(now);
    const result = await db.transaction(async (tx) => {
      if (!(await repository.tryLockSnapshot(tx))) return null;
      const latest = await repository.latestKpiSnapshotAt(tx);
      if (!options.force && latest && now.getTime() - latest.getTime() < settings.snapshotIntervalMs / 2) return null;
      const tables = await readModel.availableTables(tx);
      if (deps.incidents && tables.sync_gap) await deps.incidents.autoResolveFromGaps(now, tx);
      await deps.refreshRollups(now, tables, tx);
      const gathered = await deps.organisation(now, window, tx, preRead);
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
  };
}
