-- A discovery run counts apart the identities a linking rule joined to an agent that already existed
-- (docs/discovery.md "Runs"): they add no agent to review, so they are not `new`.
alter table discovery_run add column linked integer not null default 0;
