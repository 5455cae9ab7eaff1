/**
 * Batch locking: the entity-state rows one analysing transaction reads and writes, taken together in one global
 * order (so that concurrent batches queue instead of deadlocking), changed in memory, and written together.
 */
import type { Queryable } from '../../platform/db/index.js';
import type { Observation } from './analyzer.js';
import type { GapType } from './contract-schema.js';
import { entityKey, type EntityRef, type EntityStateRepository } from './entity-state.repository.js';
import type { AwaitedFollowUp, FollowUpsRepository } from './follow-ups.repository.js';
import { gapKey, type GapsRepository } from './gaps.repository.js';
import { followUpSeenRule, streamRule } from './rule-names.js';

/**
 * The entity states of one analysing transaction: locked and read together before the batch is applied, changed in
 * memory as its observations are applied in order (a later observation of the same entity sees what an earlier one
 * left), and written together at the end. Also knows which of those entities have an open gap of the kinds that
 * close by themselves, so that an in-order event costs no statement at all.
 */
export interface BatchState {
  get<T>(ref: EntityRef): T | undefined;
  set(ref: EntityRef, state: unknown): void;
  hasOpenGap(type: GapType, ref: EntityRef): boolean;
  gapOpened(type: GapType, ref: EntityRef): void;
  gapClosed(type: GapType, ref: EntityRef): void;
  /** Records an awaited follow-up; written with the others of the batch (before any follow-up is matched, and at the end). */
  awaitFollowUp(row: AwaitedFollowUp): void;
  flushFollowUps(): Promise<void>;
}

/** Gap kinds the analyzer closes on its own while applying observations (per entity, under the entity's lock). */
const SELF_CLOSING_GAPS: GapType[] = ['out_of_order', 'field_drift'];

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
export type LockMode = 'optimistic' | 'locking';

/** The entity-state row an observation reads and may change (none for a stream observation). */
export function entityOf(observation: Observation): EntityRef | undefined {
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
      return { contract: observation.rule.contract, rule: followUpSeenRule(observation.rule.name), key: observation.key };
    case 'agreement':
      return { contract: observation.rule.contract, rule: observation.rule.name, key: observation.key };
  }
}

/** Lock order for the rows a batch touches: concurrent batches lock in the same order and cannot deadlock. */
export function lockKey(observation: Observation): string {
  if (observation.kind === 'stream') return `0|${observation.stream.contract}|${observation.stream.name}`;
  const entity = entityOf(observation)!;
  return `1|${entity.contract}|${entity.rule}|${entity.key}`;
}

export interface BatchRepositories {
  entityStates: Pick<EntityStateRepository, 'lockEntityStates' | 'lockExistingEntityStates' | 'createEntityStates' | 'saveEntityStates'>;
  gaps: Pick<GapsRepository, 'openGapKeys'>;
  followUps: Pick<FollowUpsRepository, 'insertFollowUps'>;
}

/**
 * Locks and reads the entity states of a batch's observations (given in lock order); `save` writes the changed
 * ones. In `optimistic` mode an entity without a row gets none until `save` creates it with its final state, and
 * `save` throws EntityCreatedConcurrently if another transaction created one of those rows in between.
 */
export async function lockBatch(
  repositories: BatchRepositories,
  tx: Queryable,
  observations: Observation[],
  mode: LockMode,
): Promise<{ state: BatchState; save: () => Promise<void> }> {
  const { entityStates, gaps, followUps: followUpsRepository } = repositories;
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
  if (mode === 'optimistic') ({ states, exists } = await entityStates.lockExistingEntityStates(tx, refs));
  else states = await entityStates.lockEntityStates(tx, refs);
  const openGaps = await gaps.openGapKeys(tx, SELF_CLOSING_GAPS, refs);
  /** Positions (in refs, i.e. lock order) of the states this batch changed. */
  const changed = new Set<number>();
  let followUps: AwaitedFollowUp[] = [];
  const flushFollowUps = async () => {
    if (followUps.length === 0) return;
    const rows = followUps;
    followUps = [];
    await followUpsRepository.insertFollowUps(tx, rows);
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
      await entityStates.saveEntityStates(tx, updated);
      if ((await entityStates.createEntityStates(tx, created)) < created.length) throw new EntityCreatedConcurrently();
    },
  };
}
