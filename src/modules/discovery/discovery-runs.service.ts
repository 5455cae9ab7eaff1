/**
 * Discovery runs: requested through the API (a durable job does the work), by a source's schedule, or by
 * `orca discover` in its own process; read back with their counts and errors. One run per source is in flight at a
 * time. Findings (suspicious tool descriptions) are read here too.
 */
import type { Clock } from '../../platform/clock.js';
import { isUniqueViolation, type Database, type Queryable } from '../../platform/db/index.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/http/actor.js';
import { decodeCursor, pageOf } from '../../platform/http/cursor.js';
import { newId } from '../../platform/ids.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { AuditService } from '../audit/index.js';
import type { DiscoveryFinding, DiscoveryRun, ListFindingsQuery, ListRunsQuery, RunTrigger } from './discovery.schemas.js';
import type { DiscoveryRunRepository } from './discovery-runs.repository.js';
import type { DiscoverySourceRepository } from './discovery-sources.repository.js';
import type { IdentityRepository } from './identities.repository.js';
import type { RunExecutor } from './run-executor.js';

export const RUN_QUEUE = 'discovery.run';

export interface DiscoveryRunJob {
  run_id: string;
}

export interface DiscoveryRunServiceDeps {
  db: Database;
  sources: DiscoverySourceRepository;
  runs: DiscoveryRunRepository;
  identities: IdentityRepository;
  jobs: Pick<JobQueue, 'send'>;
  execute: RunExecutor;
  audit: Pick<AuditService, 'append'>;
  clock: Clock;
  logger: Logger;
  /** A run still marked running this long after it started was abandoned by a process that died. */
  abandonAfterMs: number;
}

export function createDiscoveryRunService(deps: DiscoveryRunServiceDeps) {
  const { db, sources, runs, jobs, audit, clock } = deps;

  /** Creates the queued run (and, unless it runs here, its job) in one transaction; 409 while one is in flight. */
  async function createRun(actor: Actor, sourceId: string, trigger: RunTrigger, options: { enqueue: boolean }): Promise<DiscoveryRun> {
    const correlationId = actor.correlationId ?? newId();
    try {
      return await db.transaction(async (tx: Queryable) => {
        const source = await sources.findById(sourceId, tx);
        // The source is named in the body, not the path: an unknown one is unprocessable, as an unknown agent is for incidents.
        if (!source) throw new AppError('unprocessable', `discovery source ${sourceId} was not found`);
        if (!source.enabled) throw conflict(`discovery source ${sourceId} is disabled; enable it to run it`);
        const run = await runs.insert({ id: newId(), source_id: sourceId, trigger, requested_by: actor.id, correlation_id: correlationId }, tx);
        if (options.enqueue) await jobs.send<DiscoveryRunJob>(RUN_QUEUE, { run_id: run.id }, { tx, correlationId });
        if (trigger !== 'schedule') {
          await audit.append(tx, { actor: actor.id, action: 'discovery.run.request', target: `discovery_source:${sourceId}`, before: null, after: { run_id: run.id, trigger }, correlationId });
        }
        return run;
      });
    } catch (error) {
      if (!isUniqueViolation(error, 'discovery_run_active_key')) throw error;
      const active = await runs.list({ source_id: sourceId, limit: 5 });
      const inFlight = active.find((run) => run.status === 'queued' || run.status === 'running');
      throw conflict(`a run of discovery source ${sourceId} is already ${inFlight?.status ?? 'in flight'}${inFlight ? `: ${inFlight.id}` : ''}`);
    }
  }

  return {
    /** POST /discovery/runs: the run is queued and a worker runs it (202). */
    request: (actor: Actor, sourceId: string) => createRun(actor, sourceId, 'api', { enqueue: true }),

    /** `orca discover` without a running server: the run happens in this process, and its result is returned. */
    async runHere(actor: Actor, sourceId: string, signal: AbortSignal): Promise<DiscoveryRun> {
      const run = await createRun(actor, sourceId, 'cli', { enqueue: false });
      return (await deps.execute(run.id, { signal, correlationId: run.correlation_id ?? run.id })) ?? run;
    },

    async get(id: string): Promise<DiscoveryRun> {
      const run = await runs.findById(id);
      if (!run) throw notFound(`discovery run ${id}`);
      return run;
    },

    async list(query: ListRunsQuery): Promise<{ items: DiscoveryRun[]; next_cursor: string | null }> {
      const limit = query.limit ?? 50;
      const rows = await runs.list({ source_id: query.source_id, status: query.status, limit: limit + 1, after: decodeCursor(query.cursor) });
      return pageOf(rows, limit);
    },

    async findings(query: ListFindingsQuery): Promise<{ items: DiscoveryFinding[]; next_cursor: string | null }> {
      const limit = query.limit ?? 50;
      const rows = await deps.identities.listFindings({ ...query, limit: limit + 1, after: decodeCursor(query.cursor) });
      return pageOf(rows, limit);
    },

    /** The scheduled sweep: a run for every source whose interval has passed, and abandoned runs marked failed. */
    async sweep(logger: Logger): Promise<{ scheduled: number; abandoned: number }> {
      const now = clock.now();
      const abandoned = await runs.failAbandoned(new Date(now.getTime() - deps.abandonAfterMs), now);
      if (abandoned.length > 0) logger.warn({ runs: abandoned }, 'discovery runs abandoned by a stopped process were marked failed');
      let scheduled = 0;
      for (const { id } of await sources.due(now)) {
        try {
          await createRun({ id: 'schedule', correlationId: null }, id, 'schedule', { enqueue: true });
          scheduled += 1;
        } catch (error) {
          // Another replica's sweep, or a request, got there first: the source has its run.
          logger.debug({ err: error, source_id: id }, 'scheduled discovery run not created');
        }
      }
      return { scheduled, abandoned: abandoned.length };
    },
  };
}

export type DiscoveryRunService = ReturnType<typeof createDiscoveryRunService>;
