import type { Clock } from '../../platform/clock.js';
import type { Database, Queryable } from '../../platform/db/index.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { decodeCursor, pageOf } from '../../platform/http/cursor.js';
import { newId } from '../../platform/ids.js';
import type { Actor } from '../../platform/http/actor.js';
import type { AuditService } from '../audit/index.js';
import type { IncidentRecord, IncidentRepository } from './incidents.repository.js';
import type { CreateIncidentInput, ListIncidentsQuery, ResolveIncidentInput } from './incidents.schemas.js';

/** Who closes an incident automatically (self-healing), in the audit log. */
export const AUTO_RESOLVER = 'system:incidents';

export function createIncidentService(deps: {
  db: Database;
  repository: IncidentRepository;
  audit: Pick<AuditService, 'append'>;
  clock: Clock;
  /** After an incident was opened or resolved (committed): alert rules look at open incidents. */
  onChange?: (correlationId: string | null) => void;
}) {
  const { db, repository, audit, clock } = deps;

  return {
    async create(actor: Actor, input: CreateIncidentInput): Promise<IncidentRecord> {
      const created = await db.transaction(async (tx) => {
        const errors: Array<{ path: string; message: string }> = [];
        if (input.agent_id && !(await repository.agentExists(input.agent_id, tx))) errors.push({ path: '/body/agent_id', message: 'no agent has this id' });
        if (input.gap_id && (await repository.gapExists(input.gap_id, tx)) === false) errors.push({ path: '/body/gap_id', message: 'no sync gap has this id' });
        if (errors.length > 0) throw new AppError('unprocessable', 'the incident links to something that does not exist', { errors });
        const incident = await repository.insert(
          {
            id: newId(),
            kind: input.kind,
            severity: input.severity,
            title: input.title ?? null,
            agent_id: input.agent_id ?? null,
            gap_id: input.gap_id ?? null,
            loss_usd: input.loss_usd ?? 0,
            status: input.status ?? 'open',
            opened_by: actor.id,
            opened_at: clock.now(),
          },
          tx,
        );
        await audit.append(tx, { actor: actor.id, action: 'incident.open', target: `incident:${incident.id}`, before: null, after: incident, correlationId: actor.correlationId });
        return incident;
      });
      deps.onChange?.(actor.correlationId);
      return created;
    },

    async get(id: string): Promise<IncidentRecord> {
      const incident = await repository.findById(id);
      if (!incident) throw notFound(`incident ${id}`);
      return incident;
    },

    async list(query: ListIncidentsQuery): Promise<{ items: IncidentRecord[]; next_cursor: string | null }> {
      const limit = query.limit ?? 50;
      const rows = await repository.list({ ...query, limit: limit + 1, before: decodeCursor(query.cursor) });
      return pageOf(rows, limit);
    },

    /** A human closes the incident; resolving twice is 409 (the first resolution stands). */
    async resolve(actor: Actor, id: string, input: ResolveIncidentInput): Promise<IncidentRecord> {
      const updated = await db.transaction(async (tx) => {
        const current = await repository.findById(id, tx, true);
        if (!current) throw notFound(`incident ${id}`);
        if (current.status === 'resolved') throw conflict(`incident ${id} was already resolved (${current.resolved_by}) at ${current.resolved_at}`);
        const resolved = await repository.resolve(id, { resolved_by: 'human', note: input.note ?? null, loss_usd: input.loss_usd, at: clock.now() }, tx);
        await audit.append(tx, { actor: actor.id, action: 'incident.resolve', target: `incident:${id}`, before: current, after: resolved, correlationId: actor.correlationId });
        return resolved;
      });
      deps.onChange?.(actor.correlationId);
      return updated;
    },

    /**
     * Self-healing: an incident linked to a sync gap that the analyzer resolved automatically (a late follow-up
     * arrived, the stream spoke again) is resolved `auto` at the gap's resolution time. Runs inside the trust
     * snapshot transaction; each resolution is audited. Returns how many were resolved.
     */
    async autoResolveFromGaps(now: Date, tx: Queryable): Promise<number> {
      const candidates = await repository.openWithAutoResolvedGap(now, tx);
      for (const { incident, gapResolvedAt, openedAt } of candidates) {
        const at = gapResolvedAt > openedAt ? gapResolvedAt : openedAt;
        const before = incident;
        const resolved = await repository.resolve(incident.id, { resolved_by: 'auto', note: `linked sync gap ${incident.gap_id} resolved automatically`, at }, tx);
        await audit.append(tx, {
          actor: AUTO_RESOLVER,
          action: 'incident.resolve',
          target: `incident:${incident.id}`,
          before,
          after: resolved,
          correlationId: `incident-auto-${incident.id}`,
        });
      }
      return candidates.length;
    },
  };
}

export type IncidentService = ReturnType<typeof createIncidentService>;
