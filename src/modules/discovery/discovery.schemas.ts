import { Type, type Static } from '@sinclair/typebox';
import { literalUnion, Page, PaginationQuery, Timestamp, Uuid } from '../../platform/http/schemas.js';
import { DISCOVERY_SOURCE_KINDS } from './connectors/types.js';

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'partial', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const RUN_TRIGGERS = ['api', 'schedule', 'cli'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];
export const FINDING_KINDS = ['tool_poisoning', 'rug_pull'] as const;

export const DiscoverySourceKind = literalUnion(DISCOVERY_SOURCE_KINDS, { title: 'DiscoverySourceKind', description: 'the system discovered from (docs/discovery.md)' });
export const RunStatus = literalUnion(RUN_STATUSES, { title: 'DiscoveryRunStatus' });

const Name = Type.String({ minLength: 1, maxLength: 200 });
const Config = Type.Object({}, { additionalProperties: true, description: "the kind's settings (docs/discovery.md): URL, transport, region …" });
const Credentials = Type.Object({}, { additionalProperties: true, description: "the kind's credentials (docs/discovery.md); write-only: stored encrypted, never returned" });
const Schedule = Type.Union([Type.String({ pattern: '^[1-9]\\d{0,5}(m|h|d)$', description: 'run every interval, e.g. 15m, 6h, 1d (at least 1m)' }), Type.Null()], {
  description: 'null: runs on request only',
});

export const DiscoverySource = Type.Object(
  {
    id: Uuid,
    kind: DiscoverySourceKind,
    name: Type.String(),
    config: Config,
    credentials: Type.Object({
      set: Type.Boolean({ description: 'whether credentials are stored (they are never returned)' }),
      set_at: Type.Union([Timestamp, Type.Null()]),
    }),
    schedule: Type.Union([Type.String(), Type.Null()]),
    enabled: Type.Boolean(),
    last_run: Type.Union([
      Type.Object({ id: Uuid, status: RunStatus, created_at: Timestamp, finished_at: Type.Union([Timestamp, Type.Null()]) }),
      Type.Null(),
    ]),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: 'DiscoverySource' },
);
export type DiscoverySource = Static<typeof DiscoverySource>;

export const CreateDiscoverySourceBody = Type.Object(
  {
    kind: DiscoverySourceKind,
    name: Name,
    config: Config,
    credentials: Type.Optional(Credentials),
    schedule: Type.Optional(Schedule),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, title: 'CreateDiscoverySourceRequest' },
);
export type CreateDiscoverySourceInput = Static<typeof CreateDiscoverySourceBody>;

export const UpdateDiscoverySourceBody = Type.Object(
  {
    name: Type.Optional(Name),
    config: Type.Optional(Config),
    credentials: Type.Optional(Type.Union([Credentials, Type.Null()], { description: 'replaces the stored credentials whole; null removes them' })),
    schedule: Type.Optional(Schedule),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1, title: 'UpdateDiscoverySourceRequest' },
);
export type UpdateDiscoverySourceInput = Static<typeof UpdateDiscoverySourceBody>;

export const ListDiscoverySourcesQuery = Type.Object(
  { kind: Type.Optional(DiscoverySourceKind), enabled: Type.Optional(Type.Boolean()), ...PaginationQuery },
  { additionalProperties: false },
);
export type ListDiscoverySourcesQuery = Static<typeof ListDiscoverySourcesQuery>;
export const DiscoverySourcePage = Page(DiscoverySource, 'DiscoverySourcePage');

export const RunError = Type.Object(
  {
    code: Type.String({ description: 'unauthorized, rate_limited, timeout, unreachable, malformed_response, too_many_tools … (docs/discovery.md)' }),
    message: Type.String(),
    external_id: Type.Optional(Type.String({ description: 'the agent the error is about, when it is about one' })),
  },
  { title: 'DiscoveryRunError' },
);

export const DiscoveryRun = Type.Object(
  {
    id: Uuid,
    source_id: Uuid,
    status: RunStatus,
    trigger: literalUnion(RUN_TRIGGERS),
    requested_by: Type.String({ description: 'the API key id, "schedule" or "cli"' }),
    found: Type.Integer({ description: 'agents the source listed' }),
    new: Type.Integer({ description: 'registered by this run (quarantined)' }),
    linked: Type.Integer({ description: 'first listed by this source, joined by a linking rule to an agent another source or a person registered (no new agent)' }),
    changed: Type.Integer({ description: 'listed with another fingerprint than before' }),
    unchanged: Type.Integer(),
    missing: Type.Integer({ description: 'known from this source, no longer listed (only counted when the listing was complete)' }),
    errors: Type.Array(RunError),
    attempts: Type.Integer(),
    correlation_id: Type.Union([Type.String(), Type.Null()]),
    created_at: Timestamp,
    started_at: Type.Union([Timestamp, Type.Null()]),
    finished_at: Type.Union([Timestamp, Type.Null()]),
  },
  { title: 'DiscoveryRun' },
);
export type DiscoveryRun = Static<typeof DiscoveryRun>;

export const CreateRunBody = Type.Object({ source_id: Uuid }, { additionalProperties: false, title: 'CreateDiscoveryRunRequest' });

export const ListRunsQuery = Type.Object(
  { source_id: Type.Optional(Uuid), status: Type.Optional(RunStatus), ...PaginationQuery },
  { additionalProperties: false },
);
export type ListRunsQuery = Static<typeof ListRunsQuery>;
export const DiscoveryRunPage = Page(DiscoveryRun, 'DiscoveryRunPage');

export const DiscoveryFinding = Type.Object(
  {
    id: Uuid,
    agent_id: Uuid,
    source_id: Uuid,
    run_id: Uuid,
    kind: literalUnion(FINDING_KINDS, { description: 'tool_poisoning: the description reads as a prompt injection; rug_pull: it changed after approval' }),
    tool: Type.String(),
    detail: Type.String(),
    score: Type.Union([Type.Number(), Type.Null()], { description: "the injection detector's score (tool_poisoning)" }),
    signals: Type.Array(Type.String()),
    detected_at: Timestamp,
  },
  { title: 'DiscoveryFinding' },
);
export type DiscoveryFinding = Static<typeof DiscoveryFinding>;

export const ListFindingsQuery = Type.Object(
  { agent_id: Type.Optional(Uuid), source_id: Type.Optional(Uuid), kind: Type.Optional(literalUnion(FINDING_KINDS)), ...PaginationQuery },
  { additionalProperties: false },
);
export type ListFindingsQuery = Static<typeof ListFindingsQuery>;
export const DiscoveryFindingPage = Page(DiscoveryFinding, 'DiscoveryFindingPage');

const uuidShape = { format: Uuid.format, pattern: Uuid.pattern };

export const MergeAgentBody = Type.Object(
  {
    into: Type.String({ ...uuidShape, description: 'the surviving agent: it takes this agent\'s identities, history, decisions, runs and trust' }),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'why (kept in the history and the audit log)' })),
  },
  { additionalProperties: false, title: 'MergeAgentRequest' },
);
export const UnmergeAgentBody = Type.Object(
  {
    identity: Type.String({ ...uuidShape, description: 'an identity of this agent that a merge brought (merged_from is set)' }),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'why (kept in the history and the audit log)' })),
  },
  { additionalProperties: false, title: 'UnmergeAgentRequest' },
);
