/**
 * A run's listing compared with what the registry knows from the same source, by external id: new, changed (the
 * definition fingerprint differs), refreshed (same definition, something else differs, or a missing agent is back),
 * unchanged, and missing (known, not listed, and the listing was complete). Unchanged agents cost no write at all:
 * this is what keeps a second run over an unchanged source down to its own run record. Pure.
 */
import { fingerprintOf } from '../agents/index.js';
import { hashOf } from './connectors/shape.js';
import type { DiscoveredAgent } from './connectors/types.js';
import type { KnownIdentity } from './identities.repository.js';

export interface Observation {
  agent: DiscoveredAgent;
  fingerprint: string;
  /** Everything else the source said that the registry keeps (name, description, details, linking keys …). */
  observedHash: string;
  /** Its keys under the linking rules (link-keys.ts). */
  linkKeys: string[];
}

export interface Reconciliation {
  fresh: Observation[];
  changed: Array<{ seen: Observation; known: KnownIdentity }>;
  refreshed: Array<{ seen: Observation; known: KnownIdentity }>;
  unchanged: number;
  missing: KnownIdentity[];
}

export function observe(agent: DiscoveredAgent, linkKeys: string[] = []): Observation {
  return {
    agent,
    fingerprint: fingerprintOf(agent),
    observedHash: hashOf({
      name: agent.name,
      kind: agent.kind,
      vendor: agent.vendor,
      version: agent.version,
      description: agent.description,
      tools: agent.tools,
      details: agent.details,
      // Only when there are some: an agent no rule applies to hashes as before the rules existed.
      ...(linkKeys.length > 0 ? { link_keys: linkKeys } : {}),
    }),
    linkKeys,
  };
}

export function reconcile(seen: Observation[], known: KnownIdentity[], complete: boolean): Reconciliation {
  const byExternalId = new Map(known.map((identity) => [identity.external_id, identity]));
  const listed = new Set<string>();
  const result: Reconciliation = { fresh: [], changed: [], refreshed: [], unchanged: 0, missing: [] };
  for (const observation of seen) {
    listed.add(observation.agent.external_id);
    const identity = byExternalId.get(observation.agent.external_id);
    // A retired agent is final (docs/agents.md): seeing it again changes nothing.
    if (!identity || identity.agent_status === 'retired') {
      if (identity) result.unchanged += 1;
      else result.fresh.push(observation);
    } else if (identity.fingerprint !== observation.fingerprint) {
      result.changed.push({ seen: observation, known: identity });
    } else if (identity.observed_hash !== observation.observedHash || identity.missing_since !== null) {
      result.refreshed.push({ seen: observation, known: identity });
    } else {
      result.unchanged += 1;
    }
  }
  if (complete) {
    for (const identity of known) {
      if (!listed.has(identity.external_id) && identity.missing_since === null && identity.agent_status !== 'retired') result.missing.push(identity);
    }
  }
  return result;
}
