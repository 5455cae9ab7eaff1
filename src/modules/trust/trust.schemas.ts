import { Type, type Static } from '@sinclair/typebox';
import { Page, PaginationQuery, Timestamp, Uuid } from '../../platform/http/schemas.js';
import { WINDOW_PATTERN } from './window.js';

const Nullable = <T extends ReturnType<typeof Type.Number>>(schema: T) => Type.Union([schema, Type.Null()]);

export const WindowQuery = Type.Object(
  { window: Type.Optional(Type.String({ pattern: WINDOW_PATTERN, default: '30d', description: 'trailing window W, 1h to 365d (e.g. 24h, 7d, 30d)' })) },
  { additionalProperties: false },
);

const BandSchema = Type.Union(
  ['excellent', 'good', 'fair', 'critical', 'no_data', 'not_configured'].map((band) => Type.Literal(band)),
  { title: 'KpiBand' },
);

export const KpiSchema = Type.Object(
  {
    value: Type.Union([Type.Number(), Type.Null()], { description: 'null only when the denominator is 0 (band no_data) or ROI has no configured cost' }),
    unit: Type.Union(['score', 'percent', 'ratio', 'usd'].map((unit) => Type.Literal(unit))),
    numerator: Type.Number(),
    denominator: Nullable(Type.Number()),
    window: Type.String(),
    band: Type.Union([BandSchema, Type.Null()], { description: 'the value\'s band (docs/trust.md); null for KPIs without bands' }),
    inputs: Type.Record(Type.String(), Type.Union([Type.Number(), Type.Null()])),
  },
  { additionalProperties: false, title: 'Kpi' },
);

export const KpiSetSchema = Type.Object(
  {
    trust_score: KpiSchema,
    sync_freshness: KpiSchema,
    drift_rate: KpiSchema,
    compliance_sla: KpiSchema,
    self_resolution: KpiSchema,
    risk_avoided: KpiSchema,
    roi: KpiSchema,
  },
  { additionalProperties: false, title: 'KpiSet' },
);

export const KpiReportSchema = Type.Object(
  { at: Timestamp, window: Type.String(), window_ms: Type.Integer(), from: Timestamp, kpis: KpiSetSchema },
  { additionalProperties: false, title: 'KpiReport' },
);

export const KpiHistoryPage = Page(
  Type.Object(
    { id: Uuid, at: Timestamp, window: Type.String(), window_ms: Type.Integer(), from: Timestamp, kpis: KpiSetSchema },
    { additionalProperties: false, title: 'KpiSnapshot' },
  ),
  'KpiSnapshotPage',
);
export const HistoryQuery = Type.Object({ ...PaginationQuery }, { additionalProperties: false });
export type HistoryQuery = Static<typeof HistoryQuery>;

export const AgentTrustSchema = Type.Object(
  {
    agent_id: Uuid,
    name: Type.String(),
    status: Type.String(),
    classification: Type.String(),
    at: Timestamp,
    window: Type.String(),
    from: Timestamp,
    score: Type.Number({ minimum: 0, maximum: 100 }),
    grade: Type.Union(['excellent', 'good', 'fair', 'critical'].map((grade) => Type.Literal(grade))),
    confidence: Type.Number({ minimum: 0, maximum: 1 }),
    signals: Type.Integer(),
    components: Type.Object(
      {
        reliability: Type.Union([Type.Number(), Type.Null()], { description: 'null without runs in W: excluded, other weights renormalised' }),
        policy_adherence: Type.Number(),
        freshness: Type.Number(),
        risk_exposure: Type.Number(),
      },
      { additionalProperties: false },
    ),
    weights: Type.Object(
      { reliability: Type.Number(), policy_adherence: Type.Number(), freshness: Type.Number(), risk: Type.Number() },
      { additionalProperties: false },
    ),
    inputs: Type.Object(
      {
        runs: Type.Integer(),
        successful_runs: Type.Integer(),
        decisions: Type.Integer(),
        compliant_decisions: Type.Integer(),
        owned_streams_and_contracts: Type.Integer(),
        healthy_streams_and_contracts: Type.Integer(),
        open_severe_incidents: Type.Integer(),
        classification_risk_weight: Type.Number({ minimum: 0, maximum: 1, description: "risk weight of the agent's classification in the active policy" }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, title: 'AgentTrust' },
);
