-- Approvals (docs/approvals.md): a `require_approval` decision opens one; operators approve or deny it (two distinct
-- approvers when the policy asks for them), or it expires; the agent then proceeds once with its id.
--
-- The request is bound to what was asked: agent, action, resource, classification and the SHA-256 of the content.
-- The content itself is never stored (it may hold personal data). Callback URL and signing secret are sealed with the
-- process's secret box (AES-256-GCM), like receiver URLs and secrets.
create table approval (
  id uuid primary key,
  agent_id uuid not null,
  action text not null,
  resource text not null,
  classification text not null,
  content_digest text check (content_digest ~ '^[0-9a-f]{64}$'),
  -- The rule that asked (approval_required, or prompt_injection with action require_approval), and every violation
  -- of the decision (rule, severity, detail: never content).
  rule text not null,
  violations jsonb not null default '[]'::jsonb,
  decision_id uuid,
  policy_version integer not null,
  requested_by text not null,
  requested_correlation_id text,
  status text not null default 'pending' check (status in ('pending', 'approved', 'denied', 'expired')),
  approvals_required smallint not null default 1 check (approvals_required between 1 and 2),
  -- One entry per approving key: [{ approver, via, reason, at }]; distinct approvers, in order.
  approvers jsonb not null default '[]'::jsonb,
  decided_by text,
  decision_reason text,
  -- For an expired approval: its expires_at, whichever path (sweep or read) recorded the expiry.
  decided_at timestamptz,
  expires_at timestamptz not null,
  -- What the decision would have booked as risk avoided; RA$ counts it once the approval is denied or expires.
  risk_cost_usd numeric not null default 0 check (risk_cost_usd >= 0),
  callback_url_sealed text,
  callback_secret_sealed text,
  callback_status text not null default 'none' check (callback_status in ('none', 'waiting', 'pending', 'delivered', 'failed', 'dead_lettered')),
  callback_attempts integer not null default 0,
  callback_last_status integer,
  callback_last_error text,
  -- Single use: set by the one evaluation that proceeds with the approval (an atomic update … where used_at is null).
  used_at timestamptz,
  used_correlation_id text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check ((status = 'pending') = (decided_at is null)),
  check (used_at is null or status = 'approved')
);

create index approval_status_idx on approval (status, id);
create index approval_agent_idx on approval (agent_id, id);
create index approval_pending_expiry_idx on approval (expires_at) where status = 'pending';
create index approval_closed_at_idx on approval (decided_at) where status in ('denied', 'expired');

-- Asking for an approval is no longer a violation by itself, and it avoids no risk until the approval is denied or
-- expires (docs/trust.md). Decisions recorded before this release booked approval_required as non-compliant and
-- counted its risk cost at once: they are brought in line, and the trust rollups of their days recomputed at the
-- next snapshot (a day not marked rolled up is read raw meanwhile).
update decision d
   set risk_avoided_usd = 0,
       compliant = not exists (
         select 1 from jsonb_array_elements(d.violations) v
          where v->>'rule' <> 'approval_required' and v->>'severity' in ('medium', 'high', 'critical'))
 where d.decision = 'require_approval';

delete from trust_rollup_state s
 where exists (select 1 from decision d where d.decision = 'require_approval' and (d.at at time zone 'UTC')::date = s.day);
