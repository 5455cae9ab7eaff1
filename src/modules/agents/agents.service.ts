import { isUniqueViolation, type Database, type Queryable } from '../../platform/db/index.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { decodeCursor, pageOf } from '../../platform/http/cursor.js';
import { newId } from '../../platform/ids.js';
import type { AgentRecord, AgentRepository, AgentValues } from './agents.repository.js';
import type { AgentEvent, CreateAgentInput, ListAgentsQuery, ToolInputValue, UpdateAgentInput } from './agents.schemas.js';
import { fingerprintOf, hashInputSchema, type AgentTool } from './fingerprint.js';
import { agentEvent } from './history.js';
import { transition, type AgentStatus, type LifecycleAction } from './lifecycle.js';
import type { AuditService } from '../audit/index.js';
import type { CacheInvalidation, ReadThroughCache } from '../../platform/cache/index.js';
import type { Actor } from '../../platform/http/actor.js';

export interface AgentServiceDeps {
  db: Database;
  repository: AgentRepository;
  audit: Pick<AuditService, 'append'>;
  /** Agents by id: the hot read path (500 entries, 5 min: docs/OPERATIONS.md "Caches"), invalidated on every write on every replica. */
  cache: ReadThroughCache<AgentRecord>;
  invalidation: Pick<CacheInvalidation, 'notify'>;
}

/** One input schema, whichever spelling the tool used; both spellings, or a schema and a hash, are a 400. */
function inputSchemaOf(tool: ToolInputValue, index: number): Record<string, unknown> | undefined {
  const given = [tool.input_schema, tool.inputSchema].filter((schema) => schema !== undefined);
  if (given.length + (tool.input_schema_hash !== undefined ? 1 : 0) > 1) {
    throw new AppError('validation_failed', 'give one of input_schema, inputSchema or input_schema_hash', {
      errors: [{ path: `/body/tools/${index}`, message: 'has more than one of input_schema, inputSchema and input_schema_hash' }],
    });
  }
  return given[0];
}

export function normaliseTools(tools: ToolInputValue[]): AgentTool[] {
  const names = new Set<string>();
  return tools.map((tool, index) => {
    if (names.has(tool.name)) {
      throw new AppError('validation_failed', `tool name "${tool.name}" appears twice`, {
        errors: [{ path: `/body/tools/${index}/name`, message: 'must be unique among the tools' }],
      });
    }
    names.add(tool.name);
    if (tool.output_schema !== undefined && tool.outputSchema !== undefined) {
      throw new AppError('validation_failed', 'give output_schema or outputSchema, not both', {
        errors: [{ path: `/body/tools/${index}`, message: 'has both output_schema and outputSchema' }],
      });
    }
    const inputSchema = inputSchemaOf(tool, index);
    const outputSchema = tool.output_schema ?? tool.outputSchema;
    return {
      name: tool.name,
      description: tool.description ?? null,
      input_schema_hash: inputSchema ? hashInputSchema(inputSchema) : (tool.input_schema_hash ?? null),
      // MCP extras only when given, so agents registered without them read exactly as before.
      ...(tool.title !== undefined ? { title: tool.title } : {}),
      ...(outputSchema !== undefined ? { output_schema_hash: hashInputSchema(outputSchema) } : {}),
      ...(tool.annotations !== undefined ? { annotations: tool.annotations } : {}),
    };
  });
}

/** One agent's status change decided outside the lifecycle routes (the kill switch and its release). */
export interface StatusChange {
  id: string;
  from: AgentStatus;
  to: AgentStatus;
  reason: string | null;
}

