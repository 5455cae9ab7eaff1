import { type Queryable, whereClause } from '../../platform/db/index.js';
import type { ReceiverKind } from './receivers.schemas.js';

/** A receiver row as stored: URL, secret, token and header values are ciphertext, opened only to send. */
export interface ReceiverRow {
  id: string;
  name: string;
  kind: ReceiverKind;
  url_ciphertext: string;
  url_display: string;
  secret_ciphertext: string | null;
  token_ciphertext: string | null;
  headers_ciphertext: string | null;
  header_names: string[];
  origin: 'api' | 'config';
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

export type NewReceiver = Omit<ReceiverRow, 'created_at' | 'updated_at' | 'deleted_at'>;
export type ReceiverChanges = Omit<NewReceiver, 'id' | 'kind' | 'origin'> & { kind?: ReceiverKind };

export function createReceiverRepository(
  db: Queryable,
  options: {
    /** Inside the transaction of every insert, update and delete (the receiver-name cache's invalidation). */
    onWrite?: (tx: Queryable) => Promise<void>;
  } = {},
) {
  const written = async <T>(tx: Queryable, row: T): Promise<T> => {
    await options.onWrite?.(tx);
    return row;
  };
  return {
    async insert(values: NewReceiver, tx: Queryable = db): Promise<ReceiverRow> {
      const { rows } = await tx.query<ReceiverRow>(
        `insert into receiver (id, name, kind, url_ciphertext, url_display, secret_ciphertext, token_ciphertext, headers_ciphertext, header_names, origin)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning *`,
        [
          values.id,
          values.name,
          values.kind,
          values.url_ciphertext,
          values.url_display,
          values.secret_ciphertext,
          values.token_ciphertext,
          values.headers_ciphertext,
          JSON.stringify(values.header_names),
          values.origin,
        ],
      );
      return written(tx, rows[0]!);
    },

    /** Live receivers only. */
    async findById(id: string, tx: Queryable = db, options: { forUpdate?: boolean } = {}): Promise<ReceiverRow | undefined> {
      const { rows } = await tx.query<ReceiverRow>(`select * from receiver where id = $1 and deleted_at is null${options.forUpdate ? ' for update' : ''}`, [id]);
      return rows[0];
    },

    async findByName(name: string, tx: Queryable = db, options: { forUpdate?: boolean } = {}): Promise<ReceiverRow | undefined> {
      const { rows } = await tx.query<ReceiverRow>(`select * from receiver where name = $1 and deleted_at is null${options.forUpdate ? ' for update' : ''}`, [name]);
      return rows[0];
    },

    /** Serialises the start-up reconciliation of receivers kept by settings across replicas starting together. */
    async lockSettingsReconciliation(tx: Queryable): Promise<void> {
      await tx.query(`select pg_advisory_xact_lock(hashtext('orca:receivers:settings:' || current_schema()))`);
    },

    async names(): Promise<string[]> {
      const { rows } = await db.query<{ name: string }>('select name from receiver where deleted_at is null order by name');
      return rows.map((row) => row.name);
    },

    async update(id: string, changes: ReceiverChanges, tx: Queryable = db): Promise<ReceiverRow> {
      const { rows } = await tx.query<ReceiverRow>(
        `update receiver set name = $2, url_ciphertext = $3, url_display = $4, secret_ciphertext = $5, token_ciphertext = $6,
                headers_ciphertext = $7, header_names = $8, kind = coalesce($9, kind), updated_at = now()
         where id = $1 returning *`,
        [
          id,
          changes.name,
          changes.url_ciphertext,
          changes.url_display,
          changes.secret_ciphertext,
          changes.token_ciphertext,
          changes.headers_ciphertext,
          JSON.stringify(changes.header_names),
          changes.kind ?? null,
        ],
      );
      return written(tx, rows[0]!);
    },

    async softDelete(id: string, tx: Queryable = db): Promise<ReceiverRow> {
      const { rows } = await tx.query<ReceiverRow>('update receiver set deleted_at = now(), updated_at = now() where id = $1 returning *', [id]);
      return written(tx, rows[0]!);
    },

    /** Keyset pagination on id (UUIDv7), newest first. */
    async list(query: { kind?: ReceiverKind; limit: number; after?: string }): Promise<ReceiverRow[]> {
      const where = whereClause().addFixed('deleted_at is null');
      if (query.kind) where.add((p) => `kind = ${p}`, query.kind);
      if (query.after) where.add((p) => `id < ${p}`, query.after);
      const limit = where.bind(query.limit);
      const { text, values } = where.build();
      const { rows } = await db.query<ReceiverRow>(`select * from receiver ${text} order by id desc limit ${limit}`, values);
      return rows;
    },
  };
}

export type ReceiverRepository = ReturnType<typeof createReceiverRepository>;
