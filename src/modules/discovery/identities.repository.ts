/**
 * agent_identities (which agent an external thing of a source is) and discovery_finding (what a run found suspicious
 * in an agent's tools). Bulk statements take a whole batch as one jsonb parameter, like the agents' bulk writes.
 */
import { jsonbParameter, type Queryable, whereClause } from '../../platform/db/index.js';
import type { AgentStatus } from '../agents/index.js';
import type { DiscoveryFinding, ListFindingsQuery } from './discovery.schemas.js';

export interface KnownIdentity {
  id: string;
  agent_id: string;
  /** Set for an identity merged into agent_id (by a rule or by hand): the agent it came with, which keeps its definition. */
  previous_agent_id: string | null;
  external_id: string;
  fingerprint: string | null;
  observed_hash: string | null;
  missing_since: Date | null;
  agent_status: AgentStatus;
}

export interface NewIdentity {
  id: string;
  agent_id: string;
  source_kind: string;
  discovery_source_id: string;
  external_id: string;
  link: 'discovered' | 'adopted' | 'rule';
  previous_agent_id: string | null;
  fingerprint: string;
  observed_hash: string;
  link_keys: string[];
  first_seen_at: string;
}

export interface NewFinding {
  id: string;
  agent_id: string;
  source_id: string;
  run_id: string;
  kind: DiscoveryFinding['kind'];
  tool: string;
  detail: string;
  score: number | null;
  signals: string[];
  detected_at: string;
}

interface FindingRow extends Omit<DiscoveryFinding, 'detected_at'> {
  detected_at: Date;
}

const json = (value: unknown) => jsonbParameter(JSON.stringify(value));

export function createIdentityRepository(db: Queryable) {
  return {
    async listForSource(sourceId: string, tx: Queryable = db): Promise<KnownIdentity[]> {
      const { rows } = await tx.query<KnownIdentity>(
        `select i.id, i.agent_id, i.previous_agent_id, i.external_id, i.fingerprint, i.observed_hash, i.missing_since, a.status as agent_status
           from agent_identities i join agent a on a.id = i.agent_id
          where i.discovery_source_id = $1`,
        [sourceId],
      );
      return rows;
    },

    async insertMany(tx: Queryable, identities: NewIdentity[]): Promise<void> {
      if (identities.length === 0) return;
      await tx.query(
        `insert into agent_identities (id, agent_id, source_kind, discovery_source_id, external_id, link, previous_agent_id, fingerprint, observed_hash, link_keys, first_seen_at)
         select r.id, r.agent_id, r.source_kind, r.discovery_source_id, r.external_id, r.link, r.previous_agent_id, r.fingerprint, r.observed_hash,
                array(select jsonb_array_elements_text(r.link_keys)), r.first_seen_at
           from jsonb_to_recordset($1::jsonb) as r(id uuid, agent_id uuid, source_kind text, discovery_source_id uuid, external_id text, link text,
                previous_agent_id uuid, fingerprint text, observed_hash text, link_keys jsonb, first_seen_at timestamptz)`,
        [json(identities)],
      );
    },

    /** What was seen through each identity now; a missing identity is found again. */
    async recordSeen(tx: Queryable, seen: Array<{ id: string; fingerprint: string; observed_hash: string; link_keys: string[] }>): Promise<void> {
      if (seen.length === 0) return;
      await tx.query(
        `update agent_identities i set fingerprint = r.fingerprint, observed_hash = r.observed_hash, link_keys = array(select jsonb_array_elements_text(r.link_keys)),
                missing_since = null, updated_at = now()
           from jsonb_to_recordset($1::jsonb) as r(id uuid, fingerprint text, observed_hash text, link_keys jsonb)
          where i.id = r.id`,
        [json(seen)],
      );
    },

    async markMissing(tx: Queryable, ids: string[], at: Date): Promise<void> {
      if (ids.length === 0) return;
      await tx.query(
        `update agent_identities set missing_since = $2, updated_at = now() where id in (select (jsonb_array_elements_text($1::jsonb))::uuid)`,
        [json(ids), at],
      );
    },

    /** Of these agents, those with no identity still seen (every source that listed them lists them no more). */
    async agentsWithoutPresentIdentity(tx: Queryable, agentIds: string[]): Promise<Set<string>> {
      if (agentIds.length === 0) return new Set();
      const { rows } = await tx.query<{ id: string }>(
        `select a.id from agent a
          where a.id in (select (jsonb_array_elements_text($1::jsonb))::uuid)
            and not exists (select 1 from agent_identities i where i.agent_id = a.id and i.missing_since is null)`,
        [json(agentIds)],
      );
      return new Set(rows.map((row) => row.id));
    },

    /**
     * Ids of the agents any of these discovery sources found (their identities, wherever a merge moved them), read
     * on the caller's transaction (the kill switch resolves its discovery_source criterion inside the transaction
     * that suspends).
     */
    async agentsFoundBy(sourceIds: string[], tx: Queryable = db): Promise<string[]> {
      if (sourceIds.length === 0) return [];
      const { rows } = await tx.query<{ agent_id: string }>(
        `select distinct agent_id from agent_identities where discovery_source_id = any($1::uuid[]) order by agent_id`,
        [sourceIds],
      );
      return rows.map((row) => row.agent_id);
    },

    async insertFindings(tx: Queryable, findings: NewFinding[]): Promise<void> {
      if (findings.length === 0) return;
      await tx.query(
        `insert into discovery_finding (id, agent_id, source_id, run_id, kind, tool, detail, score, signals, detected_at)
         select r.id, r.agent_id, r.source_id, r.run_id, r.kind, r.tool, r.detail, r.score, array(select jsonb_array_elements_text(r.signals)), r.detected_at
           from jsonb_to_recordset($1::jsonb) as r(id uuid, agent_id uuid, source_id uuid, run_id uuid, kind text, tool text, detail text,
                score double precision, signals jsonb, detected_at timestamptz)`,
        [json(findings)],
      );
    },

    /** Newest first, keyset on id. */
    async listFindings(query: ListFindingsQuery & { limit: number; after?: string }): Promise<DiscoveryFinding[]> {
      const where = whereClause();
      if (query.agent_id) where.add((p) => `agent_id = ${p}`, query.agent_id);
      if (query.source_id) where.add((p) => `source_id = ${p}`, query.source_id);
      if (query.kind) where.add((p) => `kind = ${p}`, query.kind);
      if (query.after) where.add((p) => `id < ${p}`, query.after);
      const limit = where.bind(query.limit);
      const { text, values } = where.build();
      const { rows } = await db.query<FindingRow>(`select * from discovery_finding ${text} order by id desc limit ${limit}`, values);
      return rows.map((row) => ({ ...row, detected_at: row.detected_at.toISOString() }));
    },
  };
}

export type IdentityRepository = ReturnType<typeof createIdentityRepository>;
