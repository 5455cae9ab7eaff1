/**
 * The sync contracts document operators write (YAML or JSON): its vocabulary and its structural schema, which the
 * HTTP layer and the OpenAPI document also use. What the schema cannot express (references between rules,
 * durations, paths) is checked when the document is compiled (contract.ts). docs/sync.md describes this format.
 */
import { Type, type Static } from '@sinclair/typebox';

export const GAP_TYPES = ['stale', 'missing_record', 'out_of_order', 'duplicate', 'field_drift'] as const;
export type GapType = (typeof GAP_TYPES)[number];
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The source kinds ORCA ingests; a stream names one of them, or one source by id. */
export const SOURCE_KINDS = ['hubspot', 'salesforce', 'dynamics365', 'servicenow', 'sap', 'oracle_erp', 'zapier', 'n8n', 'make', 'generic', 'cloudevents'] as const;

export const NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$';
const DURATION_PATTERN = '^\\d{1,12}(ms|s|m|h|d)$';

const Name = Type.String({ pattern: NAME_PATTERN, description: 'letters, digits and . _ : - (at most 100)' });
const Duration = Type.String({ pattern: DURATION_PATTERN, description: 'a duration such as 90s, 15m, 4h or 2d' });
const EventType = Type.String({ minLength: 1, maxLength: 200 });
const SeverityValue = Type.Union(SEVERITIES.map((severity) => Type.Literal(severity)), { description: 'low, medium, high or critical' });
const KeySpec = Type.String({
  minLength: 1,
  maxLength: 300,
  description: '`entity_id`, `correlation_id`, or a JSON path into the payload such as `$.properties.order_id`',
});
const JsonPathText = Type.String({ minLength: 1, maxLength: 300, pattern: '^\\$', description: 'JSON path into the event payload, e.g. `$.amount`' });
const Cost = Type.Object(
  {
    risk_kind: Type.String({ minLength: 1, maxLength: 100, description: 'e.g. order_duplication, ticket_breach' }),
    cost_usd: Type.Number({ minimum: 0, maximum: 1e12 }),
  },
  { additionalProperties: false },
);

/** What ORCA may do when a gap opens (docs/self-healing.md): one remediation record per action and gap. */
export const REMEDIATION_ACTIONS = ['resync_request', 'retry_delivery', 'notify', 'open_incident', 'quarantine_agent', 'suspend_agent'] as const;
export type RemediationActionName = (typeof REMEDIATION_ACTIONS)[number];

const RemediationStep = Type.Object(
  {
    action: Type.Union(REMEDIATION_ACTIONS.map((action) => Type.Literal(action)), {
      description: 'resync_request, retry_delivery, notify, open_incident, quarantine_agent or suspend_agent',
    }),
    receiver: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
        description: 'resync_request: the webhook receiver of the owner automation (its URL and signing secret); notify: the receiver to tell; retry_delivery: only deliveries to it',
      }),
    ),
    after: Type.Optional(Type.String({ pattern: DURATION_PATTERN, description: 'act only if the gap is still open this long after it opened (default 0s)' })),
    verify_within: Type.Optional(Type.String({ pattern: DURATION_PATTERN, description: "how long after the action the gap must close to count as healed (default: the rule's resolve_within)" })),
    max_attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, description: 'attempts before giving up (default 3 for resync_request and retry_delivery, else 1)' })),
    enabled: Type.Optional(Type.Boolean({ description: 'false: recorded as skipped, never run (default true)' })),
  },
  { additionalProperties: false },
);

const RemediationPolicy = Type.Array(RemediationStep, {
  maxItems: 10,
  description: 'actions to take when a gap of this rule opens (docs/self-healing.md); [] turns the contract defaults off for the rule',
});

const StreamSeverity = Type.Union([
  SeverityValue,
  Type.Object(
    { stale: Type.Optional(SeverityValue), out_of_order: Type.Optional(SeverityValue), duplicate: Type.Optional(SeverityValue) },
    { additionalProperties: false },
  ),
]);

const StreamSchema = Type.Object(
  {
    name: Type.Optional(Name),
    source: Type.String({ minLength: 1, maxLength: 100, description: 'a source kind (hubspot, salesforce, …) or a source id' }),
    entity_type: Type.String({ minLength: 1, maxLength: 200 }),
    freshness: Duration,
    severity: Type.Optional(StreamSeverity),
    check_sequence: Type.Optional(Type.Boolean({ description: 'open out_of_order when an entity’s sequence goes backwards (default true)' })),
    unique_event_types: Type.Optional(
      Type.Array(EventType, { maxItems: 50, uniqueItems: true, description: 'event types that happen once per entity: a second one is a duplicate' }),
    ),
    remediation: Type.Optional(RemediationPolicy),
  },
  { additionalProperties: false },
);

