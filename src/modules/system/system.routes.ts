import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Registry } from 'prom-client';
import type { DatabaseKind } from '../../platform/db/index.js';
import type { QueueDepth } from '../../platform/jobs/index.js';
import { PROBLEM_CONTENT_TYPE, problemBody } from '../../platform/http/problem.js';
import { PROBLEM_MEDIA_TYPE, Problem } from '../../platform/http/schemas.js';
import { OUTBOUND_TARGET_KINDS, type BreakerStatus } from '../../platform/outbound/index.js';
import type { HealthChecks } from './health.js';

const Check = Type.Object(
  {
    status: Type.Union([Type.Literal('up'), Type.Literal('down')]),
    latency_ms: Type.Number(),
    detail: Type.Optional(Type.String()),
  },
  { title: 'HealthCheck' },
);
const Checks = Type.Record(Type.String(), Check, { description: 'by check name (database, migrations, redis when configured)' });
const HealthDocument = Type.Object(
  {
    status: Type.Union([Type.Literal('ok'), Type.Literal('degraded'), Type.Literal('down')]),
    version: Type.String(),
    uptime_seconds: Type.Number(),
    checks: Checks,
  },
  { title: 'Health' },
);
const Breaker = Type.Object(
  {
    target: Type.String({ description: 'the target id (a receiver, a discovery source…)' }),
    kind: Type.Union(OUTBOUND_TARGET_KINDS.map((kind) => Type.Literal(kind)), { description: 'what the target is' }),
    state: Type.Union([Type.Literal('closed'), Type.Literal('half_open'), Type.Literal('open')], {
      description: 'open: calls fail at once; half_open: probing after the open period; closed: calls flow',
    }),
    consecutive_failures: Type.Integer({ minimum: 0 }),
    opened_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'when it last opened; null once closed' }),
  },
  { title: 'BreakerStatus' },
);
const QueueStatus = Type.Object(
  {
    queue: Type.String(),
    queued: Type.Integer({ description: 'waiting to run, retries and delayed jobs included' }),
    active: Type.Integer({ description: 'running now, on any replica' }),
    dead_lettered: Type.Integer({ description: 'retries exhausted: waiting in the queue\'s dead-letter queue' }),
    oldest_queued_seconds: Type.Number({ description: 'how long the oldest due job has waited past its start time (0 when none)' }),
  },
  { title: 'QueueStatus' },
);
const BackupState = Type.Union(
  [
    Type.Object(
      {
        last_outcome: Type.Union([Type.Literal('success'), Type.Literal('failure')], { description: 'of the last attempt' }),
        last_attempt_at: Type.String({ format: 'date-time' }),
        last_success_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
        last_error: Type.Union([Type.String(), Type.Null()], { description: 'why the last attempt failed; null when it succeeded' }),
        s3: Type.Union([Type.Literal('copied'), Type.Literal('failed'), Type.Literal('off')], { description: 'the last attempt\'s copy to S3_BUCKET' }),
      },
      { title: 'BackupState' },
    ),
    Type.Null(),
  ],
  { description: 'the last backup attempt recorded in BACKUP_DIR (docs/backups.md); null before the first' },
);
const NotReady = Type.Intersect([Problem, Type.Object({ checks: Checks })], { title: 'NotReady' });

export interface SystemRouteDeps {
  health: HealthChecks;
  registry: Registry;
  version: string;
  role: string;
  databaseKind: DatabaseKind;
  startedAt: number;
  schemaVersion: () => Promise<number>;
  /** Redis as last seen (no probe): `not_configured` without REDIS_URL. */
  redisStatus: () => 'up' | 'down' | 'not_configured';
  /** The circuit breaker of every outbound target this process has called. */
  breakers: () => BreakerStatus[];
  /** Every job queue, read from the database (the same on every replica). */
  queueDepth: () => Promise<QueueDepth[]>;
  /** The last backup attempt recorded in BACKUP_DIR, or null before the first. */
  lastBackup: () => { outcome: 'success' | 'failure'; attempted_at: string; last_success_at: string | null; error: string | null; s3: 'copied' | 'failed' | 'off' } | null;
}

const probeTags = ['Probes'];

function backupState(last: ReturnType<SystemRouteDeps['lastBackup']>) {
  if (!last) return null;
  return { last_outcome: last.outcome, last_attempt_at: last.attempted_at, last_success_at: last.last_success_at, last_error: last.error, s3: last.s3 };
}

