import { describe, expect, it } from 'vitest';
import {
  agreementOutcome,
  followUpTiming,
  freshnessOf,
  isStale,
  keyOf,
  observe,
  parseTimestamp,
  stepAgreement,
  stepOrder,
  stepUnique,
  type AnalyzedEvent,
} from './analyzer.js';
import { validateContractDocument, type CompiledContract } from './contract.js';

const OWNER = '0190c0de-aaaa-7000-8000-000000000001';
const AT = new Date('2026-06-01T10:00:00.000Z');

function compile(document: unknown): CompiledContract[] {
  const result = validateContractDocument(document);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.contracts;
}

function event(values: Partial<AnalyzedEvent>): AnalyzedEvent {
  return {
    id: 'e1',
    source_id: '0190c0de-0000-7000-8000-000000000001',
    source_kind: 'hubspot',
    event_type: 'deal.propertyChange',
    entity_type: 'deal',
    entity_id: '42',
    occurred_at: AT,
    received_at: AT,
    sequence: null,
    correlation_id: null,
    payload: {},
    ...values,
  };
}

const contracts = compile({
  contracts: [
    {
      name: 'c',
      owner: OWNER,
      streams: [
        { name: 'deals', source: 'hubspot', entity_type: 'deal', freshness: '10m', unique_event_types: ['deal.creation'] },
        { name: 'opps', source: '0190c0de-0000-7000-8000-0000000000aa', entity_type: 'opportunity', freshness: '10m' },
      ],
      follow_ups: [{ name: 'f', when: { stream: 'deals', event_type: 'deal.creation' }, then: { stream: 'opps', event_type: 'opportunity.created', key: '$.deal_id' }, within: '1h' }],
      lifecycles: [{ name: 'l', stream: 'opps', order: ['opportunity.created', 'opportunity.won'] }],
      agreements: [
        {
          name: 'amount',
          left: { stream: 'deals', field: '$.propertyValue', key: 'entity_id', where: [{ path: '$.propertyName', equals: 'amount' }] },
          right: { stream: 'opps', field: '$.Amount', key: '$.deal_id' },
        },
      ],
    },
  ],
});

describe('observe', () => {
  it('matches streams by source kind or id and entity type, and yields each touched rule', () => {
    const amount = observe(contracts, event({ sequence: 7, payload: { propertyName: 'amount', propertyValue: '100' } }));
    expect(amount.map((o) => o.kind)).toEqual(['stream', 'sequence', 'agreement']);
    expect(amount[2]).toMatchObject({ side: 'left', key: '42', value: '100' });
    // Another property of the same deal is not the agreed field.
    expect(observe(contracts, event({ payload: { propertyName: 'dealname', propertyValue: 'X' } })).map((o) => o.kind)).toEqual(['stream']);
    expect(observe(contracts, event({ event_type: 'deal.creation' })).map((o) => o.kind)).toEqual(['stream', 'unique', 'trigger']);
    const opportunity = event({
      source_id: '0190C0DE-0000-7000-8000-0000000000AA',
      source_kind: 'salesforce',
      entity_type: 'opportunity',
      event_type: 'opportunity.created',
      payload: { deal_id: 42, Amount: 100 },
    });
    expect(observe(contracts, opportunity).map((o) => o.kind)).toEqual(['stream', 'lifecycle', 'follow_up', 'agreement']);
    expect(observe(contracts, { ...opportunity, source_id: '0190c0de-0000-7000-8000-0000000000ab' })).toEqual([]);
    expect(observe(contracts, event({ entity_type: 'contact' }))).toEqual([]);
  });
});

