import { Type, type Static } from '@sinclair/typebox';
import { literalUnion, Page, PaginationQuery, Timestamp, Uuid } from '../../platform/http/schemas.js';
import { REMEDIATION_ACTIONS } from '../sync/index.js';
import { REMEDIATION_OUTCOMES, REMEDIATION_STATUSES } from './remediation-state.js';
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const RemediationAction = literalUnion(REMEDIATION_ACTIONS, { title: 'RemediationAction' });
export const RemediationStatus = literalUnion(REMEDIATION_STATUSES, {
  title: 'RemediationStatus',
  description: 'pending, acting, verifying (in progress) or an outcome: healed, failed, gave_up, skipped',
});

export const Remediation = Type.Object(
  {
    id: Uuid,
    gap_id: Uuid,
    gap_type: Type.String(),
    contract: Nullable(Type.String()),
    rule: Type.String(),
    entity_id: Nullable(Type.String()),
    agent_id: Type.Union([Uuid, Type.Null()], { description: 'the gap’s owner agent' }),
    action: RemediationAction,
    receiver: Nullable(Type.String({ description: 'the receiver a resync_request or notify calls, or retry_delivery is limited to' })),
    status: RemediationStatus,
    outcome: Type.Union([literalUnion(REMEDIATION_OUTCOMES), Type.Null()], { description: 'the final status once finished; null while in progress' }),
    attempts: Type.Integer({ minimum: 0 }),
    max_attempts: Type.Integer({ minimum: 1 }),
    verify_within_seconds: Type.Number({ description: 'how long after an action the gap has to close to count as healed' }),
    next_attempt_at: Type.Union([Timestamp, Type.Null()], { description: 'pending: when the next attempt is due' }),
    verify_until: Type.Union([Timestamp, Type.Null()], { description: 'when the last action’s verification window ends' }),
    last_attempt_at: Type.Union([Timestamp, Type.Null()]),
    finished_at: Type.Union([Timestamp, Type.Null()]),
    healed_at: Type.Union([Timestamp, Type.Null()], { description: 'when the gap closed, for a healed remediation' }),
    reason: Nullable(Type.String({ description: 'why it finished as it did, in words' })),
    last_error: Nullable(Type.String({ description: 'the last failed attempt’s error' })),
    result: Type.Record(Type.String(), Type.Unknown(), { description: 'what the last attempt did: HTTP status, incident id, deliveries retried …' }),
    correlation_id: Nullable(Type.String()),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { additionalProperties: false, title: 'Remediation' },
);
export type Remediation = Static<typeof Remediation>;

export const RemediationPage = Page(Remediation, 'RemediationPage');

export const ListRemediationsQuery = Type.Object(
  {
    status: Type.Optional(RemediationStatus),
    gap_id: Type.Optional(Uuid),
    agent_id: Type.Optional(Uuid),
    action: Type.Optional(RemediationAction),
    ...PaginationQuery,
  },
  { additionalProperties: false },
);
export type ListRemediationsQuery = Static<typeof ListRemediationsQuery>;
