import type { Queryable } from '../../platform/db/index.js';
import type { Decision, EvaluationFacts, Violation } from './evaluate.js';
import type { PolicyMode, Severity } from './policy-document.js';

export interface PolicyRow {
  id: string;
  version: number;
  document: Record<string, unknown>;
  source: string;
  format: 'yaml' | 'json';
  mode: PolicyMode;
  created_by: string;
  active: boolean;
  created_at: Date;
}

export interface DecisionValues {
  id: string;
  at: Date;
  agent_id: string | null;
  action: string;
  resource: string;
  classification: string;
  decision: Decision;
  violations: Violation[];
  max_severity: Severity | null;
  compliant: boolean;
  latency_us: number;
  policy_version: number;
  mode: PolicyMode;
  risk_avoided_usd: number;
  risk_weight: number;
  tokens: number;
  cost_usd: number;
  correlation_id: string | null;
  facts: EvaluationFacts;
  /** One id per violation, same order. */
  violation_ids: string[];
}

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

export interface Usage {
  calls: number;
  tokens: number;
  cost_usd: number;
}

const DECISION_COLUMNS =
  'id, at, agent_id, action, resource, classification, decision, violations, max_severity, compliant, latency_us, policy_version, mode, risk_avoided_usd, risk_weight, tokens, cost_usd, correlation_id, facts';
const DECISION_RECORD =
  'id uuid, at timestamptz, agent_id uuid, action text, resource text, classification text, decision text, violations jsonb, max_severity text, compliant boolean, ' +
  'latency_us integer, policy_version integer, mode text, risk_avoided_usd numeric, risk_weight numeric, tokens bigint, cost_usd numeric, correlation_id text, facts jsonb';

