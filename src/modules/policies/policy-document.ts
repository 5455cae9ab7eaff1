/**
 * The policy document: its schema, the defaults of the rules it may tune, and parsing from YAML or JSON. Validating
 * a parsed document and compiling it into what the evaluator reads: compile-policy.ts.
 */
import { Type, type Static } from '@sinclair/typebox';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const PII_ACTIONS = ['allow', 'redact', 'block'] as const;
export type PiiAction = (typeof PII_ACTIONS)[number];
export const MODES = ['enforce', 'monitor'] as const;
export type PolicyMode = (typeof MODES)[number];

/** The access and quota rules every document has; their severity and risk cost can be tuned under `rules`. */
export const ACCESS_RULES = [
  'agent_unknown',
  'agent_status',
  'classification_unknown',
  'classification_ceiling',
  'role_unknown',
  'role_classification',
  'role_action',
  'approval_required',
  'approval_invalid',
  'prompt_injection',
  'quota_calls',
  'quota_tokens',
  'quota_cost',
] as const;
export type AccessRule = (typeof ACCESS_RULES)[number];

const Name = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_]*$' });
const SeveritySchema = Type.Union(SEVERITIES.map((value) => Type.Literal(value)));
const RiskCost = Type.Number({ minimum: 0, maximum: 1e12, description: 'USD this violation would cost if it happened (RA$ when it is blocked)' });
const ActionsByClassification = Type.Record(Type.String({ minLength: 1, maxLength: 64 }), Type.Union(PII_ACTIONS.map((value) => Type.Literal(value))), {
  description: 'allow | redact | block for each destination classification',
});
const Wildcard = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 200, description: 'names, or ["*"] for all' });

const RuleSetting = Type.Object({ severity: Type.Optional(SeveritySchema), risk_cost_usd: Type.Optional(RiskCost) }, { additionalProperties: false });

const Quota = Type.Object(
  {
    calls: Type.Optional(Type.Integer({ minimum: 1, maximum: 1e9, description: 'evaluations per window' })),
    window: Type.Optional(Type.String({ pattern: '^[1-9]\\d{0,5}(s|m|h|d)$', description: 'window of `calls`, e.g. 1m, 1h (default 1m)' })),
    tokens_per_day: Type.Optional(Type.Integer({ minimum: 1, maximum: 1e15 })),
    cost_usd_per_day: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1e12 })),
  },
  { additionalProperties: false },
);

export type QuotaSetting = Static<typeof Quota>;

/** What the injection detector does when its score reaches the threshold: `monitor` records the violation and allows. */
export const INJECTION_ACTIONS = ['deny', 'require_approval', 'monitor'] as const;
export type InjectionAction = (typeof INJECTION_ACTIONS)[number];
export const DEFAULT_INJECTION_THRESHOLD = 0.5;

const InjectionThreshold = Type.Number({ minimum: 0.05, maximum: 1, description: 'score (0–1) from which the content is flagged' });
const InjectionActionSchema = Type.Union(INJECTION_ACTIONS.map((value) => Type.Literal(value)), { description: 'deny | require_approval | monitor' });

const InjectionDetectorSetting = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean({ description: 'default true' })),
    threshold: Type.Optional(InjectionThreshold),
    action: Type.Optional(InjectionActionSchema),
    classifications: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 64 }), Type.Object({ threshold: Type.Optional(InjectionThreshold), action: Type.Optional(InjectionActionSchema) }, { additionalProperties: false }), {
        description: 'threshold and action per destination classification; unlisted classifications use the detector-wide ones',
      }),
    ),
    external: Type.Optional(
      Type.Object(
        {
          url: Type.String({ minLength: 8, maxLength: 2048, pattern: '^https?://[^\\s]+$', description: 'POST {content, content_origin} → {score, signals?}' }),
          timeout_ms: Type.Optional(Type.Integer({ minimum: 20, maximum: 10_000, description: 'default 500' })),
        },
        { additionalProperties: false, description: 'an HTTP classifier whose score replaces the built-in one; on failure the built-in detector decides' },
      ),
    ),
  },
  { additionalProperties: false, description: 'the built-in prompt-injection detector (docs/policies.md "Prompt-injection detection"); on by default' },
);

