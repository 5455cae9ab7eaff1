/**
 * The writes of evaluation: decision rows with their violations, and the quota usage they are counted against. Every
 * statement takes a whole group-commit batch.
 */
import { jsonbParameter, type Queryable } from '../../platform/db/index.js';
import type { Decision, EvaluationFacts, Usage, Violation } from './evaluate.js';
import type { PolicyMode, Severity } from './policy-document.js';

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
  /** What decided the call, without its quota usage: that goes to `usage`. */
  facts: EvaluationFacts;
  /** The quota usage the call was judged on, this call included; null when no quota counted it. */
  usage: Usage | null;
  /** One id per violation, same order. */
  violation_ids: string[];
}

/** The windows a call is counted in: its calls window, and its day (tokens and cost). */
export interface QuotaWindows {
  callsStart: Date;
  dayStart: Date;
}

/**
 * A decision row as it travels to the database: a JSON array of these values, in this order. Positions instead of
 * key names: the batch's bytes are what the database parses, and the names were a third of them.
 */
const DECISION_FIELDS: ReadonlyArray<{ column: string; type: string; value: (row: DecisionValues) => unknown }> = [
  { column: 'id', type: 'uuid', value: (row) => row.id },
  { column: 'at', type: 'timestamptz', value: (row) => row.at.toISOString() },
  { column: 'agent_id', type: 'uuid', value: (row) => row.agent_id },
  { column: 'action', type: 'text', value: (row) => row.action },
  { column: 'resource', type: 'text', value: (row) => row.resource },
  { column: 'classification', type: 'text', value: (row) => row.classification },
  { column: 'decision', type: 'text', value: (row) => row.decision },
  { column: 'violations', type: 'jsonb', value: (row) => row.violations },
  { column: 'max_severity', type: 'text', value: (row) => row.max_severity },
  { column: 'compliant', type: 'boolean', value: (row) => row.compliant },
  { column: 'latency_us', type: 'integer', value: (row) => row.latency_us },
  { column: 'policy_version', type: 'integer', value: (row) => row.policy_version },
  { column: 'mode', type: 'text', value: (row) => row.mode },
  { column: 'risk_avoided_usd', type: 'numeric', value: (row) => row.risk_avoided_usd },
  { column: 'risk_weight', type: 'numeric', value: (row) => row.risk_weight },
  { column: 'tokens', type: 'bigint', value: (row) => row.tokens },
  { column: 'cost_usd', type: 'numeric', value: (row) => row.cost_usd },
  { column: 'correlation_id', type: 'text', value: (row) => row.correlation_id },
  { column: 'facts', type: 'jsonb', value: (row) => row.facts },
  { column: 'usage_calls', type: 'bigint', value: (row) => row.usage?.calls ?? null },
  { column: 'usage_tokens', type: 'bigint', value: (row) => row.usage?.tokens ?? null },
  { column: 'usage_cost_usd', type: 'numeric', value: (row) => row.usage?.cost_usd ?? null },
];
/** After the decision's own fields in a row of `recordWithinQuotas`: its quota agent and usage offsets. */
const QUOTA_FIELDS: ReadonlyArray<{ column: string; type: string; value: (row: QuotaDecisionValues) => unknown }> = [
  { column: 'quota_agent', type: 'uuid', value: (row) => row.quota_agent },
  { column: 'calls_offset', type: 'bigint', value: (row) => row.calls_offset },
  { column: 'tokens_offset', type: 'bigint', value: (row) => row.tokens_offset },
  { column: 'cost_offset', type: 'numeric', value: (row) => row.cost_offset },
];

const DECISION_COLUMNS = DECISION_FIELDS.map((field) => field.column).join(', ');

/** The rows of a positional JSON array parameter as a table `d` with the fields' columns. */
function positionalRows(parameter: string, fields: ReadonlyArray<{ column: string; type: string }>): string {
  const columns = fields.map(({ column, type }, index) => (type === 'jsonb' ? `r->${index}` : `(r->>${index})::${type}`) + ` as ${column}`);
  return `(select ${columns.join(', ')} from jsonb_array_elements(${parameter}::jsonb) as r) as d`;
}

/** An agent's new totals when a batch is added to its row `q` (`excluded`): a newer window starts again from the batch. */
const USAGE_CALLS = 'case when excluded.window_start <= q.window_start then q.calls + excluded.calls else excluded.calls end';
const USAGE_TOKENS = 'case when excluded.day_start <= q.day_start then q.tokens + excluded.tokens else excluded.tokens end';
const USAGE_COST = 'case when excluded.day_start <= q.day_start then q.cost_usd + excluded.cost_usd else excluded.cost_usd end';
const USAGE_UPDATE = `calls = ${USAGE_CALLS}, window_start = greatest(q.window_start, excluded.window_start),
           tokens = ${USAGE_TOKENS}, cost_usd = ${USAGE_COST}, day_start = greatest(q.day_start, excluded.day_start), updated_at = now()`;

