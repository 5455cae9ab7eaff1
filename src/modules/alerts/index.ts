import { createReadThroughCache, type CacheInvalidation, type CacheMetrics } from '../../platform/cache/index.js';
import type { Clock } from '../../platform/clock.js';
import { createAfterCommit, type Database } from '../../platform/db/index.js';
import { newId } from '../../platform/ids.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { Metrics } from '../../platform/telemetry/metrics.js';
import type { AuditService } from '../audit/index.js';
import type { NotificationSink } from '../receivers/notification.js';
import { createAlertEvaluator } from './alert-evaluator.js';
import { createAlertRulesRepository } from './alert-rules.repository.js';
import { ALERT_RULES_CACHE, createAlertRulesService } from './alert-rules.service.js';
import { registerAlertJobs } from './alerts.jobs.js';
import { registerAlertPruning } from './alerts-prune.js';
import { createAlertMetrics } from './alerts.metrics.js';
import { createAlertsReadModel } from './alerts.read-model.js';
import { createAlertsRepository } from './alerts.repository.js';
import { alertRoutes } from './alerts.routes.js';
import { createAlertsService } from './alerts.service.js';
import type { LastBackup, StreamFreshness } from './rule-conditions.js';
import { parseMatcher } from './matchers.js';
import { silencesOf } from './notification-plan.js';
import { createSilencesRepository } from './silences.repository.js';
import { createSilenceService } from './silences.service.js';
import { scopeOf, type AlertChange, type EvaluationScope } from './evaluation-scope.js';

export { ALERTS_EVALUATE_QUEUE, ALERTS_SCHEDULE_QUEUE } from './alerts.jobs.js';
export { ALERTS_PRUNE_QUEUE } from './alerts-prune.js';
export type { EvaluationReport } from './alert-evaluator.js';
export type { LastBackup } from './rule-conditions.js';
export type { AlertChange } from './evaluation-scope.js';

/** The longest window a rule over alerts' own signals may use (90d, the compiler's bound on durations). */
const SIGNAL_RETENTION_MS = 90 * 86_400_000;
/** ALERTS_RESOLVED_RETENTION's default. */
const DEFAULT_RESOLVED_RETENTION_MS = 30 * 86_400_000;

