/**
 * Discovery sources: create, read, update, delete. Config and credentials are checked against the kind's connector
 * (its schemas, then what no schema states: the SSRF guard on URLs, the stdio allow-list) so that a mistake is a 400
 * now rather than a failed run later. Credentials are write-only: sealed with the secret box, the row id as
 * additional data, and never part of an answer, an audit entry or a log line.
 */
import { Value } from '@sinclair/typebox/value';
import type { SecretBox } from '../../platform/crypto/secret-box.js';
import { parseDuration } from '../../platform/config/duration.js';
import { isUniqueViolation, type Database, type Queryable } from '../../platform/db/index.js';
import { AppError, conflict, notFound, type FieldError } from '../../platform/errors.js';
import type { Actor } from '../../platform/http/actor.js';
import { decodeCursor, pageOf } from '../../platform/http/cursor.js';
import { newId } from '../../platform/ids.js';
import type { OutboundClient } from '../../platform/outbound/index.js';
import type { AuditService } from '../audit/index.js';
import { CONNECTORS } from './connectors/index.js';
import type { DiscoverySourceKind } from './connectors/types.js';
import type { CreateDiscoverySourceInput, DiscoverySource, ListDiscoverySourcesQuery, UpdateDiscoverySourceInput } from './discovery.schemas.js';
import type { DiscoverySourceRepository, DiscoverySourceRow } from './discovery-sources.repository.js';

