import type { Queryable } from '../../platform/db/index.js';

export interface SilenceRow {
  id: string;
  matchers: string[];
  starts_at: Date;
  ends_at: Date;
  comment: string;
  created_by: string;
  created_at: Date;
  expired_at: Date | null;
}

export function createSilencesRepository(db: Queryable) {
  return {
    async insert(values: Omit<SilenceRow, 'created_at' | 'expired_at'>, tx: Queryable): Promise<SilenceRow> {
      const { rows } = await tx.query<SilenceRow>(
        `insert into alert_silence (id, matchers, starts_at, ends_at, comment, created_by)
         values ($1, $2, $3, $4, $5, $6) returning *`,
        [values.id, JSON.stringify(values.matchers), values.starts_at, values.ends_at, values.comment, values.created_by],
      );
      return rows[0]!;
    },

    async find(id: string, tx: Queryable = db): Promise<SilenceRow | undefined> {
      const { rows } = await tx.query<SilenceRow>('select * from alert_silence where id = $1', [id]);
      return rows[0];
    },

    /** Newest first, keyset on id (UUIDv7). */
    async list(limit: number, beforeId: string | undefined): Promise<SilenceRow[]> {
      const { rows } = await db.query<SilenceRow>(
        `select * from alert_silence ${beforeId ? 'where id < $2' : ''} order by id desc limit $1`,
        beforeId ? [limit, beforeId] : [limit],
      );
      return rows;
    },

    /** Silences in force at `now` (or starting later), the ones evaluation and the alert list consult. */
    async listCurrent(now: Date, tx: Queryable = db): Promise<SilenceRow[]> {
      const { rows } = await tx.query<SilenceRow>('select * from alert_silence where ends_at > $1 and expired_at is null order by id', [now]);
      return rows;
    },

    async expire(id: string, now: Date, tx: Queryable): Promise<SilenceRow | undefined> {
      const { rows } = await tx.query<SilenceRow>(
        'update alert_silence set expired_at = $2, ends_at = least(ends_at, greatest(starts_at + interval \'1 millisecond\', $2)) where id = $1 and expired_at is null returning *',
        [id, now],
      );
      return rows[0];
    },
  };
}

export type SilencesRepository = ReturnType<typeof createSilencesRepository>;
