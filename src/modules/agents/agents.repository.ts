import { type Queryable, whereClause } from '../../platform/db/index.js';
import type { Agent, AgentEvent, AgentIdentity, ListAgentsQuery } from './agents.schemas.js';
import type { AgentTool } from './fingerprint.js';
import type { AgentStatus } from './lifecycle.js';

interface AgentRow {
  id: string;
  name: string;
  kind: Agent['kind'];
  source: Agent['source'];
  external_id: string | null;
  owner: string | null;
  vendor: string | null;
  model: string | null;
  version: string | null;
  description: string | null;
  prompt: string | null;
  config: Record<string, unknown>;
  tools: AgentTool[];
  fingerprint: string;
  status: AgentStatus;
  status_reason: string | null;
  classification: Agent['classification'];
  role: string | null;
  targets: string[];
  tags: string[];
  metadata: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

interface AgentEventRow extends Omit<AgentEvent, 'at'> {
  at: Date;
}

/** The stored agent, as the API shows it. */
export type AgentRecord = Agent;
export type AgentValues = Omit<Agent, 'created_at' | 'updated_at'>;

function toAgent(row: AgentRow): AgentRecord {
  return { ...row, created_at: row.created_at.toISOString(), updated_at: row.updated_at.toISOString() };
}

interface IdentityRow extends Omit<AgentIdentity, 'first_seen_at' | 'missing_since'> {
  first_seen_at: string;
  missing_since: string | null;
}

/** Timestamps as jsonb_build_object writes them (PostgreSQL's text form), in the API's ISO form. */
function toIdentity(row: IdentityRow): AgentIdentity {
  return { ...row, first_seen_at: new Date(row.first_seen_at).toISOString(), missing_since: row.missing_since === null ? null : new Date(row.missing_since).toISOString() };
}

function toEvent(row: AgentEventRow): AgentEvent {
  // `changes` only where discovery recorded a diff: other entries read exactly as before the column existed.
  const { changes, ...rest } = row;
  return { ...rest, at: row.at.toISOString(), ...(changes ? { changes } : {}) };
}

const COLUMNS = [
  'id',
  'name',
  'kind',
  'source',
  'external_id',
  'owner',
  'vendor',
  'model',
  'version',
  'description',
  'prompt',
  'config',
  'tools',
  'fingerprint',
  'status',
  'status_reason',
  'classification',
  'role',
  'targets',
  'tags',
  'metadata',
] as const satisfies readonly (keyof AgentValues)[];

const JSON_COLUMNS = new Set(['config', 'tools', 'metadata']);

function columnValue(values: AgentValues, column: (typeof COLUMNS)[number]): unknown {
  const value = values[column];
  // jsonb parameters are sent as JSON text: both drivers then agree on how arrays and objects are stored.
  return JSON_COLUMNS.has(column) ? JSON.stringify(value) : value;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

export interface NewAgentEvent {
  id: string;
  agent_id: string;
  action: string;
  from_status: AgentStatus | null;
  to_status: AgentStatus;
  reason: string | null;
  actor: string;
  fingerprint: string | null;
  correlation_id: string | null;
}

export function createAgentRepository(db: Queryable) {
  return {
    async insert(values: AgentValues, tx: Queryable = db): Promise<AgentRecord> {
      const placeholders = COLUMNS.map((_, index) => `$${index + 1}`).join(', ');
      const { rows } = await tx.query<AgentRow>(
        `insert into agent (${COLUMNS.join(', ')}) values (${placeholders}) returning *`,
        COLUMNS.map((column) => columnValue(values, column)),
      );
      return toAgent(rows[0]!);
    },

    async update(id: string, values: AgentValues, tx: Queryable = db): Promise<AgentRecord> {
      const assignments = COLUMNS.slice(1).map((column, index) => `${column} = $${index + 2}`);
      const { rows } = await tx.query<AgentRow>(
        `update agent set ${assignments.join(', ')}, updated_at = now() where id = $1 returning *`,
        [id, ...COLUMNS.slice(1).map((column) => columnValue(values, column))],
      );
      return toAgent(rows[0]!);
    },

    async findById(id: string, tx: Queryable = db, options: { forUpdate?: boolean } = {}): Promise<AgentRecord | undefined> {
      const { rows } = await tx.query<AgentRow>(`select * from agent where id = $1${options.forUpdate ? ' for update' : ''}`, [id]);
      return rows[0] ? toAgent(rows[0]) : undefined;
    },

    /**
     * One agent with its identities (the cached read of GET /agents/{id}): the identities come from agent_identities,
     * which discovery writes (docs/discovery.md "Identities"); one statement over agent_identities_agent_idx.
     */
    async findWithIdentities(id: string, tx: Queryable = db): Promise<AgentRecord | undefined> {
      const { rows } = await tx.query<AgentRow & { identities: IdentityRow[] }>(
        `select a.*, coalesce((select jsonb_agg(jsonb_build_object('id', i.id, 'source_kind', i.source_kind, 'discovery_source_id', i.discovery_source_id,
                  'external_id', i.external_id, 'link', i.link, 'merged_from', i.previous_agent_id, 'first_seen_at', i.first_seen_at,
                  'missing_since', i.missing_since) order by i.id)
                  from agent_identities i where i.agent_id = a.id), '[]'::jsonb) as identities
           from agent a where a.id = $1`,
        [id],
      );
      const row = rows[0];
      if (!row) return undefined;
      const { identities, ...agent } = row;
      // Present only when there are any, so that an agent registered by hand reads back exactly as it was written.
      return identities.length > 0 ? { ...toAgent(agent), identities: identities.map(toIdentity) } : toAgent(agent);
    },

    async setStatus(id: string, status: AgentStatus, reason: string | null, tx: Queryable = db): Promise<AgentRecord> {
      const { rows } = await tx.query<AgentRow>(
        'update agent set status = $2, status_reason = $3, updated_at = now() where id = $1 returning *',
        [id, status, reason],
      );
      return toAgent(rows[0]!);
    },

    /**
     * Many agents at once (the kill switch and its release): one statement, each agent with its own status and
     * reason, so that a thousand agents cost one round trip rather than a thousand.
     */
    async setStatuses(changes: ReadonlyArray<{ id: string; status: AgentStatus; reason: string | null }>, tx: Queryable = db): Promise<void> {
      if (changes.length === 0) return;
      await tx.query(
        `update agent set status = change.status, status_reason = change.reason, updated_at = now()
           from unnest($1::uuid[], $2::text[], $3::text[]) as change (id, status, reason)
          where agent.id = change.id`,
        [changes.map((change) => change.id), changes.map((change) => change.status), changes.map((change) => change.reason)],
      );
    },

    /** Keyset pagination on id (UUIDv7, time-ordered), newest first: rows inserted meanwhile never shift a page. */
    async list(query: ListAgentsQuery & { limit: number; after?: string }): Promise<AgentRecord[]> {
      const where = whereClause();
      if (query.status) where.add((p) => `status = ${p}`, query.status);
      if (query.kind) where.add((p) => `kind = ${p}`, query.kind);
      if (query.source) where.add((p) => `source = ${p}`, query.source);
      if (query.owner) where.add((p) => `owner = ${p}`, query.owner);
      if (query.tag) where.add((p) => `tags @> array[${p}::text]`, query.tag);
      if (query.q) where.add((p) => `name ilike ${p} escape '\\'`, `%${escapeLike(query.q)}%`);
      if (query.after) where.add((p) => `id < ${p}`, query.after);
      const limit = where.bind(query.limit);
      const { text, values } = where.build();
      const { rows } = await db.query<AgentRow>(`select * from agent ${text} order by id desc limit ${limit}`, values);
      return rows.map(toAgent);
    },

    async countByStatus(): Promise<Array<{ status: AgentStatus; count: number }>> {
      const { rows } = await db.query<{ status: AgentStatus; count: number }>(
        'select status, count(*)::int8 as count from agent group by status',
      );
      return rows;
    },

    async insertEvent(event: NewAgentEvent, tx: Queryable = db): Promise<void> {
      await tx.query(
        `insert into agent_event (id, agent_id, action, from_status, to_status, reason, actor, fingerprint, correlation_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          event.id,
          event.agent_id,
          event.action,
          event.from_status,
          event.to_status,
          event.reason,
          event.actor,
          event.fingerprint,
          event.correlation_id,
        ],
      );
    },

    /** The history rows of many status changes in one statement (see setStatuses). */
    async insertEvents(events: readonly NewAgentEvent[], tx: Queryable = db): Promise<void> {
      if (events.length === 0) return;
      const column = <K extends keyof NewAgentEvent>(key: K) => events.map((event) => event[key]);
      await tx.query(
        `insert into agent_event (id, agent_id, action, from_status, to_status, reason, actor, fingerprint, correlation_id)
         select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])`,
        [
          column('id'),
          column('agent_id'),
          column('action'),
          column('from_status'),
          column('to_status'),
          column('reason'),
          column('actor'),
          column('fingerprint'),
          column('correlation_id'),
        ],
      );
    },

    /** Oldest first: history reads as a story. */
    async listEvents(agentId: string, limit: number, after?: string): Promise<AgentEvent[]> {
      const { rows } = await db.query<AgentEventRow>(
        `select * from agent_event where agent_id = $1 ${after ? 'and id > $3' : ''} order by id asc limit $2`,
        after ? [agentId, limit, after] : [agentId, limit],
      );
      return rows.map(toEvent);
    },
  };
}

export type AgentRepository = ReturnType<typeof createAgentRepository>;
