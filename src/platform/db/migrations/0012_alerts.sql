-- Alerts (docs/alerts.md): the versioned alert-rules document, the alerts its rules raise, silences, the state of
-- each notification group (what was last sent to a receiver, and when), and the signals ORCA keeps nowhere else.

create table alert_rules (
  id uuid primary key,
  version integer not null unique,
  document jsonb not null,
  source text not null,
  format text not null check (format in ('yaml', 'json')),
  created_by text not null,
  active boolean not null default false,
  created_at timestamptz not null default now()
);

create unique index alert_rules_one_active on alert_rules (active) where active;

-- One row per fingerprint (a hash of the rule's name and the alert's labels): re-evaluating never duplicates.
-- A resolved alert that fires again starts a new episode in the same row (starts_at moves on).
create table alert (
  fingerprint text primary key,
  rule text not null,
  labels jsonb not null,
  annotations jsonb not null,
  status text not null check (status in ('pending', 'firing', 'resolved')),
  active_since timestamptz not null,
  starts_at timestamptz,
  ends_at timestamptz,
  last_evaluated_at timestamptz not null,
  value double precision,
  correlation_id text,
  updated_at timestamptz not null default now()
);

create index alert_status_idx on alert (status, fingerprint);

create table alert_silence (
  id uuid primary key,
  matchers jsonb not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  comment text not null,
  created_by text not null,
  created_at timestamptz not null default now(),
  expired_at timestamptz,
  check (ends_at > starts_at)
);

create index alert_silence_ends_at_idx on alert_silence (ends_at);

-- A notification group: the alerts one route sends to one receiver under one set of group labels. Timers
-- (group_wait, group_interval, repeat_interval) are judged from first_seen_at and last_sent_at; what was last sent
-- (sent_state: fingerprint → status) tells whether anything changed since.
create table alert_group (
  group_key text primary key,
  receiver text not null,
  group_labels jsonb not null,
  first_seen_at timestamptz not null,
  last_sent_at timestamptz,
  sent_state jsonb not null default '{}'::jsonb,
  updated_at timestamptz not null default now()
);

-- Signals that exist nowhere else in ORCA's data: webhook signatures refused (ingest counts them but stores no row)
-- and deliveries dead-lettered (reported by the receivers module). Kept for the longest rule window, then pruned.
create table alert_signal (
  id uuid primary key,
  kind text not null check (kind in ('signature_failure', 'delivery_dead_lettered')),
  subject jsonb not null,
  at timestamptz not null,
  correlation_id text
);

create index alert_signal_kind_at_idx on alert_signal (kind, at);
