/**
 * The per-observation analysis: applies one observation's verdict (from the pure core, analyzer.ts) to its entity's
 * state in the batch, and opens or closes the gaps it implies, in the analysing transaction.
 */
import type { Queryable } from '../../platform/db/index.js';
import { newId } from '../../platform/ids.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import { ownerOf, type ActiveContracts } from './active-contracts.js';
import { agreementOutcome, stepAgreement, stepOrder, stepUnique, type AgreementState, type Observation, type OrderState, type UniqueState } from './analyzer.js';
import type { Severity } from './contract-schema.js';
import type { CompiledContract, CompiledStream, RuleCost } from './contract.js';
import type { BatchState } from './entity-batch.js';
import type { FollowUpsRepository } from './follow-ups.repository.js';
import { gapBase, type GapRecorder } from './gap-recorder.js';
import type { GapsRepository } from './gaps.repository.js';
import { followUpSeenRule, streamRule } from './rule-names.js';

/** How an order rule (a stream's sequence, a lifecycle) reports a step back. */
interface OrderGap {
  severity: Severity;
  cost: RuleCost;
  dueInMs: number;
  kind: 'sequence' | 'lifecycle';
}

export function createObservationAnalysis(deps: {
  recorder: GapRecorder;
  gaps: Pick<GapsRepository, 'autoResolve' | 'autoResolveIds' | 'replaceDetail'>;
  followUps: Pick<FollowUpsRepository, 'satisfyFollowUps'>;
  logger: Logger;
}) {
  const { recorder, gaps, followUps, logger } = deps;

  async function applyOrder(
    tx: Queryable,
    contract: CompiledContract,
    stream: CompiledStream,
    rule: string,
    entity: string,
    value: number,
    eventId: string,
    eventType: string,
    gap: OrderGap,
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
      await recorder.open(tx, {
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
      recorder.resolved(tx, await gaps.autoResolve(tx, { type: 'out_of_order', contract: contract.name, rule, entity_id: entity }, now, { resolved_by_event_id: eventId }));
    }
  }

  async function applyUnique(tx: Queryable, active: ActiveContracts, observation: Extract<Observation, { kind: 'unique' }>, now: Date, batch: BatchState): Promise<void> {
    const { stream } = observation;
    const contract = ownerOf(active, stream.contract)!;
    const rule = streamRule.unique(stream.name, observation.event_type);
    const ref = { contract: contract.name, rule, key: observation.entity };
    const state = batch.get<UniqueState>(ref);
    const step = stepUnique(state, observation.event_id);
    if (!state) batch.set(ref, step.state);
    if (!step.duplicate) return;
    await recorder.open(tx, {
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

  function applyTrigger(observation: Extract<Observation, { kind: 'trigger' }>, now: Date, batch: BatchState): void {
    const { rule, timing } = observation;
    if (!timing) {
      logger.warn({ contract: rule.contract, rule: rule.name, event_id: observation.event_id }, 'follow-up trigger without a readable deadline; not awaited');
      return;
    }
    // A follow-up that arrived before its trigger (delivery reordered) already satisfies it.
    const seen = batch.get<{ event_id: string; at: string }>({ contract: rule.contract, rule: followUpSeenRule(rule.name), key: observation.key });
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
  }

  async function applyFollowUp(tx: Queryable, observation: Extract<Observation, { kind: 'follow_up' }>, now: Date, batch: BatchState): Promise<void> {
    const { rule } = observation;
    batch.set({ contract: rule.contract, rule: followUpSeenRule(rule.name), key: observation.key }, {
      event_id: observation.event_id,
      at: observation.at.toISOString(),
    });
    await batch.flushFollowUps(); // a trigger earlier in this batch is awaited like one stored before it
    const gapIds = await followUps.satisfyFollowUps(tx, rule.contract, rule.name, observation.key, observation.event_id, observation.at);
    recorder.resolved(tx, await gaps.autoResolveIds(tx, gapIds, now, { resolved_by_event_id: observation.event_id }));
  }

  async function applyAgreement(tx: Queryable, active: ActiveContracts, observation: Extract<Observation, { kind: 'agreement' }>, now: Date, batch: BatchState): Promise<void> {
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
      const result = await recorder.open(tx, {
        ...gapBase(contract, { type: 'field_drift', severity: rule.severity, stream, rule: rule.name, entity_id: observation.key, cost: rule.cost, dueInMs: rule.resolve_within_ms, now }),
        detail,
      });
      // Keep the open gap's evidence current while the values keep disagreeing.
      if (!result.opened) await gaps.replaceDetail(tx, result.id, detail);
    } else if (outcome === 'agree' && batch.hasOpenGap('field_drift', ref)) {
      batch.gapClosed('field_drift', ref);
      recorder.resolved(tx, await gaps.autoResolve(tx, identity, now, { resolved_by_event_id: observation.event_id, agreed_value: next.left!.value }));
    }
  }

  return {
    /** Applies one observation of a batch, in the batch's (lock) order, under the batch's locks. */
    async apply(tx: Queryable, active: ActiveContracts, observation: Observation, now: Date, batch: BatchState): Promise<void> {
      switch (observation.kind) {
        case 'stream':
          return; // aggregated per batch by the engine
        case 'sequence': {
          const { stream } = observation;
          const contract = ownerOf(active, stream.contract)!;
          return applyOrder(tx, contract, stream, streamRule.sequence(stream.name), observation.entity, observation.sequence, observation.event_id, '', {
            severity: stream.severity.out_of_order,
            cost: contract.costs.out_of_order,
            dueInMs: contract.resolve_within_ms,
            kind: 'sequence',
          }, now, batch);
        }
        case 'lifecycle': {
          const { rule } = observation;
          const contract = ownerOf(active, rule.contract)!;
          return applyOrder(tx, contract, observation.stream, rule.name, observation.entity, observation.rank, observation.event_id, observation.event_type, {
            severity: rule.severity,
            cost: rule.cost,
            dueInMs: rule.resolve_within_ms,
            kind: 'lifecycle',
          }, now, batch);
        }
        case 'unique':
          return applyUnique(tx, active, observation, now, batch);
        case 'trigger':
          return applyTrigger(observation, now, batch);
        case 'follow_up':
          return applyFollowUp(tx, observation, now, batch);
        case 'agreement':
          return applyAgreement(tx, active, observation, now, batch);
      }
    },
  };
}

export type ObservationAnalysis = ReturnType<typeof createObservationAnalysis>;
