-- Ingestion (SPEC §3 source, event, run; §5).

-- A connected business system or automation platform. Secrets are write-only: only AES-256-GCM ciphertext is
-- stored (key: ORCA_SECRET_KEY or ORCA_DATA_DIR/secret.key), never returned by the API. During a rotation the
-- previous secret keeps verifying until previous_secret_expires_at. Deletion is soft (deleted_at).
create table source (
  id uuid primary key,
  kind text not null check (kind in ('hubspot', 'salesforce', 'dynamics365', 'servicenow', 'sap', 'oracle_erp',
                                     'zapier', 'n8n', 'make', 'generic', 'cloudevents')),
  name text not null,
  description text,
  enabled boolean not null default true,
  signing_options jsonb not null default '{}'::jsonb,
  tolerance_seconds integer not null default 300 check (tolerance_seconds between 1 and 86400),
  mapping jsonb not null default '{}'::jsonb,
  secret_ciphertext text not null,
  previous_secret_ciphertext text,
  previous_secret_expires_at timestamptz,
  secret_rotated_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz
);

create unique index source_name_key on source (name) where deleted_at is null;
create index source_kind_idx on source (kind, id) where deleted_at is null;

-- Canonical events, append-only. id is a UUIDv7 taken when the event is received, so ordering by id is ordering
-- by arrival (stable keyset pagination). payload_hash (sha256 of the canonical JSON payload) tells a replay of
-- the same delivery from a different payload under the same idempotency key.
create table event (
  id uuid primary key,
  source_id uuid not null references source (id),
  external_event_id text,
  idempotency_key text not null,
  payload_hash text not null,
  event_type text not null,
  entity_type text not null,
  entity_id text not null,
  occurred_at timestamptz not null,
  received_at timestamptz not null,
  sequence bigint,
  agent_id uuid,
  correlation_id text,
  payload jsonb not null
);

-- Every index costs each insert (ingestion is the hot write path): only the ones the readers need. GET /events pages
-- by id within a source; the analyzer and the entity filter read by entity; windows (KPIs) by received_at; per-agent
-- views by agent. Filters on event_type or occurred_at alone are applied while scanning these.
create unique index event_source_idempotency_key on event (source_id, idempotency_key);
create index event_source_idx on event (source_id, id);
create index event_entity_idx on event (entity_type, entity_id, occurred_at);
create index event_received_at_idx on event (received_at);
create index event_agent_idx on event (agent_id, occurred_at) where agent_id is not null;

-- Agent run telemetry (SPEC §3 run), read by trust (reliability) and KPIs.
create table run (
  id uuid primary key,
  agent_id uuid not null references agent (id),
  started_at timestamptz not null,
  duration_ms integer not null check (duration_ms >= 0),
  outcome text not null check (outcome in ('success', 'error', 'timeout')),
  error_kind text,
  tokens_in integer not null default 0 check (tokens_in >= 0),
  tokens_out integer not null default 0 check (tokens_out >= 0),
  cost_usd numeric not null default 0 check (cost_usd >= 0),
  correlation_id text,
  received_at timestamptz not null
);

create index run_agent_started_idx on run (agent_id, started_at);
create index run_started_idx on run (started_at);
