import { describe, expect, it } from 'vitest';
import { ApiError, type Schemas } from '../api/client.ts';
import { fingerprintChanges } from './agent.tsx';
import { trustExplanations } from './agent-trust.tsx';
import { healthByReceiver } from './receivers.tsx';
import { reportUrl } from './reports.tsx';
import { signInErrorMessage } from './sign-in.tsx';
import { matchersFor } from './silence-form.tsx';
import { staleRows } from './sync.tsx';

const problem = (status: number, detail: string) =>
  new ApiError(status, { type: 'urn:orca:problem:x', title: 'x', status, detail, instance: '/api/v1/session', correlation_id: 'c' });

describe('sign-in errors', () => {
  it('says the same for every key ORCA refuses, whatever ORCA knows about it', () => {
    expect(signInErrorMessage(problem(401, 'this API key was not accepted'))).toBe('This API key was not accepted.');
    expect(signInErrorMessage(problem(401, 'anything else'))).toBe('This API key was not accepted.');
    expect(signInErrorMessage(problem(403, 'ingest keys only push data in; sign in with a viewer, operator or admin key'))).toBe(
      'ingest keys only push data in; sign in with a viewer, operator or admin key',
    );
    expect(signInErrorMessage(problem(429, 'rate limited'))).toMatch(/^Too many sign-in attempts/);
    expect(signInErrorMessage(new TypeError('Failed to fetch'))).toBe('ORCA could not be reached.');
  });
});

describe('silences from an alert', () => {
  it('matches every label exactly, alertname first, values quoted so that any character survives', () => {
    expect(matchersFor({ labels: { severity: 'high', alertname: 'GapOpened', contract: 'a"b\\c', 'bad-name': 'x' } })).toEqual([
      'alertname="GapOpened"',
      'contract="a\\"b\\\\c"',
      'severity="high"',
    ]);
  });
});

describe('agent history', () => {
  const event = (id: string, at: string, fingerprint: string | null) =>
    ({ id, at, fingerprint, agent_id: 'a', action: 'x', from_status: null, to_status: 'active', reason: null, actor: 'k', correlation_id: null }) as Schemas['AgentEvent'];

  it('marks the entries whose fingerprint differs from the one before', () => {
    const changes = fingerprintChanges([event('3', '2026-01-03T00:00:00Z', 'bbb'), event('1', '2026-01-01T00:00:00Z', 'aaa'), event('2', '2026-01-02T00:00:00Z', 'aaa'), event('4', '2026-01-04T00:00:00Z', null)]);
    expect([...changes]).toEqual([
      ['1', { from: null, to: 'aaa' }],
      ['3', { from: 'aaa', to: 'bbb' }],
    ]);
  });
});

describe('trust explanations', () => {
  it('explains each component from its recorded inputs', () => {
    const trust = {
      window: '30d',
      classification: 'restricted',
      components: { reliability: null, policy_adherence: 0.9, freshness: 1, risk_exposure: 1 },
      weights: { reliability: 0.3, policy_adherence: 0.3, freshness: 0.25, risk: 0.15 },
      inputs: { runs: 0, successful_runs: 0, decisions: 10, compliant_decisions: 9, owned_streams_and_contracts: 0, healthy_streams_and_contracts: 0, open_severe_incidents: 1, classification_risk_weight: 0.75 },
    } as unknown as Schemas['AgentTrust'];
    expect(trustExplanations(trust).map((component) => component.explanation)).toEqual([
      'No runs in 30d: left out, the other weights scaled up.',
      '9 of 10 decisions had no violation of medium severity or above.',
      'Owns no sync stream or contract: counts as 1.',
      'Classification “restricted” weighs 0.75, plus 0.25 for each of 1 open high or critical incidents (at most 1); the score uses 1 − exposure.',
    ]);
  });
});

describe('receiver health', () => {
  const delivery = (receiver: string, status: Schemas['DeliveryStatus'], deliveredAt: string | null, error: string | null) =>
    ({ receiver_id: receiver, status, delivered_at: deliveredAt, last_error: error }) as Schemas['Delivery'];

  it('counts outcomes per receiver, with the latest delivery time and the newest error', () => {
    const health = healthByReceiver([
      delivery('r1', 'failed', null, 'HTTP 503'),
      delivery('r1', 'delivered', '2026-01-02T00:00:00Z', null),
      delivery('r1', 'dead_lettered', null, 'timeout'),
      delivery('r1', 'delivered', '2026-01-01T00:00:00Z', null),
      delivery('r2', 'pending', null, null),
    ]);
    expect(health.get('r1')).toEqual({ counts: { pending: 0, delivered: 2, failed: 1, dead_lettered: 1 }, lastDeliveredAt: '2026-01-02T00:00:00Z', lastError: 'HTTP 503' });
    expect(health.get('r2')).toEqual({ counts: { pending: 1, delivered: 0, failed: 0, dead_lettered: 0 }, lastDeliveredAt: null, lastError: null });
  });
});

describe('freshness heat map rows', () => {
  it('covers each stream with its own stale gaps, an open one up to now', () => {
    const day = 86_400_000;
    const streams = [
      { contract: 'c', stream: 'orders' },
      { contract: 'c', stream: 'invoices' },
    ] as Schemas['StreamFreshness'][];
    const gaps = [
      { contract: 'c', stream: 'orders', detected_at: new Date(day / 2).toISOString(), resolved_at: new Date(day).toISOString() },
      { contract: 'c', stream: 'orders', detected_at: new Date(1.5 * day).toISOString(), resolved_at: null },
      { contract: 'other', stream: 'invoices', detected_at: new Date(0).toISOString(), resolved_at: null },
    ] as Schemas['Gap'][];
    expect(staleRows(streams, gaps, 0, 2, 2 * day)).toEqual([
      { label: 'c / orders', shares: [0.5, 0.5] },
      { label: 'c / invoices', shares: [0, 0] },
    ]);
  });
});

it('links report downloads to the API with the format and window', () => {
  expect(reportUrl('csv', '7d')).toBe('/api/v1/reports/executive?format=csv&window=7d');
});
