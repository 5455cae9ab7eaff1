/**
 * Merges (docs/discovery.md "Merging"): agent_merge records what each merge did, agent_merge_row which rows of the
 * other modules' tables it moved to the survivor, so that an unmerge moves back exactly those. Those tables are
 * written here and nowhere else in this module, and only their agent_id column:
 *
 * | table                | owner      | what follows the survivor            |
 * |----------------------|------------|--------------------------------------|
 * | `agent_event`        | agents     | the history                          |
 * | `decision`, `policy_violation` | policies | decisions and their violations |
 * | `approval`           | approvals  | approvals asked for by it            |
 * | `run`, `event`       | ingest     | runs and events it was named in      |
 * | `trust_snapshot`, `incident` | trust | trust over time, incidents      |
 * | `sync_gap`, `remediation` | sync, remediation | gaps it owns, their remediations |
 * | `discovery_finding`  | discovery  | tool poisoning and rug pulls         |
 *
 * Each is one statement per table (an update returning the ids into agent_merge_row), on the agent_id indexes. The
 * agent table itself is written through the agents module's bulk writer, except the survivor's `role` (setRole).
 */
import { jsonbParameter, type Queryable } from '../../platform/db/index.js';
import type { AgentStatus } from '../agents/index.js';

export const MOVED_TABLES = [
  'agent_event',
  'decision',
  'policy_violation',
  'approval',
  'run',
  'event',
  'trust_snapshot',
  'incident',
  'sync_gap',
  'remediation',
  'discovery_finding',
] as const;
type MovedTable = (typeof MOVED_TABLES)[number];

// Table names are this module's constants, never input: the statements are written once, here.
const MOVE_SQL: Readonly<Record<MovedTable, string>> = Object.fromEntries(
  MOVED_TABLES.map((table) => [
    table,
    `with moved as (update ${table} set agent_id = $2 where agent_id = $1 returning id)
     insert into agent_merge_row (merge_id, table_name, row_id) select $3, '${table}', id from moved`,
  ]),
) as Record<MovedTable, string>;

const MOVE_BACK_SQL: Readonly<Record<MovedTable, string>> = Object.fromEntries(
  MOVED_TABLES.map((table) => [
    table,
    `update ${table} t set agent_id = $2
       from agent_merge_row r
      where r.merge_id = $1 and r.table_name = '${table}' and r.row_id = t.id and t.agent_id = $3`,
  ]),
) as Record<MovedTable, string>;

/** An identity as it was before a merge moved it. */
export interface IdentityBefore {
  id: string;
  link: string;
  previous_agent_id: string | null;
}

export interface MergeRecord {
  id: string;
  agent_id: string;
  into_agent_id: string;
  via: 'manual' | 'rule';
  rule: string | null;
  link_value: string | null;
  previous_status: AgentStatus;
  previous_status_reason: string | null;
  role_set: string | null;
  identities: IdentityBefore[];
  reason: string | null;
  merged_by: string;
  correlation_id: string | null;
  merged_at: Date;
  unmerged_at: Date | null;
}

export interface IdentityRow {
  id: string;
  agent_id: string;
  previous_agent_id: string | null;
  link: string;
  external_id: string;
  discovery_source_id: string | null;
  source_kind: string;
}

export interface LockedAgent {
  id: string;
  name: string;
  source: string;
  external_id: string | null;
  status: AgentStatus;
  status_reason: string | null;
  role: string | null;
}

/** An agent a linking key points at, with the key. */
export interface LinkCandidate {
  agent_id: string;
  key: string;
}

const json = (value: unknown) => jsonbParameter(JSON.stringify(value));

