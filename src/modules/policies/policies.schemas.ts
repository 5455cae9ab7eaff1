import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { documentedAs } from '../../platform/http/openapi/index.js';
import { literalUnion, Page, PaginationQuery, Timestamp, Uuid } from '../../platform/http/schemas.js';
import { DECISIONS } from './evaluate.js';
import { CONTENT_ORIGINS } from './injection/detect.js';
import { MODES, PolicyDocumentSchema, SEVERITIES } from './policy-document.js';

export const DecisionKind = literalUnion(DECISIONS, { title: 'DecisionKind' });
export const SeverityKind = literalUnion(SEVERITIES, { title: 'Severity' });
const PolicyMode = literalUnion(MODES, { title: 'PolicyMode', description: 'enforce, or monitor: violations are recorded but the action is allowed' });
const Name = (description: string) => Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]*$', description });

/** The schema the policy service validates documents against (policy-document.ts), as the document publishes it. */
const PolicyDocument: TSchema = {
  ...PolicyDocumentSchema,
  title: 'PolicyDocument',
  description: 'A policy document (docs/policies.md): classifications, roles, PII detectors, prompt-injection patterns, approvals, quotas',
};

/**
 * Policy documents are checked by the policy service's own parser, which reports every problem with its path
 * (docs/policies.md); declaring the full schema here would have Fastify refuse a body first, with other errors. The
 * route therefore accepts any object, and the OpenAPI document shows the real schema (documentedAs).
 */
const AnyPolicyDocument = (description: string) => documentedAs(Type.Object({}, { additionalProperties: true, description }), PolicyDocument);

export const PolicyDocumentBody = AnyPolicyDocument(
  'The policy document (docs/policies.md), as JSON, or as YAML text with Content-Type application/yaml',
);

const policyVersionFields = {
  version: Type.Integer({ description: '0 is the built-in default policy' }),
  mode: PolicyMode,
  active: Type.Boolean(),
  format: literalUnion(['yaml', 'json'] as const),
  created_by: Type.String(),
  created_at: Timestamp,
};

export const Policy = Type.Object(
  {
    ...policyVersionFields,
    document: AnyPolicyDocument('the document as stored (JSON form)'),
    source: Type.String({ description: 'the document as it was written (YAML keeps its comments)' }),
  },
  { title: 'Policy' },
);
export type PolicyView = Static<typeof Policy>;

export const PolicyVersionsQuery = Type.Object(
  { limit: PaginationQuery.limit, cursor: PaginationQuery.cursor },
  { additionalProperties: false },
);
export const PolicyVersionPage = Page(Type.Object(policyVersionFields, { title: 'PolicyVersion' }), 'PolicyVersionPage');

export const EvaluateBody = Type.Object(
  {
    agent_id: Uuid,
    action: Name('what the agent is about to do, e.g. read, send_message, delete_data'),
    resource: Type.String({ minLength: 1, maxLength: 512, pattern: '^[^\\u0000-\\u001f\\u007f]+$', description: 'what it acts on (a system, table, URL …); no control characters' }),
    classification: Name('classification of the destination / data touched'),
    content: Type.Optional(Type.String({ maxLength: 1_048_576, description: 'text to scan for PII, secrets and prompt injection; never stored' })),
    content_origin: Type.Optional(
      literalUnion(CONTENT_ORIGINS, {
        title: 'ContentOrigin',
        description:
          'where the content came from: user (default, a request to the agent), or data the agent reads — document, web, email, tool_output — scanned for instructions aimed at the agent',
      }),
    ),
    tokens: Type.Optional(Type.Integer({ minimum: 0, maximum: 1e12 })),
    cost_usd: Type.Optional(Type.Number({ minimum: 0, maximum: 1e9 })),
    approval_id: Type.Optional(
      Type.String({
        format: 'uuid',
        pattern: Uuid.pattern,
        description:
        'proceed with this approval (docs/approvals.md): allowed once, when it was approved for exactly this agent, action, resource, classification and content and has not expired; anything else is a deny (rule approval_invalid) with the reason',
      }),
    ),
    callback_url: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2048,
        description: 'where ORCA POSTs the outcome of the approval this call may open, signed with Standard Webhooks; checked against the SSRF guard (400 when refused)',
      }),
    ),
    callback_secret: Type.Optional(
      Type.String({
        pattern: '^whsec_[A-Za-z0-9+/]{32,88}={0,2}$',
        description: 'the Standard Webhooks secret to sign the callback with (whsec_ + base64 of 24–64 bytes); without it ORCA generates one and returns it once',
      }),
    ),
  },
  { additionalProperties: false, title: 'EvaluateRequest' },
);
export type EvaluateInput = Static<typeof EvaluateBody>;

