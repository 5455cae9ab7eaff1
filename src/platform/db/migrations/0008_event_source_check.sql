-- Every event names an existing source: checked once per statement instead of once per row (docs/ingestion.md
-- "Storage cost"). The foreign key event.source_id → source(id) looked the source up and share-locked it for every
-- inserted row — a thousand times for a /events batch that names one source — which was a large part of
-- PostgreSQL's work per ingested event. The triggers below keep the same guarantee:
--   * an insert (or an update of source_id) whose rows name a source that does not exist fails with
--     foreign_key_violation (SQLSTATE 23503), like the foreign key did; the distinct sources the statement names are
--     share-locked (FOR KEY SHARE) until its transaction ends, so a concurrent delete of one of them waits for it;
--   * a source cannot be deleted, nor its id changed, while events name it (the foreign key's NO ACTION). ORCA never
--     does either (sources are soft-deleted); this guards manual SQL. The check runs after the row is locked, with a
--     fresh snapshot, so it sees events committed by an insert it waited for.

alter table event drop constraint event_source_id_fkey;

create function event_sources_exist() returns trigger language plpgsql as $$
declare
  missing uuid;
begin
  perform 1 from source where id in (select distinct source_id from new_events) order by id for key share;
  select n.source_id into missing
  from (select distinct source_id from new_events) n
  where not exists (select 1 from source s where s.id = n.source_id)
  limit 1;
  if found then
    raise foreign_key_violation using
      message = format('insert or update on table "event" violates its source reference: source %s does not exist', missing),
      table = 'event';
  end if;
  return null;
end $$;

create trigger event_source_exists_on_insert after insert on event
  referencing new table as new_events for each statement execute function event_sources_exist();
create trigger event_source_exists_on_update after update on event
  referencing new table as new_events for each statement execute function event_sources_exist();

create function source_not_referenced() returns trigger language plpgsql as $$
begin
  if exists (select 1 from event where source_id = old.id) then
    raise foreign_key_violation using
      message = format('source %s is still named by events: it cannot be deleted or renumbered', old.id),
      table = 'source';
  end if;
  return null;
end $$;

create trigger source_not_referenced_on_delete after delete on source
  for each row execute function source_not_referenced();
create trigger source_not_referenced_on_update after update of id on source
  for each row when (old.id is distinct from new.id) execute function source_not_referenced();
