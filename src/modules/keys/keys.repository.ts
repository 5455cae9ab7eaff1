import type { Queryable } from '../../platform/db/index.js';
import type { Role } from '../../platform/http/roles.js';

export type KeyOrigin = 'api' | 'cli' | 'bootstrap' | 'env';

export interface ApiKeyRecord {
  id: string;
  name: string;
  prefix: string;
  hash: string;
  role: Role;
  origin: KeyOrigin;
  created_by: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

interface ApiKeyRow extends Omit<ApiKeyRecord, 'created_at' | 'expires_at' | 'last_used_at' | 'revoked_at'> {
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    ...row,
    created_at: row.created_at.toISOString(),
    expires_at: row.expires_at?.toISOString() ?? null,
    last_used_at: row.last_used_at?.toISOString() ?? null,
    revoked_at: row.revoked_at?.toISOString() ?? null,
  };
}

export interface NewApiKey {
  id: string;
  name: string;
  prefix: string;
  hash: string;
  role: Role;
  origin: KeyOrigin;
  created_by: string;
  expires_at: string | null;
}

export function createKeyRepository(db: Queryable) {
  return {
    async insert(key: NewApiKey, tx: Queryable = db): Promise<ApiKeyRecord> {
      const { rows } = await tx.query<ApiKeyRow>(
        `insert into api_key (id, name, prefix, hash, role, origin, created_by, expires_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning *`,
        [key.id, key.name, key.prefix, key.hash, key.role, key.origin, key.created_by, key.expires_at],
      );
      return toRecord(rows[0]!);
    },

    /** API_KEYS entries are matched by name: a changed secret or role replaces the old one; a revocation sticks. */
    async upsertEnvKey(key: NewApiKey, tx: Queryable = db): Promise<{ record: ApiKeyRecord; changed: boolean }> {
      const existing = await tx.query<ApiKeyRow>(`select * from api_key where origin = 'env' and name = $1 for update`, [key.name]);
      const current = existing.rows[0];
      if (!current) return { record: await this.insert(key, tx), changed: true };
      if (current.hash === key.hash && current.role === key.role) return { record: toRecord(current), changed: false };
      const { rows } = await tx.query<ApiKeyRow>(
        'update api_key set hash = $2, prefix = $3, role = $4, updated_at = now() where id = $1 returning *',
        [current.id, key.hash, key.prefix, key.role],
      );
      return { record: toRecord(rows[0]!), changed: true };
    },

    async findByHash(hash: string): Promise<ApiKeyRecord | undefined> {
      const { rows } = await db.query<ApiKeyRow>('select * from api_key where hash = $1', [hash]);
      return rows[0] ? toRecord(rows[0]) : undefined;
    },

    async findById(id: string, tx: Queryable = db, forUpdate = false): Promise<ApiKeyRecord | undefined> {
      const { rows } = await tx.query<ApiKeyRow>(`select * from api_key where id = $1${forUpdate ? ' for update' : ''}`, [id]);
      return rows[0] ? toRecord(rows[0]) : undefined;
    },

    async list(limit: number, afterId?: string): Promise<ApiKeyRecord[]> {
      const { rows } = await db.query<ApiKeyRow>(
        `select * from api_key ${afterId ? 'where id < $2' : ''} order by id desc limit $1`,
        afterId ? [limit, afterId] : [limit],
      );
      return rows.map(toRecord);
    },

    async count(tx: Queryable = db): Promise<number> {
      const { rows } = await tx.query<{ count: number }>('select count(*)::int8 as count from api_key');
      return rows[0]?.count ?? 0;
    },

    async countActiveAdmins(tx: Queryable, now: Date): Promise<number> {
      const { rows } = await tx.query<{ count: number }>(
        `select count(*)::int8 as count from api_key
         where role = 'admin' and revoked_at is null and (expires_at is null or expires_at > $1)`,
        [now.toISOString()],
      );
      return rows[0]?.count ?? 0;
    },

    async revoke(id: string, at: Date, tx: Queryable): Promise<ApiKeyRecord> {
      const { rows } = await tx.query<ApiKeyRow>('update api_key set revoked_at = $2, updated_at = now() where id = $1 returning *', [
        id,
        at.toISOString(),
      ]);
      return toRecord(rows[0]!);
    },

    /** One statement for every key used since the last flush: last_used_at never costs a write per request. */
    async recordLastUsed(usage: Array<{ id: string; at: string }>): Promise<void> {
      if (usage.length === 0) return;
      await db.query(
        `update api_key k set last_used_at = greatest(coalesce(k.last_used_at, u.at), u.at)
         from (select unnest($1::uuid[]) as id, unnest($2::timestamptz[]) as at) u
         where k.id = u.id`,
        [usage.map((u) => u.id), usage.map((u) => u.at)],
      );
    },

    /**
     * Serialises revocations across replicas for the rest of the transaction. Without it, two admins revoking each
     * other at once both counted two active admins and both succeeded, leaving no admin at all.
     */
    async lockRevocations(tx: Queryable): Promise<void> {
      await tx.query(`select pg_advisory_xact_lock(hashtext('orca:keys:revoke:' || current_schema()))`);
    },

    /** Serialises first-start bootstrapping across replicas for the rest of the transaction. */
    async lockBootstrap(tx: Queryable): Promise<void> {
      await tx.query(`select pg_advisory_xact_lock(hashtext('orca:keys:bootstrap:' || current_schema()))`);
    },
  };
}

export type KeyRepository = ReturnType<typeof createKeyRepository>;
