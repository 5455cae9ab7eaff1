import { type Queryable, whereClause } from '../../platform/db/index.js';
import type { RunError } from './connectors/types.js';
import type { DiscoveryRun, RunStatus, RunTrigger } from './discovery.schemas.js';

interface RunRow {
  id: string;
  source_id: string;
  status: RunStatus;
  trigger: RunTrigger;
  requested_by: string;
  found: number;
  new: number;
  linked: number;
  changed: number;
  unchanged: number;
  missing: number;
  errors: RunError[];
  attempts: number;
  correlation_id: string | null;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface RunOutcome {
  status: Extract<RunStatus, 'succeeded' | 'partial' | 'failed'>;
  found: number;
  new: number;
  linked: number;
  changed: number;
  unchanged: number;
  missing: number;
  errors: RunError[];
}

export function toRun(row: RunRow): DiscoveryRun {
  const { updated_at: _updated, ...rest } = row;
  return {
    ...rest,
    created_at: row.created_at.toISOString(),
    started_at: row.started_at?.toISOString() ?? null,
    finished_at: row.finished_at?.toISOString() ?? null,
  };
}

export function createDiscoveryRunRepository(db: Queryable) {
  return {
    async insert(run: { id: string; source_id: string; trigger: RunTrigger; requested_by: string; correlation_id: string | null }, tx: Queryable = db): Promise<DiscoveryRun> {
      const { rows } = await tx.query<RunRow>(
        `insert into discovery_run (id, source_id, status, trigger, requested_by, correlation_id) values ($1, $2, 'queued', $3, $4, $5) returning *`,
        [run.id, run.source_id, run.trigger, run.requested_by, run.correlation_id],
      );
      return toRun(rows[0]!);
    },

    async findById(id: string, tx: Queryable = db): Promise<DiscoveryRun | undefined> {
      const { rows } = await tx.query<RunRow>('select * from discovery_run where id = $1', [id]);
      return rows[0] ? toRun(rows[0]) : undefined;
    },

    /** Claims a queued (or, on a job's retry, running) run: null when it already finished. */
    async start(id: string, at: Date, tx: Queryable = db): Promise<DiscoveryRun | undefined> {
      const { rows } = await tx.query<RunRow>(
        `update discovery_run set status = 'running', attempts = attempts + 1, started_at = coalesce(started_at, $2), updated_at = now()
          where id = $1 and status in ('queued', 'running') returning *`,
        [id, at],
      );
      return rows[0] ? toRun(rows[0]) : undefined;
    },

    /** Progress while listing, for a terminal watching the run: the run record is the only row a run writes as it goes. */
    async recordFound(id: string, found: number, tx: Queryable = db): Promise<void> {
      await tx.query(`update discovery_run set found = $2, updated_at = now() where id = $1 and status = 'running'`, [id, found]);
    },

    async finish(id: string, outcome: RunOutcome, at: Date, tx: Queryable = db): Promise<DiscoveryRun> {
      const { rows } = await tx.query<RunRow>(
        `update discovery_run set status = $2, found = $3, new = $4, changed = $5, unchanged = $6, missing = $7, errors = $8,
                finished_at = $9, linked = $10, updated_at = now()
          where id = $1 returning *`,
        [id, outcome.status, outcome.found, outcome.new, outcome.changed, outcome.unchanged, outcome.missing, JSON.stringify(outcome.errors), at, outcome.linked],
      );
      return toRun(rows[0]!);
    },

    /** Runs still marked running long after any attempt could still be alive: their process died on the last attempt. */
    async failAbandoned(startedBefore: Date, at: Date, tx: Queryable = db): Promise<string[]> {
      const { rows } = await tx.query<{ id: string }>(
        `update discovery_run set status = 'failed', finished_at = $2, updated_at = now(),
                errors = errors || '[{"code": "abandoned", "message": "the process running the discovery stopped before it finished"}]'::jsonb
          where status = 'running' and started_at < $1 returning id`,
        [startedBefore, at],
      );
      return rows.map((row) => row.id);
    },

    /** Keyset pagination on id (UUIDv7), newest first. */
    async list(query: { source_id?: string; status?: RunStatus; limit: number; after?: string }): Promise<DiscoveryRun[]> {
      const where = whereClause();
      if (query.source_id) where.add((p) => `source_id = ${p}`, query.source_id);
      if (query.status) where.add((p) => `status = ${p}`, query.status);
      if (query.after) where.add((p) => `id < ${p}`, query.after);
      const limit = where.bind(query.limit);
      const { text, values } = where.build();
      const { rows } = await db.query<RunRow>(`select * from discovery_run ${text} order by id desc limit ${limit}`, values);
      return rows.map(toRun);
    },
  };
}

export type DiscoveryRunRepository = ReturnType<typeof createDiscoveryRunRepository>;
