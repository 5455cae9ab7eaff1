-- API keys (SPEC §3 api_key, §9). Only a SHA-256 of the key is stored; `prefix` is the public, indexed part
-- of `orca_<prefix>_<secret>` shown in listings. Keys bootstrapped from API_KEYS have origin 'env'.
create table api_key (
  id uuid primary key,
  name text not null,
  prefix text not null,
  hash text not null,
  role text not null check (role in ('admin', 'operator', 'viewer', 'ingest')),
  origin text not null default 'api' check (origin in ('api', 'cli', 'bootstrap', 'env')),
  created_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz
);

create unique index api_key_prefix_key on api_key (prefix);
create unique index api_key_hash_key on api_key (hash);
create unique index api_key_env_name_key on api_key (name) where origin = 'env';

-- Append-only audit log with a SHA-256 hash chain: hash = sha256(prev_hash || canonical entry).
-- Appends take an advisory lock so that the chain has one head even with several replicas.
create table audit_entry (
  seq bigint primary key,
  at timestamptz not null,
  actor text not null,
  action text not null,
  target text not null,
  before jsonb,
  after jsonb,
  correlation_id text,
  prev_hash text not null,
  hash text not null
);
