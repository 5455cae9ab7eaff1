import { describe, expect, it } from 'vitest';
import { ownersOf, validateContractDocument } from './contract.js';

const OWNER = '0190c0de-aaaa-7000-8000-000000000001';

function minimal(overrides: Record<string, unknown> = {}) {
  return { contracts: [{ name: 'c1', owner: OWNER, streams: [{ name: 's1', source: 'zapier', entity_type: 'order', freshness: '15m' }], ...overrides }] };
}

describe('validateContractDocument', () => {
  it('compiles a full contract with defaults filled in', () => {
    const result = validateContractDocument({
      contracts: [
        {
          name: 'revenue',
          owner: OWNER.toUpperCase(),
          resolve_within: '2h',
          costs: { missing_record: { risk_kind: 'ticket_breach', cost_usd: 5000 } },
          streams: [
            { source: 'hubspot', entity_type: 'deal', freshness: '15m', severity: 'high', unique_event_types: ['deal.creation'] },
            { name: 'opps', source: '0190C0DE-0000-7000-8000-000000000004', entity_type: 'opportunity', freshness: '1h', severity: { duplicate: 'critical' }, check_sequence: false },
          ],
          follow_ups: [{ name: 'f', when: { stream: 'hubspot:deal', event_type: 'deal.creation' }, then: { stream: 'opps', event_type: 'opportunity.created', key: 'correlation_id' }, within: '30m' }],
          lifecycles: [{ name: 'l', stream: 'opps', order: ['opened', 'won'] }],
          agreements: [{ name: 'a', left: { stream: 'hubspot:deal', field: '$.amount' }, right: { stream: 'opps', field: "$['Amount']", key: 'entity_id' }, tolerance: 1 }],
        },
      ],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [contract] = result.contracts;
    expect(contract!.owner).toBe(OWNER);
    expect(contract!.resolve_within_ms).toBe(7_200_000);
    expect(contract!.costs.missing_record).toEqual({ risk_kind: 'ticket_breach', cost_usd: 5000 });
    expect(contract!.costs.stale).toEqual({ risk_kind: null, cost_usd: 0 });
    expect(contract!.streams).toEqual([
      {
        contract: 'revenue',
        name: 'hubspot:deal',
        source: { kind: 'hubspot' },
        entity_type: 'deal',
        freshness_ms: 900_000,
        severity: { stale: 'high', out_of_order: 'high', duplicate: 'high' },
        check_sequence: true,
        unique_event_types: ['deal.creation'],
      },
      {
        contract: 'revenue',
        name: 'opps',
        source: { id: '0190c0de-0000-7000-8000-000000000004' },
        entity_type: 'opportunity',
        freshness_ms: 3_600_000,
        severity: { stale: 'medium', out_of_order: 'medium', duplicate: 'critical' },
        check_sequence: false,
        unique_event_types: [],
      },
    ]);
    expect(contract!.follow_ups[0]).toMatchObject({
      when: { stream: 'hubspot:deal', event_type: 'deal.creation', key: { kind: 'entity_id' } },
      then: { stream: 'opps', event_type: 'opportunity.created', key: { kind: 'correlation_id' } },
      within_ms: 1_800_000,
      deadline: null,
      warn_before_ms: 0,
      severity: 'high',
      resolve_within_ms: 7_200_000,
      cost: { risk_kind: 'ticket_breach', cost_usd: 5000 },
    });
    expect(contract!.lifecycles[0]).toMatchObject({ order: ['opened', 'won'], severity: 'medium' });
    expect(contract!.agreements[0]).toMatchObject({
      left: { field: ['amount'], key: { kind: 'correlation_id' }, event_types: null, where: [] },
      right: { field: ['Amount'], key: { kind: 'entity_id' } },
      tolerance: 1,
      severity: 'medium',
    });
  });

  it('reports structural problems with their JSON pointer', () => {
    const result = validateContractDocument(
      { contracts: [{ name: 'c1', owner: 'nope', streams: [{ source: 'zapier', entity_type: 'order', freshness: 'soon' }], extra: 1 }] },
      '/body',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.errors.map((error) => error.path);
    expect(paths).toContain('/body/contracts/0/owner');
    expect(paths).toContain('/body/contracts/0/streams/0/freshness');
    expect(paths).toContain('/body/contracts/0/extra');
  });

  it('reports every semantic problem with its path', () => {
    const result = validateContractDocument({
      contracts: [
        {
          name: 'c1',
          owner: OWNER,
          streams: [
            { name: 's1', source: 'myspace', entity_type: 'order', freshness: '500ms' },
            { name: 's1', source: 'zapier', entity_type: 'order', freshness: '1h' },
          ],
          follow_ups: [
            { name: 'f', when: { stream: 's1', event_type: 'a' }, then: { stream: 'nope', event_type: 'b', key: 'order_id' } },
            { name: 'f', when: { stream: 's1', event_type: 'a' }, then: { stream: 's1', event_type: 'a' }, within: '1h', deadline: '$.due' },
          ],
          agreements: [{ name: 'a', left: { stream: 's1', field: '$' }, right: { stream: 's1', field: '$.x..y' } }],
        },
        { name: 'c1', owner: OWNER, streams: [{ source: 'zapier', entity_type: 'order', freshness: '1h' }] },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      { path: '/contracts/0/streams/0/source', message: expect.stringContaining('source kinds hubspot, salesforce') },
      { path: '/contracts/0/streams/0/freshness', message: 'must be at least 1s' },
      { path: '/contracts/0/streams/1/name', message: 'stream name "s1" is used twice in contract "c1"' },
      { path: '/contracts/0/follow_ups/0/then/stream', message: 'no stream named "nope" in contract "c1" (streams: s1)' },
      { path: '/contracts/0/follow_ups/0/then/key', message: 'must be entity_id, correlation_id or a JSON path such as $.order_id' },
      { path: '/contracts/0/follow_ups/0', message: expect.stringContaining('exactly one of "within"') },
      { path: '/contracts/0/follow_ups/1/name', message: 'rule name "f" is used twice in contract "c1"' },
      { path: '/contracts/0/follow_ups/1', message: expect.stringContaining('exactly one of "within"') },
      { path: '/contracts/0/follow_ups/1/then/event_type', message: 'a follow-up must differ from its trigger' },
      { path: '/contracts/0/agreements/0/left/field', message: 'is not a JSON path to a field, such as $.properties.amount' },
      { path: '/contracts/0/agreements/0/right/field', message: 'is not a JSON path to a field, such as $.properties.amount' },
      { path: '/contracts/1/name', message: 'contract name "c1" is used twice' },
    ]);
  });

  it('accepts an empty document (no contracts) and lists owners once each', () => {
    expect(validateContractDocument({ contracts: [] })).toMatchObject({ ok: true, contracts: [] });
    const result = validateContractDocument(minimal());
    expect(result.ok).toBe(true);
    if (result.ok) expect(ownersOf(result.document)).toEqual([{ id: OWNER, path: '/contracts/0/owner' }]);
  });

  it('rejects non-documents', () => {
    for (const input of [null, 'contracts', [], { contracts: {} }]) expect(validateContractDocument(input).ok).toBe(false);
  });
});
