import { describe, expect, it } from 'vitest';
import { ADAPTERS, DEFAULT_MAPPINGS, applyMapping, type RawDelivery } from '../../modules/ingest/index.js';
import { AGENTS, SOURCES, type AgentKey } from './organisation.js';
import { planScenario, type Scenario } from './scenario.js';
import { signDelivery } from './signing.js';

const NOW = new Date('2026-11-28T10:00:00.000Z');
const AGENT_IDS = Object.fromEntries(AGENTS.map((agent, index) => [agent.key, `0193a5b2-0000-7000-8000-${String(index).padStart(12, '0')}`])) as Record<AgentKey, string>;
const plan = (options: Partial<{ seed: number; run: number; days: number; now: Date }> = {}): Scenario =>
  planScenario({ seed: 42, run: 1, days: 3, now: NOW, agentIds: AGENT_IDS, ...options });

describe('demo scenario plan', () => {
  it('is a function of the seed: the same seed plans the same deliveries, runs and evaluations', () => {
    expect(plan()).toEqual(plan());
    expect(plan({ seed: 7 }).deliveries).not.toEqual(plan().deliveries);
  });

  it('does not depend on the time of day: seed 42 over 3 days always plans 183 events in 175 deliveries', () => {
    for (const now of [NOW, new Date('2026-03-01T23:59:59.000Z'), new Date('2027-07-15T04:30:00.000Z')]) {
      const scenario = plan({ now });
      expect(scenario.deliveries).toHaveLength(175);
      expect(scenario.deliveries.filter((delivery) => delivery.expect === 'new').reduce((sum, delivery) => sum + delivery.events, 0)).toBe(183);
      expect(scenario.runs).toHaveLength(562);
      expect(scenario.evaluations).toHaveLength(105);
    }
  });

  it('plans one example of each deliberate anomaly', () => {
    const { anomalies, deliveries } = plan();
    expect(anomalies.lateOrder).toMatch(/^ORD-\d+$/);
    expect(anomalies.lateTicket).toMatch(/^TCK-\d+$/);
    expect(anomalies.outOfOrderIncident).toMatch(/^[0-9a-f]{32}$/);
    expect(anomalies.conflictingOrder).toMatch(/^ORD-\d+$/);
    expect(anomalies.retriedOrder).toMatch(/^ORD-\d+$/);
    expect(anomalies.driftingDeal).toMatch(/^\d+$/);
    expect(anomalies.missingOrders.length + anomalies.missingTickets.length).toBeGreaterThan(0);
    expect(deliveries.filter((delivery) => delivery.phase === 'late').map((delivery) => delivery.closes?.entity)).toEqual([
      anomalies.lateOrder,
      anomalies.lateTicket,
    ]);
    expect(deliveries.filter((delivery) => delivery.expect === 'conflict')).toHaveLength(1);
    expect(deliveries.filter((delivery) => delivery.expect === 'duplicate')).toHaveLength(1);
    // Nothing happens in the future; Dataverse events stay inside its 24 h replay window.
    expect(Math.max(...deliveries.map((delivery) => delivery.at))).toBeLessThanOrEqual(NOW.getTime());
    for (const delivery of deliveries.filter((item) => item.kind === 'dynamics365')) expect(NOW.getTime() - delivery.at).toBeLessThan(86_400_000);
  });

  it('keeps the message ids and entity ids of a second run apart from the first', () => {
    const first = plan();
    const second = plan({ run: 2 });
    const firstIds = new Set(first.deliveries.map((delivery) => delivery.messageId));
    expect(second.deliveries.some((delivery) => firstIds.has(delivery.messageId))).toBe(false);
    expect(second.anomalies.lateOrder).toBe(`${first.anomalies.lateOrder}-R2`);
    expect(new Set(second.runs.map((run) => run.id)).size).toBe(second.runs.length);
    expect(second.runs.some((run) => first.runs.some((other) => other.id === run.id))).toBe(false);
  });
});

describe('demo signing', () => {
  // The product's own adapters verify and parse what the demo signs: the demo goes through the real checks.
  it('every planned delivery verifies with its kind adapter and maps to a canonical event', () => {
    const secrets: Record<string, string> = {
      zapier: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      n8n: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      make: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      sap: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      hubspot: 'hubspot-client-secret-0123456789',
      salesforce: 'salesforce-token-0123456789abcdef',
      servicenow: 'servicenow-shared-secret-012345',
      oracle_erp: 'oracle-shared-secret-0123456789',
      dynamics365: 'dynamics-webhook-key-0123456789',
    };
    const base = 'http://127.0.0.1:3000';
    const kinds = new Set<string>();
    for (const delivery of plan().deliveries) {
      const definition = SOURCES.find((source) => source.kind === delivery.kind)!;
      const path = '/api/v1/ingest/0193a5b2-0000-7000-8000-000000000001';
      const signed = signDelivery({ kind: delivery.kind, secret: secrets[delivery.kind]!, path, body: delivery.body, now: NOW, messageId: delivery.messageId, publicBaseUrl: base });
      const raw: RawDelivery = { method: 'POST', url: signed.path, headers: { host: '127.0.0.1:3000', ...signed.headers }, body: Buffer.from(signed.body) };
      const options = { ...(definition.signing?.options ?? {}), ...(delivery.kind === 'hubspot' ? { public_base_url: base } : {}) };
      const adapter = ADAPTERS[delivery.kind];
      expect(adapter.verify(raw, { secrets: [secrets[delivery.kind]!], toleranceSeconds: definition.signing?.tolerance_seconds ?? 300, options }, NOW), delivery.kind).toEqual({ ok: true });
      const events = adapter.parse(raw);
      expect(events).toHaveLength(delivery.events);
      for (const event of events) {
        const canonical = applyMapping(event, DEFAULT_MAPPINGS[delivery.kind]);
        expect(canonical.entity_id).not.toBe('');
        expect(Date.parse(canonical.occurred_at)).toBeLessThanOrEqual(NOW.getTime());
      }
      kinds.add(delivery.kind);
    }
    expect(kinds.size).toBe(9);
  });

  it('a delivery signed with another secret does not verify', () => {
    const delivery = plan().deliveries.find((item) => item.kind === 'servicenow')!;
    const signed = signDelivery({ kind: 'servicenow', secret: 'the-wrong-secret-0123456789', path: '/x', body: delivery.body, now: NOW, messageId: 'm', publicBaseUrl: '' });
    const raw: RawDelivery = { method: 'POST', url: signed.path, headers: signed.headers, body: Buffer.from(signed.body) };
    expect(ADAPTERS.servicenow.verify(raw, { secrets: ['servicenow-shared-secret-012345'], toleranceSeconds: 300, options: {} }, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });
});
