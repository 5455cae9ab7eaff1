/**
 * What each rule kind reads from its `match`, and which of `threshold` and `window` it needs (docs/alerts.md
 * "Rule kinds"). Checked at PUT with paths under /body/rules/<i>/match.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import type { RuleKind } from './alert-rules-document.js';

const SEVERITY = Type.Union(['low', 'medium', 'high', 'critical'].map((value) => Type.Literal(value)));
const GAP_TYPE = Type.Union(['stale', 'missing_record', 'out_of_order', 'duplicate', 'field_drift'].map((value) => Type.Literal(value)));
const Text = Type.String({ minLength: 1, maxLength: 200 });
const UuidText = Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' });
const AgentSelector = { agent_id: Type.Optional(UuidText), tag: Type.Optional(Text), owner: Type.Optional(Text) };
export const KPI_OPERATORS = ['<', '<=', '>', '>=', '==', '!='] as const;
export type KpiOperator = (typeof KPI_OPERATORS)[number];

export interface KindSpec {
  match: TSchema;
  /** Count rules fire at `value >= threshold`; the default when the rule gives none. */
  defaultThreshold?: number;
  thresholdRequired?: boolean;
  defaultWindow?: string;
  windowRequired?: boolean;
}

const strict = (properties: Record<string, TSchema>) => Type.Object(properties, { additionalProperties: false });

export const KIND_SPECS: Record<RuleKind, KindSpec> = {
  gap_opened: {
    match: strict({ gap_type: Type.Optional(GAP_TYPE), min_severity: Type.Optional(SEVERITY), contract: Type.Optional(Text) }),
    defaultThreshold: 1,
  },
  stream_stale: { match: strict({ contract: Type.Optional(Text), stream: Type.Optional(Text) }) },
  trust_below: { match: strict(AgentSelector), defaultWindow: '24h' },
  kpi_threshold: {
    match: Type.Object(
      { kpi: Type.Union(['trust_score', 'sync_freshness', 'drift_rate', 'compliance_sla', 'self_resolution', 'risk_avoided', 'roi'].map((value) => Type.Literal(value))), operator: Type.Union(KPI_OPERATORS.map((value) => Type.Literal(value))) },
      { additionalProperties: false },
    ),
    thresholdRequired: true,
  },
  violations: {
    match: strict({ rule: Type.Optional(Text), min_severity: Type.Optional(SEVERITY), decision: Type.Optional(Type.Union(['allow', 'deny', 'redact', 'require_approval'].map((value) => Type.Literal(value)))), ...AgentSelector }),
    defaultThreshold: 1,
    defaultWindow: '5m',
  },
  signature_failures: { match: strict({ source_id: Type.Optional(UuidText) }), defaultThreshold: 1, defaultWindow: '5m' },
  agent_silent: { match: strict(AgentSelector), windowRequired: true },
  incident_opened: { match: strict({ kind: Type.Optional(Text), min_severity: Type.Optional(SEVERITY), agent_id: Type.Optional(UuidText) }) },
  delivery_dead_lettered: { match: strict({ receiver: Type.Optional(Text) }), defaultThreshold: 1, defaultWindow: '1h' },
  backup_failed: { match: strict({}) },
  backup_stale: { match: strict({}), windowRequired: true },
  agent_discovered: {
    match: strict({ source_id: Type.Optional(UuidText), source_kind: Type.Optional(Type.Union(['mcp', 'n8n', 'make', 'airflow', 'lambda'].map((value) => Type.Literal(value)))) }),
    defaultThreshold: 1,
  },
  agent_changed: { match: strict(AgentSelector) },
  tool_poisoning: { match: strict({ finding: Type.Optional(Type.Union(['tool_poisoning', 'rug_pull'].map((value) => Type.Literal(value)))), ...AgentSelector }) },
  discovery_failed: { match: strict({ source_id: Type.Optional(UuidText) }) },
  approval_requested: { match: strict({ action: Type.Optional(Text), ...AgentSelector }) },
};
