/**
 * The kill switch's read model: every statement by which it reads the tables of other modules. Those tables are
 * read here and nowhere else in the module, and never written (agents change status through the agents service):
 *
 * | table      | owner    | read for                                                                    |
 * |------------|----------|-----------------------------------------------------------------------------|
 * | `agent`    | agents   | the selection (locked, when executing, so that it cannot change under it)   |
 * | `decision` | policies | the blast radius: decisions of the selected agents in the last 24 hours     |
 * | `run`      | ingest   | the blast radius: runs of the selected agents in the last hour              |
 *
 * Each is one set-based statement over the whole selection (indexes agent_tags_idx, decision_agent_at_idx,
 * run_agent_started_idx), so a preview of a thousand agents stays a handful of round trips.
 */
import { whereClause, type Queryable } from '../../platform/db/index.js';
import type { AgentRecord, AgentStatusValue } from '../agents/index.js';
import { selectsAll, type Selector } from './selection.js';

export interface SelectedAgent {
  id: string;
  name: string;
  kind: AgentRecord['kind'];
  status: AgentStatusValue;
  status_reason: string | null;
  owner: string | null;
  vendor: string | null;
  model: string | null;
  tags: string[];
}

export interface AgentCounts {
  agent_id: string;
  key: string;
  count: number;
}

export function createKillSwitchReadModel(db: Queryable) {
  return {
    /**
     * The agents a selector matches, retired and merged ones excepted (a merged agent acts as its survivor), by id. `discoveredAgentIds` is what the discovery
     * criterion resolved to (ids of the agents those sources found), or undefined when the selector has none.
     * `lock` takes a row lock on each (executing): a status change racing the kill switch waits for it.
     */
    async select(selector: Selector, discoveredAgentIds: string[] | undefined, tx: Queryable = db, options: { lock?: boolean } = {}): Promise<SelectedAgent[]> {
      const where = whereClause().addFixed("status not in ('retired', 'merged')");
      if (!selectsAll(selector)) {
        if (selector.agent_ids) where.add((p) => `id = any(${p}::uuid[])`, selector.agent_ids);
        if (selector.tags) where.add((p) => `tags && ${p}::text[]`, selector.tags);
        if (selector.owners) where.add((p) => `owner = any(${p}::text[])`, selector.owners);
        if (selector.vendors) where.add((p) => `vendor = any(${p}::text[])`, selector.vendors);
        if (selector.models) where.add((p) => `model = any(${p}::text[])`, selector.models);
        if (selector.kinds) where.add((p) => `kind = any(${p}::text[])`, selector.kinds);
        if (discoveredAgentIds !== undefined) where.add((p) => `id = any(${p}::uuid[])`, discoveredAgentIds);
      }
      const { text, values } = where.build();
      const { rows } = await tx.query<SelectedAgent>(
        `select id, name, kind, status, status_reason, owner, vendor, model, tags from agent ${text} order by id${options.lock ? ' for update' : ''}`,
        values,
      );
      return rows;
    },

    /** Decisions per agent and decision since `since`. */
    async decisionsSince(agentIds: string[], since: Date, tx: Queryable = db): Promise<AgentCounts[]> {
      if (agentIds.length === 0) return [];
      const { rows } = await tx.query<AgentCounts>(
        `select agent_id, decision as key, count(*)::int8 as count
           from decision where agent_id = any($1::uuid[]) and at > $2
          group by agent_id, decision`,
        [agentIds, since],
      );
      return rows;
    },

    /** Runs per agent and outcome started since `since`. */
    async runsSince(agentIds: string[], since: Date, tx: Queryable = db): Promise<AgentCounts[]> {
      if (agentIds.length === 0) return [];
      const { rows } = await tx.query<AgentCounts>(
        `select agent_id, outcome as key, count(*)::int8 as count
           from run where agent_id = any($1::uuid[]) and started_at > $2
          group by agent_id, outcome`,
        [agentIds, since],
      );
      return rows;
    },
  };
}

export type KillSwitchReadModel = ReturnType<typeof createKillSwitchReadModel>;
