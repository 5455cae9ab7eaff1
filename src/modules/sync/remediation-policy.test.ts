import { describe, expect, it } from 'vitest';
import { validateContractDocument } from './contract.js';
import { receiversOf, remediationFor } from './remediation-policy.js';

const OWNER = '0190c0de-aaaa-7000-8000-000000000001';

function document(contract: Record<string, unknown>) {
  return {
    contracts: [
      {
        name: 'shop',
        owner: OWNER,
        resolve_within: '2h',
        streams: [{ name: 'orders', source: 'generic', entity_type: 'order', freshness: '1h' }],
        follow_ups: [{ name: 'fulfil', when: { stream: 'orders', event_type: 'order.created' }, then: { stream: 'orders', event_type: 'order.fulfilled' }, within: '30m', resolve_within: '45m' }],
        ...contract,
      },
    ],
  };
}

function compiled(contract: Record<string, unknown>) {
  const result = validateContractDocument(document(contract));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.contracts[0]!;
}

describe('remediation policy', () => {
  it('gives a rule its own steps, with defaults filled in (verify_within: the rule’s resolve_within)', () => {
    const contract = compiled({
      follow_ups: [
        {
          name: 'fulfil',
          when: { stream: 'orders', event_type: 'order.created' },
          then: { stream: 'orders', event_type: 'order.fulfilled' },
          within: '30m',
          resolve_within: '45m',
          remediation: [{ action: 'resync_request', receiver: 'shop-resync' }, { action: 'open_incident', after: '1h', verify_within: '10m', max_attempts: 2 }],
        },
      ],
    });
    expect(remediationFor(contract, { type: 'missing_record', rule: 'fulfil', stream: 'orders' })).toEqual([
      { action: 'resync_request', position: 0, receiver: 'shop-resync', after_ms: 0, verify_within_ms: 45 * 60_000, max_attempts: 3, enabled: true },
      { action: 'open_incident', position: 1, receiver: null, after_ms: 3_600_000, verify_within_ms: 600_000, max_attempts: 2, enabled: true },
    ]);
  });

  it('falls back to the contract’s policy for the gap type, and a rule’s [] turns it off', () => {
    const contract = compiled({
      remediation: { missing_record: [{ action: 'notify', receiver: 'ops', enabled: false }], stale: [{ action: 'suspend_agent' }] },
    });
    expect(remediationFor(contract, { type: 'missing_record', rule: 'fulfil', stream: 'orders' })).toEqual([
      // The contract default for a follow-up's gap takes the follow-up's resolve_within (45m), not the contract's (2h).
      { action: 'notify', position: 0, receiver: 'ops', after_ms: 0, verify_within_ms: 45 * 60_000, max_attempts: 1, enabled: false },
    ]);
    expect(remediationFor(contract, { type: 'stale', rule: 'stream:orders', stream: 'orders' })).toEqual([
      { action: 'suspend_agent', position: 0, receiver: null, after_ms: 0, verify_within_ms: 7_200_000, max_attempts: 1, enabled: true },
    ]);
    expect(remediationFor(contract, { type: 'duplicate', rule: 'unique:orders:order.created', stream: 'orders' })).toEqual([]);

    const off = compiled({
      remediation: { stale: [{ action: 'suspend_agent' }] },
      streams: [{ name: 'orders', source: 'generic', entity_type: 'order', freshness: '1h', remediation: [] }],
    });
    expect(remediationFor(off, { type: 'stale', rule: 'stream:orders', stream: 'orders' })).toEqual([]);
  });

  it('refuses steps that cannot work, naming the path', () => {
    const result = validateContractDocument(
      document({
        remediation: {
          missing_record: [{ action: 'resync_request' }, { action: 'quarantine_agent', receiver: 'ops' }, { action: 'notify', receiver: 'ops' }, { action: 'notify', receiver: 'ops' }],
          stale: [{ action: 'notify', receiver: 'ops', verify_within: '500ms' }],
        },
      }),
      '/body',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      { path: '/body/contracts/0/remediation/missing_record/0/receiver', message: 'resync_request needs a receiver: the name of the receiver to call' },
      { path: '/body/contracts/0/remediation/missing_record/1/receiver', message: 'quarantine_agent acts on the owner agent and takes no receiver' },
      { path: '/body/contracts/0/remediation/missing_record/3/action', message: 'notify to ops is listed twice' },
      { path: '/body/contracts/0/remediation/stale/0/verify_within', message: 'must be at least 1s' },
    ]);
  });

  it('refuses an unknown action or field through the schema, naming the path', () => {
    const result = validateContractDocument(document({ remediation: { stale: [{ action: 'reboot', receiver: 'ops' }] } }), '/body');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]!.path).toBe('/body/contracts/0/remediation/stale/0/action');
    const extra = validateContractDocument(document({ remediation: { stale: [{ action: 'notify', receiver: 'ops', retries: 2 }] } }), '/body');
    expect(extra.ok).toBe(false);
    if (extra.ok) return;
    expect(extra.errors[0]!.path).toMatch(/^\/body\/contracts\/0\/remediation\/stale\/0/);
  });

  it('lists the receivers a document names, each at its first mention', () => {
    const input = document({
      remediation: { stale: [{ action: 'notify', receiver: 'ops' }] },
      streams: [{ name: 'orders', source: 'generic', entity_type: 'order', freshness: '1h', remediation: [{ action: 'resync_request', receiver: 'shop-resync' }, { action: 'notify', receiver: 'ops' }] }],
    });
    expect(receiversOf(input as never)).toEqual([
      { name: 'ops', path: '/contracts/0/remediation/stale/0/receiver' },
      { name: 'shop-resync', path: '/contracts/0/streams/0/remediation/0/receiver' },
    ]);
  });
});