export function createPolicyRepository(db: Queryable) {
  return {
    async findActive(tx: Queryable = db): Promise<PolicyRow | undefined> {
      const { rows } = await tx.query<PolicyRow>('select * from policy where active');
      return rows[0];
    },

    async findVersion(version: number): Promise<PolicyRow | undefined> {
      const { rows } = await db.query<PolicyRow>('select * from policy where version = $1', [version]);
      return rows[0];
    },

    async listVersions(limit: number, beforeVersion?: number): Promise<PolicyRow[]> {
      const { rows } = await db.query<PolicyRow>(
        `select * from policy ${beforeVersion !== undefined ? 'where version < $2' : ''} order by version desc limit $1`,
        beforeVersion !== undefined ? [limit, beforeVersion] : [limit],
      );
      return rows;
    },

    /** Serialises writers across replicas for the rest of the transaction, then returns the next version. */
    async lockAndNextVersion(tx: Queryable): Promise<number> {
      await tx.query("select pg_advisory_xact_lock(hashtext('orca_policy_version'))");
      const { rows } = await tx.query<{ version: number | null }>('select max(version) as version from policy');
      return (rows[0]?.version ?? 0) + 1;
    },

    async insertActive(
      values: { id: string; version: number; document: unknown; source: string; format: 'yaml' | 'json'; mode: PolicyMode; created_by: string },
      tx: Queryable,
    ): Promise<PolicyRow> {
      await tx.query('update policy set active = false, updated_at = now() where active');
      const { rows } = await tx.query<PolicyRow>(
        `insert into policy (id, version, document, source, format, mode, created_by, active)
         values ($1, $2, $3, $4, $5, $6, $7, true) returning *`,
        [values.id, values.version, JSON.stringify(values.document), values.source, values.format, values.mode, values.created_by],
      );
      return rows[0]!;
    },

    /**
     * Decisions and their violations, any number of them, in one statement (group commit hands over a batch):
     * the rows travel as one JSON array each, so the statement text and its parameter count never vary — which
     * also lets a PostgreSQL server keep it prepared.
     */
    async insertDecisions(batch: DecisionValues[], tx: Queryable = db): Promise<void> {
      if (batch.length === 0) return;
      const decisions = batch.map(({ violation_ids: _ids, ...values }) => ({ ...values, at: values.at.toISOString() }));
      const violations = batch.flatMap((values) =>
        values.violations.map((violation, index) => ({
          id: values.violation_ids[index],
          decision_id: values.id,
          at: values.at.toISOString(),
          agent_id: values.agent_id,
          rule: violation.rule,
          severity: violation.severity,
          detail: violation.detail,
          decision: values.decision,
          mode: values.mode,
          policy_version: values.policy_version,
        })),
      );
      if (violations.length === 0) {
        // The common batch (clean allows): the decision rows alone, without the violation half of the statement.
        await tx.query(
          `insert into decision (${DECISION_COLUMNS}) select ${DECISION_COLUMNS} from jsonb_to_recordset($1::jsonb) as d(${DECISION_RECORD})`,
          [JSON.stringify(decisions)],
          { prepared: 'orca_decision_insert' },
        );
        return;
      }
      await tx.query(
        `with inserted as (
           insert into decision (id, at, agent_id, action, resource, classification, decision, violations, max_severity, compliant,
                                 latency_us, policy_version, mode, risk_avoided_usd, risk_weight, tokens, cost_usd, correlation_id, facts)
           select id, at, agent_id, action, resource, classification, decision, violations, max_severity, compliant,
                  latency_us, policy_version, mode, risk_avoided_usd, risk_weight, tokens, cost_usd, correlation_id, facts
           from jsonb_to_recordset($1::jsonb) as d(id uuid, at timestamptz, agent_id uuid, action text, resource text, classification text,
                decision text, violations jsonb, max_severity text, compliant boolean, latency_us integer, policy_version integer, mode text,
                risk_avoided_usd numeric, risk_weight numeric, tokens bigint, cost_usd numeric, correlation_id text, facts jsonb)
           returning id
         )
         insert into policy_violation (id, decision_id, at, agent_id, rule, severity, detail, decision, mode, policy_version)
         select v.id, v.decision_id, v.at, v.agent_id, v.rule, v.severity, v.detail, v.decision, v.mode, v.policy_version
         from jsonb_to_recordset($2::jsonb) as v(id uuid, decision_id uuid, at timestamptz, agent_id uuid, rule text, severity text,
              detail text, decision text, mode text, policy_version integer)
         where v.decision_id in (select id from inserted)`,
        [JSON.stringify(decisions), JSON.stringify(violations)],
        { prepared: 'orca_decision_insert_with_violations' },
      );
    },

    async listViolations(filter: ViolationFilter): Promise<ViolationRow[]> {
      const conditions: string[] = [];
      const values: unknown[] = [];
      const add = (sql: (placeholder: string) => string, value: unknown) => {
        values.push(value);
        conditions.push(sql(`$${values.length}`));
      };
      if (filter.agent_id) add((p) => `agent_id = ${p}`, filter.agent_id);
      if (filter.rule) add((p) => `rule = ${p}`, filter.rule);
      if (filter.severity) add((p) => `severity = ${p}`, filter.severity);
      if (filter.decision) add((p) => `decision = ${p}`, filter.decision);
      if (filter.since) add((p) => `at >= ${p}`, filter.since);
      if (filter.until) add((p) => `at < ${p}`, filter.until);
      if (filter.after) add((p) => `id < ${p}`, filter.after);
      values.push(filter.limit);
      const where = conditions.length > 0 ? `where ${conditions.join(' and ')}` : '';
      const { rows } = await db.query<ViolationRow>(`select * from policy_violation ${where} order by id desc limit $${values.length}`, values);
      return rows;
    },

    /** Recorded decisions of a time range, oldest first, in pages (keyset on id). */
    async replayPage(range: { since: Date; until: Date; agent_id?: string; after?: string; limit: number }): Promise<ReplayRow[]> {
      const values: unknown[] = [range.since, range.until, range.limit];
      let extra = '';
      if (range.agent_id) {
        values.push(range.agent_id);
        extra += ` and agent_id = $${values.length}`;
      }
      if (range.after) {
        values.push(range.after);
        extra += ` and id > $${values.length}`;
      }
      const { rows } = await db.query<ReplayRow>(
        `select id, agent_id, policy_version, decision, violations, facts from decision where at >= $1 and at < $2${extra} order by id asc limit $3`,
        values,
      );
      return rows;
    },

    /**
     * Adds calls, tokens and cost to the agent's current windows, atomically across replicas (a single-row upsert;
     * the row lock serialises concurrent writers), and returns the totals including them. A replica whose clock
     * lags behind never reopens an older window: it counts into the newest one.
     */
    async addUsage(agentId: string, windows: { callsStart: Date; dayStart: Date }, amounts: Usage, tx: Queryable = db): Promise<Usage> {
      const { rows } = await tx.query<{ calls: number; tokens: number; cost_usd: number }>(
        `insert into policy_quota_usage as q (agent_id, window_start, calls, day_start, tokens, cost_usd)
         values ($1, $2, $6, $3, $4, $5)
         on conflict (agent_id) do update set
           calls = case when excluded.window_start <= q.window_start then q.calls + excluded.calls else excluded.calls end,
           window_start = greatest(q.window_start, excluded.window_start),
           tokens = case when excluded.day_start <= q.day_start then q.tokens + excluded.tokens else excluded.tokens end,
           cost_usd = case when excluded.day_start <= q.day_start then q.cost_usd + excluded.cost_usd else excluded.cost_usd end,
           day_start = greatest(q.day_start, excluded.day_start),
           updated_at = now()
         returning calls, tokens, cost_usd`,
        [agentId, windows.callsStart, windows.dayStart, amounts.tokens, amounts.cost_usd, amounts.calls],
        { prepared: 'orca_policy_quota_add' },
      );
      const row = rows[0]!;
      return { calls: Number(row.calls), tokens: Number(row.tokens), cost_usd: Number(row.cost_usd) };
    },

    /** Takes back calls that a quota refused in enforce mode (same transaction): refused calls do not consume it. */
    async removeUsage(agentId: string, windows: { callsStart: Date; dayStart: Date }, amounts: Usage, tx: Queryable = db): Promise<void> {
      await tx.query(
        `update policy_quota_usage set
           calls = case when window_start = $2 then greatest(calls - $6, 0) else calls end,
           tokens = case when day_start = $3 then greatest(tokens - $4, 0) else tokens end,
           cost_usd = case when day_start = $3 then greatest(cost_usd - $5, 0) else cost_usd end,
           updated_at = now()
         where agent_id = $1`,
        [agentId, windows.callsStart, windows.dayStart, amounts.tokens, amounts.cost_usd, amounts.calls],
      );
    },
  };
}

export type PolicyRepository = ReturnType<typeof createPolicyRepository>;
