/**
 * The pure core of the sync analyzer: which rules an event touches (observe), how each rule's per-entity memory
 * moves (step functions), and the time-based judgements (freshness, follow-up deadlines). No I/O, no clock:
 * the shell (sync.engine.ts) loads state, calls these, and writes state and gaps in one transaction.
 */
import type { StoredEvent } from '../ingest/index.js';
import type {
  CompiledAgreement,
  CompiledContract,
  CompiledFollowUp,
  CompiledLifecycle,
  CompiledStream,
  KeySelector,
} from './contract.js';
import { readJsonPath, type PathSegment } from '../../platform/json-path.js';

export type AnalyzedEvent = Pick<
  StoredEvent,
  'id' | 'source_id' | 'source_kind' | 'event_type' | 'entity_type' | 'entity_id' | 'occurred_at' | 'received_at' | 'sequence' | 'correlation_id' | 'payload'
>;

export type Observation =
  | { kind: 'stream'; stream: CompiledStream; received_at: Date; occurred_at: Date }
  | { kind: 'sequence'; stream: CompiledStream; entity: string; sequence: number; event_id: string }
  | { kind: 'unique'; stream: CompiledStream; entity: string; event_type: string; event_id: string }
  | { kind: 'lifecycle'; rule: CompiledLifecycle; stream: CompiledStream; entity: string; rank: number; event_type: string; event_id: string }
  | { kind: 'trigger'; rule: CompiledFollowUp; key: string; event_id: string; event_type: string; timing: FollowUpTiming | null }
  | { kind: 'follow_up'; rule: CompiledFollowUp; key: string; event_id: string; at: Date }
  | { kind: 'agreement'; rule: CompiledAgreement; side: 'left' | 'right'; key: string; value: AgreedValue; occurred_at: Date; event_id: string };

/** A field value compared across systems: numbers compare with the tolerance, anything else as exact text. */
export type AgreedValue = number | string | boolean | null;

export function streamMatches(stream: CompiledStream, event: Pick<AnalyzedEvent, 'source_id' | 'source_kind' | 'entity_type'>): boolean {
  if (stream.entity_type !== event.entity_type) return false;
  return 'id' in stream.source ? stream.source.id === event.source_id.toLowerCase() : stream.source.kind === event.source_kind;
}

