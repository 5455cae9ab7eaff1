-- Alert receivers and the deliveries made to them (docs/receivers.md).

-- Where notifications go. The URL, signing secret, token and extra header values may each carry a credential (a
-- Slack webhook's path is its secret), so they are stored sealed with the secret box (the row id as additional
-- data); url_display is what responses show: the credential-bearing parts redacted.
create table receiver (
  id uuid primary key,
  name text not null,
  kind text not null check (kind in ('alertmanager', 'slack', 'webhook')),
  url_ciphertext text not null,
  url_display text not null,
  secret_ciphertext text,
  token_ciphertext text,
  headers_ciphertext text,
  header_names jsonb not null default '[]',
  -- 'config': kept by ALERTMANAGER_URL / ALERT_WEBHOOK_URL at start-up; 'api': made through the API.
  origin text not null default 'api' check (origin in ('api', 'config')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz
);

-- Names are how routing trees name receivers: unique among live ones; a deleted name may be reused.
create unique index receiver_name_key on receiver (name) where deleted_at is null;

-- One notification to one receiver, sent by a durable job. dispatch_id names the job allowed to send it now: a
-- manual retry issues a new one, so an older job still queued finds another id and stands down.
create table delivery (
  id uuid primary key,
  notification_id text not null,
  notification_kind text not null check (notification_kind in ('alert', 'test')),
  notification jsonb not null,
  receiver_id uuid not null references receiver (id),
  status text not null default 'pending' check (status in ('pending', 'delivered', 'failed', 'dead_lettered')),
  attempts integer not null default 0,
  last_error text,
  last_status integer,
  dispatch_id uuid not null,
  correlation_id text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_attempt_at timestamptz,
  delivered_at timestamptz,
  dead_lettered_at timestamptz
);

create index delivery_status_idx on delivery (status, id);
create index delivery_receiver_idx on delivery (receiver_id, id);
