-- Durable sync analysis (docs/sync.md "How the analyzer runs"). The analyzer runs right after each ingest commit;
-- if the process dies in between, the periodic sweep still analyses those events: it walks the event table by id
-- (UUIDv7, i.e. arrival order) above a persisted watermark, in bounded pages, and advances the watermark.

-- One row per watermark; 'analysis': every event with id <= event_id has been considered by the analyzer.
create table sync_checkpoint (
  name text primary key,
  event_id uuid not null,
  updated_at timestamptz not null default now()
);

-- Events already stored when this migration runs were analysed by the previous version: start after them.
insert into sync_checkpoint (name, event_id)
values ('analysis', coalesce((select id from event order by id desc limit 1), '00000000-0000-0000-0000-000000000000'));

-- Events the analyzer has applied above the watermark, claimed in the analysing transaction itself, so an event is
-- applied exactly once whether the ingest path, a retry or the sweep gets to it first. The sweep deletes the rows
-- at or below the watermark as it advances: the table holds only the last few seconds of events.
create table sync_analyzed_event (
  event_id uuid primary key,
  analyzed_at timestamptz not null default now()
);

-- The sweep forgets per-entity memory idle longer than its contract's forget_after (docs/sync.md "Retention").
create index sync_entity_state_idle_idx on sync_entity_state (contract, updated_at);
create index sync_followup_done_idx on sync_followup (contract, updated_at) where satisfied_at is not null;
