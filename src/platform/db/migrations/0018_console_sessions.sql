-- Sessions of the web console (docs/console.md): an API key posted once to POST /api/v1/session is exchanged for a
-- random session token in an HttpOnly cookie. Only the SHA-256 of the token is stored, like keys: a copy of this
-- table does not let anyone in. The session acts with its key's id and role; the key being revoked or expiring ends
-- it too (checked on every request, not copied here). csrf_token is the synchronizer token every write made with the
-- session must echo in X-CSRF-Token: not a credential by itself (useless without the cookie), so kept as is.
create table console_session (
  id uuid primary key,
  token_hash text not null,
  key_id uuid not null references api_key (id),
  csrf_token text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz
);

create unique index console_session_token_hash_key on console_session (token_hash);
create index console_session_key_id_idx on console_session (key_id);
-- The purge job deletes sessions some time after they ended.
create index console_session_expires_at_idx on console_session (expires_at);
