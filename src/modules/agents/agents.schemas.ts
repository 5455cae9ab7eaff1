import { Type, type Static } from '@sinclair/typebox';
import { literalUnion, Page, PaginationQuery, Timestamp, Uuid } from '../../platform/http/schemas.js';
import { AGENT_STATUSES, LIFECYCLE_ACTIONS } from './lifecycle.js';

export const AGENT_KINDS = ['mcp_server', 'llm_agent', 'workflow', 'pipeline', 'function'] as const;
export const AGENT_SOURCES = ['manual', 'mcp', 'n8n', 'zapier', 'make', 'airflow', 'lambda'] as const;
export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted', 'critical'] as const;

export const AgentKind = literalUnion(AGENT_KINDS, { title: 'AgentKind' });
export const AgentSource = literalUnion(AGENT_SOURCES, { title: 'AgentSource', description: 'where the agent was registered from' });
export const AgentStatus = literalUnion(AGENT_STATUSES, { title: 'AgentStatus', description: 'lifecycle state (docs/agents.md)' });
export const Classification = literalUnion(CLASSIFICATIONS, { title: 'Classification', description: 'highest data classification the agent may touch' });
export const LifecycleAction = literalUnion(LIFECYCLE_ACTIONS);

const ShortText = (maxLength = 200) => Type.String({ minLength: 1, maxLength });
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const Tag = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._:/-]*$' });
const JsonObject = Type.Object({}, { additionalProperties: true, description: 'free-form JSON object' });

const SchemaObject = (description: string) => Type.Object({}, { additionalProperties: true, description });

/**
 * A tool as a client gives it: ORCA's own snake_case form, or an MCP `Tool` object exactly as a server lists it
 * (`inputSchema`, `outputSchema`, `title`, `annotations`, `icons`, `execution`, `_meta`). Schemas are kept as hashes.
 */
const ToolInput = Type.Object(
  {
    name: ShortText(200),
    title: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    description: Type.Optional(Nullable(Type.String({ maxLength: 65_536 }))),
    input_schema: Type.Optional(SchemaObject('JSON Schema of the tool input; only its hash is kept')),
    inputSchema: Type.Optional(SchemaObject('the MCP spelling of input_schema')),
    input_schema_hash: Type.Optional(Type.String({ pattern: '^[a-f0-9]{64}$' })),
    output_schema: Type.Optional(SchemaObject('JSON Schema of the tool output (MCP outputSchema); only its hash is kept')),
    outputSchema: Type.Optional(SchemaObject('the MCP spelling of output_schema')),
    annotations: Type.Optional(SchemaObject('MCP tool annotations (readOnlyHint, destructiveHint, idempotentHint, openWorldHint, title), kept as given')),
    icons: Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }), { maxItems: 20, description: 'MCP icons: accepted, not kept' })),
    execution: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'MCP execution hints: accepted, not kept' })),
    _meta: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'MCP _meta: accepted, not kept' })),
  },
  { additionalProperties: false, title: 'ToolInput' },
);

export const AgentIdentity = Type.Object(
  {
    id: Uuid,
    source_kind: AgentSource,
    discovery_source_id: Type.Union([Uuid, Type.Null()], { description: 'the discovery source that sees it; null for an identity registered by hand' }),
    external_id: Type.String({ description: "the source's own id for it (a workflow id, a function ARN, a server URL)" }),
    link: literalUnion(['discovered', 'adopted', 'rule', 'manual'] as const, {
      description: 'discovered (new), adopted (an agent with its external id existed), rule (linked by a linking rule), manual (merged by hand)',
    }),
    merged_from: Type.Union([Uuid, Type.Null()], { description: 'the agent it came with when merged (rule or by hand): POST /agents/{id}/unmerge gives it back' }),
    first_seen_at: Timestamp,
    missing_since: Type.Union([Timestamp, Type.Null()]),
  },
  { title: 'AgentIdentity' },
);
export type AgentIdentity = Static<typeof AgentIdentity>;

export const Tool = Type.Object(
  {
    name: Type.String(),
    title: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    description: Type.Union([Type.String(), Type.Null()]),
    input_schema_hash: Type.Union([Type.String(), Type.Null()], { description: 'sha256 of the canonical JSON Schema of its input' }),
    output_schema_hash: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'sha256 of the canonical JSON Schema of its output, when it declares one' })),
    annotations: Type.Optional(Type.Union([JsonObject, Type.Null()])),
  },
  { title: 'Tool' },
);

export const Agent = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    kind: AgentKind,
    source: AgentSource,
    external_id: Type.Union([Type.String(), Type.Null()]),
    owner: Type.Union([Type.String(), Type.Null()]),
    vendor: Type.Union([Type.String(), Type.Null()]),
    model: Type.Union([Type.String(), Type.Null()]),
    version: Type.Union([Type.String(), Type.Null()]),
    description: Type.Union([Type.String(), Type.Null()]),
    prompt: Type.Union([Type.String(), Type.Null()]),
    config: JsonObject,
    tools: Type.Array(Tool),
    fingerprint: Type.String({ description: 'sha256 of the canonical definition (tools, prompt, model, config)' }),
    status: AgentStatus,
    status_reason: Type.Union([Type.String(), Type.Null()]),
    classification: Classification,
    role: Type.Union([Type.String(), Type.Null()]),
    targets: Type.Array(Type.String()),
    tags: Type.Array(Type.String()),
    metadata: JsonObject,
    identities: Type.Optional(
      Type.Array(AgentIdentity, {
        description: 'what each source calls this agent (GET /agents/{id} only, when it has any): one per discovery source, and those merged in (docs/discovery.md "Merging")',
      }),
    ),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: 'Agent' },
);
export type Agent = Static<typeof Agent>;

