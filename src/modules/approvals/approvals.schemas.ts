import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Page, PaginationQuery, Timestamp, Uuid } from '../../platform/http/schemas.js';

export const APPROVAL_STATUSES = ['pending', 'approved', 'denied', 'expired'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export const CALLBACK_STATUSES = ['waiting', 'pending', 'delivered', 'failed', 'dead_lettered'] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];

const StatusSchema = Type.Unsafe<ApprovalStatus>({
  type: 'string',
  enum: [...APPROVAL_STATUSES],
  title: 'ApprovalStatus',
  description: 'pending (waiting for its approvers); approved; denied; expired (no decision before expires_at: counts as denied)',
});

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const ApprovalVote = Type.Object(
  {
    approver: Type.String({ description: 'the id of the API key that approved' }),
    via: Type.Unsafe<'api' | 'slack'>({ type: 'string', enum: ['api', 'slack'] }),
    reason: Type.String(),
    at: Timestamp,
  },
  { additionalProperties: false, title: 'ApprovalVote' },
);

export const Approval = Type.Object(
  {
    id: Uuid,
    status: StatusSchema,
    agent_id: Uuid,
    action: Type.String(),
    resource: Type.String(),
    classification: Type.String(),
    content_digest: Nullable(Type.String({ description: 'hex SHA-256 of the content the call carried; the content itself is never stored' })),
    rule: Type.String({ description: 'the policy rule that asked for the approval' }),
    violations: Type.Array(
      Type.Object({ rule: Type.String(), severity: Type.String(), detail: Type.String() }, { additionalProperties: false }),
      { description: 'the violations of the decision that asked' },
    ),
    decision_id: Nullable(Uuid),
    policy_version: Type.Integer(),
    requested_by: Type.String({ description: 'the id of the API key that asked; it can never decide this approval' }),
    approvals_required: Type.Integer({ minimum: 1, maximum: 2, description: 'distinct approvers needed (the policy setting approval.approvers)' }),
    approvals: Type.Array(ApprovalVote, { description: 'who approved so far, in order' }),
    decided_by: Nullable(Type.String({ description: 'the key that decided (the last approver, or the one that denied); system:approvals for an expiry' })),
    reason: Nullable(Type.String()),
    decided_at: Nullable(Timestamp),
    expires_at: Timestamp,
    used_at: Nullable(Timestamp),
    risk_cost_usd: Type.Number({ description: 'counted in risk avoided (RA$) once the approval is denied or expires' }),
    callback: Nullable(
      Type.Object(
        {
          status: Type.Unsafe<CallbackStatus>({ type: 'string', enum: [...CALLBACK_STATUSES], description: 'waiting (for the outcome), pending, delivered, failed (a retry is scheduled), dead_lettered' }),
          attempts: Type.Integer(),
          last_status: Nullable(Type.Integer()),
          last_error: Nullable(Type.String()),
        },
        { additionalProperties: false, description: 'the signed callback of the outcome; its URL and secret are never shown' },
      ),
    ),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { additionalProperties: false, title: 'Approval' },
);
export type ApprovalRecord = Static<typeof Approval>;

export const ApprovalPage = Page(Approval, 'ApprovalPage');

export const ListApprovalsQuery = Type.Object(
  { status: Type.Optional(StatusSchema), agent_id: Type.Optional(Uuid), ...PaginationQuery },
  { additionalProperties: false },
);
export type ListApprovalsQuery = Static<typeof ListApprovalsQuery>;

export const GetApprovalQuery = Type.Object(
  {
    wait: Type.Optional(
      Type.String({
        pattern: '^\\d{1,6}(ms|s)$',
        description: 'long-poll: answer once the approval is decided or expires, or after this long (e.g. 30s; at most APPROVALS_MAX_WAIT)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const DecideApprovalBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 2000, description: 'why; kept with the decision and in the audit log' }) },
  { additionalProperties: false, title: 'ApprovalDecisionRequest' },
);
export type DecideApprovalInput = Static<typeof DecideApprovalBody>;
