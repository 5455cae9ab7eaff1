import { describe, expect, it } from 'vitest';
import type { DiscoveredAgent } from './connectors/types.js';
import type { KnownIdentity } from './identities.repository.js';
import { observe, reconcile } from './reconcile.js';

function agent(id: string, overrides: Partial<DiscoveredAgent> = {}): DiscoveredAgent {
  return {
    external_id: id,
    agent_external_id: `https://n8n.example.com/workflow/${id}`,
    name: `workflow ${id}`,
    kind: 'workflow',
    vendor: 'n8n',
    model: null,
    version: null,
    description: null,
    prompt: null,
    config: { nodes: [] },
    tools: [],
    owner: null,
    tags: [],
    details: { active: true },
    ...overrides,
  };
}

function known(seen: DiscoveredAgent, overrides: Partial<KnownIdentity> = {}): KnownIdentity {
  const observation = observe(seen);
  return {
    id: `identity-${seen.external_id}`,
    agent_id: `agent-${seen.external_id}`,
    previous_agent_id: null,
    external_id: seen.external_id,
    fingerprint: observation.fingerprint,
    observed_hash: observation.observedHash,
    missing_since: null,
    agent_status: 'active',
    ...overrides,
  };
}

describe('reconcile', () => {
  const a = agent('1');
  const b = agent('2');
  const c = agent('3');

  it('sorts a listing into new, changed, refreshed, unchanged and missing', () => {
    const changedB = agent('2', { config: { nodes: [{ type: 'n8n-nodes-base.httpRequest' }] } });
    const renamedC = agent('3', { name: 'renamed' });
    const gone = agent('4');
    const plan = reconcile([a, changedB, renamedC].map((agent) => observe(agent)), [known(b), known(c), known(gone)], true);
    expect(plan.fresh.map((seen) => seen.agent.external_id)).toEqual(['1']);
    expect(plan.changed.map(({ seen, known: identity }) => [seen.agent.external_id, identity.id])).toEqual([['2', 'identity-2']]);
    expect(plan.refreshed.map(({ seen }) => seen.agent.external_id)).toEqual(['3']);
    expect(plan.unchanged).toBe(0);
    expect(plan.missing.map((identity) => identity.external_id)).toEqual(['4']);
  });

  it('marks nothing missing from an incomplete listing, nor agents already missing or retired', () => {
    const gone = agent('4');
    expect(reconcile([a].map((agent) => observe(agent)), [known(a), known(gone)], false).missing).toEqual([]);
    const plan = reconcile([], [known(a, { missing_since: new Date() }), known(b, { agent_status: 'retired' })], true);
    expect(plan.missing).toEqual([]);
  });

  it('counts an unchanged agent without touching it, and refreshes one that comes back', () => {
    expect(reconcile([a, b].map((agent) => observe(agent)), [known(a), known(b)], true)).toEqual({ fresh: [], changed: [], refreshed: [], unchanged: 2, missing: [] });
    const back = reconcile([a].map((agent) => observe(agent)), [known(a, { missing_since: new Date(), agent_status: 'missing' })], true);
    expect(back.refreshed).toHaveLength(1);
  });

  it('leaves a retired agent alone even when it changed', () => {
    const plan = reconcile([agent('1', { prompt: 'new' })].map((agent) => observe(agent)), [known(a, { agent_status: 'retired' })], true);
    expect(plan).toEqual({ fresh: [], changed: [], refreshed: [], unchanged: 1, missing: [] });
  });

  it('keeps the fingerprint of the registry: tools, prompt, model and config only', () => {
    const base = observe(a);
    expect(observe(agent('1', { name: 'other', details: { active: false } })).fingerprint).toBe(base.fingerprint);
    expect(observe(agent('1', { name: 'other' })).observedHash).not.toBe(base.observedHash);
    expect(observe(agent('1', { model: 'gpt-4o' })).fingerprint).not.toBe(base.fingerprint);
  });
});
