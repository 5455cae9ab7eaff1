import { type Queryable, whereClause } from '../../platform/db/index.js';

export interface IncidentRecord {
  id: string;
  kind: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  title: string | null;
  agent_id: string | null;
  gap_id: string | null;
  loss_usd: number;
  status: 'open' | 'mitigated' | 'resolved';
  resolved_by: 'auto' | 'human' | null;
  resolution_note: string | null;
  opened_by: string;
  opened_at: string;
  resolved_at: string | null;
  created_at: string;
  updated_at: string;
}

type IncidentRow = Omit<IncidentRecord, 'opened_at' | 'resolved_at' | 'created_at' | 'updated_at'> & {
  opened_at: Date;
  resolved_at: Date | null;
  created_at: Date;
  updated_at: Date;
};

/** Timestamps cross the API as ISO strings (the response schema's date-time). */
function toRecord(row: IncidentRow): IncidentRecord {
  return {
    ...row,
    loss_usd: Number(row.loss_usd),
    opened_at: row.opened_at.toISOString(),
    resolved_at: row.resolved_at ? row.resolved_at.toISOString() : null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

const columns = (alias = '') =>
  ['id', 'kind', 'severity', 'title', 'agent_id', 'gap_id', 'loss_usd::float8 as loss_usd', 'status', 'resolved_by', 'resolution_note', 'opened_by', 'opened_at', 'resolved_at', 'created_at', 'updated_at']
    .map((column) => `${alias}${column}`)
    .join(', ');
const COLUMNS = columns();

export function createIncidentRepository(db: Queryable) {
  return {
    async insert(values: Omit<IncidentRow, 'created_at' | 'updated_at' | 'resolved_at' | 'resolved_by' | 'resolution_note'>, tx: Queryable = db): Promise<IncidentRecord> {
      const { rows } = await tx.query<IncidentRow>(
        `insert into incident (id, kind, severity, title, agent_id, gap_id, loss_usd, status, opened_by, opened_at, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $10) returning ${COLUMNS}`,
        [values.id, values.kind, values.severity, values.title, values.agent_id, values.gap_id, values.loss_usd, values.status, values.opened_by, values.opened_at],
      );
      return toRecord(rows[0]!);
    },

    async findById(id: string, tx: Queryable = db, forUpdate = false): Promise<IncidentRecord | undefined> {
      const { rows } = await tx.query<IncidentRow>(`select ${COLUMNS} from incident where id = $1 ${forUpdate ? 'for update' : ''}`, [id]);
      return rows[0] ? toRecord(rows[0]) : undefined;
    },

    async resolve(id: string, values: { resolved_by: 'auto' | 'human'; note: string | null; loss_usd?: number; at: Date }, tx: Queryable = db): Promise<IncidentRecord> {
      const { rows } = await tx.query<IncidentRow>(
        `update incident set status = 'resolved', resolved_by = $2, resolution_note = $3, resolved_at = $4, updated_at = $4,
                loss_usd = coalesce($5, loss_usd)
          where id = $1 returning ${COLUMNS}`,
        [id, values.resolved_by, values.note, values.at, values.loss_usd ?? null],
      );
      return toRecord(rows[0]!);
    },

    /** Newest first (UUIDv7 ids are creation order). */
    async list(filter: { status?: string; severity?: string; agent_id?: string; gap_id?: string; limit: number; before?: string }, tx: Queryable = db): Promise<IncidentRecord[]> {
      const where = whereClause();
      for (const key of ['status', 'severity', 'agent_id', 'gap_id'] as const) {
        if (filter[key] !== undefined) where.add((p) => `${key} = ${p}`, filter[key]);
      }
      if (filter.before) where.add((p) => `id < ${p}`, filter.before);
      const limit = where.bind(filter.limit);
      const { text, values } = where.build();
      const { rows } = await tx.query<IncidentRow>(`select ${COLUMNS} from incident ${text} order by id desc limit ${limit}`, values);
      return rows.map(toRecord);
    },

    /** Open incidents whose linked gap has been resolved automatically by `now`, locked for the resolution. */
    async openWithAutoResolvedGap(now: Date, tx: Queryable = db): Promise<Array<{ incident: IncidentRecord; gapResolvedAt: Date; openedAt: Date }>> {
      const { rows } = await tx.query<IncidentRow & { gap_resolved_at: Date }>(
        `select ${columns('i.')}, g.resolved_at as gap_resolved_at
           from incident i join sync_gap g on g.id = i.gap_id
          where i.status <> 'resolved' and g.resolution = 'auto' and g.resolved_at is not null and g.resolved_at <= $1
          order by i.id for update of i skip locked`,
        [now],
      );
      return rows.map(({ gap_resolved_at: gapResolvedAt, ...row }) => ({ incident: toRecord(row), gapResolvedAt, openedAt: row.opened_at }));
    },

    async agentExists(id: string, tx: Queryable = db): Promise<boolean> {
      const { rows } = await tx.query('select 1 from agent where id = $1', [id]);
      return rows.length > 0;
    },

    /** null when the sync module's table is not installed. */
    async gapExists(id: string, tx: Queryable = db): Promise<boolean | null> {
      const { rows } = await tx.query<{ present: boolean }>(`select to_regclass('sync_gap') is not null as present`);
      if (!rows[0]?.present) return null;
      const found = await tx.query('select 1 from sync_gap where id = $1', [id]);
      return found.rows.length > 0;
    },
  };
}

export type IncidentRepository = ReturnType<typeof createIncidentRepository>;