export const PolicyDocumentSchema = Type.Object(
  {
    mode: Type.Optional(Type.Union(MODES.map((value) => Type.Literal(value)), { description: 'enforce (default) or monitor: record violations but allow' })),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    default_role: Type.Optional(Name),
    classifications: Type.Array(
      Type.Object({ name: Name, risk_weight: Type.Number({ minimum: 0, maximum: 1 }) }, { additionalProperties: false }),
      { minItems: 1, maxItems: 20, description: 'lowest to highest' },
    ),
    // A record keyed by a pattern leaves keys that miss the pattern unchecked unless they are refused outright: a role
    // named "_" with no classifications used to reach the compiler (a 500 the OpenAPI fuzzer found).
    roles: Type.Record(Name, Type.Object({ classifications: Wildcard, actions: Wildcard }, { additionalProperties: false }), { additionalProperties: false }),
    pii: Type.Optional(
      Type.Object(
        {
          detectors: Type.Optional(
            Type.Record(
              Type.String(),
              Type.Object(
                { enabled: Type.Optional(Type.Boolean()), severity: SeveritySchema, risk_cost_usd: Type.Optional(RiskCost), actions: ActionsByClassification },
                { additionalProperties: false },
              ),
            ),
          ),
          phone_regions: Type.Optional(
            Type.Array(Type.String({ pattern: '^[A-Z]{2}$' }), {
              maxItems: 50,
              description:
                'regions (ISO 3166-1 alpha-2) whose national phone formats are detected; default [US] (North America). Numbers written with a + are detected whatever the list',
            }),
          ),
          custom: Type.Optional(
            Type.Array(
              Type.Object(
                {
                  name: Name,
                  pattern: Type.String({ minLength: 1, maxLength: 1000 }),
                  case_insensitive: Type.Optional(Type.Boolean()),
                  severity: SeveritySchema,
                  risk_cost_usd: Type.Optional(RiskCost),
                  actions: ActionsByClassification,
                },
                { additionalProperties: false },
              ),
              { maxItems: 50 },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    prompt_injection: Type.Optional(
      Type.Object(
        {
          action: Type.Optional(Type.Union([Type.Literal('deny'), Type.Literal('require_approval')], { description: 'what a matching pattern does (default deny)' })),
          severity: Type.Optional(SeveritySchema),
          risk_cost_usd: Type.Optional(RiskCost),
          detector: Type.Optional(InjectionDetectorSetting),
          patterns: Type.Optional(Type.Array(
            Type.Object(
              {
                name: Name,
                phrases: Type.Optional(Type.Array(Type.String({ minLength: 3, maxLength: 200 }), { maxItems: 100 })),
                regex: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
              },
              { additionalProperties: false },
            ),
            { maxItems: 100 },
          )),
        },
        { additionalProperties: false },
      ),
    ),
    needs_review: Type.Optional(
      Type.Union([Type.Literal('deny'), Type.Literal('allow')], {
        description: 'deny (default) or allow the actions of an agent in needs_review: approved, then changed, waiting for a new approval (docs/discovery.md)',
      }),
    ),
    approval: Type.Optional(
      Type.Object(
        {
          actions: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 200 }),
          expires_after: Type.Optional(
            Type.String({ pattern: '^[1-9]\\d{0,5}(m|h|d)$', description: 'how long an approval waits for its decision before it expires (denied): 1m to 30d, default 24h' }),
          ),
          approvers: Type.Optional(Type.Integer({ minimum: 1, maximum: 2, description: 'distinct approvers an approval needs (default 1); one deny is enough' })),
        },
        { additionalProperties: false, description: 'actions held for a human approval, and how approvals are decided (docs/approvals.md)' },
      ),
    ),
    quotas: Type.Optional(
      Type.Object(
        {
          default: Type.Optional(Quota),
          roles: Type.Optional(Type.Record(Name, Quota, { additionalProperties: false })),
          agents: Type.Optional(Type.Record(Type.String({ format: 'uuid' }), Quota)),
        },
        { additionalProperties: false },
      ),
    ),
    rules: Type.Optional(Type.Record(Type.String(), RuleSetting)),
  },
  { additionalProperties: false },
);
export type PolicyDocument = Static<typeof PolicyDocumentSchema>;

/** Defaults for the access rules a document does not tune (docs/policies.md explains each). */
export const DEFAULT_RULES: Record<AccessRule, { severity: Severity; risk_cost_usd: number }> = {
  agent_unknown: { severity: 'high', risk_cost_usd: 5000 },
  agent_status: { severity: 'critical', risk_cost_usd: 10000 },
  classification_unknown: { severity: 'medium', risk_cost_usd: 0 },
  classification_ceiling: { severity: 'high', risk_cost_usd: 25000 },
  role_unknown: { severity: 'high', risk_cost_usd: 5000 },
  role_classification: { severity: 'high', risk_cost_usd: 10000 },
  role_action: { severity: 'medium', risk_cost_usd: 2000 },
  approval_required: { severity: 'high', risk_cost_usd: 20000 },
  approval_invalid: { severity: 'medium', risk_cost_usd: 0 },
  prompt_injection: { severity: 'high', risk_cost_usd: 15000 },
  quota_calls: { severity: 'medium', risk_cost_usd: 0 },
  quota_tokens: { severity: 'medium', risk_cost_usd: 0 },
  quota_cost: { severity: 'medium', risk_cost_usd: 0 },
};

