/**
 * The analyzer's shell: loads the state the pure core (analyzer.ts) needs, applies its verdicts, and writes state
 * and gaps in one transaction per batch. Runs incrementally after each ingest commit and periodically (the sweep).
 * This file orchestrates a batch; the per-observation work, batch locking, gap reporting and the sweep live in
 * their own files.
 */
import type { Clock } from '../../platform/clock.js';
import { createAfterCommit, type Database, type Queryable } from '../../platform/db/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import { ownerOf, type ActiveContracts, type ActiveContractsStore } from './active-contracts.js';
import { observe, type AnalyzedEvent, type Observation } from './analyzer.js';
import type { CompiledStream } from './contract.js';
import { createDuplicateConflicts, type DuplicateConflict } from './duplicate-conflicts.js';
import { EntityCreatedConcurrently, lockBatch, lockKey, type LockMode } from './entity-batch.js';
import type { GapObserver } from './gap-observer.js';
import { createGapRecorder, type GapHooks } from './gap-recorder.js';
import type { NewGap } from './gaps.repository.js';
import { createObservationAnalysis } from './observation-analysis.js';
import { remediationFor } from './remediation-policy.js';
import { streamRule } from './rule-names.js';
import type { SyncRepositories } from './sync.repositories.js';
import { createSyncSweep } from './sync.sweeper.js';

export interface EngineHooks extends GapHooks {
  /** An optimistic analysis was rolled back and redone in locking mode (EntityCreatedConcurrently). */
  analysisRetried(): void;
}

interface Observed {
  event: AnalyzedEvent;
  observations: Observation[];
}

/** Batches whose analysis failed, held for the next sweep; beyond this many events a batch is dropped (logged). */
const RETRY_LIMIT = 50_000;

/** The events some rule of the active contracts touches, with their observations. */
function observeAll(active: ActiveContracts, events: AnalyzedEvent[]): Observed[] {
  return events.map((event) => ({ event, observations: observe(active.contracts, event) })).filter((entry) => entry.observations.length > 0);
}

