import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type LabelValues } from 'prom-client';
import type { PoolStats } from '../db/driver.js';

/**
 * One registry per process (per app in tests, so that two apps in one test process do not share counters).
 * Names follow Prometheus conventions: `orca_` prefix, base units, bounded label values.
 */
export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status_code'>;
  httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  dbQueryDuration: Histogram<'db' | 'operation' | 'outcome'>;
  /** Counts one answered request and observes its latency (the per-request hot path). */
  recordHttpRequest(method: string, route: string, statusCode: number, seconds: number): void;
  observeQuery(db: string): (operation: string, seconds: number, failed: boolean) => void;
  /** Supplies the live pool numbers to the pool gauge at scrape time. */
  trackPool(db: string, stats: () => PoolStats): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'orca_' });
  // prom-client exports these gauges with a `_total` suffix, which Prometheus reserves for counters, so
  // `promtool check metrics` rejects the page (test/http/metrics.test.ts). The same numbers remain available
  // per type in orca_nodejs_active_handles / _requests / _resources; sum() over `type` gives the totals.
  for (const name of ['orca_nodejs_active_handles_total', 'orca_nodejs_active_requests_total', 'orca_nodejs_active_resources_total']) {
    registry.removeSingleMetric(name);
  }

  // One entry per label set (route templates × methods × status codes: few): its bound histogram child, looked up
  // once, and the requests answered since the counter last read them.
  const httpSeries = new Map<string, { labels: Record<'method' | 'route' | 'status_code', string>; unreported: number; duration: { observe(value: number): void } }>();
  const httpRequests = new Counter({
    name: 'orca_http_requests_total',
    help: 'HTTP requests answered, by route template, method and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
    // Counted per request in a plain number and added here, when the registry is read (a scrape): prom-client's
    // inc hashes and validates the labels on every call, which the hot path need not pay. The totals are the same
    // at every read.
    collect() {
      for (const series of httpSeries.values()) {
        if (series.unreported === 0) continue;
        this.inc(series.labels, series.unreported);
        series.unreported = 0;
      }
    },
  });
  const httpDuration = new Histogram({
    name: 'orca_http_request_duration_seconds',
    help: 'HTTP request latency from arrival to response sent',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const dbQueryDuration = new Histogram({
    name: 'orca_db_query_duration_seconds',
    help: 'Database statement latency by SQL verb and outcome',
    labelNames: ['db', 'operation', 'outcome'] as const,
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [registry],
  });

  const pools = new Map<string, () => PoolStats>();
  new Gauge({
    name: 'orca_db_pool_connections',
    help: 'Database pool: total and idle connections, and callers waiting for one',
    labelNames: ['db', 'state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [db, stats] of pools) {
        const { total, idle, waiting } = stats();
        this.set({ db, state: 'total' }, total);
        this.set({ db, state: 'idle' }, idle);
        this.set({ db, state: 'waiting' }, waiting);
      }
    },
  });

  function recordHttpRequest(method: string, route: string, statusCode: number, seconds: number): void {
    const key = `${method} ${statusCode} ${route}`;
    let series = httpSeries.get(key);
    if (!series) {
      const labels = { method, route, status_code: String(statusCode) };
      series = { labels, unreported: 0, duration: httpDuration.labels(labels) };
      httpSeries.set(key, series);
    }
    series.unreported += 1;
    series.duration.observe(seconds);
  }

  return {
    registry,
    httpRequests,
    httpDuration,
    dbQueryDuration,
    recordHttpRequest,
    observeQuery(db) {
      return (operation, seconds, failed) =>
        dbQueryDuration.observe({ db, operation, outcome: failed ? 'error' : 'ok' }, seconds);
    },
    trackPool(db, stats) {
      pools.set(db, stats);
    },
  };
}

/**
 * A counter on `registry` whose every series — each combination of the label values in `series` — exists from the
 * start at 0, so that rate(), ratios and alerts on it work before the first event. Label values outside `series`
 * may still be counted later.
 */
export function registerZeroedCounter<L extends string>(
  registry: Registry,
  config: { name: string; help: string; series: Record<L, readonly string[]> },
): Counter<L> {
  const labelNames = Object.keys(config.series) as L[];
  const counter = new Counter<L>({ name: config.name, help: config.help, labelNames, registers: [registry] });
  let combinations: LabelValues<L>[] = [{}];
  for (const label of labelNames) {
    combinations = combinations.flatMap((labels) => config.series[label].map((value) => ({ ...labels, [label]: value })));
  }
  for (const labels of combinations) counter.inc(labels, 0);
  return counter;
}
