import type { Queryable } from '../../platform/db/index.js';
import type { GapType, Severity } from './contract-schema.js';
import type { EntityRef } from './entity-state.repository.js';

export interface GapRow {
  id: string;
  type: GapType;
  severity: Severity;
  contract: string | null;
  stream: string | null;
  rule: string;
  entity_type: string | null;
  entity_id: string | null;
  agent_id: string | null;
  detected_at: Date;
  due_at: Date | null;
  resolved_at: Date | null;
  resolution: 'auto' | 'manual' | null;
  resolved_by: string | null;
  resolution_reason: string | null;
  risk_kind: string | null;
  cost_usd: number;
  detail: Record<string, unknown>;
}

export type NewGap = Omit<GapRow, 'resolved_at' | 'resolution' | 'resolved_by' | 'resolution_reason'>;

/** What makes a gap the same gap: at most one with this identity is open at a time. */
export interface GapIdentity {
  type: GapType;
  contract: string | null;
  rule: string;
  entity_id: string | null;
}

/** The identity of an entity's gap of one type under one rule, as a map key. */
export const gapKey = (type: GapType, ref: { contract: string; rule: string; entity_id?: string; key?: string }): string =>
  `${type}\u0000${ref.contract}\u0000${ref.rule}\u0000${ref.entity_id ?? ref.key ?? ''}`;

export interface GapFilters {
  type?: GapType;
  severity?: Severity;
  status?: 'open' | 'resolved';
  contract?: string;
  agent_id?: string;
  entity?: string;
  stream?: string;
  rule?: string;
}

const GAP_COLUMNS = [
  'id',
  'type',
  'severity',
  'contract',
  'stream',
  'rule',
  'entity_type',
  'entity_id',
  'agent_id',
  'detected_at',
  'due_at',
  'risk_kind',
  'cost_usd',
  'detail',
] as const satisfies readonly (keyof NewGap)[];

