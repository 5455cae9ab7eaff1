import { describe, expect, it } from 'vitest';
import type { GapRecord } from './remediation.repository.js';
import { resyncRequestBody } from './resync-request.js';

function gap(overrides: Partial<GapRecord>): GapRecord {
  return {
    id: '0190c0de-0000-7000-8000-0000000000aa',
    type: 'missing_record',
    severity: 'high',
    contract: 'shop',
    stream: 'orders',
    rule: 'fulfil',
    entity_type: 'order',
    entity_id: 'O-1',
    agent_id: '0190c0de-0000-7000-8000-0000000000bb',
    detected_at: new Date('2026-09-01T08:20:01.000Z'),
    due_at: new Date('2026-09-01T08:30:00.000Z'),
    resolved_at: null,
    resolution: null,
    detail: {},
    ...overrides,
  };
}

const body = (record: GapRecord) =>
  resyncRequestBody({ remediationId: 'r-1', attempt: 2, maxAttempts: 3, gap: record, statusUrl: 'http://orca/api/v1/remediations/r-1', correlationId: 'remediation-r-1' });

describe('resyncRequestBody', () => {
  it('says which follow-up event is missing for a missing_record gap, and numbers the attempt in its id', () => {
    const sent = body(
      gap({ detail: { trigger_event_id: 'e-1', trigger_event_type: 'order.created', expected_event_type: 'order.fulfilled', expected_stream: 'orders', deadline: '2026-09-01T08:30:00.000Z' } }),
    );
    expect(sent).toMatchObject({ id: 'r-1_2', attempt: 2, max_attempts: 3, entity: { type: 'order', id: 'O-1' } });
    expect(sent.missing).toEqual({ event_type: 'order.fulfilled', stream: 'orders', key: 'O-1', deadline: '2026-09-01T08:30:00.000Z', after_event: { id: 'e-1', type: 'order.created' } });
    expect(sent.disagreement).toBeUndefined();
  });

  it('asks for a silent stream’s events since the last one; a stale gap has no entity', () => {
    const sent = body(gap({ type: 'stale', rule: 'stream:orders', entity_id: null, detail: { last_event_at: '2026-09-01T07:00:00.000Z', slo_seconds: 3600, stale_since: '2026-09-01T08:00:00.000Z' } }));
    expect(sent.entity).toBeNull();
    expect(sent.missing).toEqual({ stream: 'orders', entity_type: 'order', events_since: '2026-09-01T07:00:00.000Z', slo_seconds: 3600 });
  });

  it('sends both sides of a field_drift as the disagreement', () => {
    const detail = { left: { stream: 'deals', field: '$.amount', value: 100, event_id: 'e-l' }, right: { stream: 'opps', field: '$.Amount', value: 90, event_id: 'e-r' }, tolerance: null };
    const sent = body(gap({ type: 'field_drift', rule: 'amounts', detail }));
    expect(sent.disagreement).toEqual(detail);
    expect(sent.missing).toBeUndefined();
    // Every value the receiver sees is JSON: no Date objects, no undefined.
    expect(JSON.parse(JSON.stringify(sent))).toEqual(sent);
  });
});
