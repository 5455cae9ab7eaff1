import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { documentedAs } from '../../platform/http/openapi/index.js';
import { Page, PaginationQuery, Timestamp, Uuid } from '../../platform/http/schemas.js';
import { AlertRulesDocumentSchema } from './alert-rules-document.js';
import { ALERT_STATUSES } from './alert-state.js';

const literalUnion = <T extends readonly string[]>(values: T, options: { description?: string; title?: string } = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

const AlertRulesDocument: TSchema = {
  ...AlertRulesDocumentSchema,
  title: 'AlertRulesDocument',
  description: 'An alert-rules document (docs/alerts.md): rules over ORCA\'s data and the routing tree to receivers',
};

/**
 * Checked by the alert-rules compiler, which reports every problem with its path (docs/alerts.md); the route accepts
 * any object and the OpenAPI document shows the real schema, as for policy documents.
 */
const AnyAlertRulesDocument = (description: string) => documentedAs(Type.Object({}, { additionalProperties: true, description }), AlertRulesDocument);

export const AlertRulesBody = AnyAlertRulesDocument('The alert-rules document, as JSON, or as YAML text with Content-Type application/yaml');

export const AlertRules = Type.Object(
  {
    version: Type.Integer({ description: '0 is the built-in default document' }),
    active: Type.Boolean(),
    format: literalUnion(['yaml', 'json'] as const),
    created_by: Type.String(),
    created_at: Timestamp,
    document: AnyAlertRulesDocument('the document as stored (JSON form); for version 0, with its routes to the receivers that exist'),
    source: Type.String({ description: 'the document as it was written (YAML keeps its comments)' }),
  },
  { title: 'AlertRules' },
);

const AlertStatus = literalUnion(ALERT_STATUSES, { title: 'AlertStatus', description: 'pending (condition holds, `for` not yet over), firing, resolved' });
const LabelSet = Type.Record(Type.String(), Type.String());

export const AlertsQuery = Type.Object(
  {
    limit: PaginationQuery.limit,
    cursor: Type.Optional(Type.String({ pattern: '^[0-9a-f]{32}$', description: 'next_cursor of the previous page' })),
    status: Type.Optional(AlertStatus),
    fingerprint: Type.Optional(Type.String({ pattern: '^[0-9a-f]{32}$', description: 'one alert (the link in a notification\'s generatorURL)' })),
  },
  { additionalProperties: false },
);
export type AlertsQueryInput = Static<typeof AlertsQuery>;

const Alert = Type.Object(
  {
    fingerprint: Type.String({ description: 'hash of the rule and the labels: one alert per condition' }),
    rule: Type.String(),
    status: AlertStatus,
    labels: LabelSet,
    annotations: LabelSet,
    value: Type.Union([Type.Number(), Type.Null()], { description: 'what the rule measured (a count, a score, seconds of silence …)' }),
    active_since: Timestamp,
    starts_at: Type.Union([Timestamp, Type.Null()], { description: 'when it started firing; null while pending' }),
    ends_at: Type.Union([Timestamp, Type.Null()]),
    last_evaluated_at: Timestamp,
    correlation_id: Type.Union([Type.String(), Type.Null()], { description: 'of the request or job whose evaluation last changed its status' }),
    silenced_by: Type.Array(Type.Object({ id: Uuid, comment: Type.String(), ends_at: Timestamp }), { description: 'silences in force that match it: it is not delivered' }),
  },
  { title: 'Alert' },
);
export const AlertPage = Page(Alert, 'AlertPage');

export const SilenceBody = Type.Object(
  {
    matchers: Type.Array(Type.String({ minLength: 1, maxLength: 2000 }), { minItems: 1, maxItems: 50, description: 'name="v", name!="v", name=~"re", name!~"re"; all must match' }),
    starts_at: Type.Optional(Timestamp),
    ends_at: Timestamp,
    comment: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false, title: 'SilenceRequest' },
);

export const Silence = Type.Object(
  {
    id: Uuid,
    matchers: Type.Array(Type.String()),
    starts_at: Timestamp,
    ends_at: Timestamp,
    comment: Type.String(),
    created_by: Type.String(),
    created_at: Timestamp,
    status: literalUnion(['pending', 'active', 'expired'] as const, { title: 'SilenceStatus' }),
  },
  { title: 'Silence' },
);
export const SilencePage = Page(Silence, 'SilencePage');
export const SilencesQuery = Type.Object({ limit: PaginationQuery.limit, cursor: Type.Optional(Uuid) }, { additionalProperties: false });
