import { Type, type Static } from '@sinclair/typebox';
import { PaginationQuery, Page, Timestamp, Uuid } from '../../platform/http/schemas.js';
import { AgentKindSchema, AgentStatusSchema } from '../agents/index.js';

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const list = <T extends ReturnType<typeof Type.String>>(item: T, maxItems: number, description: string) =>
  Type.Optional(Type.Array(item, { minItems: 1, maxItems, description }));
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const Selector = Type.Object(
  {
    all: Type.Optional(Type.Boolean({ description: 'every agent that is not retired; must then be the only criterion' })),
    agent_ids: list(Uuid, 10_000, 'these agents'),
    tags: list(Type.String({ minLength: 1, maxLength: 64 }), 100, 'agents carrying any of these tags'),
    owners: list(Text(200), 100, 'agents owned by any of these owners (exact match)'),
    vendors: list(Text(200), 100, 'agents of any of these vendors (exact match)'),
    models: list(Text(200), 100, 'agents running any of these models (exact match)'),
    kinds: Type.Optional(Type.Array(AgentKindSchema, { minItems: 1, maxItems: 5, description: 'agents of any of these kinds' })),
    discovery_source_ids: list(
      Uuid,
      100,
      'agents found by any of these discovery sources; matches nothing in a build without discovery (the preview says so)',
    ),
  },
  {
    additionalProperties: false,
    title: 'KillSwitchSelector',
    description: 'Which agents to stop. Each list matches any of its values; the criteria given must all match. Retired agents are never selected.',
  },
);

export const PreviewBody = Type.Object({ selector: Selector }, { additionalProperties: false, title: 'KillSwitchPreviewRequest' });

const Counts = (description: string) => Type.Record(Type.String(), Type.Integer({ minimum: 0 }), { description });

export const PreviewAgent = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    kind: AgentKindSchema,
    status: AgentStatusSchema,
    owner: Nullable(Type.String()),
    vendor: Nullable(Type.String()),
    model: Nullable(Type.String()),
    tags: Type.Array(Type.String()),
    action: Type.Union([Type.Literal('suspend'), Type.Literal('none')], { description: 'none: already suspended, left as it is' }),
    decisions_last_24h: Type.Integer({ minimum: 0 }),
    runs_last_hour: Type.Integer({ minimum: 0 }),
  },
  { title: 'KillSwitchPreviewAgent' },
);

export const PendingApproval = Type.Object(
  {
    id: Uuid,
    agent_id: Uuid,
    action: Type.String(),
    resource: Nullable(Type.String()),
    requested_at: Timestamp,
    expires_at: Nullable(Timestamp),
  },
  { title: 'KillSwitchPendingApproval' },
);

export const Preview = Type.Object(
  {
    preview_id: Uuid,
    preview_token: Type.String({ description: 'give it to POST /api/v1/kill-switch within 5 minutes; shown once' }),
    expires_at: Timestamp,
    selector: Selector,
    agents: Type.Object({
      total: Type.Integer({ minimum: 0, description: 'agents selected (not retired)' }),
      to_suspend: Type.Integer({ minimum: 0 }),
      already_suspended: Type.Integer({ minimum: 0 }),
      by_status: Counts('selected agents per current status'),
      items: Type.Array(PreviewAgent, { description: 'the selected agents, by id; at most 5,000 (see truncated)' }),
      truncated: Type.Boolean(),
    }),
    pending_approvals: Nullable(
      Type.Object({ total: Type.Integer({ minimum: 0 }), items: Type.Array(PendingApproval) }, { description: 'null when this build has no approvals (see notes)' }),
    ),
    sync_contracts: Type.Array(
      Type.Object({ name: Type.String(), owner_agent_id: Uuid, streams: Type.Array(Type.String()) }),
      { description: 'active sync contracts owned by a selected agent' },
    ),
    sources: Type.Array(
      Type.Object({
        source: Type.String({ description: 'a source id, or a source kind, as the contract names it' }),
        name: Nullable(Type.String()),
        contracts: Type.Array(Type.String()),
      }),
      { description: 'the sources feeding those contracts' },
    ),
    decisions_last_24h: Type.Object({ total: Type.Integer({ minimum: 0 }), by_decision: Counts('per decision') }),
    runs_last_hour: Type.Object({ total: Type.Integer({ minimum: 0 }), by_outcome: Counts('per outcome') }),
    notes: Type.Array(Type.String()),
  },
  { title: 'KillSwitchPreview' },
);
export type PreviewView = Static<typeof Preview>;

export const ExecuteBody = Type.Object(
  {
    preview_token: Type.String({ minLength: 1, maxLength: 200 }),
    reason: Type.String({ minLength: 1, maxLength: 1000, description: "why; kept on the activation, in each agent's history and in the audit log" }),
  },
  { additionalProperties: false, title: 'KillSwitchRequest' },
);

export const ReleaseBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 1000, description: 'why; kept on the activation and in the audit log' }) },
  { additionalProperties: false, title: 'KillSwitchReleaseRequest' },
);

const activationFields = {
  id: Uuid,
  status: Type.Union([Type.Literal('active'), Type.Literal('released')]),
  selector: Selector,
  reason: Type.String(),
  preview_id: Uuid,
  suspended_count: Type.Integer({ minimum: 0, description: 'agents this activation suspended' }),
  already_suspended_count: Type.Integer({ minimum: 0, description: 'selected agents that were suspended already (left alone)' }),
  activated_by: Type.String(),
  activated_at: Timestamp,
  correlation_id: Nullable(Type.String()),
  released_at: Nullable(Timestamp),
  released_by: Nullable(Type.String()),
  release_reason: Nullable(Type.String()),
  restored_count: Nullable(Type.Integer({ minimum: 0 })),
  skipped_count: Nullable(Type.Integer({ minimum: 0 })),
  transferred_count: Nullable(Type.Integer({ minimum: 0 })),
};

export const Activation = Type.Object(activationFields, { title: 'KillSwitchActivation' });
export type ActivationView = Static<typeof Activation>;

export const ActivationAgent = Type.Object(
  {
    agent_id: Uuid,
    name: Type.String(),
    current_status: AgentStatusSchema,
    outcome: Type.Union([Type.Literal('suspended'), Type.Literal('already_suspended')]),
    previous_status: AgentStatusSchema,
    previous_status_reason: Nullable(Type.String()),
    release_outcome: Nullable(Type.Union([Type.Literal('restored'), Type.Literal('skipped'), Type.Literal('transferred')])),
    release_detail: Nullable(Type.String()),
  },
  { title: 'KillSwitchAgent' },
);
export type ActivationAgentView = Static<typeof ActivationAgent>;

export const ActivationDetail = Type.Object({ ...activationFields, agents: Type.Array(ActivationAgent) }, { title: 'KillSwitchActivationDetail' });
export type ActivationDetailView = Static<typeof ActivationDetail>;

export const ActivationPage = Page(Activation, 'KillSwitchActivationPage');

export const ListQuery = Type.Object(
  { status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('released')])), ...PaginationQuery },
  { additionalProperties: false },
);
export type ListQuery = Static<typeof ListQuery>;
