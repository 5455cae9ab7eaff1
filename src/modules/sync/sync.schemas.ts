import { Type, type Static } from '@sinclair/typebox';
import { literalUnion, Page, PaginationQuery, Timestamp, Uuid } from '../../platform/http/schemas.js';
import { ContractDocumentSchema, GAP_TYPES, SEVERITIES } from './contract-schema.js';
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const GapType = literalUnion(GAP_TYPES, { title: 'GapType' });
export const Severity = literalUnion(SEVERITIES, { title: 'Severity' });

/** The contracts document as requests are validated against it (contract.ts), named for the OpenAPI document. */
export const SyncContractsDocument: typeof ContractDocumentSchema = { ...ContractDocumentSchema, title: 'SyncContracts' };

export const ContractsVersion = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    format: literalUnion(['yaml', 'json'] as const, { description: 'how the document was sent' }),
    created_by: Type.String({ description: 'API key id of the writer' }),
    created_at: Timestamp,
    document: SyncContractsDocument,
  },
  { title: 'SyncContractsVersion' },
);
export type ContractsVersion = Static<typeof ContractsVersion>;

export const ContractsQuery = Type.Object(
  { version: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'a past version (default: the active one)' })) },
  { additionalProperties: false },
);

export const Gap = Type.Object(
  {
    id: Uuid,
    type: GapType,
    severity: Severity,
    status: literalUnion(['open', 'resolved'] as const),
    contract: Nullable(Type.String()),
    stream: Nullable(Type.String()),
    rule: Type.String(),
    entity_type: Nullable(Type.String()),
    entity_id: Nullable(Type.String()),
    agent_id: Nullable(Uuid),
    detected_at: Timestamp,
    due_at: Nullable(Timestamp),
    resolved_at: Nullable(Timestamp),
    resolution: Type.Union([literalUnion(['auto', 'manual'] as const), Type.Null()]),
    resolved_by: Nullable(Type.String({ description: '`analyzer`, or the API key id that resolved it' })),
    resolution_reason: Nullable(Type.String()),
    risk_kind: Nullable(Type.String()),
    cost_usd: Type.Number(),
    detail: Type.Object({}, { additionalProperties: true, description: 'evidence: event ids, values, deadlines (never payload content beyond agreed fields)' }),
  },
  { title: 'Gap' },
);
export type Gap = Static<typeof Gap>;

export const GapPage = Page(Gap, 'GapPage');

const Text = Type.String({ minLength: 1, maxLength: 300 });

export const GapQuery = Type.Object(
  {
    type: Type.Optional(GapType),
    severity: Type.Optional(Severity),
    status: Type.Optional(literalUnion(['open', 'resolved'] as const)),
    contract: Type.Optional(Text),
    agent_id: Type.Optional(Uuid),
    entity: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'entity id (or the correlation key of an agreement)' })),
    stream: Type.Optional(Text),
    rule: Type.Optional(Text),
    ...PaginationQuery,
  },
  { additionalProperties: false },
);
export type GapQuery = Static<typeof GapQuery>;

export const ResolveBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 1000, description: 'why; kept on the gap and in the audit log' }) },
  { additionalProperties: false, title: 'ResolveGapRequest' },
);

export const StreamFreshness = Type.Object(
  {
    contract: Type.String(),
    stream: Type.String(),
    source: Type.String({ description: 'source kind or source id, as the contract names it' }),
    entity_type: Type.String(),
    agent_id: Uuid,
    last_event_at: Nullable(Timestamp),
    lag_seconds: Type.Union([Type.Number(), Type.Null()]),
    slo_seconds: Type.Number(),
    status: literalUnion(['within_slo', 'stale', 'no_data'] as const),
    open_gaps: Type.Integer({ description: 'open gaps of any type on this stream' }),
  },
  { title: 'StreamFreshness' },
);

export const FreshnessReport = Type.Object(
  {
    at: Timestamp,
    contracts_version: Type.Integer({ description: '0 when no contracts are defined' }),
    items: Type.Array(StreamFreshness),
  },
  { title: 'FreshnessReport' },
);
export type FreshnessReport = Static<typeof FreshnessReport>;
