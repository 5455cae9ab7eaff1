import { Counter, Gauge, type Registry } from 'prom-client';

/** `alertname` and `severity` are bounded by the rules document (at most 500 rules, six severities). */
export function createAlertMetrics(registry: Registry) {
  const firing = new Gauge({
    name: 'orca_alerts_firing',
    help: 'Alerts firing now, by rule (alertname) and severity, as of the last evaluation on this process',
    labelNames: ['alertname', 'severity'] as const,
    registers: [registry],
  });
  return {
    evaluations: new Counter({
      name: 'orca_alert_evaluations_total',
      help: 'Alert rule evaluations by what asked for them (schedule, trigger, timer) and outcome (ok, failed)',
      labelNames: ['trigger', 'outcome'] as const,
      registers: [registry],
    }),
    notifications: new Counter({
      name: 'orca_alert_notifications_total',
      help: 'Notifications handed to receivers for delivery (one per alert group and receiver)',
      registers: [registry],
    }),
    /** Replaces the gauge's series, so that a rule whose alerts all resolved reads 0 rather than its last count. */
    setFiring(counts: Array<{ alertname: string; severity: string; count: number }>): void {
      firing.reset();
      for (const row of counts) firing.set({ alertname: row.alertname, severity: row.severity }, row.count);
    },
  };
}

export type AlertMetrics = ReturnType<typeof createAlertMetrics>;
