/**
 * The analyzer's shell: loads the state the pure core (analyzer.ts) needs, applies its verdicts, and writes state
 * and gaps in one transaction per batch. Runs incrementally after each ingest commit and periodically (sweep).
 */
import type { Clock } from '../../platform/clock.js';
import type { Database, Queryable } from '../../platform/db/index.js';
import { newId } from '../../platform/ids.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { DuplicateConflict } from '../ingest/index.js';
import type { ActiveContracts, ActiveContractsStore } from './active-contracts.js';
import {
  agreementOutcome,
  freshnessOf,
  isStale,
  observe,
  stepAgreement,
  streamMatches,
  stepOrder,
  stepUnique,
  type AgreementState,
  type AnalyzedEvent,
  type Observation,
  type OrderState,
  type UniqueState,
} from './analyzer.js';
import { DEFAULT_FORGET_AFTER_MS, type CompiledContract, type CompiledStream, type GapType, type RuleCost, type Severity } from './contract.js';
import { entityKey, gapKey, type EntityRef, type FollowUpRow, type GapRow, type NewGap, type SyncRepository } from './sync.repository.js';

export interface EngineHooks {
  gapOpened(type: GapType): void;
  gapResolved(type: GapType): void;
  /** An optimistic analysis was rolled back and redone in locking mode (EntityCreatedConcurrently). */
  analysisRetried(): void;
}

export interface SweepReport {
  skipped: boolean;
  stale_opened: number;
  missing_opened: number;
  retried_events: number;
  /** Stored events the sweep analysed because no earlier analysis had (lost with a process, or failed). */
  caught_up_events: number;
  /** Idle per-entity memories (and satisfied follow-ups) forgotten (contract `forget_after`). */
  forgotten: number;
}

/** Rule names the analyzer derives from a stream (follow-ups, lifecycles and agreements carry their own). */
export const streamRule = {
  stale: (stream: string) => `stream:${stream}`,
  sequence: (stream: string) => `sequence:${stream}`,
  unique: (stream: string, eventType: string) => `unique:${stream}:${eventType}`,
  idempotency: (stream: string) => `idempotency:${stream}`,
};

const FOLLOW_UP_SEEN = (rule: string) => `${rule}#then`;
const SWEEP_BATCH = 1000;
const SWEEP_LOCK = 'orca:sync:sweep:';
/** Events younger than this are left to the ingest path (their transaction may not have committed yet). */
export const SETTLE_MS = 10_000;
const CATCH_UP_PAGE = 500;
const MAX_PAGES = 20;
/** Rows forgotten per contract and table per sweep: a large backlog is worked off over several sweeps. */
const FORGET_BATCH = 1000;

/**
 * Every (contract, rule) a gap of the active contracts can carry, as `contract\u0000rule`: a gap whose pair is not
 * here belongs to a contract or rule that a newer version removed.
 */
export function activeRuleKeys(contracts: readonly CompiledContract[]): Set<string> {
  const keys = new Set<string>();
  for (const contract of contracts) {
    const add = (rule: string) => keys.add(`${contract.name}\u0000${rule}`);
    for (const stream of contract.streams) {
      add(streamRule.stale(stream.name));
      add(streamRule.idempotency(stream.name));
      if (stream.check_sequence) add(streamRule.sequence(stream.name));
      for (const eventType of stream.unique_event_types) add(streamRule.unique(stream.name, eventType));
    }
    for (const rule of [...contract.follow_ups, ...contract.lifecycles, ...contract.agreements]) add(rule.name);
  }
  return keys;
}

/** The smallest UUIDv7 of a millisecond: ids below it were generated before that instant. */
export function uuidFloor(ms: number): string {
  const hex = Math.max(0, Math.trunc(ms)).toString(16).padStart(12, '0').slice(-12);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}

/** The entity-state row an observation reads and may change (none for a stream observation). */
function entityOf(observation: Observation): EntityRef | undefined {
  switch (observation.kind) {
    case 'stream':
      return undefined;
    case 'sequence':
      return { contract: observation.stream.contract, rule: streamRule.sequence(observation.stream.name), key: observation.entity };
    case 'unique':
      return { contract: observation.stream.contract, rule: streamRule.unique(observation.stream.name, observation.event_type), key: observation.entity };
    case 'lifecycle':
      return { contract: observation.rule.contract, rule: observation.rule.name, key: observation.entity };
    case 'trigger':
    case 'follow_up':
      return { contract: observation.rule.contract, rule: FOLLOW_UP_SEEN(observation.rule.name), key: observation.key };
    case 'agreement':
      return { contract: observation.rule.contract, rule: observation.rule.name, key: observation.key };
  }
}

