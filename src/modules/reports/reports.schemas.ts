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
