import { type Queryable, whereClause } from '../../platform/db/index.js';
import type { DiscoverySourceKind } from './connectors/types.js';
import type { RunStatus } from './discovery.schemas.js';

/** A discovery source as stored: credentials are ciphertext here, opened only by the run that uses them. */
export interface DiscoverySourceRow {
  id: string;
  kind: DiscoverySourceKind;
  name: string;
  config: Record<string, unknown>;
  credentials_ciphertext: string | null;
  credentials_set_at: Date | null;
  schedule: string | null;
  schedule_ms: number | null;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
  last_run_id?: string | null;
  last_run_status?: RunStatus | null;
  last_run_created_at?: Date | null;
  last_run_finished_at?: Date | null;
}

export type NewDiscoverySource = Omit<DiscoverySourceRow, 'created_at' | 'updated_at' | 'deleted_at' | `last_run_${string}`>;
export type DiscoverySourceChanges = Pick<DiscoverySourceRow, 'name' | 'config' | 'credentials_ciphertext' | 'credentials_set_at' | 'schedule' | 'schedule_ms' | 'enabled'>;

/** Each source with its latest run, for the API (one lateral join rather than one query per source). */
const SELECT_WITH_LAST_RUN = `
  select s.*, r.id as last_run_id, r.status as last_run_status, r.created_at as last_run_created_at, r.finished_at as last_run_finished_at
    from discovery_source s
    left join lateral (select id, status, created_at, finished_at from discovery_run where source_id = s.id order by id desc limit 1) r on true`;

export function createDiscoverySourceRepository(db: Queryable) {
  return {
    async insert(values: NewDiscoverySource, tx: Queryable = db): Promise<DiscoverySourceRow> {
      const { rows } = await tx.query<DiscoverySourceRow>(
        `insert into discovery_source (id, kind, name, config, credentials_ciphertext, credentials_set_at, schedule, schedule_ms, enabled)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning *`,
        [values.id, values.kind, values.name, JSON.stringify(values.config), values.credentials_ciphertext, values.credentials_set_at, values.schedule, values.schedule_ms, values.enabled],
      );
      return rows[0]!;
    },

    async update(id: string, changes: DiscoverySourceChanges, tx: Queryable = db): Promise<void> {
      await tx.query(
        `update discovery_source set name = $2, config = $3, credentials_ciphertext = $4, credentials_set_at = $5, schedule = $6,
                schedule_ms = $7, enabled = $8, updated_at = now()
          where id = $1`,
        [id, changes.name, JSON.stringify(changes.config), changes.credentials_ciphertext, changes.credentials_set_at, changes.schedule, changes.schedule_ms, changes.enabled],
      );
    },

    async softDelete(id: string, tx: Queryable = db): Promise<void> {
      await tx.query('update discovery_source set deleted_at = now(), enabled = false, updated_at = now() where id = $1', [id]);
    },

    /** Live (not deleted) sources only. */
    async findById(id: string, tx: Queryable = db, options: { forUpdate?: boolean } = {}): Promise<DiscoverySourceRow | undefined> {
      const { rows } = options.forUpdate
        ? await tx.query<DiscoverySourceRow>('select * from discovery_source where id = $1 and deleted_at is null for update', [id])
        : await tx.query<DiscoverySourceRow>(`${SELECT_WITH_LAST_RUN} where s.id = $1 and s.deleted_at is null`, [id]);
      return rows[0];
    },

    /** Keyset pagination on id (UUIDv7), newest first. */
    async list(query: { kind?: DiscoverySourceKind; enabled?: boolean; limit: number; after?: string }): Promise<DiscoverySourceRow[]> {
      const where = whereClause().addFixed('s.deleted_at is null');
      if (query.kind) where.add((p) => `s.kind = ${p}`, query.kind);
      if (query.enabled !== undefined) where.add((p) => `s.enabled = ${p}`, query.enabled);
      if (query.after) where.add((p) => `s.id < ${p}`, query.after);
      const limit = where.bind(query.limit);
      const { text, values } = where.build();
      const { rows } = await db.query<DiscoverySourceRow>(`${SELECT_WITH_LAST_RUN} ${text} order by s.id desc limit ${limit}`, values);
      return rows;
    },

    /** Enabled scheduled sources whose interval has passed since their latest run (or that never ran), with none in flight. */
    async due(now: Date, tx: Queryable = db): Promise<Array<{ id: string }>> {
      const { rows } = await tx.query<{ id: string }>(
        `select s.id from discovery_source s
          where s.deleted_at is null and s.enabled and s.schedule_ms is not null
            and not exists (select 1 from discovery_run r where r.source_id = s.id and r.status in ('queued', 'running'))
            and coalesce((select max(r.created_at) from discovery_run r where r.source_id = s.id), '-infinity'::timestamptz)
                <= $1::timestamptz - make_interval(secs => s.schedule_ms / 1000.0)
          order by s.id`,
        [now],
      );
      return rows;
    },
  };
}

export type DiscoverySourceRepository = ReturnType<typeof createDiscoverySourceRepository>;