/** Lock order for the rows a batch touches: concurrent batches lock in the same order and cannot deadlock. */
function lockKey(observation: Observation): string {
  if (observation.kind === 'stream') return `0|${observation.stream.contract}|${observation.stream.name}`;
  const entity = entityOf(observation)!;
  return `1|${entity.contract}|${entity.rule}|${entity.key}`;
}

/**
 * The entity states of one analysing transaction: locked and read together before the batch is applied, changed in
 * memory as its observations are applied in order (a later observation of the same entity sees what an earlier one
 * left), and written together at the end. Also knows which of those entities have an open gap of the kinds that
 * close by themselves, so that an in-order event costs no statement at all.
 */
interface BatchState {
  get<T>(ref: EntityRef): T | undefined;
  set(ref: EntityRef, state: unknown): void;
  hasOpenGap(type: GapType, ref: EntityRef): boolean;
  gapOpened(type: GapType, ref: EntityRef): void;
  gapClosed(type: GapType, ref: EntityRef): void;
  /** Records an awaited follow-up; written with the others of the batch (before any follow-up is matched, and at the end). */
  awaitFollowUp(row: FollowUpRow & { satisfied_at: Date | null; satisfied_by: string | null }): void;
  flushFollowUps(): Promise<void>;
}

/** Gap kinds the analyzer closes on its own while applying observations (per entity, under the entity's lock). */
const SELF_CLOSING_GAPS: GapType[] = ['out_of_order', 'field_drift'];

interface Observed {
  event: AnalyzedEvent;
  observations: Observation[];
}

/** The events some rule of the active contracts touches, with their observations. */
function observeAll(active: ActiveContracts, events: AnalyzedEvent[]): Observed[] {
  return events.map((event) => ({ event, observations: observe(active.contracts, event) })).filter((entry) => entry.observations.length > 0);
}

/**
 * Thrown inside an optimistic analysis when another transaction created the state row of an entity this batch
 * sees for the first time: the transaction is rolled back and the batch analysed again, locking as it goes.
 */
export class EntityCreatedConcurrently extends Error {
  constructor() {
    super('another transaction created the state of an entity this batch saw for the first time');
    this.name = 'EntityCreatedConcurrently';
  }
}

/**
 * How a batch takes its entities' state rows. `optimistic`: lock those that exist, create the new ones with their
 * final state at the end (one write each) — unless another transaction created one meanwhile, which throws
 * EntityCreatedConcurrently. `locking`: create empty rows for the new ones first (which locks them against every
 * other analyser), then lock the rest, and update them all at the end (two writes per new entity, never redone).
 */
type LockMode = 'optimistic' | 'locking';

