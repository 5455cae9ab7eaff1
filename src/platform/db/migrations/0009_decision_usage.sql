-- The quota usage a counted call was judged on — calls in its window, tokens and cost of its day, the call
-- included — in columns of its own; null for a call no quota counted (docs/policies.md, "Decision log").
-- Before, the insert merged it into `facts` (facts || jsonb_build_object('usage', …)), which rebuilt every counted
-- row's facts document: about a quarter of the recording statement's time on the embedded database. Readers that
-- want the facts the call was decided on merge the columns back (the simulation does).
-- Rows recorded before this migration keep facts.usage and null columns; both forms are read.
alter table decision
  add column usage_calls bigint,
  add column usage_tokens bigint,
  add column usage_cost_usd numeric;
