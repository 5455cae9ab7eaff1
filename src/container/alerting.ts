/** Where ORCA's news goes: receivers (webhooks, Alertmanager, Slack…) and the alert rules that feed them. */
import { createAlertsModule } from '../modules/alerts/index.js';
import { createReceiversModule } from '../modules/receivers/index.js';
import type { BuiltModules, SharedDeps, Wiring } from './wiring.js';

export function wireAlerting(w: Wiring, m: BuiltModules, { base, callingOut }: SharedDeps): Pick<BuiltModules, 'receivers' | 'alerts'> {
  const { config } = w;
  const receivers = createReceiversModule({
    ...base,
    ...callingOut,
    cacheMetrics: w.cacheMetrics,
    invalidation: w.invalidation,
    settings: {
      retries: config.deliveryRetries,
      retryDelaySeconds: Math.round(config.deliveryRetryDelayMs / 1000),
      concurrency: config.deliveryConcurrency,
      attemptTimeoutMs: config.outboundTimeoutMs,
    },
  });
  // Alerts next: the modules whose writes can change an alert ask it for a prompt evaluation once they commit.
  const alerts = createAlertsModule({
    ...base,
    jobs: w.jobs,
    sink: w.notificationSink ?? receivers.sink,
    // `sync` is built later; streams are only asked for during an evaluation, long after start-up.
    streams: async (now) => (await m.sync.service.freshness(now)).items,
    // Read from BACKUP_DIR at evaluation time, so that an `orca backup` run by hand counts too.
    lastBackup: () => m.backups.service.status(),
    enabled: config.alertsEnabled,
    evaluationIntervalMs: config.alertsEvaluationIntervalMs,
    evaluationDebounceMs: config.alertsEvaluationDebounceMs,
    resolvedRetentionMs: config.alertsResolvedRetentionMs,
    baseUrl: w.baseUrl,
    cache: { metrics: w.cacheMetrics, invalidation: w.invalidation },
  });
  return { receivers, alerts };
}
