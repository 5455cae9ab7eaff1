-- Policy engine (SPEC §6). Every version of the policy document is kept; exactly one may be active (none active
-- means the built-in default policy, reported as version 0).
create table policy (
  id uuid primary key,
  version integer not null unique check (version > 0),
  document jsonb not null,
  -- The text as it was PUT (YAML keeps its comments), and its format.
  source text not null,
  format text not null check (format in ('yaml', 'json')),
  mode text not null check (mode in ('enforce', 'monitor')),
  created_by text not null,
  active boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create unique index policy_one_active_key on policy (active) where active;

-- The decision log. Column contract shared with trust/KPIs (they read it with SQL): keep these names.
-- `facts` holds what a replay needs (agent status/role/ceiling at the time, detector finding counts, matched
-- prompt-injection pattern names, quota usage) and NEVER the content: see docs/policies.md "Simulation".
create table decision (
  id uuid primary key,
  at timestamptz not null,
  agent_id uuid,
  action text not null,
  resource text not null,
  classification text not null,
  decision text not null check (decision in ('allow', 'deny', 'redact', 'require_approval')),
  violations jsonb not null default '[]'::jsonb,
  max_severity text check (max_severity in ('low', 'medium', 'high', 'critical')),
  compliant boolean not null,
  latency_us integer not null,
  policy_version integer not null,
  mode text not null check (mode in ('enforce', 'monitor')),
  risk_avoided_usd numeric not null default 0,
  risk_weight numeric not null default 0,
  tokens bigint not null default 0,
  cost_usd numeric not null default 0,
  correlation_id text,
  facts jsonb not null
);

create index decision_at_idx on decision (at);
create index decision_agent_at_idx on decision (agent_id, at);

-- One row per violation, for GET /violations (filters by rule, severity, agent, time; keyset on id).
create table policy_violation (
  id uuid primary key,
  decision_id uuid not null references decision (id),
  at timestamptz not null,
  agent_id uuid,
  rule text not null,
  severity text not null check (severity in ('low', 'medium', 'high', 'critical')),
  detail text not null,
  decision text not null,
  mode text not null,
  policy_version integer not null
);

create index policy_violation_at_idx on policy_violation (at);
create index policy_violation_agent_idx on policy_violation (agent_id, id);
create index policy_violation_rule_idx on policy_violation (rule, id);

-- Quota counters shared by every replica: one row per agent (one row lock, so concurrent evaluations on any
-- replica serialise on it and never deadlock), holding the current call window and the current UTC day.
-- Upserted atomically on each evaluation; a newer window resets its counter.
create table policy_quota_usage (
  agent_id uuid primary key,
  window_start timestamptz not null,
  calls bigint not null default 0,
  day_start timestamptz not null,
  tokens bigint not null default 0,
  cost_usd numeric not null default 0,
  updated_at timestamptz not null default now()
);
