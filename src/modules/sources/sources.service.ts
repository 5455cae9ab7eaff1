import { randomBytes } from 'node:crypto';
import { Value } from '@sinclair/typebox/value';
import type { Clock } from '../../platform/clock.js';
import type { CacheInvalidation, ReadThroughCache } from '../../platform/cache/index.js';
import { parseDuration } from '../../platform/config/duration.js';
import { isUniqueViolation, type Database, type Queryable } from '../../platform/db/index.js';
import { AppError, conflict, notFound, type FieldError } from '../../platform/errors.js';
import { decodeCursor, pageOf } from '../../platform/http/cursor.js';
import { newId } from '../../platform/ids.js';
import type { Actor } from '../../platform/http/actor.js';
import { ADAPTERS, MappingError, parsePath, type FieldMapping, type SourceKind } from '../ingest/index.js';
import type { AuditService } from '../audit/index.js';
import type { SecretBox } from '../../platform/crypto/secret-box.js';
import type { SourceRepository, SourceRow } from './sources.repository.js';
import type {
  CreateSourceInput,
  ListSourcesQuery,
  RotateSecretInput,
  Source,
  SourceWithGeneratedSecret,
  UpdateSourceInput,
} from './sources.schemas.js';

/** What ingestion needs to verify and normalise a delivery; cached, and holding decrypted secrets in memory only. */
export interface IngestSource {
  id: string;
  kind: SourceKind;
  enabled: boolean;
  mapping: FieldMapping;
  toleranceSeconds: number;
  options: Record<string, unknown>;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

const DEFAULT_TOLERANCE_SECONDS = 300;
const DEFAULT_OVERLAP = '24h';
const MAX_OVERLAP_MS = 30 * 86_400_000;
/** These kinds verify with Standard Webhooks (CloudEvents ones too, docs/ingestion.md), whose secrets are `whsec_` + base64 of random bytes. */
const STANDARD_WEBHOOKS_KINDS: readonly SourceKind[] = ['generic', 'zapier', 'n8n', 'make', 'sap', 'cloudevents'];

function generateSecret(kind: SourceKind): string {
  return STANDARD_WEBHOOKS_KINDS.includes(kind) ? `whsec_${randomBytes(24).toString('base64')}` : randomBytes(32).toString('base64url');
}

export function toSource(row: SourceRow): Source {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    description: row.description,
    enabled: row.enabled,
    scheme: ADAPTERS[row.kind].scheme,
    ingest_path: `/api/v1/ingest/${row.id}`,
    signing: { tolerance_seconds: row.tolerance_seconds, options: row.signing_options },
    mapping: row.mapping,
    secret: {
      rotated_at: row.secret_rotated_at?.toISOString() ?? null,
      previous_valid_until:
        row.previous_secret_ciphertext !== null && row.previous_secret_expires_at !== null ? row.previous_secret_expires_at.toISOString() : null,
    },
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/**
 * Headers ORCA reads itself on every request, which a source must not name as carrying its key or signature:
 * X-Correlation-ID is echoed and written to every log line of the request (a key sent there would be logged in
 * clear), and X-API-Key / Authorization are taken by the edge as an ORCA API key (every delivery would be a 401).
 */
const RESERVED_HEADERS = new Set(['x-correlation-id', 'x-api-key', 'authorization']);

function reservedHeaderErrors(options: Record<string, unknown>): FieldError[] {
  return Object.entries(options)
    .filter(([name, value]) => name.endsWith('_header') && typeof value === 'string' && RESERVED_HEADERS.has(value.toLowerCase()))
    .map(([name, value]) => ({ path: `/body/signing/options/${name}`, message: `${String(value)} is read by ORCA itself; choose another header name` }));
}

/** Per-kind options are data, checked against the adapter's own schema so a typo is a 400, not a silent 401 later. */
function validateOptions(kind: SourceKind, options: Record<string, unknown>): void {
  const schema = ADAPTERS[kind].optionsSchema;
  const errors: FieldError[] = Value.Check(schema, options)
    ? reservedHeaderErrors(options)
    : [...Value.Errors(schema, options)].slice(0, 20).map((error) => ({ path: `/body/signing/options${error.path}`, message: error.message }));
  if (errors.length > 0) throw new AppError('validation_failed', `signing options are not valid for a ${kind} source`, { errors });
}

/** Paths are checked when the mapping is saved, so a typo is a 400 now rather than a 422 on every delivery. */
function validateMapping(mapping: FieldMapping): void {
  const errors: FieldError[] = [];
  for (const [field, entry] of Object.entries(mapping)) {
    const path = typeof entry === 'string' ? entry : entry?.path;
    try {
      parsePath(path ?? '');
    } catch (error) {
      if (!(error instanceof MappingError)) throw error;
      errors.push({ path: `/body/mapping/${field}`, message: error.message });
    }
  }
  if (errors.length > 0) throw new AppError('validation_failed', 'the field mapping has invalid JSON paths', { errors });
}

export interface SourceServiceDeps {
  db: Database;
  repository: SourceRepository;
  audit: Pick<AuditService, 'append'>;
  box: SecretBox;
  clock: Clock;
  cache: ReadThroughCache<IngestSource>;
  invalidation: Pick<CacheInvalidation, 'notify'>;
}

export function createSourceService({ db, repository, audit, box, clock, cache, invalidation }: SourceServiceDeps) {
  async function requireSource(id: string, tx: Queryable, forUpdate = false): Promise<SourceRow> {
    const source = await repository.findById(id, tx, { forUpdate });
    if (!source) throw notFound(`source ${id}`);
    return source;
  }

  /** Every write: one transaction with its audit entry; the ingest cache is invalidated on every replica. */
  async function write<T>(sourceId: string, fn: (tx: Queryable) => Promise<T>, name?: string): Promise<T> {
    try {
      const result = await db.transaction(async (tx) => {
        const value = await fn(tx);
        await invalidation.notify(tx, cache.name, sourceId);
        return value;
      });
      cache.invalidate(sourceId);
      return result;
    } catch (error) {
      if (isUniqueViolation(error, 'source_name_key')) throw conflict(`another source is already named "${name}"`);
      throw error;
    }
  }

  function toIngestSource(row: SourceRow): IngestSource {
    return {
      id: row.id,
      kind: row.kind,
      enabled: row.enabled,
      mapping: row.mapping,
      toleranceSeconds: row.tolerance_seconds,
      options: row.signing_options,
      secret: box.open(row.secret_ciphertext, row.id),
      previousSecret: row.previous_secret_ciphertext === null ? null : box.open(row.previous_secret_ciphertext, row.id),
      previousSecretExpiresAt: row.previous_secret_expires_at,
    };
  }

  return {
    async create(actor: Actor, input: CreateSourceInput): Promise<SourceWithGeneratedSecret> {
      const options = input.signing?.options ?? {};
      validateOptions(input.kind, options);
      if (input.mapping) validateMapping(input.mapping);
      const id = newId();
      const secret = input.secret ?? generateSecret(input.kind);
      const row = await write(
        id,
        async (tx) => {
          const created = await repository.insert(
            {
              id,
              kind: input.kind,
              name: input.name,
              description: input.description ?? null,
              enabled: input.enabled ?? true,
              signing_options: options,
              tolerance_seconds: input.signing?.tolerance_seconds ?? DEFAULT_TOLERANCE_SECONDS,
              mapping: input.mapping ?? {},
              secret_ciphertext: box.seal(secret, id),
              previous_secret_ciphertext: null,
              previous_secret_expires_at: null,
              secret_rotated_at: null,
            },
            tx,
          );
          await audit.append(tx, {
            actor: actor.id,
            action: 'source.create',
            target: `source:${id}`,
            before: null,
            after: toSource(created),
            correlationId: actor.correlationId,
          });
          return created;
        },
        input.name,
      );
      return input.secret === undefined ? { ...toSource(row), generated_secret: secret } : toSource(row);
    },

    async get(id: string): Promise<Source> {
      const row = await repository.findById(id);
      if (!row) throw notFound(`source ${id}`);
      return toSource(row);
    },

    async list(query: ListSourcesQuery): Promise<{ items: Source[]; next_cursor: string | null }> {
      const limit = query.limit ?? 50;
      const rows = await repository.list({ kind: query.kind, enabled: query.enabled, limit: limit + 1, after: decodeCursor(query.cursor) });
      const page = pageOf(rows, limit);
      return { items: page.items.map(toSource), next_cursor: page.next_cursor };
    },

    async update(actor: Actor, id: string, input: UpdateSourceInput): Promise<Source> {
      return write(
        id,
        async (tx) => {
          const current = await requireSource(id, tx, true);
          const options = input.signing?.options ?? current.signing_options;
          if (input.signing?.options !== undefined) validateOptions(current.kind, options);
          if (input.mapping) validateMapping(input.mapping);
          const updated = await repository.update(
            id,
            {
              name: input.name ?? current.name,
              description: input.description === undefined ? current.description : input.description,
              enabled: input.enabled ?? current.enabled,
              signing_options: options,
              tolerance_seconds: input.signing?.tolerance_seconds ?? current.tolerance_seconds,
              mapping: input.mapping ?? current.mapping,
            },
            tx,
          );
          await audit.append(tx, {
            actor: actor.id,
            action: 'source.update',
            target: `source:${id}`,
            before: toSource(current),
            after: toSource(updated),
            correlationId: actor.correlationId,
          });
          return toSource(updated);
        },
        input.name,
      );
    },

    /** Soft delete: events keep their source; deliveries to a deleted source are 404 from now on. */
    async remove(actor: Actor, id: string): Promise<void> {
      await write(id, async (tx) => {
        const current = await requireSource(id, tx, true);
        const deleted = await repository.softDelete(id, tx);
        await audit.append(tx, {
          actor: actor.id,
          action: 'source.delete',
          target: `source:${id}`,
          before: toSource(current),
          after: { ...toSource(deleted), deleted_at: deleted.deleted_at?.toISOString() ?? null },
          correlationId: actor.correlationId,
        });
      });
    },

    /**
     * A new current secret; the old one keeps verifying until now + overlap, so senders can be switched over
     * without losing deliveries. A rotation during an overlap drops the older previous secret at once.
     */
    async rotateSecret(actor: Actor, id: string, input: RotateSecretInput): Promise<SourceWithGeneratedSecret> {
      const overlapMs = parseDuration(input.overlap ?? DEFAULT_OVERLAP);
      if (overlapMs === undefined || overlapMs > MAX_OVERLAP_MS) {
        throw new AppError('validation_failed', 'overlap must be a duration of at most 30d', {
          errors: [{ path: '/body/overlap', message: 'must be a duration such as 0s, 15m, 24h or 7d, at most 30d' }],
        });
      }
      let generated: string | undefined;
      const row = await write(id, async (tx) => {
        const current = await requireSource(id, tx, true);
        const secret = input.secret ?? (generated = generateSecret(current.kind));
        const now = clock.now();
        const rotated = await repository.rotateSecret(
          id,
          {
            current: box.seal(secret, id),
            previous: overlapMs > 0 ? current.secret_ciphertext : null,
            previousExpiresAt: overlapMs > 0 ? new Date(now.getTime() + overlapMs) : null,
            rotatedAt: now,
          },
          tx,
        );
        await audit.append(tx, {
          actor: actor.id,
          action: 'source.rotate_secret',
          target: `source:${id}`,
          before: toSource(current),
          after: toSource(rotated),
          correlationId: actor.correlationId,
        });
        return rotated;
      });
      return generated === undefined ? toSource(row) : { ...toSource(row), generated_secret: generated };
    },

    /** The hot path of every webhook: cached per source id, invalidated on every write on every replica. */
    async forIngest(id: string): Promise<IngestSource | undefined> {
      // One cache key per source whatever the case of the URL: invalidation (by the stored, lower-case id) must reach it.
      const key = id.toLowerCase();
      return cache.get(key, async () => {
        const row = await repository.findById(key);
        return row ? toIngestSource(row) : undefined;
      });
    },
  };
}

export type SourceService = ReturnType<typeof createSourceService>;