const definitionFields = {
  external_id: ShortText(500),
  owner: ShortText(200),
  vendor: ShortText(200),
  model: ShortText(200),
  version: ShortText(100),
  description: Type.String({ maxLength: 4000 }),
  prompt: Type.String({ maxLength: 200_000 }),
  role: ShortText(100),
};

export const CreateAgentBody = Type.Object(
  {
    name: ShortText(200),
    kind: AgentKind,
    source: Type.Optional(AgentSource),
    status: Type.Optional(literalUnion(['active', 'quarantined'] as const, { description: 'initial status (default active)' })),
    classification: Type.Optional(Classification),
    config: Type.Optional(JsonObject),
    tools: Type.Optional(Type.Array(ToolInput, { maxItems: 500 })),
    targets: Type.Optional(Type.Array(ShortText(200), { maxItems: 100, uniqueItems: true })),
    tags: Type.Optional(Type.Array(Tag, { maxItems: 50, uniqueItems: true })),
    metadata: Type.Optional(JsonObject),
    ...Object.fromEntries(Object.entries(definitionFields).map(([key, schema]) => [key, Type.Optional(Nullable(schema))])),
  } as const,
  { additionalProperties: false, title: 'CreateAgentRequest' },
);

export interface ToolInputValue {
  name: string;
  title?: string | null;
  description?: string | null;
  input_schema?: Record<string, unknown>;
  inputSchema?: Record<string, unknown>;
  input_schema_hash?: string;
  output_schema?: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

export interface CreateAgentInput {
  name: string;
  kind: (typeof AGENT_KINDS)[number];
  source?: (typeof AGENT_SOURCES)[number];
  status?: 'active' | 'quarantined';
  classification?: (typeof CLASSIFICATIONS)[number];
  config?: Record<string, unknown>;
  tools?: ToolInputValue[];
  targets?: string[];
  tags?: string[];
  metadata?: Record<string, unknown>;
  external_id?: string | null;
  owner?: string | null;
  vendor?: string | null;
  model?: string | null;
  version?: string | null;
  description?: string | null;
  prompt?: string | null;
  role?: string | null;
}

export const UpdateAgentBody = Type.Object(
  {
    name: Type.Optional(ShortText(200)),
    kind: Type.Optional(AgentKind),
    classification: Type.Optional(Classification),
    config: Type.Optional(JsonObject),
    tools: Type.Optional(Type.Array(ToolInput, { maxItems: 500 })),
    targets: Type.Optional(Type.Array(ShortText(200), { maxItems: 100, uniqueItems: true })),
    tags: Type.Optional(Type.Array(Tag, { maxItems: 50, uniqueItems: true })),
    metadata: Type.Optional(JsonObject),
    ...Object.fromEntries(Object.entries(definitionFields).map(([key, schema]) => [key, Type.Optional(Nullable(schema))])),
  } as const,
  { additionalProperties: false, minProperties: 1, title: 'UpdateAgentRequest' },
);

export type UpdateAgentInput = Partial<Omit<CreateAgentInput, 'source' | 'status'>>;

export const ListAgentsQuery = Type.Object(
  {
    status: Type.Optional(AgentStatus),
    kind: Type.Optional(AgentKind),
    source: Type.Optional(AgentSource),
    owner: Type.Optional(ShortText(200)),
    tag: Type.Optional(Tag),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'case-insensitive substring of the name' })),
    ...PaginationQuery,
  },
  { additionalProperties: false },
);
export type ListAgentsQuery = Static<typeof ListAgentsQuery>;

export const AgentPage = Page(Agent, 'AgentPage');

export const TransitionBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 1000, description: 'why; kept in the agent history' }) },
  { additionalProperties: false, title: 'TransitionRequest' },
);

export const RetireQuery = Type.Object(
  { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })) },
  { additionalProperties: false },
);

export const AgentEvent = Type.Object(
  {
    id: Uuid,
    agent_id: Uuid,
    action: Type.String({ description: 'register, a lifecycle action, definition_changed, or a move made by discovery (discovered, review, missing, reappeared, tool_poisoning)' }),
    from_status: Type.Union([AgentStatus, Type.Null()]),
    to_status: AgentStatus,
    reason: Type.Union([Type.String(), Type.Null()]),
    actor: Type.String(),
    fingerprint: Type.Union([Type.String(), Type.Null()]),
    correlation_id: Type.Union([Type.String(), Type.Null()]),
    changes: Type.Optional(
      Type.Union([Type.Array(Type.Object({}, { additionalProperties: true })), Type.Null()], {
        description: 'what changed, for a definition change found by discovery: [{change, tool?, from?, to?}] (docs/discovery.md)',
      }),
    ),
    at: Timestamp,
  },
  { title: 'AgentEvent' },
);
export type AgentEvent = Static<typeof AgentEvent>;

export const HistoryQuery = Type.Object({ ...PaginationQuery }, { additionalProperties: false });
export const AgentEventPage = Page(AgentEvent, 'AgentEventPage');
