import { Gauge, type Registry } from 'prom-client';
import type { HealthChecks, HealthReport } from './health.js';

/**
 * Readiness as Prometheus sees it: the checks behind /readyz, run at scrape time. An orchestrator stops sending
 * traffic to a replica that is not ready but says nothing to anyone; these gauges let an alert say it (the
 * OrcaNotReady rule of deploy/prometheus/orca-alerts.yaml). The checks bound their own time (under 2 s), so a
 * hung database slows the scrape, it does not hang it.
 */
export function registerReadinessMetrics(registry: Registry, health: Pick<HealthChecks, 'run'>): void {
  // prom-client collects every metric of a scrape concurrently: both gauges wait for the same one run.
  let running: Promise<HealthReport> | undefined;
  const report = () =>
    (running ??= health.run().finally(() => {
      running = undefined;
    }));
  new Gauge({
    name: 'orca_ready',
    help: 'Whether this process is ready (1) or not (0), as /readyz answers: the database answers and its migrations are applied',
    registers: [registry],
    async collect() {
      this.set((await report()).status === 'down' ? 0 : 1);
    },
  });
  new Gauge({
    name: 'orca_health_check_up',
    help: 'Each check behind /readyz and /health: 1 up, 0 down (check: database, migrations, and redis when REDIS_URL is set; redis down degrades, it does not make the process unready)',
    labelNames: ['check'] as const,
    registers: [registry],
    async collect() {
      const { checks } = await report();
      this.reset();
      for (const [check, result] of Object.entries(checks)) this.set({ check }, result.status === 'up' ? 1 : 0);
    },
  });
}
