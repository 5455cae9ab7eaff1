import type { Queryable } from '../../platform/db/index.js';
import type { FieldMapping, SourceKind } from '../ingest/index.js';

/** A source row as stored: secrets are ciphertext here and are decrypted only by the service. */
export interface SourceRow {
  id: string;
  kind: SourceKind;
  name: string;
  description: string | null;
  enabled: boolean;
  signing_options: Record<string, unknown>;
  tolerance_seconds: number;
  mapping: FieldMapping;
  secret_ciphertext: string;
  previous_secret_ciphertext: string | null;
  previous_secret_expires_at: Date | null;
  secret_rotated_at: Date | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

export type NewSource = Omit<SourceRow, 'created_at' | 'updated_at' | 'deleted_at'>;
export type SourceChanges = Pick<SourceRow, 'name' | 'description' | 'enabled' | 'signing_options' | 'tolerance_seconds' | 'mapping'>;

export function createSourceRepository(db: Queryable) {
  return {
    async insert(values: NewSource, tx: Queryable = db): Promise<SourceRow> {
      const { rows } = await tx.query<SourceRow>(
        `insert into source (id, kind, name, description, enabled, signing_options, tolerance_seconds, mapping,
                             secret_ciphertext, previous_secret_ciphertext, previous_secret_expires_at, secret_rotated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning *`,
        [
          values.id,
          values.kind,
          values.name,
          values.description,
          values.enabled,
          JSON.stringify(values.signing_options),
          values.tolerance_seconds,
          JSON.stringify(values.mapping),
          values.secret_ciphertext,
          values.previous_secret_ciphertext,
          values.previous_secret_expires_at,
          values.secret_rotated_at,
        ],
      );
      return rows[0]!;
    },

    /** Live (not deleted) sources only: a deleted source is gone for the API and for ingestion. */
    async findById(id: string, tx: Queryable = db, options: { forUpdate?: boolean } = {}): Promise<SourceRow | undefined> {
      const { rows } = await tx.query<SourceRow>(
        `select * from source where id = $1 and deleted_at is null${options.forUpdate ? ' for update' : ''}`,
        [id],
      );
      return rows[0];
    },

    async update(id: string, changes: SourceChanges, tx: Queryable = db): Promise<SourceRow> {
      const { rows } = await tx.query<SourceRow>(
        `update source set name = $2, description = $3, enabled = $4, signing_options = $5, tolerance_seconds = $6,
                mapping = $7, updated_at = now()
         where id = $1 returning *`,
        [id, changes.name, changes.description, changes.enabled, JSON.stringify(changes.signing_options), changes.tolerance_seconds, JSON.stringify(changes.mapping)],
      );
      return rows[0]!;
    },

    async rotateSecret(
      id: string,
      secret: { current: string; previous: string | null; previousExpiresAt: Date | null; rotatedAt: Date },
      tx: Queryable = db,
    ): Promise<SourceRow> {
      const { rows } = await tx.query<SourceRow>(
        `update source set secret_ciphertext = $2, previous_secret_ciphertext = $3, previous_secret_expires_at = $4,
                secret_rotated_at = $5, updated_at = now()
         where id = $1 returning *`,
        [id, secret.current, secret.previous, secret.previousExpiresAt, secret.rotatedAt],
      );
      return rows[0]!;
    },

    async softDelete(id: string, tx: Queryable = db): Promise<SourceRow> {
      const { rows } = await tx.query<SourceRow>(
        'update source set deleted_at = now(), enabled = false, updated_at = now() where id = $1 returning *',
        [id],
      );
      return rows[0]!;
    },

    /** Keyset pagination on id (UUIDv7), newest first. */
    async list(query: { kind?: SourceKind; enabled?: boolean; limit: number; after?: string }): Promise<SourceRow[]> {
      const conditions = ['deleted_at is null'];
      const values: unknown[] = [];
      const add = (sql: (placeholder: string) => string, value: unknown) => {
        values.push(value);
        conditions.push(sql(`$${values.length}`));
      };
      if (query.kind) add((p) => `kind = ${p}`, query.kind);
      if (query.enabled !== undefined) add((p) => `enabled = ${p}`, query.enabled);
      if (query.after) add((p) => `id < ${p}`, query.after);
      values.push(query.limit);
      const { rows } = await db.query<SourceRow>(
        `select * from source where ${conditions.join(' and ')} order by id desc limit $${values.length}`,
        values,
      );
      return rows;
    },
  };
}

export type SourceRepository = ReturnType<typeof createSourceRepository>;
