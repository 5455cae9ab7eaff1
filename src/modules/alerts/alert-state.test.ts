import { describe, expect, it } from 'vitest';
import { firesAt, nextAlertState, type AlertState } from './alert-state.js';

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));

describe('alert state transitions', () => {
  it('fires at once with for: 0s, and stays firing with the same start', () => {
    const first = nextAlertState(undefined, true, at(0), 0);
    expect(first).toEqual({ state: { status: 'firing', activeSince: at(0), startsAt: at(0), endsAt: null }, changed: true });
    const again = nextAlertState(first.state, true, at(30), 0);
    expect(again).toEqual({ state: first.state, changed: false });
  });

  it('is pending until the condition held for `for`, then fires', () => {
    const pending = nextAlertState(undefined, true, at(0), 60_000);
    expect(pending.state).toEqual({ status: 'pending', activeSince: at(0), startsAt: null, endsAt: null });
    expect(firesAt(pending.state, 60_000)).toEqual(at(60));
    const stillPending = nextAlertState(pending.state, true, at(59), 60_000);
    expect(stillPending).toEqual({ state: pending.state, changed: false });
    const firing = nextAlertState(stillPending.state, true, at(60), 60_000);
    expect(firing.state).toEqual({ status: 'firing', activeSince: at(0), startsAt: at(60), endsAt: null });
    expect(firing.changed).toBe(true);
  });

  it('resolves when the condition ends; a pending alert resolves without ever starting', () => {
    const firing: AlertState = { status: 'firing', activeSince: at(0), startsAt: at(0), endsAt: null };
    expect(nextAlertState(firing, false, at(90), 0)).toEqual({ state: { status: 'resolved', activeSince: at(0), startsAt: at(0), endsAt: at(90) }, changed: true });
    const pending: AlertState = { status: 'pending', activeSince: at(0), startsAt: null, endsAt: null };
    expect(nextAlertState(pending, false, at(10), 60_000).state).toEqual({ status: 'resolved', activeSince: at(0), startsAt: null, endsAt: at(10) });
  });

  it('starts a new episode when a resolved alert fires again; a resolved alert stays resolved', () => {
    const resolved: AlertState = { status: 'resolved', activeSince: at(0), startsAt: at(0), endsAt: at(10) };
    expect(nextAlertState(resolved, false, at(20), 0)).toEqual({ state: resolved, changed: false });
    expect(nextAlertState(resolved, true, at(20), 0).state).toEqual({ status: 'firing', activeSince: at(20), startsAt: at(20), endsAt: null });
    expect(nextAlertState(resolved, true, at(20), 5000).state.status).toBe('pending');
  });
});
