/** Reads of the decision log: recorded violations, and recorded decisions to replay against a draft. */
import { type Queryable, whereClause } from '../../platform/db/index.js';
import type { Decision, EvaluationFacts, Violation } from './evaluate.js';
import type { PolicyMode, Severity } from './policy-document.js';

export interface ViolationRow {
  id: string;
  decision_id: string;
  at: Date;
  agent_id: string | null;
  rule: string;
  severity: Severity;
  detail: string;
  decision: Decision;
  mode: PolicyMode;
  policy_version: number;
}

export interface ViolationFilter {
  agent_id?: string;
  rule?: string;
  severity?: Severity;
  decision?: Decision;
  since?: Date;
  until?: Date;
  after?: string;
  limit: number;
}

export interface ReplayRow {
  id: string;
  agent_id: string | null;
  policy_version: number;
  decision: Decision;
  violations: Violation[];
  facts: EvaluationFacts;
}

/** A recorded decision's facts with its quota usage (the columns) merged back in: what the call was decided on. */
const FACTS_AS_DECIDED = `case when usage_calls is null then facts else facts || jsonb_build_object('usage', jsonb_build_object(
           'calls', usage_calls, 'tokens', usage_tokens, 'cost_usd', usage_cost_usd)) end`;

export function createDecisionLogRepository(db: Queryable) {
  return {
    async listViolations(filter: ViolationFilter): Promise<ViolationRow[]> {
      const where = whereClause();
      if (filter.agent_id) where.add((p) => `agent_id = ${p}`, filter.agent_id);
      if (filter.rule) where.add((p) => `rule = ${p}`, filter.rule);
      if (filter.severity) where.add((p) => `severity = ${p}`, filter.severity);
      if (filter.decision) where.add((p) => `decision = ${p}`, filter.decision);
      if (filter.since) where.add((p) => `at >= ${p}`, filter.since);
      if (filter.until) where.add((p) => `at < ${p}`, filter.until);
      if (filter.after) where.add((p) => `id < ${p}`, filter.after);
      const limit = where.bind(filter.limit);
      const { text, values } = where.build();
      const { rows } = await db.query<ViolationRow>(`select * from policy_violation ${text} order by id desc limit ${limit}`, values);
      return rows;
    },

    /** Recorded decisions of a time range, oldest first, in pages (keyset on id). */
    async replayPage(range: { since: Date; until: Date; agent_id?: string; after?: string; limit: number }): Promise<ReplayRow[]> {
      const values: unknown[] = [range.since, range.until, range.limit];
      let extraSql = '';
      if (range.agent_id) {
        values.push(range.agent_id);
        extraSql += ` and agent_id = $${values.length}`;
      }
      if (range.after) {
        values.push(range.after);
        extraSql += ` and id > $${values.length}`;
      }
      const { rows } = await db.query<ReplayRow>(
        `select id, agent_id, policy_version, decision, violations, ${FACTS_AS_DECIDED} as facts
         from decision where at >= $1 and at < $2${extraSql} order by id asc limit $3`,
        values,
      );
      return rows;
    },
  };
}

export type DecisionLogRepository = ReturnType<typeof createDecisionLogRepository>;
