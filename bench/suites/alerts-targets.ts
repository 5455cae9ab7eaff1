import type { Measurement, TargetResult } from '../lib/types.js';

export const MAX_P99_MS = 1000;
export const MIN_DELIVERIES_PER_SECOND = 1000;
export const MAX_LOSS_PERCENT = 5;

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const missingPostgres = 'not measured: set ORCA_BENCH_DATABASE_URL to a PostgreSQL server';

/** The targets, each from a measurement of this run (null verdict when it was not measured). */
export function alertTargets(measurements: Measurement[]): TargetResult[] {
  const find = (id: string) => measurements.find((measurement) => measurement.id === id);
  const targets: TargetResult[] = [];
  for (const database of ['postgres', 'pglite']) {
    const latency = find(`latency-${database}`);
    targets.push({
      description: `${database}: p99 from a violation to its notification at the local receiver, 100 events/s`,
      measurement: `latency-${database}`,
      actual: latency?.latencyMs.p99 ?? 0,
      unit: 'ms',
      comparator: '<=',
      threshold: MAX_P99_MS,
      pass: latency ? latency.latencyMs.p99 <= MAX_P99_MS : null,
      ...(latency ? {} : { note: missingPostgres }),
    });
  }
  const delivery = find('delivery-postgres');
  targets.push({
    description: 'PostgreSQL: notifications delivered to a local receiver',
    measurement: 'delivery-postgres',
    actual: delivery?.throughput.mean ?? 0,
    unit: 'notifications/s',
    comparator: '>=',
    threshold: MIN_DELIVERIES_PER_SECOND,
    pass: delivery ? delivery.throughput.mean >= MIN_DELIVERIES_PER_SECOND : null,
    ...(delivery ? {} : { note: missingPostgres }),
  });
  for (const [path, id] of [
    ['ingest (signed webhooks)', 'ingest-rules-on'],
    ['evaluate (a violation per request)', 'evaluate-rules-on'],
  ] as const) {
    const on = find(id);
    const loss = on?.ratioToBaseline === undefined ? undefined : round((1 - on.ratioToBaseline) * 100);
    targets.push({
      description: `PostgreSQL: ${path} throughput lost with the default alert rules active (vs ALERTS_ENABLED=false, same run)`,
      measurement: id,
      actual: loss ?? 0,
      unit: '%',
      comparator: '<=',
      threshold: MAX_LOSS_PERCENT,
      pass: loss === undefined ? null : loss <= MAX_LOSS_PERCENT,
      ...(loss === undefined ? { note: missingPostgres } : {}),
    });
  }
  return targets;
}
