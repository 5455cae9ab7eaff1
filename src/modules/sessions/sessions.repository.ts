import type { Queryable } from '../../platform/db/index.js';
import type { Role } from '../../platform/http/roles.js';

/** A session that may act now, with the key it acts as. */
export interface LiveSession {
  id: string;
  key_id: string;
  key_name: string;
  /** Never `ingest`: ingest keys are refused a session, and a key that became one has none that acts. */
  role: Exclude<Role, 'ingest'>;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

interface LiveSessionRow extends Omit<LiveSession, 'created_at' | 'expires_at'> {
  created_at: Date;
  expires_at: Date;
}

const toLiveSession = (row: LiveSessionRow): LiveSession => ({
  ...row,
  created_at: row.created_at.toISOString(),
  expires_at: row.expires_at.toISOString(),
});

export interface NewSession {
  id: string;
  tokenHash: string;
  keyId: string;
  csrfToken: string;
  /** The session's own end; the key's expiry, when earlier, wins (the insert takes the least of the two). */
  expiresAt: Date;
}

export function createSessionRepository(db: Queryable) {
  return {
    async insert(session: NewSession, tx: Queryable = db): Promise<LiveSession> {
      const { rows } = await tx.query<LiveSessionRow>(
        `with inserted as (
           insert into console_session (id, token_hash, key_id, csrf_token, expires_at)
           select $1, $2, k.id, $4, least($5::timestamptz, k.expires_at) from api_key k where k.id = $3
           returning id, key_id, csrf_token, created_at, expires_at
         )
         select i.id, i.key_id, k.name as key_name, k.role, i.csrf_token, i.created_at, i.expires_at
         from inserted i join api_key k on k.id = i.key_id`,
        [session.id, session.tokenHash, session.keyId, session.csrfToken, session.expiresAt.toISOString()],
      );
      return toLiveSession(rows[0]!);
    },

    /**
     * The session behind a token digest, if it may act at `now`: neither it nor its key revoked or expired (nor the
     * key turned into an ingest key, which cannot hold a session). The key is read on every lookup, so revoking a key
     * ends its sessions too.
     */
    async findLive(tokenHash: string, now: Date): Promise<LiveSession | undefined> {
      const { rows } = await db.query<LiveSessionRow>(
        `select s.id, s.key_id, k.name as key_name, k.role, s.csrf_token, s.created_at, s.expires_at
         from console_session s join api_key k on k.id = s.key_id
         where s.token_hash = $1 and s.revoked_at is null and s.expires_at > $2
           and k.revoked_at is null and (k.expires_at is null or k.expires_at > $2) and k.role <> 'ingest'`,
        [tokenHash, now.toISOString()],
      );
      return rows[0] ? toLiveSession(rows[0]) : undefined;
    },

    /** Ends a session; false when it had already ended. */
    async revoke(id: string, at: Date, tx: Queryable = db): Promise<boolean> {
      const { rows } = await tx.query<{ id: string }>(
        'update console_session set revoked_at = $2 where id = $1 and revoked_at is null returning id',
        [id, at.toISOString()],
      );
      return rows.length > 0;
    },

    /** Deletes sessions that ended before `cutoff` (expired or signed out): they can never act again. */
    async purgeEndedBefore(cutoff: Date): Promise<number> {
      const { rows } = await db.query<{ count: number }>(
        `with purged as (delete from console_session where expires_at < $1 or revoked_at < $1 returning 1)
         select count(*)::int8 as count from purged`,
        [cutoff.toISOString()],
      );
      return rows[0]?.count ?? 0;
    },
  };
}

export type SessionRepository = ReturnType<typeof createSessionRepository>;
