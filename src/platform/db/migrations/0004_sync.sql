-- Sync contracts and the analyzer (SPEC §3 sync contract / sync gap, §5). docs/sync.md describes the model.

-- Every version of the contracts document is kept; the active one is the highest version.
create table sync_contract_version (
  version integer primary key,
  document jsonb not null,
  format text not null check (format in ('yaml', 'json')),
  created_by text not null,
  correlation_id text,
  created_at timestamptz not null default now()
);

-- The analyzer's memory of each stream: when it last spoke (received_at of its latest event).
create table sync_stream_state (
  contract text not null,
  stream text not null,
  last_event_at timestamptz,
  last_occurred_at timestamptz,
  events bigint not null default 0,
  updated_at timestamptz not null default now(),
  primary key (contract, stream)
);

-- Per-entity memory of order-, uniqueness- and agreement-rules (highest sequence or lifecycle stage seen,
-- first event of a unique type, each side's agreed value, a follow-up seen before its trigger).
create table sync_entity_state (
  contract text not null,
  rule text not null,
  key text not null,
  state jsonb not null,
  updated_at timestamptz not null default now(),
  primary key (contract, rule, key)
);

-- Follow-ups awaited: one row per triggering event; the sweep opens a missing_record gap once open_at passes.
create table sync_followup (
  id uuid primary key,
  contract text not null,
  rule text not null,
  key text not null,
  trigger_event_id uuid not null,
  trigger_at timestamptz not null,
  open_at timestamptz not null,
  due_at timestamptz not null,
  satisfied_at timestamptz,
  satisfied_by uuid,
  gap_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create unique index sync_followup_trigger_key on sync_followup (contract, rule, key, trigger_event_id);
create index sync_followup_pending_idx on sync_followup (open_at) where satisfied_at is null and gap_id is null;
create index sync_followup_key_idx on sync_followup (contract, rule, key) where satisfied_at is null;

create table sync_gap (
  id uuid primary key,
  type text not null check (type in ('stale', 'missing_record', 'out_of_order', 'duplicate', 'field_drift')),
  severity text not null check (severity in ('low', 'medium', 'high', 'critical')),
  contract text,
  stream text,
  rule text not null,
  entity_type text,
  entity_id text,
  agent_id uuid,
  detected_at timestamptz not null,
  due_at timestamptz,
  resolved_at timestamptz,
  resolution text check (resolution in ('auto', 'manual')),
  resolved_by text,
  resolution_reason text,
  risk_kind text,
  cost_usd numeric not null default 0,
  detail jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- At most one open gap per (type, contract, rule, entity): re-analysing the same events never opens a second one.
create unique index sync_gap_open_key on sync_gap (type, coalesce(contract, ''), rule, coalesce(entity_id, ''))
  where resolved_at is null;
create index sync_gap_open_counts_idx on sync_gap (type, severity) where resolved_at is null;
create index sync_gap_agent_idx on sync_gap (agent_id, id);
create index sync_gap_contract_idx on sync_gap (contract, id);
create index sync_gap_entity_idx on sync_gap (entity_id, id);
