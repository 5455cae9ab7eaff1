import { Type, type Static } from '@sinclair/typebox';
import { Page, PaginationQuery, Timestamp, Uuid } from '../../platform/http/schemas.js';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const INCIDENT_STATUSES = ['open', 'mitigated', 'resolved'] as const;

const Severity = Type.Union(SEVERITIES.map((value) => Type.Literal(value)));
const Status = Type.Union(INCIDENT_STATUSES.map((value) => Type.Literal(value)));

export const Incident = Type.Object(
  {
    id: Uuid,
    kind: Type.String(),
    severity: Severity,
    title: Type.Union([Type.String(), Type.Null()]),
    agent_id: Type.Union([Uuid, Type.Null()]),
    gap_id: Type.Union([Uuid, Type.Null()]),
    loss_usd: Type.Number({ description: 'US dollars, a JSON number' }),
    status: Status,
    resolved_by: Type.Union([Type.Literal('auto'), Type.Literal('human'), Type.Null()]),
    resolution_note: Type.Union([Type.String(), Type.Null()]),
    opened_by: Type.String(),
    opened_at: Timestamp,
    resolved_at: Type.Union([Timestamp, Type.Null()]),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { additionalProperties: false, title: 'Incident' },
);

export const IncidentPage = Page(Incident, 'IncidentPage');

export const CreateIncidentBody = Type.Object(
  {
    kind: Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z0-9_.-]+$', description: 'e.g. order_duplication, ticket_breach, data_leak' }),
    severity: Severity,
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    agent_id: Type.Optional(Uuid),
    gap_id: Type.Optional(Uuid),
    loss_usd: Type.Optional(Type.Number({ minimum: 0, maximum: 1e12 })),
    status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('mitigated')])),
  },
  { additionalProperties: false, title: 'CreateIncidentRequest' },
);
export type CreateIncidentInput = Static<typeof CreateIncidentBody>;

export const ResolveIncidentBody = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 2000 })), loss_usd: Type.Optional(Type.Number({ minimum: 0, maximum: 1e12 })) },
  { additionalProperties: false, title: 'ResolveIncidentRequest' },
);
export type ResolveIncidentInput = Static<typeof ResolveIncidentBody>;

export const ListIncidentsQuery = Type.Object(
  {
    status: Type.Optional(Status),
    severity: Type.Optional(Severity),
    agent_id: Type.Optional(Uuid),
    gap_id: Type.Optional(Uuid),
    ...PaginationQuery,
  },
  { additionalProperties: false },
);
export type ListIncidentsQuery = Static<typeof ListIncidentsQuery>;