export function createMergeRepository() {
  return {
    async insertMerge(tx: Queryable, merge: Omit<MergeRecord, 'unmerged_at'>): Promise<void> {
      await tx.query(
        `insert into agent_merge (id, agent_id, into_agent_id, via, rule, link_value, previous_status, previous_status_reason, role_set, identities,
                                  reason, merged_by, correlation_id, merged_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, $14)`,
        [
          merge.id,
          merge.agent_id,
          merge.into_agent_id,
          merge.via,
          merge.rule,
          merge.link_value,
          merge.previous_status,
          merge.previous_status_reason,
          merge.role_set,
          json(merge.identities),
          merge.reason,
          merge.merged_by,
          merge.correlation_id,
          merge.merged_at,
        ],
      );
    },

    /** Many merges made by linking rules in one statement (a discovery batch). */
    async insertRuleMerges(tx: Queryable, merges: Array<Omit<MergeRecord, 'unmerged_at' | 'merged_at'> & { merged_at: string }>): Promise<void> {
      if (merges.length === 0) return;
      await tx.query(
        `insert into agent_merge (id, agent_id, into_agent_id, via, rule, link_value, previous_status, previous_status_reason, role_set, identities,
                                  reason, merged_by, correlation_id, merged_at)
         select r.id, r.agent_id, r.into_agent_id, r.via, r.rule, r.link_value, r.previous_status, r.previous_status_reason, r.role_set, r.identities,
                r.reason, r.merged_by, r.correlation_id, r.merged_at
           from jsonb_to_recordset($1::jsonb) as r(id uuid, agent_id uuid, into_agent_id uuid, via text, rule text, link_value text, previous_status text,
                previous_status_reason text, role_set text, identities jsonb, reason text, merged_by text, correlation_id text, merged_at timestamptz)`,
        [json(merges)],
      );
    },

    /** Identities that joined a merged agent later (another source adopting it): its open merge takes them along. */
    async joinMerges(tx: Queryable, joined: Array<{ agentId: string; identity: IdentityBefore }>): Promise<void> {
      for (const { agentId, identity } of joined) {
        await tx.query(`update agent_merge set identities = identities || $2::jsonb where agent_id = $1 and unmerged_at is null`, [agentId, json([identity])]);
      }
    },

    /** Moves every row of `from` in the tables above to `to`, recording each under the merge. Row counts by table. */
    async moveRows(tx: Queryable, mergeId: string, from: string, to: string): Promise<Record<string, number>> {
      const moved: Record<string, number> = {};
      for (const table of MOVED_TABLES) {
        const result = await tx.query(MOVE_SQL[table], [from, to, mergeId]);
        if (result.rowCount) moved[table] = result.rowCount;
      }
      return moved;
    },

    /** The rows a merge moved that are still with the survivor go back. Row counts by table. */
    async moveRowsBack(tx: Queryable, mergeId: string, original: string, survivor: string): Promise<Record<string, number>> {
      const moved: Record<string, number> = {};
      for (const table of MOVED_TABLES) {
        const result = await tx.query(MOVE_BACK_SQL[table], [mergeId, original, survivor]);
        if (result.rowCount) moved[table] = result.rowCount;
      }
      return moved;
    },

    async identitiesOf(tx: Queryable, agentId: string): Promise<IdentityRow[]> {
      const { rows } = await tx.query<IdentityRow>(
        `select id, agent_id, previous_agent_id, link, external_id, discovery_source_id, source_kind from agent_identities where agent_id = $1 order by id for update`,
        [agentId],
      );
      return rows;
    },

    /** An identity for an agent registered by hand, which has none from discovery (what an unmerge names). */
    async insertHandIdentity(tx: Queryable, identity: { id: string; agent_id: string; source_kind: string; external_id: string }): Promise<IdentityRow> {
      const { rows } = await tx.query<IdentityRow>(
        `insert into agent_identities (id, agent_id, source_kind, external_id, link) values ($1, $2, $3, $4, 'manual')
         returning id, agent_id, previous_agent_id, link, external_id, discovery_source_id, source_kind`,
        [identity.id, identity.agent_id, identity.source_kind, identity.external_id],
      );
      return rows[0]!;
    },

    async findIdentity(tx: Queryable, id: string): Promise<IdentityRow | undefined> {
      const { rows } = await tx.query<IdentityRow>(
        `select id, agent_id, previous_agent_id, link, external_id, discovery_source_id, source_kind from agent_identities where id = $1 for update`,
        [id],
      );
      return rows[0];
    },

    /**
     * Every identity of `from` joins `to`, remembering the agent it came with: `from`, or for one that a merge had
     * brought to `from` already, the agent it first came with (which keeps that source's definition).
     */
    async moveIdentities(tx: Queryable, from: string, to: string): Promise<void> {
      await tx.query(
        `update agent_identities
            set agent_id = $2, link = case when previous_agent_id is null then 'manual' else link end,
                previous_agent_id = coalesce(previous_agent_id, $1), updated_at = now()
          where agent_id = $1`,
        [from, to],
      );
    },

    /** The identities a merge moved go back to the agent they came with, as they were. */
    async restoreIdentities(tx: Queryable, agentId: string, survivor: string, identities: IdentityBefore[]): Promise<void> {
      if (identities.length === 0) return;
      await tx.query(
        `update agent_identities i set agent_id = $1, link = r.link, previous_agent_id = r.previous_agent_id, updated_at = now()
           from jsonb_to_recordset($3::jsonb) as r(id uuid, link text, previous_agent_id uuid)
          where i.id = r.id and i.agent_id = $2`,
        [agentId, survivor, json(identities)],
      );
    },

    /** The open merge that brought this identity to its agent: the latest one that moved it. */
    async openMergeOfIdentity(tx: Queryable, identityId: string, agentId: string): Promise<MergeRecord | undefined> {
      const { rows } = await tx.query<MergeRecord>(
        `select * from agent_merge
          where into_agent_id = $2 and unmerged_at is null and identities @> jsonb_build_array(jsonb_build_object('id', $1::text))
          order by id desc limit 1 for update`,
        [identityId, agentId],
      );
      return rows[0];
    },

    async openMergeOf(tx: Queryable, agentId: string): Promise<MergeRecord | undefined> {
      const { rows } = await tx.query<MergeRecord>(`select * from agent_merge where agent_id = $1 and unmerged_at is null`, [agentId]);
      return rows[0];
    },

    async closeMerge(tx: Queryable, id: string, by: string, reason: string | null, at: Date): Promise<void> {
      await tx.query(`update agent_merge set unmerged_at = $2, unmerged_by = $3, unmerge_reason = $4 where id = $1`, [id, at, by, reason]);
    },

    /**
     * The agents these keys point at, other than through the given discovery source: identities of other sources
     * with the key (agent_identities_link_keys_idx), and agents whose external_id is the key's value (an agent
     * registered by hand with its ARN or URL). Agents that this source already lists are left out: two things one
     * source lists apart stay apart. Retired and merged agents are never linked to.
     */
    async candidates(tx: Queryable, sourceId: string, keys: string[], externalIds: string[]): Promise<Array<LinkCandidate & { external_id: string | null }>> {
      if (keys.length === 0) return [];
      const { rows } = await tx.query<LinkCandidate & { external_id: string | null }>(
        `select c.agent_id, c.key, c.external_id from (
           select i.agent_id, k as key, null::text as external_id
             from agent_identities i cross join lateral unnest(i.link_keys) as k
            where i.link_keys && $2::text[] and k = any($2::text[]) and i.discovery_source_id is distinct from $1
           union all
           select a.id, null, a.external_id from agent a where a.external_id = any($3::text[])
         ) c
         join agent a on a.id = c.agent_id
        where a.status not in ('retired', 'merged')
          and not exists (select 1 from agent_identities s where s.agent_id = c.agent_id and s.discovery_source_id = $1)
        order by c.agent_id`,
        [sourceId, keys, externalIds],
      );
      return rows;
    },

    /** The surviving agent of each of these merged agents (following merges of merges), by merged agent id. */
    async survivorsOf(tx: Queryable, ids: string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const { rows } = await tx.query<{ agent_id: string; survivor: string }>(
        `with recursive chain(agent_id, survivor, depth) as (
           select m.agent_id, m.into_agent_id, 1 from agent_merge m where m.agent_id = any($1::uuid[]) and m.unmerged_at is null
           union all
           select c.agent_id, m.into_agent_id, c.depth + 1 from chain c join agent_merge m on m.agent_id = c.survivor and m.unmerged_at is null
            where c.depth < 50
         )
         select distinct on (agent_id) agent_id, survivor from chain order by agent_id, depth desc`,
        [ids],
      );
      return new Map(rows.map((row) => [row.agent_id, row.survivor]));
    },

    /** The two agents of a merge, locked in id order (no deadlock between two merges of the same pair). */
    async lockAgents(tx: Queryable, ids: string[]): Promise<LockedAgent[]> {
      const { rows } = await tx.query<LockedAgent>(
        `select id, name, source, external_id, status, status_reason, role from agent where id = any($1::uuid[]) order by id for update`,
        [ids],
      );
      return rows;
    },

    /** The survivor's policy role (the only column of the agent a merge sets besides statuses). */
    async setRole(tx: Queryable, agentId: string, role: string | null): Promise<void> {
      await tx.query(`update agent set role = $2, updated_at = now() where id = $1`, [agentId, role]);
    },

    /** Keys last seen through each identity (with what recordSeen writes), for identities of one batch. */
    async setLinkKeys(tx: Queryable, keys: Array<{ id: string; link_keys: string[] }>): Promise<void> {
      if (keys.length === 0) return;
      await tx.query(
        `update agent_identities i set link_keys = array(select jsonb_array_elements_text(r.link_keys))
           from jsonb_to_recordset($1::jsonb) as r(id uuid, link_keys jsonb)
          where i.id = r.id and i.link_keys is distinct from array(select jsonb_array_elements_text(r.link_keys))`,
        [json(keys)],
      );
    },
  };
}

export type MergeRepository = ReturnType<typeof createMergeRepository>;