export function createSyncEngine(deps: {
  db: Database;
  repository: SyncRepository;
  contracts: ActiveContractsStore;
  clock: Clock;
  logger: Logger;
  hooks: EngineHooks;
}) {
  const { db, repository, clock, logger, hooks } = deps;
  /** Batches whose analysis failed; the next sweep on this replica analyses them again (analysis is idempotent). */
  const retryQueue: AnalyzedEvent[] = [];
  const RETRY_LIMIT = 50_000;

  function ownerOf(active: ActiveContracts, contract: string): CompiledContract | undefined {
    return active.contracts.find((candidate) => candidate.name === contract);
  }

  /**
   * Metrics and log lines about the gaps a transaction opened or closed, held until it commits: a transaction that is
   * rolled back (and maybe redone) must not count or log gaps that were never stored.
   */
  const heldEffects = new WeakMap<Queryable, Array<() => void>>();
  function emit(tx: Queryable, effect: () => void): void {
    const held = heldEffects.get(tx);
    if (held) held.push(effect);
    else effect();
  }

  /** Runs `work` in a transaction whose gap metrics and log lines are emitted after its commit (dropped on rollback). */
  async function reportingTransaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const effects: Array<() => void> = [];
    const result = await db.transaction((tx) => {
      heldEffects.set(tx, effects);
      return work(tx);
    });
    for (const effect of effects) effect();
    return result;
  }

  async function open(tx: Queryable, gap: Omit<NewGap, 'id'>): Promise<{ id: string; opened: boolean }> {
    const result = await repository.openGap(tx, { id: newId(), ...gap });
    if (result.opened) {
      emit(tx, () => {
        hooks.gapOpened(gap.type);
        logger.info({ gap_id: result.id, type: gap.type, severity: gap.severity, contract: gap.contract, rule: gap.rule }, 'sync gap opened');
      });
    }
    return result;
  }

  function resolved(tx: Queryable, rows: GapRow[]): void {
    if (rows.length === 0) return;
    emit(tx, () => {
      for (const row of rows) {
        hooks.gapResolved(row.type);
        logger.info({ gap_id: row.id, type: row.type, contract: row.contract, rule: row.rule }, 'sync gap resolved automatically');
      }
    });
  }

  function gapBase(
    contract: CompiledContract,
    values: { type: GapType; severity: Severity; stream: CompiledStream | undefined; rule: string; entity_id: string | null; cost: RuleCost; dueInMs: number; now: Date },
  ): Omit<NewGap, 'id' | 'detail'> {
    return {
      type: values.type,
      severity: values.severity,
      contract: contract.name,
      stream: values.stream?.name ?? null,
      rule: values.rule,
      entity_type: values.stream?.entity_type ?? null,
      entity_id: values.entity_id,
      agent_id: contract.owner,
      detected_at: values.now,
      due_at: new Date(values.now.getTime() + values.dueInMs),
      risk_kind: values.cost.risk_kind,
      cost_usd: values.cost.cost_usd,
    };
  }

  async function applyOrder(
    tx: Queryable,
    contract: CompiledContract,
    stream: CompiledStream,
    rule: string,
    entity: string,
    value: number,
    eventId: string,
    eventType: string,
    gap: { severity: Severity; cost: RuleCost; dueInMs: number; kind: 'sequence' | 'lifecycle' },
    now: Date,
    batch: BatchState,
  ): Promise<void> {
    const ref = { contract: contract.name, rule, key: entity };
    const state = batch.get<OrderState>(ref);
    const step = stepOrder(state, value, eventId, eventType);
    if (step.outcome === 'same') return;
    batch.set(ref, step.state);
    if (step.outcome === 'backwards') {
      batch.gapOpened('out_of_order', ref);
      await open(tx, {
        ...gapBase(contract, { type: 'out_of_order', severity: gap.severity, stream, rule, entity_id: entity, cost: gap.cost, dueInMs: gap.dueInMs, now }),
        detail: {
          kind: gap.kind,
          event_id: eventId,
          event_type: eventType,
          ...(gap.kind === 'sequence' ? { sequence: value, after_sequence: state!.max } : { after_event_type: state!.event_type ?? null }),
          after_event_id: state!.event_id,
        },
      });
    } else if (step.outcome === 'forward' && batch.hasOpenGap('out_of_order', ref)) {
      batch.gapClosed('out_of_order', ref);
      resolved(tx, await repository.autoResolve(tx, { type: 'out_of_order', contract: contract.name, rule, entity_id: entity }, now, { resolved_by_event_id: eventId }));
    }
  }

  async function applyObservation(tx: Queryable, active: ActiveContracts, observation: Observation, now: Date, batch: BatchState): Promise<void> {
    switch (observation.kind) {
      case 'stream':
        return; // aggregated per batch in analyse()
      case 'sequence': {
        const { stream } = observation;
        const contract = ownerOf(active, stream.contract)!;
        await applyOrder(tx, contract, stream, streamRule.sequence(stream.name), observation.entity, observation.sequence, observation.event_id, '', {
          severity: stream.severity.out_of_order,
          cost: contract.costs.out_of_order,
          dueInMs: contract.resolve_within_ms,
          kind: 'sequence',
        }, now, batch);
        return;
      }
      case 'lifecycle': {
        const { rule } = observation;
        const contract = ownerOf(active, rule.contract)!;
        await applyOrder(tx, contract, observation.stream, rule.name, observation.entity, observation.rank, observation.event_id, observation.event_type, {
          severity: rule.severity,
          cost: rule.cost,
          dueInMs: rule.resolve_within_ms,
          kind: 'lifecycle',
        }, now, batch);
        return;
      }
      case 'unique': {
        const { stream } = observation;
        const contract = ownerOf(active, stream.contract)!;
        const rule = streamRule.unique(stream.name, observation.event_type);
        const ref = { contract: contract.name, rule, key: observation.entity };
        const state = batch.get<UniqueState>(ref);
        const step = stepUnique(state, observation.event_id);
        if (!state) batch.set(ref, step.state);
        if (step.duplicate) {
          await open(tx, {
            ...gapBase(contract, {
              type: 'duplicate',
              severity: stream.severity.duplicate,
              stream,
              rule,
              entity_id: observation.entity,
              cost: contract.costs.duplicate,
              dueInMs: contract.resolve_within_ms,
              now,
            }),
            detail: { kind: 'unique_event_type', event_type: observation.event_type, event_id: observation.event_id, first_event_id: state!.event_id },
          });
        }
        return;
      }
      case 'trigger': {
        const { rule, timing } = observation;
        if (!timing) {
          logger.warn({ contract: rule.contract, rule: rule.name, event_id: observation.event_id }, 'follow-up trigger without a readable deadline; not awaited');
          return;
        }
        // A follow-up that arrived before its trigger (delivery reordered) already satisfies it.
        const seen = batch.get<{ event_id: string; at: string }>({ contract: rule.contract, rule: FOLLOW_UP_SEEN(rule.name), key: observation.key });
        batch.awaitFollowUp({
          id: newId(),
          contract: rule.contract,
          rule: rule.name,
          key: observation.key,
          trigger_event_id: observation.event_id,
          trigger_at: now,
          open_at: timing.open_at,
          due_at: timing.due_at,
          satisfied_at: seen ? new Date(seen.at) : null,
          satisfied_by: seen ? seen.event_id : null,
        });
        return;
      }
      case 'follow_up': {
        const { rule } = observation;
        batch.set({ contract: rule.contract, rule: FOLLOW_UP_SEEN(rule.name), key: observation.key }, {
          event_id: observation.event_id,
          at: observation.at.toISOString(),
        });
        await batch.flushFollowUps(); // a trigger earlier in this batch is awaited like one stored before it
        const gapIds = await repository.satisfyFollowUps(tx, rule.contract, rule.name, observation.key, observation.event_id, observation.at);
        resolved(tx, await repository.autoResolveIds(tx, gapIds, now, { resolved_by_event_id: observation.event_id }));
        return;
      }
      case 'agreement': {
        const { rule } = observation;
        const contract = ownerOf(active, rule.contract)!;
        const ref = { contract: rule.contract, rule: rule.name, key: observation.key };
        const state = batch.get<AgreementState>(ref);
        const next = stepAgreement(state, observation.side, observation.value, observation.occurred_at, observation.event_id);
        if (next === state) return;
        batch.set(ref, next);
        const outcome = agreementOutcome(next, rule.tolerance);
        const identity = { type: 'field_drift' as const, contract: rule.contract, rule: rule.name, entity_id: observation.key };
        if (outcome === 'disagree') {
          const stream = contract.streams.find((candidate) => candidate.name === rule.left.stream);
          const detail = {
            left: { stream: rule.left.stream, field: rule.left.field_text, value: next.left!.value, event_id: next.left!.event_id },
            right: { stream: rule.right.stream, field: rule.right.field_text, value: next.right!.value, event_id: next.right!.event_id },
            tolerance: rule.tolerance,
          };
          batch.gapOpened('field_drift', ref);
          const result = await open(tx, {
            ...gapBase(contract, { type: 'field_drift', severity: rule.severity, stream, rule: rule.name, entity_id: observation.key, cost: rule.cost, dueInMs: rule.resolve_within_ms, now }),
            detail,
          });
          // Keep the open gap's evidence current while the values keep disagreeing.
          if (!result.opened) await tx.query('update sync_gap set detail = $2::jsonb, updated_at = now() where id = $1', [result.id, JSON.stringify(detail)]);
        } else if (outcome === 'agree' && batch.hasOpenGap('field_drift', ref)) {
          batch.gapClosed('field_drift', ref);
          resolved(tx, await repository.autoResolve(tx, identity, now, { resolved_by_event_id: observation.event_id, agreed_value: next.left!.value }));
        }
        return;
      }
    }
  }

  /**
   * Locks and reads the entity states of a batch's observations (given in lock order); `save` writes the changed
   * ones. In `optimistic` mode an entity without a row gets none until `save` creates it with its final state, and
   * `save` throws EntityCreatedConcurrently if another transaction created one of those rows in between.
   */
  async function lockBatch(tx: Queryable, observations: Observation[], mode: LockMode): Promise<{ state: BatchState; save: () => Promise<void> }> {
    const refs: EntityRef[] = [];
    const index = new Map<string, number>();
    for (const observation of observations) {
      // A trigger without a readable deadline is not awaited: it reads no state (and creates none).
      const ref = observation.kind === 'trigger' && !observation.timing ? undefined : entityOf(observation);
      if (!ref) continue;
      const key = entityKey(ref);
      if (index.has(key)) continue;
      index.set(key, refs.length);
      refs.push(ref);
    }
    let states: unknown[];
    let exists: boolean[] | undefined; // undefined: every ref has a row (locking mode creates the missing ones)
    if (mode === 'optimistic') ({ states, exists } = await repository.lockExistingEntityStates(tx, refs));
    else states = await repository.lockEntityStates(tx, refs);
    const openGaps = await repository.openGapKeys(tx, SELF_CLOSING_GAPS, refs);
    /** Positions (in refs, i.e. lock order) of the states this batch changed. */
    const changed = new Set<number>();
    let followUps: Array<FollowUpRow & { satisfied_at: Date | null; satisfied_by: string | null }> = [];
    const flushFollowUps = async () => {
      if (followUps.length === 0) return;
      const rows = followUps;
      followUps = [];
      await repository.insertFollowUps(tx, rows);
    };
    const slot = (ref: EntityRef): number => {
      const position = index.get(entityKey(ref));
      if (position === undefined) throw new Error(`entity state ${entityKey(ref)} was not locked for this batch`);
      return position;
    };
    return {
      state: {
        get: <T>(ref: EntityRef) => states[slot(ref)] as T | undefined,
        set(ref, state) {
          const position = slot(ref);
          states[position] = state;
          changed.add(position);
        },
        hasOpenGap: (type, ref) => openGaps.has(gapKey(type, ref)),
        gapOpened: (type, ref) => openGaps.add(gapKey(type, ref)),
        gapClosed: (type, ref) => openGaps.delete(gapKey(type, ref)),
        awaitFollowUp: (row) => followUps.push(row),
        flushFollowUps,
      },
      save: async () => {
        await flushFollowUps();
        const updated: Array<EntityRef & { state: unknown }> = [];
        const created: Array<EntityRef & { state: unknown }> = [];
        // In lock order: concurrent analysers create rows in the same order, so they queue instead of deadlocking.
        for (const position of [...changed].sort((a, b) => a - b)) {
          const entry = { ...refs[position]!, state: states[position] };
          if (!exists || exists[position]) updated.push(entry);
          else created.push(entry);
        }
        await repository.saveEntityStates(tx, updated);
        if ((await repository.createEntityStates(tx, created)) < created.length) throw new EntityCreatedConcurrently();
      },
    };
  }

  /**
   * Applies the events' observations in `tx`. Only events some rule touches are claimed (sync_analyzed_event) and
   * applied; an event already claimed — by the ingest path, a retry or a sweep — is skipped, so nothing is applied
   * twice. Returns how many events were applied.
   */
  async function analyseIn(tx: Queryable, active: ActiveContracts, observed: Observed[], mode: LockMode): Promise<number> {
    if (observed.length === 0) return 0;
    const claimed = await repository.claimEvents(tx, observed.map((entry) => entry.event.id));
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
      await repository.touchStream(tx, stream.contract, stream.name, last, occurred, count);
      resolved(tx, await repository.autoResolve(tx, { type: 'stale', contract: stream.contract, rule: streamRule.stale(stream.name), entity_id: null }, now, { resumed_at: last.toISOString() }));
    }
    const batch = await lockBatch(tx, ordered.map((entry) => entry.observation), mode);
    for (const { observation } of ordered) await applyObservation(tx, active, observation, now, batch.state);
    await batch.save();
    return claimed.size;
  }

  async function analyseWith(active: ActiveContracts, events: AnalyzedEvent[]): Promise<void> {
    const observed = observeAll(active, events);
    if (observed.length === 0) return; // no rule touches them: no database work
    try {
      await reportingTransaction((tx) => analyseIn(tx, active, observed, 'optimistic'));
    } catch (error) {
      if (!(error instanceof EntityCreatedConcurrently)) throw error;
      // Rare: another replica (or the sweep) created one of the batch's new entities meanwhile. Nothing of the
      // first attempt was kept; this one takes every row first, so it cannot be overtaken again.
      hooks.analysisRetried();
      await reportingTransaction((tx) => analyseIn(tx, active, observed, 'locking'));
    }
  }

  /**
   * The durable path: analyses, in id (arrival) order, every stored event above the persisted watermark that no
   * transaction has claimed yet — events whose analysis was lost (the process died after the ingest commit) or
   * failed — then advances the watermark. Only events received more than SETTLE_MS ago are considered (their
   * ingest transaction has committed and their incremental analysis had its chance). One page per transaction,
   * under the sweep's advisory lock; at most MAX_PAGES pages per sweep (the next sweep continues).
   */
  /** Retention: per-entity memory idle past its contract's forget_after (memory of removed contracts: the default). */
  async function forget(report: SweepReport): Promise<void> {
    const active = await deps.contracts.get();
    await db.transaction(async (tx) => {
      if (!(await repository.tryLock(tx, SWEEP_LOCK))) return;
      for (const contract of active.contracts) report.forgotten += await repository.forgetIdle(tx, contract.name, [], contract.forget_after_ms, FORGET_BATCH);
      report.forgotten += await repository.forgetIdle(tx, null, active.contracts.map((contract) => contract.name), DEFAULT_FORGET_AFTER_MS, FORGET_BATCH);
    });
  }

  async function catchUp(report: SweepReport): Promise<void> {
    const before = uuidFloor(Date.now() - SETTLE_MS);
    for (let page = 0; page < MAX_PAGES; page += 1) {
      // Read outside the transaction: on PGlite (one connection) a read of the contracts inside it would wait for it.
      const active = await deps.contracts.get();
      const more = await reportingTransaction(async (tx) => {
        if (!(await repository.tryLock(tx, SWEEP_LOCK))) {
          report.skipped = true;
          return false;
        }
        const checkpoint = await repository.lockCheckpoint(tx);
        const rows = await repository.eventsAfter(tx, checkpoint, before, CATCH_UP_PAGE);
        if (rows.length === 0) return false;
        const pending = rows.filter((row) => !row.analyzed && active.contracts.some((contract) => contract.streams.some((stream) => streamMatches(stream, row))));
        if (pending.length > 0) report.caught_up_events += await analyseIn(tx, active, observeAll(active, await repository.loadEvents(tx, pending.map((row) => row.id))), 'locking');
        await repository.advanceCheckpoint(tx, rows[rows.length - 1]!.id);
        return rows.length === CATCH_UP_PAGE;
      });
      if (!more) return;
    }
  }

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
    async duplicateConflict(conflict: DuplicateConflict): Promise<void> {
      const active = await deps.contracts.get();
      const kind = (await repository.sourceKind(conflict.source_id)) ?? '';
      const now = clock.now();
      const detail = { kind: 'idempotency_conflict', source_id: conflict.source_id, idempotency_key: conflict.idempotency_key, existing_event_id: conflict.existing_event_id };
      await reportingTransaction(async (tx) => {
        let covered = false;
        for (const contract of active.contracts) {
          for (const stream of contract.streams) {
            const matches =
              stream.entity_type === conflict.entity_type && ('id' in stream.source ? stream.source.id === conflict.source_id.toLowerCase() : stream.source.kind === kind);
            if (!matches) continue;
            covered = true;
            await open(tx, {
              ...gapBase(contract, {
                type: 'duplicate',
                severity: stream.severity.duplicate,
                stream,
                rule: streamRule.idempotency(stream.name),
                entity_id: conflict.entity_id,
                cost: contract.costs.duplicate,
                dueInMs: contract.resolve_within_ms,
                now,
              }),
              detail,
            });
          }
        }
        if (!covered) {
          await open(tx, {
            type: 'duplicate',
            severity: 'high',
            contract: null,
            stream: null,
            rule: `idempotency:${conflict.source_id}`,
            entity_type: conflict.entity_type,
            entity_id: conflict.entity_id,
            agent_id: null,
            detected_at: now,
            due_at: null,
            risk_kind: null,
            cost_usd: 0,
            detail,
          });
        }
      });
    },

    /**
     * Time-based rules: streams silent past their SLO and follow-ups past their deadline. One sweeper at a time
     * across replicas (transaction-scoped advisory lock); a replica that finds it taken skips this round.
     */
    async sweep(): Promise<SweepReport> {
      const report: SweepReport = { skipped: false, stale_opened: 0, missing_opened: 0, retried_events: 0, caught_up_events: 0, forgotten: 0 };
      if (retryQueue.length > 0) {
        const events = retryQueue.splice(0, retryQueue.length);
        try {
          await analyseWith(await deps.contracts.get(), events);
          report.retried_events = events.length;
        } catch (error) {
          retryQueue.unshift(...events);
          throw error;
        }
      }
      await catchUp(report);
      const active = await deps.contracts.get();
      const now = clock.now();
      await reportingTransaction(async (tx) => {
        if (!(await repository.tryLock(tx, SWEEP_LOCK))) {
          report.skipped = true;
          return;
        }
        const states = new Map((await repository.streamStates(tx)).map((row) => [`${row.contract}\u0000${row.stream}`, row]));
        for (const contract of active.contracts) {
          for (const stream of contract.streams) {
            const state = states.get(`${contract.name}\u0000${stream.name}`);
            const freshness = freshnessOf(stream, state?.last_event_at ?? null, active.activated_at, now);
            if (!isStale(freshness, now)) {
              // Normally the stream's next event closed its stale gap already; this also closes one that a sweep
              // opened while that event was being analysed on another replica.
              if (freshness.status === 'within_slo') {
                resolved(
                  tx,
                  await repository.autoResolve(tx, { type: 'stale', contract: contract.name, rule: streamRule.stale(stream.name), entity_id: null }, now, {
                    resumed_at: state?.last_event_at?.toISOString() ?? null,
                  }),
                );
              }
              continue;
            }
            const result = await open(tx, {
              ...gapBase(contract, {
                type: 'stale',
                severity: stream.severity.stale,
                stream,
                rule: streamRule.stale(stream.name),
                entity_id: null,
                cost: contract.costs.stale,
                dueInMs: contract.resolve_within_ms,
                now,
              }),
              detail: {
                last_event_at: state?.last_event_at?.toISOString() ?? null,
                slo_seconds: stream.freshness_ms / 1000,
                stale_since: freshness.stale_at.toISOString(),
                no_data: freshness.status === 'no_data',
              },
            });
            if (result.opened) report.stale_opened += 1;
          }
        }
        for (const pending of await repository.dueFollowUps(tx, now, SWEEP_BATCH)) {
          const contract = ownerOf(active, pending.contract);
          const rule = contract?.follow_ups.find((candidate) => candidate.name === pending.rule);
          if (!contract || !rule) {
            await repository.retireFollowUp(tx, pending.id, now);
            continue;
          }
          const stream = contract.streams.find((candidate) => candidate.name === rule.then.stream);
          const result = await open(tx, {
            ...gapBase(contract, { type: 'missing_record', severity: rule.severity, stream, rule: rule.name, entity_id: pending.key, cost: rule.cost, dueInMs: 0, now }),
            due_at: pending.due_at,
            detail: {
              trigger_event_id: pending.trigger_event_id,
              trigger_event_type: rule.when.event_type,
              expected_event_type: rule.then.event_type,
              expected_stream: rule.then.stream,
              deadline: (rule.warn_before_ms > 0 ? pending.due_at : pending.open_at).toISOString(),
            },
          });
          await repository.linkFollowUpGap(tx, pending.id, result.id);
          if (result.opened) report.missing_opened += 1;
        }
      });
      if (!report.skipped) await forget(report);
      return report;
    },

    pendingRetries: () => retryQueue.length,
  };
}

export type SyncEngine = ReturnType<typeof createSyncEngine>;
