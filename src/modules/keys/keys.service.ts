import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import { conflict, notFound } from '../../platform/errors.js';
import { decodeCursor, pageOf } from '../../platform/http/cursor.js';
import type { Principal } from '../../platform/http/actor.js';
import { epochMilliseconds } from '../../platform/http/epoch.js';
import type { Role } from '../../platform/http/roles.js';
import { newId } from '../../platform/ids.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { Actor } from '../../platform/http/actor.js';
import type { AuditService } from '../audit/index.js';
import { resolveExpiry } from './expiry.js';
import { envKeyPrefix, generateKey, hashKey, hashesEqual } from './key-format.js';
import type { ApiKeyRecord, KeyOrigin, KeyRepository } from './keys.repository.js';

export type KeyStatus = 'active' | 'revoked' | 'expired';
export type ApiKeyView = Omit<ApiKeyRecord, 'hash'> & { status: KeyStatus };

export interface KeyServiceDeps {
  db: Database;
  repository: KeyRepository;
  audit: Pick<AuditService, 'append'>;
  clock: Clock;
  logger: Logger;
}

/**
 * How long a replica may trust what it read about a key. Revocation on this replica takes effect at once (the
 * entry is dropped); on other replicas within this bound (docs/SECURITY.md: a revoked key stops working within 1 s).
 */
export const KEY_CACHE_TTL_MS = 1000;
export const LAST_USED_FLUSH_MS = 15_000;

export function statusOf(record: Pick<ApiKeyRecord, 'revoked_at' | 'expires_at'>, now: Date): KeyStatus {
  if (record.revoked_at) return 'revoked';
  if (record.expires_at && Date.parse(record.expires_at) <= now.getTime()) return 'expired';
  return 'active';
}

const ENV_KEY_MIN_LENGTH = 24;

/** What the key cache keeps per presented digest: the record reduced to what `authenticate` checks per request. */
interface CachedKey {
  principal: Principal | null;
  revoked: boolean;
  /** Infinity when the key never expires; statusOf's rule (expired at and after expires_at) as a number. */
  expiresAtMs: number;
}

function cacheEntryFor(record: ApiKeyRecord | null): CachedKey {
  if (!record) return { principal: null, revoked: false, expiresAtMs: Infinity };
  return {
    principal: { id: record.id, role: record.role, name: record.name },
    revoked: Boolean(record.revoked_at),
    expiresAtMs: record.expires_at ? Date.parse(record.expires_at) : Infinity,
  };
}

