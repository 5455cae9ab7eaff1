-- Scheduled reports (docs/reports.md "Scheduled reports").

-- A report generated on a cron schedule, in the schedule's time zone, and handed to receivers. Soft-deleted, so the
-- runs of a deleted schedule stay readable. next_run_at is the next cron time (UTC) a worker will run; the worker
-- that runs it moves it forward in the same transaction.
create table report_schedule (
  id uuid primary key,
  name text not null,
  cron text not null,
  time_zone text not null,
  report_kind text not null check (report_kind in ('executive', 'drift', 'healing')),
  format text not null check (format in ('json', 'md', 'csv', 'html')),
  report_window text not null,
  receiver_ids uuid[] not null,
  next_run_at timestamptz not null,
  created_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz
);

create index report_schedule_due_idx on report_schedule (next_run_at) where deleted_at is null;

-- One run per schedule and cron time: the unique key is what makes a cron time run once across replicas, whichever
-- worker finds it due first. deliveries lists the notification handed to each receiver ({receiver_id,
-- notification_id}); their outcome is the receivers module's delivery record.
create table report_run (
  id uuid primary key,
  schedule_id uuid not null references report_schedule (id),
  scheduled_for timestamptz not null,
  status text not null default 'queued' check (status in ('queued', 'sent', 'failed', 'cancelled')),
  attempts integer not null default 0,
  error text,
  media_type text,
  report_bytes integer,
  report_sha256 text,
  deliveries jsonb not null default '[]',
  correlation_id text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  unique (schedule_id, scheduled_for)
);

create index report_run_schedule_idx on report_run (schedule_id, id);

-- Deliveries now also carry scheduled reports.
alter table delivery drop constraint delivery_notification_kind_check;
alter table delivery add constraint delivery_notification_kind_check check (notification_kind in ('alert', 'test', 'report'));
-- A run finds its deliveries by their notification ids.
create index delivery_notification_idx on delivery (notification_id);
