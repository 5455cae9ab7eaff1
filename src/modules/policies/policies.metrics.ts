import { Counter, Histogram, type Registry } from 'prom-client';

export interface PolicyMetrics {
  decisions: Counter<'decision' | 'rule'>;
  duration: Histogram<'decision'>;
  batchSize: Histogram;
  exactQuotaItems: Counter;
}

/**
 * `rule` is bounded by the policy document: the fixed access/quota rules, `pii.<detector>` for the (at most 59)
 * detectors a document can declare, and `none` for a decision without violations.
 */
export function createPolicyMetrics(registry: Registry): PolicyMetrics {
  return {
    decisions: new Counter({
      name: 'orca_policy_decisions_total',
      help: 'Policy decisions by outcome and violated rule (one increment per violated rule; rule="none" when there was no violation)',
      labelNames: ['decision', 'rule'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'orca_policy_evaluation_duration_seconds',
      help: 'Time to evaluate a request against the active policy, including quota counting and recording',
      labelNames: ['decision'] as const,
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'orca_policy_decision_batch_size',
      help: 'Evaluations written per group-commit batch (quota counts and decision rows)',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers: [registry],
    }),
    exactQuotaItems: new Counter({
      name: 'orca_policy_quota_exact_total',
      help: 'Quota-counted calls judged one by one in a transaction, because their agent was close to a limit (or its calls of one batch fell in two windows); all others are counted with their batch in one statement',
      registers: [registry],
    }),
  };
}
