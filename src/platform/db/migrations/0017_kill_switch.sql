-- The kill switch (docs/kill-switch.md): previews of a blast radius, the activations they turned into, and what
-- each activation did to each agent, so that a release restores exactly what it stopped.

-- A preview binds a selector to the exact selection it matched (each agent id with its status) for five minutes.
-- Only the SHA-256 of its token is kept: the token itself is shown once, to whoever previewed.
create table kill_switch_preview (
  id uuid primary key,
  token_hash text not null unique,
  selector jsonb not null,
  -- [[agent id, status], …] sorted by id: what the execution must find again.
  selection jsonb not null,
  selection_hash text not null,
  agent_count integer not null check (agent_count >= 0),
  created_by text not null,
  correlation_id text,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz,
  activation_id uuid
);

create index kill_switch_preview_expires_idx on kill_switch_preview (expires_at) where used_at is null;

create table kill_switch_activation (
  id uuid primary key,
  preview_id uuid not null unique references kill_switch_preview (id),
  selector jsonb not null,
  reason text not null,
  suspended_count integer not null check (suspended_count >= 0),
  already_suspended_count integer not null check (already_suspended_count >= 0),
  activated_by text not null,
  activated_at timestamptz not null,
  correlation_id text,
  released_at timestamptz,
  released_by text,
  release_reason text,
  restored_count integer,
  skipped_count integer,
  transferred_count integer
);

create index kill_switch_activation_open_idx on kill_switch_activation (id) where released_at is null;

-- One row per agent an activation selected. outcome: 'suspended' (this activation stopped it; previous_* say from
-- what) or 'already_suspended' (it was suspended already and was left alone; it may be handed this activation's
-- hold when another activation that stopped it is released). release_outcome: 'restored', 'skipped' (its status
-- was changed by someone else meanwhile) or 'transferred' (another activation still holds it).
create table kill_switch_agent (
  activation_id uuid not null references kill_switch_activation (id),
  agent_id uuid not null references agent (id),
  outcome text not null check (outcome in ('suspended', 'already_suspended')),
  previous_status text not null,
  previous_status_reason text,
  release_outcome text check (release_outcome in ('restored', 'skipped', 'transferred')),
  release_detail text,
  primary key (activation_id, agent_id)
);

create index kill_switch_agent_agent_idx on kill_switch_agent (agent_id, activation_id);