const FollowUpSide = Type.Object(
  { stream: Name, event_type: EventType, key: Type.Optional(KeySpec) },
  { additionalProperties: false },
);

const FollowUpSchema = Type.Object(
  {
    name: Name,
    when: FollowUpSide,
    then: FollowUpSide,
    within: Type.Optional(Duration),
    deadline: Type.Optional(Type.String({ minLength: 1, maxLength: 300, pattern: '^\\$', description: 'JSON path to a timestamp in the trigger payload' })),
    warn_before: Type.Optional(Duration),
    severity: Type.Optional(SeverityValue),
    resolve_within: Type.Optional(Duration),
    cost: Type.Optional(Cost),
    remediation: Type.Optional(RemediationPolicy),
  },
  { additionalProperties: false },
);

const LifecycleSchema = Type.Object(
  {
    name: Name,
    stream: Name,
    order: Type.Array(EventType, { minItems: 2, maxItems: 50, uniqueItems: true }),
    severity: Type.Optional(SeverityValue),
    resolve_within: Type.Optional(Duration),
    cost: Type.Optional(Cost),
    remediation: Type.Optional(RemediationPolicy),
  },
  { additionalProperties: false },
);

const AgreementSide = Type.Object(
  {
    stream: Name,
    field: JsonPathText,
    key: Type.Optional(KeySpec),
    event_types: Type.Optional(Type.Array(EventType, { minItems: 1, maxItems: 50, uniqueItems: true })),
    where: Type.Optional(
      Type.Array(
        Type.Object(
          { path: JsonPathText, equals: Type.Union([Type.String({ maxLength: 1000 }), Type.Number(), Type.Boolean(), Type.Null()]) },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 20, description: 'only events whose payload has these values (e.g. HubSpot propertyName = amount)' },
      ),
    ),
  },
  { additionalProperties: false },
);

const AgreementSchema = Type.Object(
  {
    name: Name,
    left: AgreementSide,
    right: AgreementSide,
    tolerance: Type.Optional(Type.Number({ minimum: 0, description: 'largest absolute difference still in agreement (numbers)' })),
    severity: Type.Optional(SeverityValue),
    resolve_within: Type.Optional(Duration),
    cost: Type.Optional(Cost),
    remediation: Type.Optional(RemediationPolicy),
  },
  { additionalProperties: false },
);

const ContractSchema = Type.Object(
  {
    name: Name,
    owner: Type.String({ pattern: '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$', description: 'id of the agent accountable for this data' }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    resolve_within: Type.Optional(Duration),
    forget_after: Type.Optional(Type.String({ pattern: DURATION_PATTERN, description: "how long the analyzer keeps an idle entity's memory (default 30d, at least 1h)" })),
    costs: Type.Optional(
      Type.Object(
        {
          stale: Type.Optional(Cost),
          missing_record: Type.Optional(Cost),
          out_of_order: Type.Optional(Cost),
          duplicate: Type.Optional(Cost),
          field_drift: Type.Optional(Cost),
        },
        { additionalProperties: false, description: 'risk kind and cost per gap type (for Risk Avoided); rules may override' },
      ),
    ),
    remediation: Type.Optional(
      Type.Object(
        {
          stale: Type.Optional(RemediationPolicy),
          missing_record: Type.Optional(RemediationPolicy),
          out_of_order: Type.Optional(RemediationPolicy),
          duplicate: Type.Optional(RemediationPolicy),
          field_drift: Type.Optional(RemediationPolicy),
        },
        { additionalProperties: false, description: 'remediation policy per gap type (docs/self-healing.md); rules and streams may override' },
      ),
    ),
    streams: Type.Array(StreamSchema, { minItems: 1, maxItems: 100 }),
    follow_ups: Type.Optional(Type.Array(FollowUpSchema, { maxItems: 100 })),
    lifecycles: Type.Optional(Type.Array(LifecycleSchema, { maxItems: 100 })),
    agreements: Type.Optional(Type.Array(AgreementSchema, { maxItems: 100 })),
  },
  { additionalProperties: false },
);

export const ContractDocumentSchema = Type.Object(
  { contracts: Type.Array(ContractSchema, { maxItems: 200 }) },
  { additionalProperties: false, description: 'sync contracts (docs/sync.md); YAML or JSON' },
);
export type ContractDocument = Static<typeof ContractDocumentSchema>;