export const ViolationSchema = Type.Object(
  {
    rule: Type.String(),
    severity: SeverityKind,
    detail: Type.String(),
    score: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'prompt_injection from the detector: its score' })),
    signals: Type.Optional(Type.Array(Type.String(), { description: 'prompt_injection from the detector: the signals behind the score, strongest first' })),
  },
  { title: 'Violation' },
);

export const EvaluateResult = Type.Object(
  {
    decision: DecisionKind,
    violations: Type.Array(ViolationSchema),
    redacted_content: Type.Optional(Type.String()),
    policy_version: Type.Integer(),
    mode: PolicyMode,
    decision_id: Type.Union([Type.String(), Type.Null()], { description: 'id of the recorded decision; null when an allow was not sampled' }),
    approval: Type.Optional(
      Type.Object(
        {
          id: Uuid,
          status: Type.Unsafe<'pending'>({ type: 'string', enum: ['pending'] }),
          expires_at: Timestamp,
          callback_secret: Type.Optional(Type.String({ description: 'the generated Standard Webhooks secret of the callback: shown this once' })),
        },
        { title: 'OpenedApproval', description: 'require_approval: the approval this decision opened; poll GET /api/v1/approvals/{id} (docs/approvals.md)' },
      ),
    ),
  },
  { title: 'Decision' },
);
export type EvaluateOutput = Static<typeof EvaluateResult>;

export const ViolationsQuery = Type.Object(
  {
    ...PaginationQuery,
    agent_id: Type.Optional(Uuid),
    rule: Type.Optional(Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_.:-]+$' })),
    severity: Type.Optional(SeverityKind),
    decision: Type.Optional(DecisionKind),
    since: Type.Optional(Timestamp),
    until: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);
export type ViolationsQueryInput = Static<typeof ViolationsQuery>;

export const ViolationRecord = Type.Object(
  {
    id: Uuid,
    decision_id: Uuid,
    at: Timestamp,
    agent_id: Type.Union([Type.String(), Type.Null()]),
    rule: Type.String(),
    severity: SeverityKind,
    detail: Type.String(),
    decision: DecisionKind,
    mode: PolicyMode,
    policy_version: Type.Integer(),
  },
  { title: 'RecordedViolation' },
);
export const ViolationPage = Page(ViolationRecord, 'RecordedViolationPage');

export const SimulateBody = Type.Object(
  {
    policy: AnyPolicyDocument('the draft policy document (JSON form)'),
    since: Timestamp,
    until: Timestamp,
    agent_id: Type.Optional(Uuid),
  },
  { additionalProperties: false, title: 'SimulateRequest' },
);
export type SimulateInput = Static<typeof SimulateBody>;

const Changes = Type.Object({
  newly_denied: Type.Integer(),
  newly_allowed: Type.Integer(),
  changed: Type.Integer({ description: 'decisions that differ in any way (including the two above)' }),
});

export const SimulateResult = Type.Object(
  {
    replayed: Type.Integer({ description: 'recorded decisions replayed' }),
    unchanged: Type.Integer(),
    newly_denied: Type.Integer({ description: 'allowed (or redacted / held) before, denied by the draft' }),
    newly_allowed: Type.Integer({ description: 'denied, redacted or held before, allowed by the draft' }),
    changed: Type.Integer({ description: 'decisions that differ in any way' }),
    transitions: Type.Array(Type.Object({ from: DecisionKind, to: DecisionKind, count: Type.Integer() })),
    by_rule: Type.Array(Type.Object({ rule: Type.String(), recorded: Type.Integer(), simulated: Type.Integer() }), {
      description: 'violations per rule, as recorded and under the draft',
    }),
    by_agent: Type.Array(Type.Intersect([Type.Object({ agent_id: Type.Union([Type.String(), Type.Null()]) }), Changes])),
    limitations: Type.Array(Type.String(), { description: 'what the replay could not reproduce, and how often' }),
    truncated: Type.Boolean({ description: 'true when the range held more decisions than one simulation replays' }),
  },
  { title: 'SimulationReport' },
);
export type SimulateOutput = Static<typeof SimulateResult>;
