-- Trust, KPIs and incidents (SPEC §3, §7). Reads run (0003), sync_gap (0004) and decision (0005) but does not
-- reference them here, so this file applies whatever order the other modules' migrations land in.

-- An incident: something that went wrong (or nearly), with its cost and how it ended. gap_id links a sync gap
-- (no foreign key: sync_gap belongs to the sync module). Open high/critical incidents raise the linked agent's
-- risk exposure (SPEC §7).
create table incident (
  id uuid primary key,
  agent_id uuid references agent (id),
  gap_id uuid,
  kind text not null,
  severity text not null check (severity in ('low', 'medium', 'high', 'critical')),
  title text,
  loss_usd numeric not null default 0 check (loss_usd >= 0),
  status text not null default 'open' check (status in ('open', 'mitigated', 'resolved')),
  resolved_by text check (resolved_by in ('auto', 'human')),
  resolution_note text,
  opened_by text not null,
  opened_at timestamptz not null,
  resolved_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((status = 'resolved') = (resolved_at is not null and resolved_by is not null))
);

create index incident_status_idx on incident (status, id);
create index incident_agent_idx on incident (agent_id, status) where agent_id is not null;
create index incident_gap_idx on incident (gap_id) where gap_id is not null and status <> 'resolved';
create index incident_resolved_at_idx on incident (resolved_at) where resolved_at is not null;

-- Trust per agent over time (one row per agent per snapshot), for trends and the trust gauges.
create table trust_snapshot (
  id uuid primary key,
  agent_id uuid not null references agent (id),
  at timestamptz not null,
  window_ms bigint not null,
  score numeric not null,
  grade text not null,
  confidence numeric not null,
  reliability numeric,
  policy_adherence numeric not null,
  freshness numeric not null,
  risk_exposure numeric not null,
  signals integer not null,
  inputs jsonb not null
);

create index trust_snapshot_agent_at_idx on trust_snapshot (agent_id, at desc);
create index trust_snapshot_at_idx on trust_snapshot (at);

-- Organisation KPIs over time. The KPI columns make history queries and trends cheap; `kpis` keeps every
-- KPI with its inputs as the API answered it, so any historic value can be recomputed by hand.
create table kpi_snapshot (
  id uuid primary key,
  at timestamptz not null,
  window_label text not null,
  window_ms bigint not null,
  trust_score numeric,
  sync_freshness numeric,
  drift_rate numeric,
  compliance_sla numeric,
  self_resolution numeric,
  risk_avoided_usd numeric not null,
  roi numeric,
  kpis jsonb not null
);

create index kpi_snapshot_at_idx on kpi_snapshot (at desc);

-- Daily rollups of runs and decisions per agent (UTC days), so that /kpis over millions of rows reads ~30 rows per
-- agent plus the two partial days at the window's edges. Maintained by the snapshot job for closed days only;
-- recompute-from-scratch equals the rollups (test/http/trust/rollups.test.ts). agent_key is the nil UUID for
-- decisions taken without an agent.
create table trust_rollup_day (
  day date not null,
  agent_key uuid not null,
  runs integer not null default 0,
  runs_ok integer not null default 0,
  decisions integer not null default 0,
  decisions_compliant integer not null default 0,
  risk_avoided_usd numeric not null default 0,
  blocked integer not null default 0,
  primary key (day, agent_key)
);

-- Which closed days the rollup holds, and when each was computed (late runs make a day be recomputed).
create table trust_rollup_state (
  day date primary key,
  computed_at timestamptz not null
);