export function createSyncEngine(deps: {
  db: Database;
  repositories: SyncRepositories;
  contracts: ActiveContractsStore;
  clock: Clock;
  logger: Logger;
  hooks: EngineHooks;
  /** Told of gaps opened (with their remediation policy) and closed (gap-observer.ts). */
  observer?: GapObserver;
}) {
  const { repositories, clock, logger, hooks } = deps;
  const { gaps, streamStates, progress } = repositories;
  // Gap metrics and log lines are emitted once the analysing transaction commits: a transaction that is rolled back
  // (and maybe redone) must not count or log gaps that were never stored.
  const afterCommit = createAfterCommit(deps.db);
  const recorder = createGapRecorder({
    gaps,
    afterCommit,
    hooks,
    logger,
    ...(deps.observer
      ? {
          observer: deps.observer,
          // The contracts the analysis loaded just before its transaction: no read inside it.
          remediationOf: (gap: NewGap) => {
            const contract = gap.contract === null ? undefined : ownerOf(deps.contracts.current(), gap.contract);
            return contract ? remediationFor(contract, gap) : [];
          },
        }
      : {}),
  });
  const analysis = createObservationAnalysis({ recorder, gaps, followUps: repositories.followUps, logger });
  const duplicates = createDuplicateConflicts({ contracts: deps.contracts, progress, recorder, afterCommit, clock });
  /** Batches whose analysis failed; the next sweep on this replica analyses them again (analysis is idempotent). */
  const retryQueue: AnalyzedEvent[] = [];

  /**
   * Applies the events' observations in `tx`. Only events some rule touches are claimed (sync_analyzed_event) and
   * applied; an event already claimed — by the ingest path, a retry or a sweep — is skipped, so nothing is applied
   * twice. Returns how many events were applied.
   */
  async function analyseIn(tx: Queryable, active: ActiveContracts, observed: Observed[], mode: LockMode): Promise<number> {
    if (observed.length === 0) return 0;
    const claimed = await progress.claimEvents(tx, observed.map((entry) => entry.event.id));
    const observations = observed.filter((entry) => claimed.has(entry.event.id.toLowerCase())).flatMap((entry) => entry.observations);
    if (observations.length === 0) return 0;
    // Stable sort: a batch locks rows in one global order, while one entity's observations keep arrival order.
    const ordered = observations.map((observation, index) => ({ observation, index, key: lockKey(observation) }));
    ordered.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index));
    const now = clock.now();
    const streams = new Map<string, { stream: CompiledStream; last: Date; occurred: Date; count: number }>();
    for (const { observation } of ordered) {
      if (observation.kind !== 'stream') continue;
      const id = `${observation.stream.contract}\u0000${observation.stream.name}`;
      const entry = streams.get(id);
      if (!entry) streams.set(id, { stream: observation.stream, last: observation.received_at, occurred: observation.occurred_at, count: 1 });
      else {
        if (observation.received_at > entry.last) entry.last = observation.received_at;
        if (observation.occurred_at > entry.occurred) entry.occurred = observation.occurred_at;
        entry.count += 1;
      }
    }
    for (const { stream, last, occurred, count } of streams.values()) {
      await streamStates.touchStream(tx, stream.contract, stream.name, last, occurred, count);
      recorder.resolved(tx, await gaps.autoResolve(tx, { type: 'stale', contract: stream.contract, rule: streamRule.stale(stream.name), entity_id: null }, now, { resumed_at: last.toISOString() }));
    }
    const batch = await lockBatch(repositories, tx, ordered.map((entry) => entry.observation), mode);
    for (const { observation } of ordered) await analysis.apply(tx, active, observation, now, batch.state);
    await batch.save();
    return claimed.size;
  }

  async function analyseWith(active: ActiveContracts, events: AnalyzedEvent[]): Promise<void> {
    const observed = observeAll(active, events);
    if (observed.length === 0) return; // no rule touches them: no database work
    try {
      await afterCommit.transaction((tx) => analyseIn(tx, active, observed, 'optimistic'));
    } catch (error) {
      if (!(error instanceof EntityCreatedConcurrently)) throw error;
      // Rare: another replica (or the sweep) created one of the batch's new entities meanwhile. Nothing of the
      // first attempt was kept; this one takes every row first, so it cannot be overtaken again.
      hooks.analysisRetried();
      await afterCommit.transaction((tx) => analyseIn(tx, active, observed, 'locking'));
    }
  }

  const sweeper = createSyncSweep({
    repositories,
    contracts: deps.contracts,
    afterCommit,
    recorder,
    clock,
    async retryFailed() {
      if (retryQueue.length === 0) return 0;
      const events = retryQueue.splice(0, retryQueue.length);
      try {
        await analyseWith(await deps.contracts.get(), events);
        return events.length;
      } catch (error) {
        retryQueue.unshift(...events);
        throw error;
      }
    },
    analyseStored: (tx, active, events) => analyseIn(tx, active, observeAll(active, events), 'locking'),
  });

  return {
    /** IngestObserver.eventsCommitted: never throws; a failed batch is queued for the next sweep. */
    async analyse(events: AnalyzedEvent[]): Promise<void> {
      if (events.length === 0) return;
      try {
        await analyseWith(await deps.contracts.get(), events);
      } catch (error) {
        logger.error({ err: error, events: events.length }, 'sync analysis of an ingested batch failed; the next sweep retries it');
        if (retryQueue.length + events.length <= RETRY_LIMIT) retryQueue.push(...events);
        else logger.error({ events: events.length }, 'sync retry queue full; this batch will not be analysed again');
        throw error;
      }
    },

    /** IngestObserver.duplicateConflict: a `duplicate` gap per stream covering the event (or an unattributed one). */
    duplicateConflict: (conflict: DuplicateConflict): Promise<void> => duplicates.record(conflict),

    /** Time-based rules, catch-up and retention (see sync.sweeper.ts). */
    sweep: sweeper.sweep,

    pendingRetries: () => retryQueue.length,
  };
}

export type SyncEngine = ReturnType<typeof createSyncEngine>;
