import { Type } from '@sinclair/typebox';
import { Timestamp, Uuid } from '../../platform/http/schemas.js';
import { KpiSetSchema, WINDOW_PATTERN } from '../trust/index.js';

export const REPORT_FORMATS = ['json', 'md', 'csv', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const ExecutiveQuery = Type.Object(
  {
    format: Type.Optional(Type.Union(REPORT_FORMATS.map((format) => Type.Literal(format)), { description: 'overrides the Accept header' })),
    window: Type.Optional(Type.String({ pattern: WINDOW_PATTERN, default: '30d', description: 'trailing window W, 1h to 365d' })),
  },
  { additionalProperties: false },
);

const NullableNumber = Type.Union([Type.Number(), Type.Null()]);
const Trend = Type.Object(
  {
    current: NullableNumber,
    previous: NullableNumber,
    delta: NullableNumber,
    direction: Type.Union(['up', 'down', 'flat', 'no_data'].map((value) => Type.Literal(value))),
    improved: Type.Union([Type.Boolean(), Type.Null()]),
  },
  { additionalProperties: false, title: 'KpiTrend' },
);
const Finding = Type.Object(
  { topic: Type.String(), severity: Type.Union(['info', 'warning', 'critical'].map((value) => Type.Literal(value))), text: Type.String() },
  { additionalProperties: false, title: 'ReportFinding' },
);

export const ExecutiveReportSchema = Type.Object(
  {
    generated_at: Timestamp,
    window: Type.String(),
    from: Timestamp,
    to: Timestamp,
    previous_window: Type.Object({ from: Timestamp, to: Timestamp }, { additionalProperties: false }),
    kpis: KpiSetSchema,
    previous_kpis: KpiSetSchema,
    trends: Type.Record(Type.String(), Trend),
    active_agents: Type.Integer(),
    top_risky_agents: Type.Array(
      Type.Object(
        {
          agent_id: Uuid,
          name: Type.String(),
          score: Type.Number(),
          grade: Type.String(),
          confidence: Type.Number(),
          components: Type.Object(
            { reliability: NullableNumber, policy_adherence: Type.Number(), freshness: Type.Number(), risk_exposure: Type.Number() },
            { additionalProperties: false },
          ),
          inputs: Type.Record(Type.String(), Type.Integer()),
        },
        { additionalProperties: false },
      ),
    ),
    open_gaps_by_kind: Type.Array(
      Type.Object(
        {
          type: Type.String(),
          count: Type.Integer(),
          by_severity: Type.Object(
            { low: Type.Integer(), medium: Type.Integer(), high: Type.Integer(), critical: Type.Integer() },
            { additionalProperties: false },
          ),
        },
        { additionalProperties: false },
      ),
    ),
    insights: Type.Array(Finding),
    recommendations: Type.Array(Finding),
  },
  { additionalProperties: false, title: 'ExecutiveReport' },
);

const DriftStats = {
  detected: Type.Integer({ description: 'gaps detected in the window' }),
  open: Type.Integer({ description: 'of those, still open at the end of the window' }),
  resolved: Type.Integer({ description: 'of those, resolved by the end of the window' }),
  resolved_auto: Type.Integer({ description: 'of the resolved, closed by data arriving (resolution auto)' }),
  withdrawn: Type.Integer({ description: 'closed because a newer contracts version removed their rule' }),
  by_severity: Type.Object(
    { low: Type.Integer(), medium: Type.Integer(), high: Type.Integer(), critical: Type.Integer() },
    { additionalProperties: false },
  ),
  cost_usd: Type.Number({ description: 'Σ cost_usd of the gaps detected (their risk kinds\' configured cost)' }),
  avoided_usd: Type.Number({ description: 'Σ cost_usd of those resolved before their due time' }),
  open_cost_usd: Type.Number({ description: 'Σ cost_usd of those still open' }),
  mean_time_to_resolve_seconds: Type.Union([Type.Integer(), Type.Null()], { description: 'null when none was resolved' }),
};

export const DriftReportSchema = Type.Object(
  {
    generated_at: Timestamp,
    window: Type.String(),
    from: Timestamp,
    to: Timestamp,
    totals: Type.Object(DriftStats, { additionalProperties: false }),
    open_at_end: Type.Object(
      { count: Type.Integer(), cost_usd: Type.Number() },
      { additionalProperties: false, description: 'every gap open at the end of the window, whenever detected' },
    ),
    by_kind: Type.Array(Type.Object({ type: Type.String(), ...DriftStats }, { additionalProperties: false })),
    by_contract: Type.Array(Type.Object({ contract: Type.Union([Type.String(), Type.Null()]), ...DriftStats }, { additionalProperties: false })),
    by_owner_agent: Type.Array(
      Type.Object({ agent_id: Type.Union([Uuid, Type.Null()]), agent_name: Type.Union([Type.String(), Type.Null()]), ...DriftStats }, { additionalProperties: false }),
    ),
    groups_omitted: Type.Object(
      { by_contract: Type.Integer(), by_owner_agent: Type.Integer() },
      { additionalProperties: false, description: 'contracts and owner agents past the first 100 (the totals include them)' },
    ),
  },
  { additionalProperties: false, title: 'DriftReport' },
);