export function createAgentService({ db, repository, audit, cache, invalidation }: AgentServiceDeps) {
  async function requireAgent(id: string, tx: Queryable, forUpdate = false): Promise<AgentRecord> {
    const agent = await repository.findById(id, tx, { forUpdate });
    if (!agent) throw notFound(`agent ${id}`);
    return agent;
  }

  /** Every write goes through here: one transaction, cache invalidation announced inside it and applied after it. */
  async function write<T>(agentId: string, fn: (tx: Queryable) => Promise<T>, externalId?: string | null): Promise<T> {
    try {
      const result = await db.transaction(async (tx) => {
        const value = await fn(tx);
        await invalidation.notify(tx, cache.name, agentId);
        return value;
      });
      cache.invalidate(agentId);
      return result;
    } catch (error) {
      if (isUniqueViolation(error, 'agent_source_external_id_key')) {
        throw conflict(`another agent from this source already has external_id "${externalId}"`);
      }
      throw error;
    }
  }

  return {
    async create(actor: Actor, input: CreateAgentInput): Promise<AgentRecord> {
      const tools = normaliseTools(input.tools ?? []);
      const values: AgentValues = {
        id: newId(),
        name: input.name,
        kind: input.kind,
        source: input.source ?? 'manual',
        external_id: input.external_id ?? null,
        owner: input.owner ?? null,
        vendor: input.vendor ?? null,
        model: input.model ?? null,
        version: input.version ?? null,
        description: input.description ?? null,
        prompt: input.prompt ?? null,
        config: input.config ?? {},
        tools,
        fingerprint: '',
        status: input.status ?? 'active',
        status_reason: null,
        classification: input.classification ?? 'internal',
        role: input.role ?? null,
        targets: input.targets ?? [],
        tags: input.tags ?? [],
        metadata: input.metadata ?? {},
      };
      values.fingerprint = fingerprintOf(values);
      return write(values.id, async (tx) => {
        const agent = await repository.insert(values, tx);
        await repository.insertEvent({ ...agentEvent(actor, agent.id, 'register', null, agent.status, null), fingerprint: agent.fingerprint }, tx);
        await audit.append(tx, {
          actor: actor.id,
          action: 'agent.create',
          target: `agent:${agent.id}`,
          before: null,
          after: agent,
          correlationId: actor.correlationId,
        });
        return agent;
      }, values.external_id);
    },

    async get(id: string): Promise<AgentRecord> {
      const agent = await cache.get(id, () => repository.findWithIdentities(id));
      if (!agent) throw notFound(`agent ${id}`);
      return agent;
    },

    async list(query: ListAgentsQuery): Promise<{ items: AgentRecord[]; next_cursor: string | null }> {
      const limit = query.limit ?? 50;
      const rows = await repository.list({ ...query, limit: limit + 1, after: decodeCursor(query.cursor) });
      return pageOf(rows, limit);
    },

    /** Partial update; the fingerprint is recomputed and a change of it is recorded in the history. */
    async update(actor: Actor, id: string, input: UpdateAgentInput): Promise<AgentRecord> {
      return write(id, async (tx) => {
        const current = await requireAgent(id, tx, true);
        if (current.status === 'retired') throw conflict(`agent ${id} is retired and can no longer be changed`);
        const { tools: toolInput, ...rest } = input;
        const next: AgentValues = { ...current, ...rest, ...(toolInput ? { tools: normaliseTools(toolInput) } : {}) };
        next.fingerprint = fingerprintOf(next);
        const updated = await repository.update(id, next, tx);
        if (updated.fingerprint !== current.fingerprint) {
          await repository.insertEvent({ ...agentEvent(actor, id, 'definition_changed', current.status, updated.status, null), fingerprint: updated.fingerprint }, tx);
        }
        await audit.append(tx, {
          actor: actor.id,
          action: 'agent.update',
          target: `agent:${id}`,
          before: current,
          after: updated,
          correlationId: actor.correlationId,
        });
        return updated;
      }, input.external_id);
    },

    /** Applies a lifecycle action along the state machine; anything else is 409 with the allowed actions. */
    async transition(actor: Actor, id: string, action: LifecycleAction, reason: string | null): Promise<AgentRecord> {
      return write(id, async (tx) => {
        const current = await requireAgent(id, tx, true);
        const result = transition(current.status, action);
        if (!result.ok) {
          const allowed = result.allowed.length > 0 ? `allowed: ${result.allowed.join(', ')}` : 'no further transitions are allowed';
          throw conflict(`cannot ${action} an agent that is ${current.status} (${allowed})`);
        }
        const updated = await repository.setStatus(id, result.to, reason, tx);
        await repository.insertEvent(agentEvent(actor, id, action, current.status, result.to, reason), tx);
        await audit.append(tx, {
          actor: actor.id,
          action: `agent.${action}`,
          target: `agent:${id}`,
          before: current,
          after: updated,
          correlationId: actor.correlationId,
        });
        return updated;
      });
    },

    async history(id: string, query: { limit?: number; cursor?: string }): Promise<{ items: AgentEvent[]; next_cursor: string | null }> {
      await requireAgent(id, db);
      const limit = query.limit ?? 50;
      const rows = await repository.listEvents(id, limit + 1, decodeCursor(query.cursor));
      return pageOf(rows, limit);
    },

    /**
     * Status changes that another module decided for many agents at once (the kill switch), made inside that
     * module's transaction: one statement for the statuses, one for their history, and one notification that
     * empties the agent cache of every replica when the transaction commits (one per agent would be a thousand
     * NOTIFYs). The caller calls `forgetCachedAgents()` once it committed, so that this replica reads its own write
     * at once rather than when the notification comes back to it.
     */
    async applyStatusChanges(tx: Queryable, actor: Actor, action: string, changes: readonly StatusChange[]): Promise<void> {
      if (changes.length === 0) return;
      await repository.setStatuses(
        changes.map((change) => ({ id: change.id, status: change.to, reason: change.reason })),
        tx,
      );
      await repository.insertEvents(
        changes.map((change) => agentEvent(actor, change.id, action, change.from, change.to, change.reason)),
        tx,
      );
      await invalidation.notify(tx, cache.name, '*');
    },

    /** Empties this replica's agent cache (after a committed applyStatusChanges). */
    forgetCachedAgents(): void {
      cache.clear();
    },

    countByStatus: () => repository.countByStatus(),
  };
}

export type AgentService = ReturnType<typeof createAgentService>;
