/**
 * The registry's writes in bulk, for discovery (docs/discovery.md): a run may register or update thousands of agents,
 * so each statement takes a whole batch as one jsonb parameter (unpacked with jsonb_to_recordset) instead of one
 * statement per agent. Same tables and columns as agents.repository.ts; every method takes the caller's transaction.
 */
import { jsonbParameter, type Queryable } from '../../platform/db/index.js';
import type { AgentRecord, AgentValues, NewAgentEvent } from './agents.repository.js';
import type { AgentStatus } from './lifecycle.js';

/** The fields discovery owns on an agent it found: the definition and what the source says about it. */
export type DiscoveredDefinition = Pick<AgentValues, 'id' | 'name' | 'kind' | 'vendor' | 'model' | 'version' | 'description' | 'prompt' | 'config' | 'tools' | 'fingerprint'> & {
  /** Replaces `metadata.discovered` only: the rest of metadata belongs to people. */
  discovered: Record<string, unknown>;
};

export interface AgentStatusChange {
  id: string;
  status: AgentStatus;
  reason: string | null;
}

export interface AgentByExternalId {
  id: string;
  external_id: string;
  status: AgentStatus;
  fingerprint: string;
}

interface Row extends Omit<AgentRecord, 'created_at' | 'updated_at'> {
  created_at: Date;
  updated_at: Date;
}

const json = (value: unknown) => jsonbParameter(JSON.stringify(value));

export function createAgentBulkRepository() {
  return {
    async insertMany(tx: Queryable, agents: AgentValues[]): Promise<void> {
      if (agents.length === 0) return;
      await tx.query(
        `insert into agent (id, name, kind, source, external_id, owner, vendor, model, version, description, prompt, config, tools,
                            fingerprint, status, status_reason, classification, role, targets, tags, metadata)
         select r.id, r.name, r.kind, r.source, r.external_id, r.owner, r.vendor, r.model, r.version, r.description, r.prompt,
                r.config, r.tools, r.fingerprint, r.status, r.status_reason, r.classification, r.role,
                array(select jsonb_array_elements_text(r.targets)), array(select jsonb_array_elements_text(r.tags)), r.metadata
           from jsonb_to_recordset($1::jsonb) as r(id uuid, name text, kind text, source text, external_id text, owner text, vendor text,
                model text, version text, description text, prompt text, config jsonb, tools jsonb, fingerprint text, status text,
                status_reason text, classification text, role text, targets jsonb, tags jsonb, metadata jsonb)`,
        [json(agents)],
      );
    },

    async updateDefinitions(tx: Queryable, definitions: DiscoveredDefinition[]): Promise<void> {
      if (definitions.length === 0) return;
      await tx.query(
        `update agent a
            set name = r.name, kind = r.kind, vendor = r.vendor, model = r.model, version = r.version, description = r.description,
                prompt = r.prompt, config = r.config, tools = r.tools, fingerprint = r.fingerprint,
                metadata = a.metadata || jsonb_build_object('discovered', r.discovered), updated_at = now()
           from jsonb_to_recordset($1::jsonb) as r(id uuid, name text, kind text, vendor text, model text, version text, description text,
                prompt text, config jsonb, tools jsonb, fingerprint text, discovered jsonb)
          where a.id = r.id`,
        [json(definitions)],
      );
    },

    async setStatuses(tx: Queryable, changes: AgentStatusChange[]): Promise<void> {
      if (changes.length === 0) return;
      await tx.query(
        `update agent a set status = r.status, status_reason = r.reason, updated_at = now()
           from jsonb_to_recordset($1::jsonb) as r(id uuid, status text, reason text)
          where a.id = r.id`,
        [json(changes)],
      );
    },

    async insertEvents(tx: Queryable, events: Array<NewAgentEvent & { changes?: unknown[] | null }>): Promise<void> {
      if (events.length === 0) return;
      await tx.query(
        `insert into agent_event (id, agent_id, action, from_status, to_status, reason, actor, fingerprint, correlation_id, changes)
         select r.id, r.agent_id, r.action, r.from_status, r.to_status, r.reason, r.actor, r.fingerprint, r.correlation_id, r.changes
           from jsonb_to_recordset($1::jsonb) as r(id uuid, agent_id uuid, action text, from_status text, to_status text, reason text,
                actor text, fingerprint text, correlation_id text, changes jsonb)`,
        [json(events.map((event) => ({ ...event, changes: event.changes ?? null })))],
      );
    },

    /** Agents already registered under these external ids of one source (registered by hand, or by another discovery source). */
    async findBySourceExternalIds(tx: Queryable, source: AgentValues['source'], externalIds: string[]): Promise<AgentByExternalId[]> {
      if (externalIds.length === 0) return [];
      const { rows } = await tx.query<AgentByExternalId>(
        `select id, external_id, status, fingerprint from agent
          where source = $1 and external_id in (select jsonb_array_elements_text($2::jsonb))`,
        [source, json(externalIds)],
      );
      return rows;
    },

    async findByIds(tx: Queryable, ids: string[]): Promise<AgentRecord[]> {
      if (ids.length === 0) return [];
      const { rows } = await tx.query<Row>(`select * from agent where id in (select (jsonb_array_elements_text($1::jsonb))::uuid)`, [json(ids)]);
      return rows.map((row) => ({ ...row, created_at: row.created_at.toISOString(), updated_at: row.updated_at.toISOString() }));
    },

    /** The status each agent had before it went missing: the from_status of its latest move into `missing`. */
    async statusesBeforeMissing(tx: Queryable, ids: string[]): Promise<Map<string, AgentStatus>> {
      if (ids.length === 0) return new Map();
      const { rows } = await tx.query<{ agent_id: string; from_status: AgentStatus }>(
        `select distinct on (agent_id) agent_id, from_status from agent_event
          where to_status = 'missing' and from_status is not null and agent_id in (select (jsonb_array_elements_text($1::jsonb))::uuid)
          order by agent_id, id desc`,
        [json(ids)],
      );
      return new Map(rows.map((row) => [row.agent_id, row.from_status]));
    },

    /** Agents that were approved at least once: a later change of a tool description is a rug pull, not a first look. */
    async approvedAgents(tx: Queryable, ids: string[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const { rows } = await tx.query<{ agent_id: string }>(
        `select distinct agent_id from agent_event
          where action in ('approve', 'register') and to_status = 'active' and agent_id in (select (jsonb_array_elements_text($1::jsonb))::uuid)`,
        [json(ids)],
      );
      return new Set(rows.map((row) => row.agent_id));
    },
  };
}

export type AgentBulkRepository = ReturnType<typeof createAgentBulkRepository>;
