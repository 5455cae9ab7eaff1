import { Histogram, type Registry } from 'prom-client';
import { registerZeroedCounter } from '../../platform/telemetry/metrics.js';

export const PACK_OUTCOMES = ['completed', 'failed', 'abandoned'] as const;
export type PackOutcome = (typeof PACK_OUTCOMES)[number];

export interface EvidenceMetrics {
  pack(outcome: PackOutcome, seconds: number): void;
}

export function registerEvidenceMetrics(registry: Registry): EvidenceMetrics {
  const packs = registerZeroedCounter(registry, {
    name: 'orca_evidence_packs_total',
    help: 'Evidence packs by outcome (completed; failed: cut short by an error; abandoned: the reader went away)',
    series: { outcome: PACK_OUTCOMES },
  });
  const duration = new Histogram({
    name: 'orca_evidence_pack_duration_seconds',
    help: 'Time to stream one evidence pack, from the request to its last byte',
    buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    registers: [registry],
  });
  return {
    pack(outcome, seconds) {
      packs.inc({ outcome });
      duration.observe(seconds);
    },
  };
}
