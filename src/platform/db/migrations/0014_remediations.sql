-- Self-healing (docs/self-healing.md): one remediation per gap and step of its rule's remediation policy, with its
-- attempts and outcome. Times that windows and deadlines compare (created_at, next_attempt_at, verify_until …) come
-- from ORCA's clock, not the database's, like the gaps they belong to.
create table remediation (
  id uuid primary key,
  gap_id uuid not null references sync_gap (id),
  gap_type text not null,
  contract text,
  rule text not null,
  entity_id text,
  -- The gap's owner agent: the one quarantine_agent and suspend_agent act on.
  agent_id uuid,
  action text not null check (action in ('resync_request', 'retry_delivery', 'notify', 'open_incident', 'quarantine_agent', 'suspend_agent')),
  -- The step's index in the policy list it came from: a gap has at most one remediation per step.
  position integer not null,
  receiver text,
  -- pending: waiting for its attempt (due at next_attempt_at); acting: an attempt is running; verifying: the action
  -- was carried out and the gap has until verify_until to close. The other four are outcomes, final.
  status text not null check (status in ('pending', 'acting', 'verifying', 'healed', 'failed', 'gave_up', 'skipped')),
  attempts integer not null default 0,
  max_attempts integer not null check (max_attempts between 1 and 10),
  verify_within_ms bigint not null,
  next_attempt_at timestamptz,
  -- The attempt a job was last sent for, and when: the scheduler sends one job per attempt, and sends it again only
  -- when that job was lost.
  dispatched_attempt integer not null default 0,
  dispatched_at timestamptz,
  verify_until timestamptz,
  last_attempt_at timestamptz,
  finished_at timestamptz,
  healed_at timestamptz,
  -- Why it was skipped or failed, in words; last_error: the last attempt's error.
  reason text,
  last_error text,
  -- What the last attempt did: the HTTP status, the incident opened, the deliveries retried …
  result jsonb not null default '{}'::jsonb,
  correlation_id text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (gap_id, position)
);

-- The scheduler's work: open remediations by state and due time.
create index remediation_open_idx on remediation (status, next_attempt_at) where status in ('pending', 'acting', 'verifying');
create index remediation_gap_idx on remediation (gap_id);
create index remediation_agent_idx on remediation (agent_id, id);
create index remediation_status_idx on remediation (status, id);
create index remediation_created_idx on remediation (created_at);
