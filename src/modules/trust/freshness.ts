/**
 * Freshness F's units per agent, without I/O: the sync streams an agent owns, and the open gaps attributed to it.
 */
import type { OpenGapRow } from './trust.read-model.js';

/** One sync stream as the sync module reports it (`streamStatus(now)`). */
export interface StreamStatus {
  contract: string;
  stream: string;
  /** The owner agent of the stream's contract. */
  agent_id?: string | null;
  owner_agent_id?: string | null;
  within_slo: boolean;
}

export interface StreamStatusSource {
  streamStatus(now: Date): Promise<StreamStatus[]>;
}

const unitKey = (contract: string | null, stream: string | null) => `${contract ?? ''}\u0000${stream ?? ''}`;

/**
 * Per agent: the streams it owns (healthy = within SLO and no open gap on the stream or its whole contract), plus
 * each open gap attributed to it that no owned stream already covers (unhealthy).
 */
export function freshnessUnits(streams: readonly StreamStatus[], gaps: readonly OpenGapRow[]): Map<string, { owned: number; healthy: number }> {
  const units = new Map<string, Map<string, boolean>>();
  const unitsOf = (agent: string) => {
    let map = units.get(agent);
    if (!map) units.set(agent, (map = new Map<string, boolean>()));
    return map;
  };
  const gapOn = (contract: string, stream: string) => gaps.some((gap) => gap.contract === contract && (gap.stream === stream || gap.stream === null));
  for (const status of streams) {
    const owner = status.agent_id ?? status.owner_agent_id;
    if (!owner) continue;
    unitsOf(owner).set(unitKey(status.contract, status.stream), status.within_slo && !gapOn(status.contract, status.stream));
  }
  for (const gap of gaps) {
    if (!gap.agent_id) continue;
    const owned = unitsOf(gap.agent_id);
    const covered = [...owned.keys()].some((key) => {
      const [contract, stream] = key.split('\u0000');
      return contract === (gap.contract ?? '') && (gap.stream === null || stream === gap.stream);
    });
    if (!covered) owned.set(unitKey(gap.contract, gap.stream), false);
  }
  return new Map(
    [...units].map(([agent, owned]) => {
      const health = [...owned.values()];
      return [agent, { owned: health.length, healthy: health.filter(Boolean).length }];
    }),
  );
}
