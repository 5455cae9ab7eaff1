/**
 * An alert's life, as Prometheus rules give it: a condition that holds makes the alert `pending`; once it has held
 * for the rule's `for`, `firing` (starts_at); when it no longer holds, `resolved` (ends_at). A pending alert whose
 * condition ends before `for` never fired: it is resolved without a start, and nobody is told. Pure.
 */
export const ALERT_STATUSES = ['pending', 'firing', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export interface AlertState {
  status: AlertStatus;
  /** Since when the condition has held without interruption. */
  activeSince: Date;
  startsAt: Date | null;
  endsAt: Date | null;
}

export interface Transition {
  state: AlertState;
  /** Whether the status changed (the alert's correlation id then becomes the evaluation's). */
  changed: boolean;
}

export function nextAlertState(previous: AlertState | undefined, active: boolean, now: Date, forMs: number): Transition {
  const live = previous && previous.status !== 'resolved' ? previous : undefined;
  if (active) {
    const activeSince = live?.activeSince ?? now;
    if (live?.status === 'firing') return { state: live, changed: false };
    if (now.getTime() - activeSince.getTime() >= forMs) {
      return { state: { status: 'firing', activeSince, startsAt: now, endsAt: null }, changed: true };
    }
    return { state: { status: 'pending', activeSince, startsAt: null, endsAt: null }, changed: live === undefined };
  }
  if (!live) return { state: previous!, changed: false };
  return { state: { status: 'resolved', activeSince: live.activeSince, startsAt: live.startsAt, endsAt: now }, changed: true };
}

/** When a pending alert is due to fire, so that evaluation can run then rather than at the next interval. */
export function firesAt(state: AlertState, forMs: number): Date | undefined {
  return state.status === 'pending' ? new Date(state.activeSince.getTime() + forMs) : undefined;
}
