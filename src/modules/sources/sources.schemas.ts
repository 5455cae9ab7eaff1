import { Type, type Static } from '@sinclair/typebox';
import { PaginationQuery, Page, Timestamp, Uuid } from '../../platform/http/schemas.js';
import { SOURCE_KINDS } from '../ingest/index.js';

export const SourceKind = Type.Unsafe<(typeof SOURCE_KINDS)[number]>({
  type: 'string',
  enum: [...SOURCE_KINDS],
  title: 'SourceKind',
  description: 'the business system, which fixes the signature scheme and the default mapping (docs/ingestion.md)',
});

const Name = Type.String({ minLength: 1, maxLength: 200 });
const Description = Type.Union([Type.String({ maxLength: 2000 }), Type.Null()]);

/** Write-only. Long enough to be a real HMAC key; short enough to refuse a body pasted by mistake. */
const Secret = Type.String({
  minLength: 16,
  maxLength: 512,
  pattern: '^[\\x21-\\x7e]+$',
  description: 'signing secret (write-only: stored encrypted, never returned); printable ASCII without spaces',
});

const MappingPath = Type.String({ minLength: 1, maxLength: 500, description: 'JSON path into the native event document' });
const MappingEntry = Type.Union([
  MappingPath,
  Type.Object(
    {
      path: MappingPath,
      format: Type.Optional(Type.Unsafe<'iso' | 'epoch_ms' | 'epoch_s'>({ type: 'string', enum: ['iso', 'epoch_ms', 'epoch_s'] })),
    },
    { additionalProperties: false },
  ),
]);

export const FieldMappingSchema = Type.Object(
  {
    event_type: Type.Optional(MappingEntry),
    entity_type: Type.Optional(MappingEntry),
    entity_id: Type.Optional(MappingEntry),
    occurred_at: Type.Optional(MappingEntry),
    sequence: Type.Optional(MappingEntry),
    agent_id: Type.Optional(MappingEntry),
    correlation_key: Type.Optional(MappingEntry),
  },
  {
    additionalProperties: false,
    title: 'FieldMapping',
    description: "JSON paths per canonical field, applied over the kind's default mapping (docs/ingestion.md)",
  },
);

const SigningInput = Type.Object(
  {
    tolerance_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400, description: 'replay window (default 300)' })),
    options: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'per-kind options, validated against the kind (docs/ingestion.md)' })),
  },
  { additionalProperties: false },
);

export const Source = Type.Object(
  {
    id: Uuid,
    kind: SourceKind,
    name: Type.String(),
    description: Description,
    enabled: Type.Boolean(),
    scheme: Type.String({ description: 'signature scheme verified for this kind' }),
    ingest_path: Type.String({ description: 'where this source delivers its webhooks' }),
    signing: Type.Object({
      tolerance_seconds: Type.Integer(),
      options: Type.Object({}, { additionalProperties: true }),
    }),
    mapping: FieldMappingSchema,
    secret: Type.Object({
      rotated_at: Type.Union([Timestamp, Type.Null()]),
      previous_valid_until: Type.Union([Timestamp, Type.Null()], {
        description: 'the previous secret still verifies until then (rotation overlap); null when none does',
      }),
    }),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: 'Source' },
);
export type Source = Static<typeof Source>;

/** The one answer that may carry a secret: one ORCA generated, shown once (like a new API key). */
export const SourceWithGeneratedSecret = Type.Object(
  {
    ...Source.properties,
    generated_secret: Type.Optional(Type.String({ description: 'present only when ORCA generated the secret: shown this once, never again' })),
  },
  { title: 'SourceWithGeneratedSecret' },
);
export type SourceWithGeneratedSecret = Static<typeof SourceWithGeneratedSecret>;

export const CreateSourceBody = Type.Object(
  {
    kind: SourceKind,
    name: Name,
    description: Type.Optional(Description),
    enabled: Type.Optional(Type.Boolean()),
    secret: Type.Optional(Secret),
    signing: Type.Optional(SigningInput),
    mapping: Type.Optional(FieldMappingSchema),
  },
  { additionalProperties: false, title: 'CreateSourceRequest' },
);
export type CreateSourceInput = Static<typeof CreateSourceBody>;

export const UpdateSourceBody = Type.Object(
  {
    name: Type.Optional(Name),
    description: Type.Optional(Description),
    enabled: Type.Optional(Type.Boolean()),
    signing: Type.Optional(SigningInput),
    mapping: Type.Optional(FieldMappingSchema),
  },
  { additionalProperties: false, title: 'UpdateSourceRequest', description: 'The secret changes only through rotate-secret.' },
);
export type UpdateSourceInput = Static<typeof UpdateSourceBody>;

export const RotateSecretBody = Type.Object(
  {
    secret: Type.Optional(Secret),
    overlap: Type.Optional(
      Type.String({
        pattern: '^\\d{1,9}(ms|s|m|h|d)$',
        description: 'how long the previous secret keeps verifying (default 24h, at most 30d; 0s ends it at once)',
      }),
    ),
  },
  { additionalProperties: false, title: 'RotateSecretRequest' },
);
export type RotateSecretInput = Static<typeof RotateSecretBody>;

export const ListSourcesQuery = Type.Object(
  {
    kind: Type.Optional(SourceKind),
    enabled: Type.Optional(Type.Boolean()),
    ...PaginationQuery,
  },
  { additionalProperties: false },
);
export type ListSourcesQuery = Static<typeof ListSourcesQuery>;

export const SourcePage = Page(Source, 'SourcePage');
