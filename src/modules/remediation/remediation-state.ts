/**
 * The remediation state machine (docs/self-healing.md "Outcomes"), pure: what an attempt's result, a closed gap or
 * an expired verification window does to a remediation. The service applies the transitions it returns.
 *
 *   pending ──job──▶ acting ──done──▶ verifying ──gap closed in time──▶ healed
 *      ▲               │                  │
 *      └──transient────┘                  └──window over, attempts left──▶ pending (next attempt)
 *
 * Outcomes: `healed` (the gap closed by itself — its data arrived — within verify_within after the action),
 * `failed` (the action cannot be carried out, or someone closed the gap by hand instead), `gave_up` (max_attempts
 * attempts without healing), `skipped` (disabled, silenced, nothing to do, or the gap closed before the action).
 */
export const REMEDIATION_STATUSES = ['pending', 'acting', 'verifying', 'healed', 'failed', 'gave_up', 'skipped'] as const;
export type RemediationStatus = (typeof REMEDIATION_STATUSES)[number];

export const REMEDIATION_OUTCOMES = ['healed', 'failed', 'gave_up', 'skipped'] as const;
export type RemediationOutcome = (typeof REMEDIATION_OUTCOMES)[number];

export const OPEN_STATUSES: readonly RemediationStatus[] = ['pending', 'acting', 'verifying'];

export function isOutcome(status: RemediationStatus): status is RemediationOutcome {
  return (REMEDIATION_OUTCOMES as readonly string[]).includes(status);
}

export interface RemediationState {
  status: RemediationStatus;
  /** Attempts started so far (the running one included). */
  attempts: number;
  max_attempts: number;
  verify_within_ms: number;
  verify_until: Date | null;
  last_attempt_at: Date | null;
}

export interface GapState {
  resolved_at: Date | null;
  resolution: 'auto' | 'manual' | null;
  /** `rule_removed` when a new contracts version withdrew the gap's rule. */
  closed_because: string | null;
}

/** What to write: a new status with the fields it sets. */
export type Transition =
  | { status: 'pending'; next_attempt_at: Date }
  | { status: 'verifying'; verify_until: Date }
  | { status: RemediationOutcome; finished_at: Date; reason: string; healed_at?: Date };

/** What one attempt of an action came to. */
export type AttemptResult =
  | { kind: 'done' }
  | { kind: 'retry'; error: string }
  | { kind: 'final'; error: string }
  | { kind: 'nothing_to_do'; reason: string };

/** The gap closed by the data (not by hand, not withdrawn with its rule). */
const closedByData = (gap: GapState): boolean => gap.resolved_at !== null && gap.resolution === 'auto' && gap.closed_because !== 'rule_removed';

/** Retry n (1-based) waits base·2^(n−1): the same doubling as the job queue's backoff, without jitter (attempts of different gaps are spread by the gaps). */
export function retryDelayMs(baseMs: number, failedAttempts: number): number {
  return baseMs * 2 ** Math.max(0, failedAttempts - 1);
}

function exhausted(state: RemediationState, at: Date): Transition {
  return {
    status: 'gave_up',
    finished_at: at,
    reason: `the gap did not heal after ${state.attempts} attempt${state.attempts === 1 ? '' : 's'} (max_attempts ${state.max_attempts})`,
  };
}

/**
 * A remediation whose gap is closed: its outcome, or null while an attempt runs (the attempt's result decides).
 * `now` is when this is found out; a finish is dated at the gap's closing when that is what ended it.
 */
export function settleClosedGap(state: RemediationState, gap: GapState, now: Date): Transition | null {
  const closedAt = gap.resolved_at;
  if (closedAt === null || state.status === 'acting') return null;
  const at = closedAt > now ? closedAt : now;
  if (gap.closed_because === 'rule_removed') return { status: 'skipped', finished_at: at, reason: 'the gap was withdrawn: a new contracts version removed its rule' };
  if (state.status === 'pending') {
    const when = state.attempts === 0 ? 'before the action ran' : 'before the next attempt';
    return gap.resolution === 'manual'
      ? { status: 'skipped', finished_at: at, reason: `the gap was resolved by hand ${when}` }
      : { status: 'skipped', finished_at: at, reason: `the gap closed on its own ${when}` };
  }
  if (state.status !== 'verifying') return null;
  if (gap.resolution === 'manual') return { status: 'failed', finished_at: at, reason: 'the gap was resolved by hand before it healed' };
  if (state.verify_until !== null && closedAt > state.verify_until) {
    // The window ran out before the gap closed: what the scheduler would have decided at verify_until.
    return state.attempts >= state.max_attempts
      ? exhausted(state, state.verify_until)
      : { status: 'skipped', finished_at: at, reason: 'the gap closed on its own after verify_within, before the next attempt' };
  }
  return { status: 'healed', finished_at: closedAt, healed_at: closedAt, reason: 'the gap closed within verify_within after the action' };
}

/** A verifying remediation whose window is over while its gap is still open: try again, or give up. */
export function expireVerification(state: RemediationState, now: Date): Transition | null {
  if (state.status !== 'verifying' || state.verify_until === null || now <= state.verify_until) return null;
  return state.attempts >= state.max_attempts ? exhausted(state, now) : { status: 'pending', next_attempt_at: now };
}

/**
 * The transition after attempt `state.attempts` (started at `state.last_attempt_at`) came to `result`; `gap` as read
 * after the action, since the data the action asked for may have arrived while it ran.
 */
export function afterAttempt(state: RemediationState, result: AttemptResult, gap: GapState, now: Date, retryBaseMs: number): Transition {
  switch (result.kind) {
    case 'final':
      return { status: 'failed', finished_at: now, reason: `the action cannot be carried out: ${result.error}` };
    case 'nothing_to_do':
      return { status: 'skipped', finished_at: now, reason: result.reason };
    case 'retry':
      if (state.attempts >= state.max_attempts) {
        return { status: 'gave_up', finished_at: now, reason: `attempt ${state.attempts} of ${state.max_attempts} failed: ${result.error}` };
      }
      return { status: 'pending', next_attempt_at: new Date(now.getTime() + retryDelayMs(retryBaseMs, state.attempts)) };
    case 'done': {
      const verifyUntil = new Date(now.getTime() + state.verify_within_ms);
      const started = state.last_attempt_at ?? now;
      if (gap.resolved_at !== null && gap.resolved_at < started && gap.closed_because !== 'rule_removed') {
        const how = gap.resolution === 'manual' ? 'was resolved by hand' : 'closed on its own';
        return { status: 'skipped', finished_at: now, reason: `the gap ${how} before the action ran` };
      }
      if (gap.resolved_at !== null && closedByData(gap)) {
        return { status: 'healed', finished_at: gap.resolved_at, healed_at: gap.resolved_at, reason: 'the gap closed while the action ran' };
      }
      return settleClosedGap({ ...state, status: 'verifying', verify_until: verifyUntil }, gap, now) ?? { status: 'verifying', verify_until: verifyUntil };
    }
  }
}
