import { Histogram, type Registry } from 'prom-client';
import { registerZeroedCounter } from '../../platform/telemetry/metrics.js';
import { REMEDIATION_ACTIONS, type RemediationActionName } from '../sync/index.js';
import { REMEDIATION_OUTCOMES, type RemediationOutcome } from './remediation-state.js';

/** What one attempt of an action came to (AttemptResult's kinds). */
export const ATTEMPT_RESULTS = ['done', 'retry', 'final', 'nothing_to_do'] as const;
export type AttemptResultKind = (typeof ATTEMPT_RESULTS)[number];

export interface RemediationMetrics {
  finished(action: RemediationActionName, outcome: RemediationOutcome): void;
  attempt(action: RemediationActionName, result: AttemptResultKind): void;
  /** Seconds from the gap's detection to its healing. */
  healed(action: RemediationActionName, seconds: number): void;
}

export function registerRemediationMetrics(registry: Registry): RemediationMetrics {
  // Every series exists from the start at 0, so rate() and ratios work before the first remediation.
  const finished = registerZeroedCounter(registry, {
    name: 'orca_remediations_total',
    help: 'Remediations finished, by action and outcome (healed, failed, gave_up, skipped)',
    series: { action: REMEDIATION_ACTIONS, outcome: REMEDIATION_OUTCOMES },
  });
  const attempts = registerZeroedCounter(registry, {
    name: 'orca_remediation_attempts_total',
    help: 'Remediation action attempts by action and result (done, retry: failed and may be tried again, final: cannot be carried out, nothing_to_do)',
    series: { action: REMEDIATION_ACTIONS, result: ATTEMPT_RESULTS },
  });
  const timeToHeal = new Histogram({
    name: 'orca_remediation_time_to_heal_seconds',
    help: 'Seconds from a gap opening to its healing by a remediation, by action',
    labelNames: ['action'] as const,
    buckets: [60, 300, 900, 1800, 3600, 7200, 14_400, 43_200, 86_400],
    registers: [registry],
  });
  return {
    finished: (action, outcome) => finished.inc({ action, outcome }),
    attempt: (action, result) => attempts.inc({ action, result }),
    healed: (action, seconds) => timeToHeal.observe({ action }, Math.max(0, seconds)),
  };
}
