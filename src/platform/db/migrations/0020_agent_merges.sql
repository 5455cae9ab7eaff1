-- One identity across sources (docs/discovery.md "Merging"): an agent merged into another keeps its row, with the
-- status `merged`, while its identities, history, decisions, runs and the rest follow the surviving agent. Every
-- merge is recorded with what it moved, so that an unmerge puts back exactly that.

alter table agent drop constraint agent_status_check;
alter table agent add constraint agent_status_check
  check (status in ('active', 'suspended', 'quarantined', 'retired', 'needs_review', 'missing', 'merged'));

-- What a linking rule compares ([rule:value, …], e.g. lambda_arn:arn:aws:lambda:…, endpoint_url:https://…/mcp),
-- as last seen through each discovered identity.
alter table agent_identities add column link_keys text[] not null default '{}';
create index agent_identities_link_keys_idx on agent_identities using gin (link_keys);

-- One merge of `agent_id` into `into_agent_id`: by hand (POST /agents/{id}/merge) or by a linking rule during a
-- discovery run. `identities` is [{id, link, previous_agent_id}] as they were before the merge; `previous_*` what
-- the merged agent and the survivor's role were. Open while unmerged_at is null.
create table agent_merge (
  id uuid primary key,
  agent_id uuid not null references agent (id),
  into_agent_id uuid not null references agent (id),
  via text not null check (via in ('manual', 'rule')),
  rule text,
  link_value text,
  previous_status text not null,
  previous_status_reason text,
  role_set text,
  identities jsonb not null default '[]'::jsonb,
  reason text,
  merged_by text not null,
  correlation_id text,
  merged_at timestamptz not null,
  unmerged_at timestamptz,
  unmerged_by text,
  unmerge_reason text,
  check (agent_id <> into_agent_id)
);

-- An agent is merged at most once at a time.
create unique index agent_merge_open_key on agent_merge (agent_id) where unmerged_at is null;
create index agent_merge_into_idx on agent_merge (into_agent_id) where unmerged_at is null;

-- The rows a merge moved to the survivor, table by table (agent_event, decision, run …): an unmerge moves back these
-- and only these; what the survivor recorded since the merge stays with it.
create table agent_merge_row (
  merge_id uuid not null references agent_merge (id),
  table_name text not null,
  row_id uuid not null,
  primary key (merge_id, table_name, row_id)
);