export function systemRoutes(deps: SystemRouteDeps): FastifyPluginAsyncTypebox {
  const uptime = () => Math.round((Date.now() - deps.startedAt) / 1000);
  return async (app) => {
    // Each probe answers on two paths (the Kubernetes-style short one and the long one), as two operations.
    const liveness = Type.Object({ status: Type.Literal('ok') }, { title: 'Liveness' });
    for (const [path, operationId] of [['/livez', 'getLivez'], ['/liveness', 'getLiveness']] as const) {
      const livenessSchema = {
        config: { access: 'public' as const },
        schema: { tags: probeTags, operationId, summary: 'Liveness: the event loop answers', response: { 200: liveness } },
      };
      app.get(path, livenessSchema, async () => ({ status: 'ok' as const }));
    }

    const readiness = Type.Object({ status: Type.Literal('ready'), checks: Checks }, { title: 'Readiness' });
    for (const [path, operationId] of [['/readyz', 'getReadyz'], ['/readiness', 'getReadiness']] as const) {
      const readinessSchema = {
        config: { access: 'public' as const },
        schema: {
          tags: probeTags,
          operationId,
          summary: 'Readiness: database reachable and migrations current (Redis is reported, never required)',
          response: {
            200: readiness,
            503: { description: 'Not ready: a problem document with the checks', content: { [PROBLEM_MEDIA_TYPE]: { schema: NotReady } } },
          },
        },
      };
      app.get(path, readinessSchema, async (request, reply) => {
        const report = await deps.health.run();
        if (report.status !== 'down') return { status: 'ready' as const, checks: report.checks };
        const failing = Object.entries(report.checks)
          .filter(([, check]) => check.status === 'down')
          .map(([name, check]) => `${name}: ${check.detail ?? 'down'}`);
        request.log.warn({ checks: report.checks }, 'not ready');
        return reply
          .code(503)
          .header('retry-after', '5')
          .type(PROBLEM_CONTENT_TYPE)
          .send({ ...problemBody(request, 'unavailable', `not ready — ${failing.join('; ')}`), checks: report.checks });
      });
    }

    app.get(
      '/health',
      {
        config: { access: 'public' },
        schema: {
          tags: probeTags,
          operationId: 'getHealth',
          summary: 'Health document: every check with its latency (200 when all are up, 503 otherwise)',
          response: { 200: HealthDocument, 503: HealthDocument },
        },
      },
      async (_request, reply) => {
        const report = await deps.health.run();
        return reply.code(report.status === 'down' ? 503 : 200).send({ ...report, version: deps.version, uptime_seconds: uptime() });
      },
    );

    app.get(
      '/status',
      {
        config: { access: 'viewer' },
        schema: {
          tags: probeTags,
          operationId: 'getStatus',
          summary: 'Runtime status of this process',
          response: {
            200: Type.Object(
              {
                status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')], { description: 'degraded while Redis is configured and down' }),
                redis: Type.Union([Type.Literal('up'), Type.Literal('down'), Type.Literal('not_configured')]),
                version: Type.String(),
                uptime_seconds: Type.Number(),
                role: Type.String(),
                node_version: Type.String(),
                database: Type.Object({ kind: Type.String(), schema_version: Type.Integer() }),
                breakers: Type.Array(Breaker, { description: 'the circuit breaker of each outbound target this process has called, by kind and target' }),
                queues: Type.Array(QueueStatus, { description: 'the durable job queues, by name' }),
                backup: BackupState,
              },
              { title: 'RuntimeStatus' },
            ),
          },
        },
      },
      async () => ({
        status: deps.redisStatus() === 'down' ? ('degraded' as const) : ('ok' as const),
        redis: deps.redisStatus(),
        version: deps.version,
        uptime_seconds: uptime(),
        role: deps.role,
        node_version: process.version,
        database: { kind: deps.databaseKind, schema_version: await deps.schemaVersion() },
        breakers: deps.breakers().map((breaker) => ({
          target: breaker.target,
          kind: breaker.kind,
          state: breaker.state,
          consecutive_failures: breaker.consecutiveFailures,
          opened_at: breaker.openedAt,
        })),
        queues: (await deps.queueDepth()).map((depth) => ({
          queue: depth.queue,
          queued: depth.queued,
          active: depth.active,
          dead_lettered: depth.deadLettered,
          oldest_queued_seconds: depth.oldestQueuedSeconds,
        })),
        backup: backupState(deps.lastBackup()),
      }),
    );

    app.get(
      '/metrics',
      {
        config: { access: 'public' },
        schema: {
          tags: ['Telemetry'],
          operationId: 'getMetrics',
          summary: 'Prometheus metrics (text exposition format)',
          produces: ['text/plain'],
          response: { 200: Type.String() },
        },
      },
      async (_request, reply) => reply.type(deps.registry.contentType).send(await deps.registry.metrics()),
    );
  };
}