/** One agent's share of a batch and the strictest limits of the policies its calls were judged under (null: none). */
export interface QuotaGroup {
  agent_id: string;
  window_start: string;
  day_start: string;
  calls: number;
  tokens: number;
  cost_usd: number;
  max_calls: number | null;
  max_tokens: number | null;
  max_cost_usd: number | null;
}
const QUOTA_GROUP_RECORD =
  'agent_id uuid, window_start timestamptz, day_start timestamptz, calls bigint, tokens bigint, cost_usd numeric, max_calls bigint, max_tokens bigint, max_cost_usd numeric';

/**
 * Totals within every limit of the group `limits`. Costs keep a margin of a millionth of a dollar: the
 * transactional path judges costs summed in JavaScript floats, so a total this close to the limit is left to it.
 */
function withinLimits(calls: string, tokens: string, cost: string, limits: string): string {
  return `(${limits}.max_calls is null or ${calls} <= ${limits}.max_calls)
             and (${limits}.max_tokens is null or ${tokens} <= ${limits}.max_tokens)
             and (${limits}.max_cost_usd is null or ${cost} + 0.000001 <= ${limits}.max_cost_usd)`;
}

/** A decision row of `recordWithinQuotas`: for a quota-counted call, its agent and its usage offsets (else null). */
export interface QuotaDecisionValues extends DecisionValues {
  quota_agent: string | null;
  calls_offset: number | null;
  tokens_offset: number | null;
  cost_offset: number | null;
}

/**
 * A counted call's usage (`usage_calls` … of the row), unknown until the statement has counted its batch: the
 * agent's totals `u` plus the call's offset. The row's own usage for the others (null: no quota counted them).
 */
const COUNTED_USAGE: Record<string, string> = {
  usage_calls: 'case when u.agent_id is null then d.usage_calls else u.calls + d.calls_offset end',
  usage_tokens: 'case when u.agent_id is null then d.usage_tokens else u.tokens + d.tokens_offset end',
  usage_cost_usd: 'case when u.agent_id is null then d.usage_cost_usd else round(u.cost_usd + d.cost_offset, 9) end',
};

/** Inserts the violation rows (JSON array parameter `parameter`) of the decisions the CTE `inserted` returned. */
function violationInsert(parameter: string): string {
  return `insert into policy_violation (id, decision_id, at, agent_id, rule, severity, detail, decision, mode, policy_version)
         select v.id, v.decision_id, v.at, v.agent_id, v.rule, v.severity, v.detail, v.decision, v.mode, v.policy_version
         from jsonb_to_recordset(${parameter}::jsonb) as v(id uuid, decision_id uuid, at timestamptz, agent_id uuid, rule text, severity text,
              detail text, decision text, mode text, policy_version integer)
         where v.decision_id in (select id from inserted)`;
}

/**
 * The decision rows (positional, see DECISION_FIELDS, then `extra`) and their violation rows as jsonb arrays;
 * violations null when the batch has none.
 */
function decisionParameters<Row extends DecisionValues>(
  batch: Row[],
  extra: ReadonlyArray<{ value: (row: Row) => unknown }> = [],
): { decisions: Buffer; violations: Buffer | null } {
  const fields = [...DECISION_FIELDS, ...extra];
  const decisions = batch.map((row) => fields.map((field) => field.value(row)));
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
  return { decisions: jsonbParameter(JSON.stringify(decisions)), violations: violations.length === 0 ? null : jsonbParameter(JSON.stringify(violations)) };
}

/**
 * The statement of `recordWithinQuotas`, built once: $1 the quota groups, $2 the decision rows, $3 (with
 * violations) their violation rows.
 */
function recordWithinQuotasStatement(withViolations: boolean): string {
  return `with usage as (
           insert into policy_quota_usage as q (agent_id, window_start, calls, day_start, tokens, cost_usd)
           select g.agent_id, g.window_start, g.calls, g.day_start, g.tokens, g.cost_usd
           from jsonb_to_recordset($1::jsonb) as g(${QUOTA_GROUP_RECORD})
           where ${withinLimits('g.calls', 'g.tokens', 'g.cost_usd', 'g')}
           -- Agent id order: concurrent batches of every replica take the row locks in the same order.
           order by g.agent_id
           on conflict (agent_id) do update set ${USAGE_UPDATE}
           where exists (
             select 1 from jsonb_to_recordset($1::jsonb) as l(${QUOTA_GROUP_RECORD})
             where l.agent_id = q.agent_id and ${withinLimits(USAGE_CALLS, USAGE_TOKENS, USAGE_COST, 'l')}
           )
           returning q.agent_id, q.calls, q.tokens, q.cost_usd
         ),
         inserted as (
           insert into decision (${DECISION_COLUMNS})
           select ${DECISION_COLUMNS.split(', ')
             .map((column) => COUNTED_USAGE[column] ?? `d.${column}`)
             .join(', ')}
           from ${positionalRows('$2', [...DECISION_FIELDS, ...QUOTA_FIELDS])}
           left join usage u on u.agent_id = d.quota_agent
           where d.quota_agent is null or u.agent_id is not null
           returning id
         )${withViolations ? `,\n         violations as (${violationInsert('$3')})` : ''}
         select agent_id from usage`;
}
const RECORD_WITHIN_QUOTAS = recordWithinQuotasStatement(false);
const RECORD_WITHIN_QUOTAS_WITH_VIOLATIONS = recordWithinQuotasStatement(true);

