/** Silences: label matchers and a time range during which matching alerts are listed but not delivered. Audited. */
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import { AppError, notFound, type FieldError } from '../../platform/errors.js';
import type { Actor } from '../../platform/http/actor.js';
import { newId } from '../../platform/ids.js';
import type { AuditService } from '../audit/index.js';
import { formatMatcher, parseMatcher } from './matchers.js';
import type { SilenceRow, SilencesRepository } from './silences.repository.js';

export interface SilenceView {
  id: string;
  matchers: string[];
  starts_at: string;
  ends_at: string;
  comment: string;
  created_by: string;
  created_at: string;
  status: 'pending' | 'active' | 'expired';
}

export interface CreateSilenceInput {
  matchers: string[];
  starts_at?: string;
  ends_at: string;
  comment: string;
}

export function toSilenceView(row: SilenceRow, now: Date): SilenceView {
  const status = row.expired_at !== null || row.ends_at <= now ? 'expired' : row.starts_at > now ? 'pending' : 'active';
  return {
    id: row.id,
    matchers: row.matchers,
    starts_at: row.starts_at.toISOString(),
    ends_at: row.ends_at.toISOString(),
    comment: row.comment,
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    status,
  };
}

export function createSilenceService(deps: {
  db: Database;
  repository: SilencesRepository;
  audit: Pick<AuditService, 'append'>;
  clock: Clock;
  /** A silence changes what is delivered: evaluate soon. */
  onChange: (correlationId: string | null) => void;
}) {
  const { db, repository, audit, clock } = deps;
  return {
    async create(actor: Actor, input: CreateSilenceInput): Promise<SilenceView> {
      const errors: FieldError[] = [];
      const matchers = input.matchers.map((text, index) => {
        try {
          return formatMatcher(parseMatcher(text));
        } catch (error) {
          errors.push({ path: `/body/matchers/${index}`, message: (error as Error).message });
          return '';
        }
      });
      const now = clock.now();
      const startsAt = input.starts_at ? new Date(input.starts_at) : now;
      const endsAt = new Date(input.ends_at);
      if (endsAt <= startsAt) errors.push({ path: '/body/ends_at', message: 'must be after starts_at' });
      else if (endsAt <= now) errors.push({ path: '/body/ends_at', message: 'must be in the future' });
      if (errors.length > 0) throw new AppError('validation_failed', `the silence is invalid: ${errors[0]!.path} ${errors[0]!.message}`, { errors });
      const row = await db.transaction(async (tx) => {
        const inserted = await repository.insert({ id: newId(), matchers, starts_at: startsAt, ends_at: endsAt, comment: input.comment, created_by: actor.id }, tx);
        await audit.append(tx, {
          actor: actor.id,
          action: 'silence.create',
          target: `silence:${inserted.id}`,
          before: null,
          after: { matchers, starts_at: startsAt.toISOString(), ends_at: endsAt.toISOString(), comment: input.comment },
          correlationId: actor.correlationId,
        });
        return inserted;
      });
      deps.onChange(actor.correlationId);
      return toSilenceView(row, now);
    },

    async list(query: { limit?: number; cursor?: string }): Promise<{ items: SilenceView[]; next_cursor: string | null }> {
      const limit = query.limit ?? 50;
      const rows = await repository.list(limit + 1, query.cursor);
      const now = clock.now();
      const items = rows.slice(0, limit).map((row) => toSilenceView(row, now));
      return { items, next_cursor: rows.length > limit ? items[items.length - 1]!.id : null };
    },

    /** Expires the silence now (it is kept, for the record). */
    async expire(actor: Actor, id: string): Promise<SilenceView> {
      const now = clock.now();
      const row = await db.transaction(async (tx) => {
        const expired = await repository.expire(id, now, tx);
        if (!expired) {
          const existing = await repository.find(id, tx);
          if (!existing) throw notFound(`silence ${id}`);
          throw new AppError('conflict', `silence ${id} has already expired`);
        }
        await audit.append(tx, { actor: actor.id, action: 'silence.expire', target: `silence:${id}`, before: { ends_at: null }, after: { expired_at: now.toISOString() }, correlationId: actor.correlationId });
        return expired;
      });
      deps.onChange(actor.correlationId);
      return toSilenceView(row, now);
    },
  };
}

export type SilenceService = ReturnType<typeof createSilenceService>;