describe('keys and timestamps', () => {
  it('reads keys as text, and nothing from non-scalars or empty strings', () => {
    expect(keyOf({ kind: 'entity_id' }, event({}))).toBe('42');
    expect(keyOf({ kind: 'correlation_id' }, event({}))).toBeNull();
    expect(keyOf({ kind: 'path', path: ['a'], text: '$.a' }, event({ payload: { a: 12 } }))).toBe('12');
    expect(keyOf({ kind: 'path', path: ['a'], text: '$.a' }, event({ payload: { a: { b: 1 } } }))).toBeNull();
    expect(keyOf({ kind: 'path', path: ['a'], text: '$.a' }, event({ payload: { a: '' } }))).toBeNull();
  });

  it('parses ISO text and epoch seconds or milliseconds', () => {
    expect(parseTimestamp('2026-06-01T12:00:00Z')?.toISOString()).toBe('2026-06-01T12:00:00.000Z');
    expect(parseTimestamp(1_780_315_200)?.toISOString()).toBe('2026-06-01T12:00:00.000Z');
    expect(parseTimestamp(1_780_315_200_000)?.toISOString()).toBe('2026-06-01T12:00:00.000Z');
    expect(parseTimestamp('1780315200')?.toISOString()).toBe('2026-06-01T12:00:00.000Z');
    for (const bad of ['tomorrow', '', null, {}, '2026-13-45T00:00:00Z']) expect(parseTimestamp(bad)).toBeNull();
  });

  it('times follow-ups from the trigger’s arrival, or from a payload deadline with an early warning', () => {
    const [contract] = compile({
      contracts: [
        {
          name: 'c',
          owner: OWNER,
          resolve_within: '30m',
          streams: [{ name: 's', source: 'n8n', entity_type: 't', freshness: '1h' }],
          follow_ups: [
            { name: 'within', when: { stream: 's', event_type: 'a' }, then: { stream: 's', event_type: 'b' }, within: '2h' },
            { name: 'deadline', when: { stream: 's', event_type: 'a' }, then: { stream: 's', event_type: 'b' }, deadline: '$.sla', warn_before: '1h' },
          ],
        },
      ],
    });
    const [within, deadline] = contract!.follow_ups;
    expect(followUpTiming(within!, { received_at: AT, payload: {} })).toEqual({
      deadline: new Date('2026-06-01T12:00:00.000Z'),
      open_at: new Date('2026-06-01T12:00:00.000Z'),
      due_at: new Date('2026-06-01T12:30:00.000Z'),
    });
    expect(followUpTiming(deadline!, { received_at: AT, payload: { sla: '2026-06-01T18:00:00Z' } })).toEqual({
      deadline: new Date('2026-06-01T18:00:00.000Z'),
      open_at: new Date('2026-06-01T17:00:00.000Z'),
      due_at: new Date('2026-06-01T18:00:00.000Z'),
    });
    expect(followUpTiming(deadline!, { received_at: AT, payload: { sla: 'soon' } })).toBeNull();
  });
});

describe('per-entity memory', () => {
  it('orders sequences and stages in arrival order', () => {
    const first = stepOrder(undefined, 1, 'a');
    expect(first.outcome).toBe('first');
    const third = stepOrder(first.state, 3, 'c');
    expect(third).toEqual({ state: { max: 3, event_id: 'c' }, outcome: 'forward' });
    expect(stepOrder(third.state, 2, 'b')).toEqual({ state: third.state, outcome: 'backwards' });
    expect(stepOrder(third.state, 3, 'c').outcome).toBe('same');
    expect(stepOrder(third.state, 3, 'd').outcome).toBe('same');
    expect(stepOrder(third.state, 4, 'e', 'won')).toEqual({ state: { max: 4, event_id: 'e', event_type: 'won' }, outcome: 'forward' });
  });

  it('remembers the first event of a unique type', () => {
    const first = stepUnique(undefined, 'a');
    expect(first.duplicate).toBe(false);
    expect(stepUnique(first.state, 'a').duplicate).toBe(false);
    expect(stepUnique(first.state, 'b')).toEqual({ state: { event_id: 'a' }, duplicate: true });
  });

  it('keeps the newest value of each side and compares numbers with the tolerance', () => {
    let state = stepAgreement(undefined, 'left', '100.00', AT, 'l1');
    expect(agreementOutcome(state, null)).toBeUndefined();
    state = stepAgreement(state, 'right', 100.3, AT, 'r1');
    expect(agreementOutcome(state, null)).toBe('disagree');
    expect(agreementOutcome(state, 0.5)).toBe('agree');
    const older = stepAgreement(state, 'right', 999, new Date(AT.getTime() - 1000), 'r0');
    expect(older).toBe(state);
    state = stepAgreement(state, 'right', '100', new Date(AT.getTime() + 1000), 'r2');
    expect(agreementOutcome(state, null)).toBe('agree');
    expect(agreementOutcome({ left: { value: 'EUR', occurred_at: '', event_id: '' }, right: { value: 'eur', occurred_at: '', event_id: '' } }, 10)).toBe('disagree');
    expect(agreementOutcome({ left: { value: 0.1 + 0.2, occurred_at: '', event_id: '' }, right: { value: 0.3, occurred_at: '', event_id: '' } }, null)).toBe('agree');
  });
});

describe('freshness', () => {
  const stream = { freshness_ms: 600_000 };
  it('is within the SLO until the stream has been silent longer than it', () => {
    const last = new Date('2026-06-01T09:55:00.000Z');
    expect(freshnessOf(stream, last, AT, AT)).toEqual({ status: 'within_slo', lag_seconds: 300, stale_at: new Date('2026-06-01T10:05:00.000Z') });
    const later = new Date('2026-06-01T10:05:00.001Z');
    expect(freshnessOf(stream, last, AT, later).status).toBe('stale');
    expect(isStale(freshnessOf(stream, last, AT, later), later)).toBe(true);
  });

  it('is no_data without events, stale once the SLO has passed since activation', () => {
    const result = freshnessOf(stream, null, AT, AT);
    expect(result).toEqual({ status: 'no_data', lag_seconds: null, stale_at: new Date('2026-06-01T10:10:00.000Z') });
    expect(isStale(result, new Date('2026-06-01T10:10:00.000Z'))).toBe(false);
    expect(isStale(result, new Date('2026-06-01T10:10:01.000Z'))).toBe(true);
  });
});