export function createPolicyDecisionRepository(db: Queryable) {
  return {
    /**
     * Decisions and their violations, any number of them, in one statement (group commit hands over a batch):
     * the rows travel as one JSON array each, so the statement text and its parameter count never vary — which
     * also lets a PostgreSQL server keep it prepared.
     */
    async insertDecisions(batch: DecisionValues[], tx: Queryable = db): Promise<void> {
      if (batch.length === 0) return;
      const { decisions, violations } = decisionParameters(batch);
      if (violations === null) {
        // The common batch (clean allows): the decision rows alone, without the violation half of the statement.
        await tx.query(`insert into decision (${DECISION_COLUMNS}) select ${DECISION_COLUMNS} from ${positionalRows('$1', DECISION_FIELDS)}`, [decisions], {
          prepared: 'orca_decision_insert',
        });
        return;
      }
      await tx.query(
        `with inserted as (
           insert into decision (${DECISION_COLUMNS}) select ${DECISION_COLUMNS} from ${positionalRows('$1', DECISION_FIELDS)}
           returning id
         )
         ${violationInsert('$2')}`,
        [decisions, violations],
        { prepared: 'orca_decision_insert_with_violations' },
      );
    },

    /**
     * The quota usage of a batch and its decisions in one statement, committed on its own: for the agents whose
     * totals stay within every limit after adding the batch, which is nearly always. Such a batch is decided
     * exactly as it was before its usage was known, so nothing needs to be read first, and the agent's row is
     * locked only while this statement runs and commits (not across round trips of a transaction).
     *
     * An agent whose totals would pass a limit is left untouched — neither counted nor recorded — and is returned
     * in `skipped`: its calls must be judged one by one (the transactional path). Each decision row of a counted
     * agent gets its usage columns: the totals after the statement plus the row's offset (its prefix sum within the
     * batch minus the batch sum), i.e. the usage it would have seen had the calls been counted one at a time.
     */
    async recordWithinQuotas(groups: QuotaGroup[], batch: QuotaDecisionValues[], tx: Queryable = db): Promise<{ skipped: Set<string> }> {
      const { decisions, violations } = decisionParameters(batch, QUOTA_FIELDS);
      const { rows } = await tx.query<{ agent_id: string }>(
        violations === null ? RECORD_WITHIN_QUOTAS : RECORD_WITHIN_QUOTAS_WITH_VIOLATIONS,
        violations === null ? [jsonbParameter(JSON.stringify(groups)), decisions] : [jsonbParameter(JSON.stringify(groups)), decisions, violations],
        { prepared: violations === null ? 'orca_policy_record_within_quotas' : 'orca_policy_record_within_quotas_with_violations' },
      );
      const counted = new Set(rows.map((row) => row.agent_id.toLowerCase()));
      return { skipped: new Set(groups.map((group) => group.agent_id).filter((agentId) => !counted.has(agentId.toLowerCase()))) };
    },

    /**
     * Adds calls, tokens and cost to the agent's current windows, atomically across replicas (a single-row upsert;
     * the row lock serialises concurrent writers), and returns the totals including them. A replica whose clock
     * lags behind never reopens an older window: it counts into the newest one.
     */
    async addUsage(agentId: string, windows: QuotaWindows, amounts: Usage, tx: Queryable = db): Promise<Usage> {
      const { rows } = await tx.query<{ calls: number; tokens: number; cost_usd: number }>(
        `insert into policy_quota_usage as q (agent_id, window_start, calls, day_start, tokens, cost_usd)
         values ($1, $2, $6, $3, $4, $5)
         on conflict (agent_id) do update set ${USAGE_UPDATE}
         returning calls, tokens, cost_usd`,
        [agentId, windows.callsStart, windows.dayStart, amounts.tokens, amounts.cost_usd, amounts.calls],
        { prepared: 'orca_policy_quota_add' },
      );
      const row = rows[0]!;
      return { calls: Number(row.calls), tokens: Number(row.tokens), cost_usd: Number(row.cost_usd) };
    },

    /** Takes back calls that a quota refused in enforce mode (same transaction): refused calls do not consume it. */
    async removeUsage(agentId: string, windows: QuotaWindows, amounts: Usage, tx: Queryable = db): Promise<void> {
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

export type PolicyDecisionRepository = ReturnType<typeof createPolicyDecisionRepository>;
