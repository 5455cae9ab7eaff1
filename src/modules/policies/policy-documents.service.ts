/** Policy documents: the active one (cached, compiled), every stored version, and activating a new one. */
import type { CacheInvalidation, ReadThroughCache } from '../../platform/cache/index.js';
import type { Database } from '../../platform/db/index.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { AuditService } from '../audit/index.js';
import { compilePolicy, type CompiledPolicy } from './compile-policy.js';
import { DEFAULT_POLICY_SOURCE } from './default-policy.js';
import type { PolicyView } from './policies.schemas.js';
import type { PolicyDocumentRepository, PolicyRow } from './policy-documents.repository.js';

export interface Actor {
  id: string;
  correlationId: string;
}

const DEFAULT_CREATED_AT = new Date(0).toISOString();
const ACTIVE_KEY = 'active';

export interface PolicyDocumentServiceDeps {
  db: Database;
  repository: PolicyDocumentRepository;
  audit: Pick<AuditService, 'append'>;
  /** Compiled policies (100 entries, 10 min), invalidated on every PUT on every replica. */
  cache: ReadThroughCache<CompiledPolicy>;
  invalidation: Pick<CacheInvalidation, 'notify'>;
  logger: Logger;
  /** The built-in policy, active while no document was PUT. */
  defaultPolicy: CompiledPolicy;
}

export function createPolicyDocumentService(deps: PolicyDocumentServiceDeps) {
  const { db, repository, audit, cache, invalidation, logger, defaultPolicy } = deps;

  async function activePolicy(): Promise<CompiledPolicy> {
    const policy = await cache.get(ACTIVE_KEY, async () => {
      const row = await repository.findActive();
      return row ? compilePolicy(row.document, row.version) : defaultPolicy;
    });
    return policy ?? defaultPolicy;
  }

  return {
    activePolicy,

    async getActive(): Promise<PolicyView> {
      const row = await repository.findActive();
      if (row) return toView(row);
      return {
        version: 0,
        mode: defaultPolicy.mode,
        active: true,
        format: 'yaml',
        created_by: 'orca',
        created_at: DEFAULT_CREATED_AT,
        document: defaultPolicy.document as Record<string, unknown>,
        source: DEFAULT_POLICY_SOURCE,
      };
    },

    async listVersions(query: { limit?: number; cursor?: string }) {
      const limit = query.limit ?? 50;
      const before = decodeVersionCursor(query.cursor);
      const rows = await repository.listVersions(limit + 1, before);
      const items = rows.slice(0, limit).map((row) => {
        const { document: _document, source: _source, ...rest } = toView(row);
        return rest;
      });
      const last = items[items.length - 1];
      return { items, next_cursor: rows.length > limit && last ? encodeVersionCursor(last.version) : null };
    },

    /** Validates, stores a new version and makes it active everywhere (this replica now, others via NOTIFY). */
    async put(actor: Actor, body: unknown, format: 'yaml' | 'json', source: string | undefined): Promise<PolicyView> {
      const compiled = compilePolicy(body, 0, '/body');
      // PostgreSQL stores no NUL character, in text or in jsonb: refuse it here rather than fail the insert.
      if ((source ?? '').includes('\u0000') || JSON.stringify(body).includes('\\u0000')) {
        throw new AppError('validation_failed', 'the policy document contains a NUL character', { errors: [{ path: '/body', message: 'must not contain NUL characters' }] });
      }
      const row = await db.transaction(async (tx) => {
        const version = await repository.lockAndNextVersion(tx);
        const previous = await repository.findActive(tx);
        const inserted = await repository.insertActive(
          {
            id: newId(),
            version,
            document: body,
            source: source ?? JSON.stringify(body, null, 2),
            format,
            mode: compiled.mode,
            created_by: actor.id,
          },
          tx,
        );
        await audit.append(tx, {
          actor: actor.id,
          action: 'policy.update',
          target: `policy:${version}`,
          before: previous ? { version: previous.version, mode: previous.mode } : { version: 0, mode: defaultPolicy.mode },
          after: { version, mode: compiled.mode, document: body },
          correlationId: actor.correlationId,
        });
        await invalidation.notify(tx, cache.name, ACTIVE_KEY);
        return inserted;
      });
      cache.invalidate(ACTIVE_KEY);
      logger.info({ policy_version: row.version, mode: row.mode, actor: actor.id }, 'policy activated');
      return toView(row);
    },
  };
}

function toView(row: PolicyRow): PolicyView {
  return {
    version: row.version,
    mode: row.mode,
    active: row.active,
    format: row.format,
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    document: row.document,
    source: row.source,
  };
}

function encodeVersionCursor(version: number): string {
  return Buffer.from(JSON.stringify({ before_version: version })).toString('base64url');
}

function decodeVersionCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { before_version?: unknown };
    if (typeof decoded.before_version === 'number' && Number.isSafeInteger(decoded.before_version) && decoded.before_version > 0) return decoded.before_version;
  } catch {
    // fall through to the client error below
  }
  throw new AppError('validation_failed', 'cursor is not a value returned as next_cursor', {
    errors: [{ path: '/querystring/cursor', message: 'is not a valid cursor' }],
  });
}

export type PolicyDocumentService = ReturnType<typeof createPolicyDocumentService>;
