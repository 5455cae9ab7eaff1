import { randomBytes } from 'node:crypto';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Actor, Principal } from '../../platform/http/actor.js';
import { epochMilliseconds } from '../../platform/http/epoch.js';
import { sha256Hex } from '../../platform/hash.js';
import { newId } from '../../platform/ids.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { AuditService } from '../audit/index.js';
import type { LiveSession, SessionRepository } from './sessions.repository.js';
import type { SessionMetrics } from './sessions.metrics.js';

export interface SessionServiceDeps {
  db: Database;
  repository: SessionRepository;
  audit: Pick<AuditService, 'append'>;
  /** The keys module's check of a presented key: the same rules (hash lookup, revocation, expiry) as a key header. */
  authenticateKey: (key: string) => Principal | null | Promise<Principal | null>;
  clock: Clock;
  logger: Logger;
  metrics: SessionMetrics;
  ttlMs: number;
}

/** What the console learns about its session: never the cookie's token, which only the browser's cookie jar holds. */
export interface SessionView {
  id: string;
  key: { id: string; name: string; role: Exclude<Principal['role'], 'ingest'> };
  expires_at: string;
  csrf_token: string;
}

/** 32 random bytes: the cookie's token (only its SHA-256 is stored) and, separately, the CSRF synchronizer token. */
const randomToken = (): string => randomBytes(32).toString('base64url');

const view = (session: LiveSession): SessionView => ({
  id: session.id,
  key: { id: session.key_id, name: session.key_name, role: session.role },
  expires_at: session.expires_at,
  csrf_token: session.csrf_token,
});

export function createSessionService({ db, repository, audit, authenticateKey, clock, logger, metrics, ttlMs }: SessionServiceDeps) {
  const principalOf = (session: LiveSession): Principal => ({
      id: session.key_id,
      role: session.role,
      name: session.key_name,
      session: { id: session.id, csrfToken: session.csrf_token, expiresAt: session.expires_at },
  });

  return {
    /**
     * Exchanges an API key for a session. Every refusal of the key itself (unknown, revoked, expired, malformed) is
     * the same 401, so that the answer never tells whether a key exists. Ingest keys only push data: they cannot read
     * anything the console shows, so they are refused a session (403; whoever holds the key learns nothing new).
     */
    async signIn(apiKey: string, correlationId: string): Promise<{ session: SessionView; token: string; maxAgeSeconds: number }> {
      const principal = await authenticateKey(apiKey);
      if (!principal) {
        metrics.signIns.inc({ outcome: 'rejected' });
        throw new AppError('unauthorized', 'this API key was not accepted');
      }
      if (principal.role === 'ingest') {
        metrics.signIns.inc({ outcome: 'forbidden' });
        throw new AppError('forbidden', 'ingest keys only push data in; sign in with a viewer, operator or admin key');
      }
      const token = randomToken();
      const now = clock.now();
      const session = await db.transaction(async (tx) => {
        const created = await repository.insert(
          { id: newId(), tokenHash: sha256Hex(token), keyId: principal.id, csrfToken: randomToken(), expiresAt: new Date(now.getTime() + ttlMs) },
          tx,
        );
        await audit.append(tx, {
          actor: principal.id,
          action: 'session.create',
          target: `console_session:${created.id}`,
          before: null,
          after: { key_id: created.key_id, role: created.role, expires_at: created.expires_at },
          correlationId,
        });
        return created;
      });
      metrics.signIns.inc({ outcome: 'success' });
      logger.info({ session_id: session.id, key_id: session.key_id, role: session.role, correlation_id: correlationId }, 'console session started');
      // Measured from the same instant as the expiry, so the cookie's Max-Age is the session's whole lifetime.
      return { session: view(session), token, maxAgeSeconds: Math.floor((Date.parse(session.expires_at) - now.getTime()) / 1000) };
    },

    /**
     * For the security edge: the principal of a session cookie, or null once the session ended. Read from the database
     * on every request, not cached: a console makes few requests, and sign-out or a key's revocation then takes effect
     * at once on every replica.
     */
    async authenticate(token: string): Promise<Principal | null> {
      const found = await repository.findLive(sha256Hex(token), clock.now());
      return found ? principalOf(found) : null;
    },

    /** The session a request was made with; 404 for a request authenticated by a key header. */
    current(principal: Principal | null): SessionView {
      const session = principal?.session;
      if (!principal || !session || principal.role === 'ingest') throw notFound('a console session (this request was authenticated by an API key)');
      return {
        id: session.id,
        key: { id: principal.id, name: principal.name, role: principal.role },
        expires_at: session.expiresAt,
        csrf_token: session.csrfToken,
      };
    },

    /** Sign-out: the session ends at once, on every replica. */
    async signOut(actor: Actor, principal: Principal | null): Promise<void> {
      const session = principal?.session;
      if (!principal || !session) throw notFound('a console session (this request was authenticated by an API key)');
      await db.transaction(async (tx) => {
        if (!(await repository.revoke(session.id, clock.now(), tx))) return;
        await audit.append(tx, {
          actor: actor.id,
          action: 'session.revoke',
          target: `console_session:${session.id}`,
          before: { key_id: principal.id, expires_at: session.expiresAt },
          after: null,
          correlationId: actor.correlationId,
        });
      });
      metrics.signOuts.inc();
      logger.info({ session_id: session.id, key_id: principal.id, correlation_id: actor.correlationId }, 'console session ended by sign-out');
    },

    /** Deletes sessions that ended more than a day ago; returns how many. */
    async purge(): Promise<number> {
      const purged = await repository.purgeEndedBefore(new Date(epochMilliseconds(clock) - 24 * 3_600_000));
      metrics.purged.inc(purged);
      return purged;
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