export function toSource(row: DiscoverySourceRow): DiscoverySource {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    config: row.config,
    credentials: { set: row.credentials_ciphertext !== null, set_at: row.credentials_set_at?.toISOString() ?? null },
    schedule: row.schedule,
    enabled: row.enabled,
    last_run:
      row.last_run_id && row.last_run_status && row.last_run_created_at
        ? { id: row.last_run_id, status: row.last_run_status, created_at: row.last_run_created_at.toISOString(), finished_at: row.last_run_finished_at?.toISOString() ?? null }
        : null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/** A schema's errors under `prefix`, by path only: a message never repeats the value (it may be a credential). */
function schemaErrors(schema: Parameters<typeof Value.Check>[0], value: unknown, prefix: string): FieldError[] {
  if (Value.Check(schema, value)) return [];
  return [...Value.Errors(schema, value)].slice(0, 20).map((error) => ({ path: `${prefix}${error.path}`, message: error.message }));
}

function scheduleMs(schedule: string | null): number | null {
  if (schedule === null) return null;
  const ms = parseDuration(schedule);
  if (ms === undefined || ms < 60_000 || ms > 365 * 86_400_000) {
    throw new AppError('validation_failed', 'schedule must be an interval from 1m to 365d', { errors: [{ path: '/body/schedule', message: 'must be an interval from 1m to 365d' }] });
  }
  return ms;
}

export interface DiscoverySourceServiceDeps {
  db: Database;
  repository: DiscoverySourceRepository;
  audit: Pick<AuditService, 'append'>;
  box: SecretBox;
  outbound: Pick<OutboundClient, 'assertAllowedUrl'>;
  stdioCommands: readonly string[];
}

export function createDiscoverySourceService({ db, repository, audit, box, outbound, stdioCommands }: DiscoverySourceServiceDeps) {
  async function check(kind: DiscoverySourceKind, config: Record<string, unknown>, credentials: Record<string, unknown> | null): Promise<void> {
    const connector = CONNECTORS[kind];
    const errors = [...schemaErrors(connector.configSchema, config, '/body/config'), ...(credentials ? schemaErrors(connector.credentialsSchema, credentials, '/body/credentials') : [])];
    if (errors.length === 0) errors.push(...(await connector.validate(config, credentials, { stdioCommands, outbound })));
    if (errors.length > 0) throw new AppError('validation_failed', `the ${kind} source is not valid: ${errors[0]!.path} ${errors[0]!.message}`, { errors });
  }

  async function write<T>(fn: (tx: Queryable) => Promise<T>, name?: string): Promise<T> {
    try {
      return await db.transaction(fn);
    } catch (error) {
      if (isUniqueViolation(error, 'discovery_source_name_key')) throw conflict(`another discovery source is already named "${name}"`);
      throw error;
    }
  }

  async function requireSource(id: string, tx?: Queryable): Promise<DiscoverySourceRow> {
    const row = await repository.findById(id, tx, { forUpdate: tx !== undefined });
    if (!row) throw notFound(`discovery source ${id}`);
    return row;
  }

  async function get(id: string): Promise<DiscoverySource> {
    const row = await repository.findById(id);
    if (!row) throw notFound(`discovery source ${id}`);
    return toSource(row);
  }

  return {
    get,

    async create(actor: Actor, input: CreateDiscoverySourceInput): Promise<DiscoverySource> {
      const credentials = input.credentials ?? null;
      await check(input.kind, input.config, credentials);
      const schedule = input.schedule ?? null;
      const ms = scheduleMs(schedule);
      const id = newId();
      const row = await write(async (tx) => {
        const created = await repository.insert(
          {
            id,
            kind: input.kind,
            name: input.name,
            config: input.config,
            credentials_ciphertext: credentials ? box.seal(JSON.stringify(credentials), id) : null,
            credentials_set_at: credentials ? new Date() : null,
            schedule,
            schedule_ms: ms,
            enabled: input.enabled ?? true,
          },
          tx,
        );
        await audit.append(tx, { actor: actor.id, action: 'discovery_source.create', target: `discovery_source:${id}`, before: null, after: toSource(created), correlationId: actor.correlationId });
        return created;
      }, input.name);
      return toSource(row);
    },

    async list(query: ListDiscoverySourcesQuery): Promise<{ items: DiscoverySource[]; next_cursor: string | null }> {
      const limit = query.limit ?? 50;
      const rows = await repository.list({ kind: query.kind, enabled: query.enabled, limit: limit + 1, after: decodeCursor(query.cursor) });
      const page = pageOf(rows, limit);
      return { items: page.items.map(toSource), next_cursor: page.next_cursor };
    },

    /** Fields given replace the stored ones (config and credentials whole); credentials null removes them. */
    async update(actor: Actor, id: string, input: UpdateDiscoverySourceInput): Promise<DiscoverySource> {
      const current = await requireSource(id);
      const config = input.config ?? current.config;
      const stored = current.credentials_ciphertext ? (JSON.parse(box.open(current.credentials_ciphertext, id)) as Record<string, unknown>) : null;
      const credentials = input.credentials === undefined ? stored : input.credentials;
      if (input.config !== undefined || input.credentials !== undefined) await check(current.kind, config, credentials);
      const schedule = input.schedule === undefined ? current.schedule : input.schedule;
      const ms = scheduleMs(schedule);
      const name = input.name ?? current.name;
      await write(async (tx) => {
        const locked = await requireSource(id, tx);
        const ciphertext = input.credentials === undefined ? locked.credentials_ciphertext : input.credentials === null ? null : box.seal(JSON.stringify(input.credentials), id);
        await repository.update(
          id,
          {
            name,
            config,
            credentials_ciphertext: ciphertext,
            credentials_set_at: input.credentials === undefined ? locked.credentials_set_at : input.credentials === null ? null : new Date(),
            schedule,
            schedule_ms: ms,
            enabled: input.enabled ?? locked.enabled,
          },
          tx,
        );
        const after = await repository.findById(id, tx);
        await audit.append(tx, { actor: actor.id, action: 'discovery_source.update', target: `discovery_source:${id}`, before: toSource(current), after: toSource(after!), correlationId: actor.correlationId });
      }, name);
      return get(id);
    },

    /** Soft delete: its agents, identities and runs stay; it is no longer listed, run or scheduled. */
    async remove(actor: Actor, id: string): Promise<void> {
      await write(async (tx) => {
        const current = await requireSource(id, tx);
        await repository.softDelete(id, tx);
        await audit.append(tx, { actor: actor.id, action: 'discovery_source.delete', target: `discovery_source:${id}`, before: toSource(current), after: null, correlationId: actor.correlationId });
      });
    },
  };
}

export type DiscoverySourceService = ReturnType<typeof createDiscoverySourceService>;
