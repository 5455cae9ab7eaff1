import type { Registry } from 'prom-client';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import type { Principal } from '../../platform/http/actor.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { AuditService } from '../audit/index.js';
import { registerSessionJobs } from './sessions.jobs.js';
import { createSessionMetrics } from './sessions.metrics.js';
import { createSessionRepository } from './sessions.repository.js';
import { sessionRoutes } from './sessions.routes.js';
import { createSessionService } from './sessions.service.js';

export type { SessionService, SessionView } from './sessions.service.js';

/** Console sign-in sessions (docs/console.md): an API key exchanged for an HttpOnly cookie, with CSRF protection. */
export function createSessionsModule(deps: {
  db: Database;
  audit: Pick<AuditService, 'append'>;
  authenticateKey: (key: string) => Principal | null | Promise<Principal | null>;
  clock: Clock;
  logger: Logger;
  registry: Registry;
  jobs: Pick<JobQueue, 'define' | 'schedule'>;
  ttlMs: number;
}) {
  const service = createSessionService({
    db: deps.db,
    repository: createSessionRepository(deps.db),
    audit: deps.audit,
    authenticateKey: deps.authenticateKey,
    clock: deps.clock,
    logger: deps.logger,
    metrics: createSessionMetrics(deps.registry),
    ttlMs: deps.ttlMs,
  });
  registerSessionJobs(deps.jobs, service);
  return { service, routes: sessionRoutes(service) };
}
