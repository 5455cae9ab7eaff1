/**
 * The alert-rules document (docs/alerts.md): its rules, each of one kind over ORCA's own data, and the routing tree
 * that sends the alerts they raise to receivers. The shape is checked here (JSON schema); durations, matchers,
 * receivers and the fields each kind reads are checked by compile-alert-rules.ts, which names the failing path.
 */
import { Type, type Static } from '@sinclair/typebox';

export const RULE_KINDS = [
  'gap_opened',
  'stream_stale',
  'trust_below',
  'kpi_threshold',
  'violations',
  'signature_failures',
  'agent_silent',
  'incident_opened',
  'delivery_dead_lettered',
  'backup_failed',
  'backup_stale',
  'agent_discovered',
  'agent_changed',
  'tool_poisoning',
  'discovery_failed',
  'approval_requested',
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const ALERT_SEVERITIES = ['info', 'low', 'medium', 'warning', 'high', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** Prometheus label names (`alertname`, `agent_id` …); values are any text. */
export const LABEL_NAME_PATTERN = '^[a-zA-Z_][a-zA-Z0-9_]*$';
const LabelName = Type.String({ pattern: LABEL_NAME_PATTERN, maxLength: 128 });
const LabelMap = Type.Record(LabelName, Type.String({ maxLength: 2000 }), { additionalProperties: false, maxProperties: 50 });
/** Checked by the compiler (so that the error says what a duration is). */
const Duration = Type.String({ maxLength: 32, description: 'a duration: 0s, 30s, 5m, 4h, 1d' });

export const AlertRuleSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z_][A-Za-z0-9_.:-]*$', description: 'the alert\'s `alertname` label' }),
    kind: Type.String({ description: RULE_KINDS.join(', ') }),
    match: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'what the kind looks at (docs/alerts.md "Rule kinds")' })),
    threshold: Type.Optional(Type.Number({ minimum: -1e12, maximum: 1e12 })),
    drop: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100, description: 'trust_below: fire when the score fell by at least this many points over `window`' })),
    window: Type.Optional(Duration),
    for: Type.Optional(Duration),
    severity: Type.String({ description: ALERT_SEVERITIES.join(', ') }),
    labels: Type.Optional(LabelMap),
    annotations: Type.Optional(LabelMap),
  },
  { additionalProperties: false },
);
export type AlertRuleInput = Static<typeof AlertRuleSchema>;

/** One level of the routing tree; `routes` holds children, each checked with this same schema by the compiler. */
export const RouteSchema = Type.Object(
  {
    receiver: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    group_by: Type.Optional(Type.Array(Type.String({ maxLength: 128 }), { maxItems: 50, description: 'label names, or ["..."] for all labels' })),
    group_wait: Type.Optional(Duration),
    group_interval: Type.Optional(Duration),
    repeat_interval: Type.Optional(Duration),
    matchers: Type.Optional(Type.Array(Type.String({ maxLength: 2000 }), { maxItems: 50 })),
    continue: Type.Optional(Type.Boolean()),
    routes: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()), { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type RouteInput = Static<typeof RouteSchema>;

export const AlertRulesDocumentSchema = Type.Object(
  {
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    rules: Type.Array(AlertRuleSchema, { maxItems: 500 }),
    route: Type.Optional(RouteSchema),
  },
  { additionalProperties: false },
);
export type AlertRulesDocument = Static<typeof AlertRulesDocumentSchema>;