export function createKeyService({ db, repository, audit, clock, logger }: KeyServiceDeps) {
  const cache = new LRUCache<string, CachedKey>({ max: 10_000, ttl: KEY_CACHE_TTL_MS });
  // Epoch milliseconds of each key's latest use since the last flush; turned into timestamps only when read.
  const pendingLastUsed = new Map<string, number>();
  const pendingLastUsedAt = (id: string): string | undefined => {
    const at = pendingLastUsed.get(id);
    return at === undefined ? undefined : new Date(at).toISOString();
  };
  let flushTimer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> | undefined;

  const view = (record: ApiKeyRecord): ApiKeyView => {
    const { hash: _hash, ...rest } = record;
    return { ...rest, last_used_at: pendingLastUsedAt(record.id) ?? record.last_used_at, status: statusOf(record, clock.now()) };
  };

  async function insertKey(actor: Actor, input: { name: string; role: Role; expiresAt: Date | null; origin: KeyOrigin }) {
    const generated = generateKey();
    const record = await db.transaction(async (tx) => {
      const created = await repository.insert(
        {
          id: newId(),
          name: input.name,
          prefix: generated.prefix,
          hash: generated.hash,
          role: input.role,
          origin: input.origin,
          created_by: actor.id,
          expires_at: input.expiresAt?.toISOString() ?? null,
        },
        tx,
      );
      await audit.append(tx, {
        actor: actor.id,
        action: 'key.create',
        target: `api_key:${created.id}`,
        before: null,
        after: view(created),
        correlationId: actor.correlationId,
      });
      return created;
    });
    return { key: view(record), secret: generated.key };
  }

  /** The principal a cached key stands for, if it is usable now (checked against the clock on every request). */
  function admit(entry: CachedKey): Principal | null {
    if (entry.principal === null || entry.revoked) return null;
    const now = epochMilliseconds(clock);
    if (now >= entry.expiresAtMs) return null;
    const { id, role, name } = entry.principal;
    pendingLastUsed.set(id, now);
    // A copy per request: the cached one must not be reachable (and changeable) from a request.
    return { id, role, name };
  }

  async function flushLastUsed(): Promise<void> {
    if (pendingLastUsed.size === 0) return;
    const usage = [...pendingLastUsed].map(([id, at]) => ({ id, at: new Date(at).toISOString() }));
    pendingLastUsed.clear();
    try {
      await repository.recordLastUsed(usage);
    } catch (error) {
      // Not worth failing anything for: put the timestamps back and try again at the next flush.
      for (const { id, at } of usage) if (!pendingLastUsed.has(id)) pendingLastUsed.set(id, Date.parse(at));
      logger.warn({ err: error }, 'could not record api key last_used_at; will retry');
    }
  }

  return {
    /** `expiresIn` ("30d") or `expiresAt` (RFC 3339), as the API and the CLI receive them; neither means never. */
    async create(
      actor: Actor,
      input: { name: string; role: Role; expiresIn?: string; expiresAt?: string },
      origin: KeyOrigin = 'api',
    ) {
      const expiresAt = resolveExpiry(input, clock.now());
      return insertKey(actor, { name: input.name, role: input.role, expiresAt, origin });
    },

    async list(query: { limit?: number; cursor?: string }) {
      const limit = query.limit ?? 50;
      const rows = await repository.list(limit + 1, decodeCursor(query.cursor));
      const page = pageOf(rows, limit);
      return { items: page.items.map(view), next_cursor: page.next_cursor };
    },

    async get(id: string): Promise<ApiKeyView> {
      const record = await repository.findById(id);
      if (!record) throw notFound(`api key ${id}`);
      return view(record);
    },

    /** Revoking the last active admin key would lock every administrator out, so it is refused. */
    async revoke(actor: Actor, id: string): Promise<ApiKeyView> {
      const revoked = await db.transaction(async (tx) => {
        // Taken before reading anything, so that the active-admin count below sees concurrent revocations.
        await repository.lockRevocations(tx);
        const current = await repository.findById(id, tx, true);
        if (!current) throw notFound(`api key ${id}`);
        if (current.revoked_at) throw conflict(`api key ${id} is already revoked`);
        const now = clock.now();
        if (current.role === 'admin' && statusOf(current, now) === 'active' && (await repository.countActiveAdmins(tx, now)) <= 1) {
          throw conflict('this is the last active admin key; create another admin key before revoking it');
        }
        const updated = await repository.revoke(id, now, tx);
        await audit.append(tx, {
          actor: actor.id,
          action: 'key.revoke',
          target: `api_key:${id}`,
          before: view(current),
          after: view(updated),
          correlationId: actor.correlationId,
        });
        return updated;
      });
      cache.delete(revoked.hash);
      return view(revoked);
    },

    /**
     * Resolves a presented key to its principal, or null. The lookup is by SHA-256 of the presented value and
     * the stored digest is compared in constant time (once, when the record is read into the cache: a cache hit
     * is by that same digest); revocation and expiry are checked on every call. Answers synchronously from the
     * cache, which is every request but the first within KEY_CACHE_TTL_MS: the edge calls this on each request,
     * and a promise (and the microtask to resume) per request is a measurable part of its cost.
     */
    authenticate(presented: string): Principal | null | Promise<Principal | null> {
      const hash = hashKey(presented);
      const cached = cache.get(hash);
      if (cached) return admit(cached);
      return repository.findByHash(hash).then((found) => {
        const entry = cacheEntryFor(found && hashesEqual(found.hash, hash) ? found : null);
        cache.set(hash, entry);
        return admit(entry);
      });
    },

    /**
     * First start: API_KEYS entries are hashed and upserted; if no key exists at all afterwards, an admin key is
     * generated and handed to `announce` exactly once (replicas starting together are serialised by a lock).
     */
    async bootstrap(options: { apiKeys: string | undefined; dataDir: string; announce: (secret: string, file: string) => void }) {
      const created = await db.transaction(async (tx) => {
        await repository.lockBootstrap(tx);
        for (const entry of (options.apiKeys ?? '').split(',').map((item) => item.trim()).filter(Boolean)) {
          const [name, role, ...secretParts] = entry.split(':');
          const secret = secretParts.join(':');
          if (secret.length < ENV_KEY_MIN_LENGTH) {
            throw new Error(`API_KEYS: the secret of "${name}" must be at least ${ENV_KEY_MIN_LENGTH} characters`);
          }
          const hash = hashKey(secret);
          const result = await repository.upsertEnvKey(
            { id: newId(), name: name!, prefix: envKeyPrefix(hash), hash, role: role as Role, origin: 'env', created_by: 'env:API_KEYS', expires_at: null },
            tx,
          );
          if (result.changed) {
            await audit.append(tx, {
              actor: 'system',
              action: 'key.bootstrap_env',
              target: `api_key:${result.record.id}`,
              before: null,
              after: view(result.record),
              correlationId: null,
            });
          }
        }
        if ((await repository.count(tx)) > 0) return undefined;
        const generated = generateKey();
        const record = await repository.insert(
          { id: newId(), name: 'initial-admin', prefix: generated.prefix, hash: generated.hash, role: 'admin', origin: 'bootstrap', created_by: 'system', expires_at: null },
          tx,
        );
        await audit.append(tx, {
          actor: 'system',
          action: 'key.bootstrap_admin',
          target: `api_key:${record.id}`,
          before: null,
          after: view(record),
          correlationId: null,
        });
        return generated.key;
      });
      if (created) {
        // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is the admin key file under ORCA_DATA_DIR, from configuration, never a request's
        mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
        const file = join(options.dataDir, 'admin.key');
        // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is the admin key file under ORCA_DATA_DIR, from configuration, never a request's
        writeFileSync(file, `${created}\n`, { mode: 0o600 });
        // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is the admin key file under ORCA_DATA_DIR, from configuration, never a request's
        chmodSync(file, 0o600);
        options.announce(created, file);
      }
    },

    start() {
      flushTimer ??= setInterval(() => {
        flushing = flushLastUsed();
      }, LAST_USED_FLUSH_MS);
      flushTimer.unref();
    },

    async stop() {
      if (flushTimer) clearInterval(flushTimer);
      flushTimer = undefined;
      await flushing;
      await flushLastUsed();
    },

    flushLastUsed,
  };
}

export type KeyService = ReturnType<typeof createKeyService>;
