/**
 * The agent lifecycle state machine (docs/agents.md "Lifecycle"). Transitions not listed here are refused with
 * 409 Conflict: a retired agent is final, `resume` only undoes `suspend`, and only `approve` releases an
 * agent from quarantine (new discoveries and low-trust agents wait there for a human) or from review.
 *
 * Discovery moves agents into the last two statuses itself (docs/discovery.md): `needs_review` when the definition
 * of an approved agent changed, `missing` when its source no longer lists it (and back to where it was when it
 * reappears). People only take agents out of them.
 *
 * `merged`: the agent was merged into another (docs/discovery.md "Merging"); its identities and history live on
 * with the survivor. No lifecycle action applies to it: only an unmerge brings it back, to the status it had.
 */
export const AGENT_STATUSES = ['active', 'suspended', 'quarantined', 'retired', 'needs_review', 'missing', 'merged'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

export const LIFECYCLE_ACTIONS = ['suspend', 'resume', 'quarantine', 'approve', 'retire'] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

export const TRANSITIONS: Readonly<Record<AgentStatus, Partial<Record<LifecycleAction, AgentStatus>>>> = {
  active: { suspend: 'suspended', quarantine: 'quarantined', retire: 'retired' },
  suspended: { resume: 'active', quarantine: 'quarantined', retire: 'retired' },
  quarantined: { approve: 'active', retire: 'retired' },
  retired: {},
  needs_review: { suspend: 'suspended', quarantine: 'quarantined', approve: 'active', retire: 'retired' },
  missing: { quarantine: 'quarantined', retire: 'retired' },
  merged: {},
};

export type TransitionResult = { ok: true; to: AgentStatus } | { ok: false; allowed: LifecycleAction[] };

export function transition(from: AgentStatus, action: LifecycleAction): TransitionResult {
  // Own properties only: a plain lookup would treat inherited names such as `toString` as allowed actions.
  const to = Object.hasOwn(TRANSITIONS[from], action) ? TRANSITIONS[from][action] : undefined;
  if (to) return { ok: true, to };
  return { ok: false, allowed: Object.keys(TRANSITIONS[from]) as LifecycleAction[] };
}
