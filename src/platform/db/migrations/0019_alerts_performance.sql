-- Alerts at volume (docs/alerts.md "Performance").
-- violations rules count a window of policy_violation by time at every evaluation, only what entered and left the
-- window since the last one (src/modules/alerts/violation-counts.ts): a covering index makes those range counts
-- index-only scans instead of visits to every row of the range.
create index policy_violation_window_idx on policy_violation (at) include (agent_id, rule, severity, decision);

-- The scheduled alerts.prune job deletes resolved alerts that ended before ALERTS_RESOLVED_RETENTION.
create index alert_resolved_ends_at_idx on alert (ends_at) where status = 'resolved';
