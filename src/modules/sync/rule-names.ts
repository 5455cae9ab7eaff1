import type { CompiledContract } from './contract.js';

/**
 * The rule names gaps and per-entity memories are stored under. Follow-ups, lifecycles and agreements carry their
 * own names; the rules a stream implies are named after it.
 */
export const streamRule = {
  stale: (stream: string) => `stream:${stream}`,
  sequence: (stream: string) => `sequence:${stream}`,
  unique: (stream: string, eventType: string) => `unique:${stream}:${eventType}`,
  idempotency: (stream: string) => `idempotency:${stream}`,
};

/** Where a follow-up rule remembers the follow-up events it saw (one may arrive before its trigger). */
export const followUpSeenRule = (rule: string) => `${rule}#then`;

/**
 * Every (contract, rule) a gap of the active contracts can carry, as `contract\u0000rule`: a gap whose pair is not
 * here belongs to a contract or rule that a newer version removed.
 */
export function activeRuleKeys(contracts: readonly CompiledContract[]): Set<string> {
  const keys = new Set<string>();
  for (const contract of contracts) {
    const add = (rule: string) => keys.add(`${contract.name}\u0000${rule}`);
    for (const stream of contract.streams) {
      add(streamRule.stale(stream.name));
      add(streamRule.idempotency(stream.name));
      if (stream.check_sequence) add(streamRule.sequence(stream.name));
      for (const eventType of stream.unique_event_types) add(streamRule.unique(stream.name, eventType));
    }
    for (const rule of [...contract.follow_ups, ...contract.lifecycles, ...contract.agreements]) add(rule.name);
  }
  return keys;
}