/** The key an event carries under a selector, as text; null when absent or not a scalar. */
export function keyOf(selector: KeySelector, event: Pick<AnalyzedEvent, 'entity_id' | 'correlation_id' | 'payload'>): string | null {
  const value =
    selector.kind === 'entity_id' ? event.entity_id : selector.kind === 'correlation_id' ? event.correlation_id : readJsonPath(event.payload, selector.path);
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** Timestamps in payloads: ISO 8601 text, or epoch seconds / milliseconds as numbers (or digit strings). */
export function parseTimestamp(value: unknown): Date | null {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value > 1e11 ? value : value * 1000);
  if (typeof value !== 'string' || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return parseTimestamp(Number(value));
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export interface FollowUpTiming {
  /** When the follow-up is due (the deadline), */
  deadline: Date;
  /** when the missing_record gap opens (the deadline, or `warn_before` earlier), */
  open_at: Date;
  /** and by when the gap must be closed to avoid impact (its due_at). */
  due_at: Date;
}

/**
 * `within` counts from when ORCA received the trigger (producer clock skew and replayed backlogs do not open gaps
 * at once); `deadline` is absolute, read from the trigger payload. With `warn_before`, the gap opens that much
 * before the deadline and is due at the deadline (it can still be avoided); otherwise it opens at the deadline and
 * is due `resolve_within` later.
 */
export function followUpTiming(rule: CompiledFollowUp, trigger: Pick<AnalyzedEvent, 'received_at' | 'payload'>): FollowUpTiming | null {
  let deadline: Date | null;
  if (rule.within_ms !== null) deadline = new Date(trigger.received_at.getTime() + rule.within_ms);
  else deadline = rule.deadline ? parseTimestamp(readJsonPath(trigger.payload, rule.deadline.path)) : null;
  if (!deadline) return null;
  if (rule.warn_before_ms > 0) return { deadline, open_at: new Date(deadline.getTime() - rule.warn_before_ms), due_at: deadline };
  return { deadline, open_at: deadline, due_at: new Date(deadline.getTime() + rule.resolve_within_ms) };
}

function agreedValue(document: unknown, path: PathSegment[]): AgreedValue | undefined {
  const value = readJsonPath(document, path);
  if (value === undefined) return undefined;
  if (value === null || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return undefined;
}

/** Every rule of the active contracts that this event touches, in contract order. */
export function observe(contracts: readonly CompiledContract[], event: AnalyzedEvent): Observation[] {
  const observations: Observation[] = [];
  for (const contract of contracts) {
    const matching = contract.streams.filter((stream) => streamMatches(stream, event));
    if (matching.length === 0) continue;
    const names = new Set(matching.map((stream) => stream.name));
    for (const stream of matching) {
      observations.push({ kind: 'stream', stream, received_at: event.received_at, occurred_at: event.occurred_at });
      if (stream.check_sequence && event.sequence !== null) {
        observations.push({ kind: 'sequence', stream, entity: event.entity_id, sequence: event.sequence, event_id: event.id });
      }
      if (stream.unique_event_types.includes(event.event_type)) {
        observations.push({ kind: 'unique', stream, entity: event.entity_id, event_type: event.event_type, event_id: event.id });
      }
    }
    const streamNamed = (name: string) => matching.find((stream) => stream.name === name)!;
    for (const rule of contract.lifecycles) {
      if (!names.has(rule.stream)) continue;
      const rank = rule.order.indexOf(event.event_type);
      if (rank < 0) continue;
      observations.push({ kind: 'lifecycle', rule, stream: streamNamed(rule.stream), entity: event.entity_id, rank, event_type: event.event_type, event_id: event.id });
    }
    for (const rule of contract.follow_ups) {
      if (names.has(rule.when.stream) && rule.when.event_type === event.event_type) {
        const key = keyOf(rule.when.key, event);
        if (key !== null) {
          observations.push({ kind: 'trigger', rule, key, event_id: event.id, event_type: event.event_type, timing: followUpTiming(rule, event) });
        }
      }
      if (names.has(rule.then.stream) && rule.then.event_type === event.event_type) {
        const key = keyOf(rule.then.key, event);
        if (key !== null) observations.push({ kind: 'follow_up', rule, key, event_id: event.id, at: event.received_at });
      }
    }
    for (const rule of contract.agreements) {
      for (const side of ['left', 'right'] as const) {
        const spec = rule[side];
        if (!names.has(spec.stream)) continue;
        if (spec.event_types && !spec.event_types.includes(event.event_type)) continue;
        if (!spec.where.every((condition) => readJsonPath(event.payload, condition.path) === condition.equals)) continue;
        const key = keyOf(spec.key, event);
        const value = agreedValue(event.payload, spec.field);
        if (key === null || value === undefined) continue;
        observations.push({ kind: 'agreement', rule, side, key, value, occurred_at: event.occurred_at, event_id: event.id });
      }
    }
  }
  return observations;
}

// ---- per-entity memory -----------------------------------------------------------------------------------------

export type OrderOutcome = 'first' | 'forward' | 'same' | 'backwards';

export interface OrderState {
  /** Highest sequence number, or lifecycle stage index, seen for the entity. */
  max: number;
  event_id: string;
  event_type?: string;
}

/**
 * Sequence numbers and lifecycle stages of one entity, in arrival order. A lower value after a higher one is
 * out of order; a value above the highest seen moves the entity forward (and closes an open out_of_order gap:
 * the newest state has arrived and supersedes the stale one). Re-analysing an event already counted is `same`.
 */
export function stepOrder(state: OrderState | undefined, value: number, eventId: string, eventType?: string): { state: OrderState; outcome: OrderOutcome } {
  const next: OrderState = { max: value, event_id: eventId, ...(eventType !== undefined ? { event_type: eventType } : {}) };
  if (!state) return { state: next, outcome: 'first' };
  if (state.event_id === eventId) return { state, outcome: 'same' };
  if (value > state.max) return { state: next, outcome: 'forward' };
  if (value === state.max) return { state, outcome: 'same' };
  return { state, outcome: 'backwards' };
}

export interface UniqueState {
  event_id: string;
}

/** The first event of a unique type for an entity is remembered; a different event of that type is a duplicate. */
export function stepUnique(state: UniqueState | undefined, eventId: string): { state: UniqueState; duplicate: boolean } {
  if (!state) return { state: { event_id: eventId }, duplicate: false };
  return { state, duplicate: state.event_id !== eventId };
}

export interface SideValue {
  value: AgreedValue;
  occurred_at: string;
  event_id: string;
}

export interface AgreementState {
  left?: SideValue;
  right?: SideValue;
}

/** Keeps each side's most recent value (by occurred_at), so a late, older event never overwrites a newer value. */
export function stepAgreement(state: AgreementState | undefined, side: 'left' | 'right', value: AgreedValue, occurredAt: Date, eventId: string): AgreementState {
  const current = state?.[side];
  const incoming: SideValue = { value, occurred_at: occurredAt.toISOString(), event_id: eventId };
  if (current && (current.event_id === eventId || new Date(current.occurred_at).getTime() > occurredAt.getTime())) return state ?? {};
  return { ...(state ?? {}), [side]: incoming };
}

function asNumber(value: AgreedValue): number | undefined {
  if (typeof value === 'number') return value;
  // eslint-disable-next-line security/detect-unsafe-regex -- anchored, and no unbounded quantifier is nested in another: linear in the input
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?([eE][+-]?\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

/** undefined while one side is still unknown. Numbers (or numeric text) agree within the tolerance; the rest must be equal. */
export function agreementOutcome(state: AgreementState, tolerance: number | null): 'agree' | 'disagree' | undefined {
  if (!state.left || !state.right) return undefined;
  const left = asNumber(state.left.value);
  const right = asNumber(state.right.value);
  if (left !== undefined && right !== undefined) {
    // A tiny epsilon keeps 0.1 + 0.2 style representation noise from breaking an exact (tolerance 0) agreement.
    return Math.abs(left - right) <= (tolerance ?? 0) + 1e-9 ? 'agree' : 'disagree';
  }
  return state.left.value === state.right.value ? 'agree' : 'disagree';
}

// ---- freshness -------------------------------------------------------------------------------------------------

export type FreshnessStatus = 'within_slo' | 'stale' | 'no_data';

export interface Freshness {
  status: FreshnessStatus;
  lag_seconds: number | null;
  /** When the stream became (or becomes) stale: last event + SLO, or contract activation + SLO without data. */
  stale_at: Date;
}

/**
 * A stream is stale once it has been silent longer than its SLO. A stream that never spoke is `no_data` — and is
 * also treated as stale (a gap opens) once the SLO has passed since its contract was activated.
 */
export function freshnessOf(stream: Pick<CompiledStream, 'freshness_ms'>, lastEventAt: Date | null, activatedAt: Date, now: Date): Freshness {
  if (!lastEventAt) return { status: 'no_data', lag_seconds: null, stale_at: new Date(activatedAt.getTime() + stream.freshness_ms) };
  const lagMs = Math.max(0, now.getTime() - lastEventAt.getTime());
  return {
    status: lagMs > stream.freshness_ms ? 'stale' : 'within_slo',
    lag_seconds: Math.round(lagMs / 10) / 100,
    stale_at: new Date(lastEventAt.getTime() + stream.freshness_ms),
  };
}

/** Whether the sweep should open a stale gap for the stream now. */
export function isStale(freshness: Freshness, now: Date): boolean {
  return freshness.status === 'stale' || (freshness.status === 'no_data' && now.getTime() > freshness.stale_at.getTime());
}