/** The gaps the analyzer opens and closes, and operators list and resolve (sync_gap). */
export function createGapsRepository(db: Queryable) {
  return {
    /** Opens a gap unless one with the same identity is open; returns the open gap's id either way. */
    async openGap(tx: Queryable, gap: NewGap): Promise<{ id: string; opened: boolean }> {
      const placeholders = GAP_COLUMNS.map((_, index) => `$${index + 1}`).join(', ');
      const { rows } = await tx.query<{ id: string }>(
        `insert into sync_gap (${GAP_COLUMNS.join(', ')}) values (${placeholders})
         on conflict (type, coalesce(contract, ''), rule, coalesce(entity_id, '')) where resolved_at is null do nothing
         returning id`,
        GAP_COLUMNS.map((column) => (column === 'detail' ? JSON.stringify(gap.detail) : gap[column])),
      );
      if (rows[0]) return { id: rows[0].id, opened: true };
      const existing = await tx.query<{ id: string }>(
        `select id from sync_gap where type = $1 and coalesce(contract, '') = coalesce($2, '') and rule = $3
           and coalesce(entity_id, '') = coalesce($4, '') and resolved_at is null`,
        [gap.type, gap.contract, gap.rule, gap.entity_id],
      );
      return { id: existing.rows[0]!.id, opened: false };
    },

    /** Replaces an open gap's evidence, so that it stays current while the condition persists. */
    async replaceDetail(tx: Queryable, id: string, detail: Record<string, unknown>): Promise<void> {
      await tx.query('update sync_gap set detail = $2::jsonb, updated_at = now() where id = $1', [id, JSON.stringify(detail)]);
    },

    /** Closes the open gap with this identity, if any (the data arrived or agrees again). */
    async autoResolve(tx: Queryable, identity: GapIdentity, at: Date, detail: Record<string, unknown>): Promise<GapRow[]> {
      const { rows } = await tx.query<GapRow>(
        `update sync_gap set resolved_at = $5, resolution = 'auto', resolved_by = 'analyzer', detail = detail || $6::jsonb, updated_at = now()
         where type = $1 and coalesce(contract, '') = coalesce($2, '') and rule = $3 and coalesce(entity_id, '') = coalesce($4, '')
           and resolved_at is null
         returning *`,
        [identity.type, identity.contract, identity.rule, identity.entity_id, at, JSON.stringify(detail)],
      );
      return rows;
    },

    async autoResolveIds(tx: Queryable, ids: string[], at: Date, detail: Record<string, unknown>): Promise<GapRow[]> {
      if (ids.length === 0) return [];
      const { rows } = await tx.query<GapRow>(
        `update sync_gap set resolved_at = $2, resolution = 'auto', resolved_by = 'analyzer', detail = detail || $3::jsonb, updated_at = now()
         where id = any($1::uuid[]) and resolved_at is null
         returning *`,
        [ids, at, JSON.stringify(detail)],
      );
      return rows;
    },

    async findGap(id: string, tx: Queryable = db, options: { forUpdate?: boolean } = {}): Promise<GapRow | undefined> {
      const { rows } = await tx.query<GapRow>(`select * from sync_gap where id = $1${options.forUpdate ? ' for update' : ''}`, [id]);
      return rows[0];
    },

    async resolveManually(tx: Queryable, id: string, at: Date, actor: string, reason: string): Promise<GapRow> {
      const { rows } = await tx.query<GapRow>(
        `update sync_gap set resolved_at = $2, resolution = 'manual', resolved_by = $3, resolution_reason = $4, updated_at = now()
         where id = $1 returning *`,
        [id, at, actor, reason],
      );
      return rows[0]!;
    },

    /** Keyset pagination on id (UUIDv7), newest first. */
    async listGaps(filters: GapFilters & { limit: number; after?: string }, tx: Queryable = db): Promise<GapRow[]> {
      const conditions: string[] = [];
      const values: unknown[] = [];
      const add = (sql: (placeholder: string) => string, value: unknown) => {
        values.push(value);
        conditions.push(sql(`$${values.length}`));
      };
      if (filters.type) add((p) => `type = ${p}`, filters.type);
      if (filters.severity) add((p) => `severity = ${p}`, filters.severity);
      if (filters.status === 'open') conditions.push('resolved_at is null');
      if (filters.status === 'resolved') conditions.push('resolved_at is not null');
      if (filters.contract) add((p) => `contract = ${p}`, filters.contract);
      if (filters.agent_id) add((p) => `agent_id = ${p}`, filters.agent_id);
      if (filters.entity) add((p) => `entity_id = ${p}`, filters.entity);
      if (filters.stream) add((p) => `stream = ${p}`, filters.stream);
      if (filters.rule) add((p) => `rule = ${p}`, filters.rule);
      if (filters.after) add((p) => `id < ${p}`, filters.after);
      values.push(filters.limit);
      const where = conditions.length > 0 ? `where ${conditions.join(' and ')}` : '';
      const { rows } = await tx.query<GapRow>(`select * from sync_gap ${where} order by id desc limit $${values.length}`, values);
      return rows;
    },

    async countOpenGaps(tx: Queryable = db): Promise<Array<{ type: GapType; severity: Severity; count: number }>> {
      const { rows } = await tx.query<{ type: GapType; severity: Severity; count: number }>(
        'select type, severity, count(*)::int8 as count from sync_gap where resolved_at is null group by type, severity',
      );
      return rows;
    },

    async openGapsByStream(tx: Queryable = db): Promise<Array<{ contract: string; stream: string; count: number }>> {
      const { rows } = await tx.query<{ contract: string; stream: string; count: number }>(
        `select contract, stream, count(*)::int8 as count from sync_gap
         where resolved_at is null and contract is not null and stream is not null group by contract, stream`,
      );
      return rows;
    },

    /**
     * The open gaps of the given types whose (contract, rule, entity) is one of `refs`, as `gapKey`s: which automatic
     * resolutions a batch may have to make, so that the others cost no statement.
     */
    async openGapKeys(tx: Queryable, types: GapType[], refs: EntityRef[]): Promise<Set<string>> {
      if (refs.length === 0) return new Set();
      const { rows } = await tx.query<{ type: GapType; contract: string; rule: string; entity_id: string }>(
        `select g.type, g.contract, g.rule, g.entity_id
         from rows from (unnest($1::text[]), unnest($2::text[]), unnest($3::text[])) as x(contract, rule, key)
         join sync_gap g on coalesce(g.contract, '') = x.contract and g.rule = x.rule and coalesce(g.entity_id, '') = x.key
         where g.type = any($4::text[]) and g.resolved_at is null`,
        [refs.map((ref) => ref.contract), refs.map((ref) => ref.rule), refs.map((ref) => ref.key), types],
      );
      return new Set(rows.map((row) => gapKey(row.type, row)));
    },

    /**
     * Open gaps attributed to a contract (to close those whose rule a new contracts version removed). Not locked:
     * the closing update re-checks `resolved_at is null`, so a gap the analyzer closes meanwhile stays as it closed.
     */
    async openAttributedGaps(tx: Queryable = db): Promise<Array<{ id: string; contract: string; rule: string }>> {
      const { rows } = await tx.query<{ id: string; contract: string; rule: string }>(
        'select id, contract, rule from sync_gap where resolved_at is null and contract is not null order by id',
      );
      return rows;
    },
  };
}

export type GapsRepository = ReturnType<typeof createGapsRepository>;