export function createAlertsModule(deps: {
  db: Database;
  metrics: Metrics;
  logger: Logger;
  clock: Clock;
  audit: Pick<AuditService, 'append'>;
  jobs: Pick<JobQueue, 'define' | 'schedule' | 'send'>;
  /** Where notifications go (the receivers module); its receiver names are the ones routes may use. */
  sink: NotificationSink;
  /** The streams of the active sync contracts and their freshness (stream_stale rules). */
  streams: (now: Date) => Promise<StreamFreshness[]>;
  /** The last backup attempt recorded in BACKUP_DIR, or null (backup_failed and backup_stale rules). */
  lastBackup?: () => LastBackup | null;
  /** ALERTS_ENABLED: false → nothing asks for an evaluation (no prompt, no scheduled one) and no signal is recorded. */
  enabled?: boolean;
  /** ALERTS_EVALUATION_INTERVAL. */
  evaluationIntervalMs: number;
  /** ALERTS_EVALUATION_DEBOUNCE (0 when not given: every request sends). */
  evaluationDebounceMs?: number;
  /** ALERTS_RESOLVED_RETENTION (30 days when not given). */
  resolvedRetentionMs?: number;
  /** Where an alert's generatorURL points (ORCA's own API). */
  baseUrl: string;
  /** Keeps the active alert rules between evaluations, coherent across replicas (absent: read at each one). */
  cache?: { metrics: CacheMetrics; invalidation: Pick<CacheInvalidation, 'notify' | 'register'> };
}) {
  const logger = deps.logger.child({ module: 'alerts' });
  const metrics = createAlertMetrics(deps.metrics.registry);
  const repository = createAlertsRepository(deps.db);
  const silencesRepository = createSilencesRepository(deps.db);
  const rules = createAlertRulesService({
    db: deps.db,
    repository: createAlertRulesRepository(deps.db),
    audit: deps.audit,
    sink: deps.sink,
    logger,
    ...(deps.cache
      ? {
          activeCache: {
            // One entry; the TTL is only a backstop behind the invalidation feed.
            cache: deps.cache.invalidation.register(createReadThroughCache({ name: ALERT_RULES_CACHE, max: 1, ttlMs: 5 * 60_000, metrics: deps.cache.metrics })),
            invalidation: deps.cache.invalidation,
          },
        }
      : {}),
  });
  const evaluate = createAlertEvaluator({
    afterCommit: createAfterCommit(deps.db),
    repository,
    silences: silencesRepository,
    rules,
    readModel: createAlertsReadModel(),
    streams: deps.streams,
    lastBackup: deps.lastBackup ?? (() => null),
    sink: deps.sink,
    clock: deps.clock,
    logger,
    metrics,
    generatorUrl: (fingerprint) => `${deps.baseUrl.replace(/\/$/, '')}/api/v1/alerts?fingerprint=${fingerprint}`,
    approvalUrl: (id) => `${deps.baseUrl.replace(/\/$/, '')}/api/v1/approvals/${id}`,
  });
  const enabled = deps.enabled ?? true;
  const jobs = registerAlertJobs(deps.jobs, { evaluate, metrics, logger, clock: deps.clock, intervalMs: deps.evaluationIntervalMs, debounceMs: deps.evaluationDebounceMs ?? 0, scheduled: enabled });
  const pruning = registerAlertPruning(deps.jobs, { repository, clock: deps.clock, logger, retentionMs: deps.resolvedRetentionMs ?? DEFAULT_RESOLVED_RETENTION_MS });
  /** The scope of each kind of change, computed once: requests come at the rate of the hot paths. */
  const scopes = new Map<AlertChange, EvaluationScope>();
  const requestEvaluation = (change: AlertChange, correlationId?: string) => {
    if (!enabled) return;
    let scope = scopes.get(change);
    if (!scope) scopes.set(change, (scope = scopeOf([change])));
    jobs.requestEvaluation(scope, correlationId);
  };
  const silences = createSilenceService({
    db: deps.db,
    repository: silencesRepository,
    audit: deps.audit,
    clock: deps.clock,
    onChange: (id) => requestEvaluation('silences', id ?? undefined),
  });
  const alerts = createAlertsService({ repository, silences: silencesRepository, clock: deps.clock });

  async function recordSignal(kind: 'signature_failure' | 'delivery_dead_lettered', subject: Record<string, string>, correlationId: string | undefined): Promise<void> {
    const change: AlertChange = kind === 'signature_failure' ? 'signature_failures' : 'dead_letters';
    if (!enabled) return;
    try {
      const at = deps.clock.now();
      await repository.recordSignal({ id: newId(), kind, subject, at, correlation_id: correlationId ?? null });
      await repository.pruneSignals(new Date(at.getTime() - SIGNAL_RETENTION_MS));
      requestEvaluation(change, correlationId);
    } catch (error) {
      logger.error({ err: error, kind, correlation_id: correlationId }, 'could not record an alert signal');
    }
  }

  deps.sink.onDeadLettered((delivery) =>
    recordSignal('delivery_dead_lettered', { receiver: delivery.receiver, receiver_kind: delivery.receiverKind }, delivery.correlationId),
  );

  return {
    routes: alertRoutes({ rules, alerts, silences }),
    /** Deletes resolved alerts past ALERTS_RESOLVED_RETENTION now (the alerts.prune job does it hourly). */
    pruneResolved: () => pruning.prune(),
    /** Evaluates now, in this process (tests, `orca` commands), every rule or those of `scope`; jobs do it otherwise. */
    evaluate: (correlationId: string, scope: EvaluationScope = 'all') => evaluate(correlationId, scope),
    /**
     * After a write that can change an alert committed: queue a prompt evaluation of the rules that kind of change
     * can affect (evaluation-scope.ts). Never throws.
     */
    requestEvaluation,
    /** The ids of the silences in force at `now` whose matchers match these labels (self-healing honours them too). */
    silencedBy: async (labels: Record<string, string>, now: Date): Promise<string[]> => {
      const current = (await silencesRepository.listCurrent(now)).map((row) => ({
        id: row.id,
        matchers: row.matchers.map((text) => parseMatcher(text)),
        startsAt: row.starts_at,
        endsAt: row.ends_at,
      }));
      return silencesOf(labels, current, now).map((silence) => silence.id);
    },
    /** A webhook whose signature did not verify (ingest): counted by signature_failures rules. Never throws. */
    signatureRejected: (rejection: { sourceId: string; correlationId: string | undefined }) =>
      recordSignal('signature_failure', { source_id: rejection.sourceId }, rejection.correlationId),
  };
}

export type AlertsModule = ReturnType<typeof createAlertsModule>;
