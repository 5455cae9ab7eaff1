-- Discovery (docs/discovery.md): the systems ORCA lists agents from, the runs that list them, the identities that map
-- what a system calls a thing to one agent, and what a run found suspicious in an agent's tools.

-- Two statuses join the lifecycle: `needs_review` (an approved agent whose definition changed since) and `missing`
-- (discovery no longer finds it; never deleted).
alter table agent drop constraint agent_status_check;
alter table agent add constraint agent_status_check
  check (status in ('active', 'suspended', 'quarantined', 'retired', 'needs_review', 'missing'));

-- What changed, for a definition change found by discovery: [{change, tool?, from?, to?}] (docs/discovery.md).
alter table agent_event add column changes jsonb;

-- A system to discover from. Credentials are write-only: sealed with the secret box (the row id as additional
-- data) and never returned. `schedule` is an interval (e.g. 1h) or null for runs on request only.
create table discovery_source (
  id uuid primary key,
  kind text not null check (kind in ('mcp', 'n8n', 'make', 'airflow', 'lambda')),
  name text not null,
  config jsonb not null,
  credentials_ciphertext text,
  credentials_set_at timestamptz,
  schedule text,
  schedule_ms bigint,
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz
);

create unique index discovery_source_name_key on discovery_source (name) where deleted_at is null;

-- One listing of one source. Counts are what the run found: new, changed (fingerprint differs), unchanged, missing
-- (known before, not found now); errors are [{code, message, external_id?}] with credentials redacted.
create table discovery_run (
  id uuid primary key,
  source_id uuid not null references discovery_source (id),
  status text not null check (status in ('queued', 'running', 'succeeded', 'partial', 'failed')),
  trigger text not null check (trigger in ('api', 'schedule', 'cli')),
  requested_by text not null,
  found integer not null default 0,
  new integer not null default 0,
  changed integer not null default 0,
  unchanged integer not null default 0,
  missing integer not null default 0,
  errors jsonb not null default '[]'::jsonb,
  attempts integer not null default 0,
  correlation_id text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);

-- One run in flight per source: a second request while one is queued or running is refused (409).
create unique index discovery_run_active_key on discovery_run (source_id) where status in ('queued', 'running');
create index discovery_run_source_idx on discovery_run (source_id, id);
create index discovery_run_status_idx on discovery_run (status, id);

-- The same external thing maps to the same agent across runs: one identity per (discovery source, external id).
-- An agent may carry several identities (seen by several sources); agent_id may move when identities are merged,
-- and previous_agent_id keeps where it was so that a merge can be undone. Identities registered by hand (no
-- discovery source) are unique per (source kind, external id).
create table agent_identities (
  id uuid primary key,
  agent_id uuid not null references agent (id),
  source_kind text not null check (source_kind in ('manual', 'mcp', 'n8n', 'zapier', 'make', 'airflow', 'lambda')),
  discovery_source_id uuid references discovery_source (id),
  external_id text not null,
  -- how the identity came to this agent: found new by discovery, adopted (an agent with this source and external
  -- id already existed), or linked by a rule or by hand (merges).
  link text not null default 'discovered' check (link in ('discovered', 'adopted', 'rule', 'manual')),
  previous_agent_id uuid references agent (id),
  -- the definition fingerprint and the hash of everything else last seen through this identity: a run that sees
  -- both unchanged writes nothing.
  fingerprint text,
  observed_hash text,
  first_seen_at timestamptz not null default now(),
  missing_since timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create unique index agent_identities_source_external_key on agent_identities (discovery_source_id, external_id) where discovery_source_id is not null;
create unique index agent_identities_kind_external_key on agent_identities (source_kind, external_id) where discovery_source_id is null;
create index agent_identities_agent_idx on agent_identities (agent_id);

-- Suspicious tool definitions: a description the prompt-injection detector flags (tool_poisoning), or a tool
-- description that changed after the agent was approved (rug_pull). Kept; an approval after detected_at
-- acknowledges it.
create table discovery_finding (
  id uuid primary key,
  agent_id uuid not null references agent (id),
  source_id uuid not null references discovery_source (id),
  run_id uuid not null references discovery_run (id),
  kind text not null check (kind in ('tool_poisoning', 'rug_pull')),
  tool text not null,
  detail text not null,
  score double precision,
  signals text[] not null default '{}',
  detected_at timestamptz not null default now()
);

create index discovery_finding_agent_idx on discovery_finding (agent_id, id);
