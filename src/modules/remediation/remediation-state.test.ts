import { describe, expect, it } from 'vitest';
import { afterAttempt, expireVerification, retryDelayMs, settleClosedGap, type GapState, type RemediationState } from './remediation-state.js';

const at = (time: string) => new Date(`2026-05-01T${time}Z`);
const MINUTE = 60_000;

function state(overrides: Partial<RemediationState> = {}): RemediationState {
  return { status: 'verifying', attempts: 1, max_attempts: 3, verify_within_ms: 15 * MINUTE, verify_until: at('10:15:00'), last_attempt_at: at('10:00:00'), ...overrides };
}
const open: GapState = { resolved_at: null, resolution: null, closed_because: null };
const closed = (time: string, resolution: 'auto' | 'manual' = 'auto', closedBecause: string | null = null): GapState => ({
  resolved_at: at(time),
  resolution,
  closed_because: closedBecause,
});

describe('settleClosedGap', () => {
  it('heals a verifying remediation whose gap the data closed within the window, dated at the closing', () => {
    expect(settleClosedGap(state(), closed('10:09:00'), at('10:10:00'))).toEqual({
      status: 'healed',
      finished_at: at('10:09:00'),
      healed_at: at('10:09:00'),
      reason: 'the gap closed within verify_within after the action',
    });
    // The window's last instant still counts.
    expect(settleClosedGap(state(), closed('10:15:00'), at('10:20:00'))?.status).toBe('healed');
  });

  it('fails a verifying remediation whose gap someone closed by hand', () => {
    expect(settleClosedGap(state(), closed('10:05:00', 'manual'), at('10:06:00'))).toEqual({
      status: 'failed',
      finished_at: at('10:06:00'),
      reason: 'the gap was resolved by hand before it healed',
    });
  });

  it('skips every open remediation of a gap withdrawn with its rule', () => {
    for (const status of ['pending', 'verifying'] as const) {
      expect(settleClosedGap(state({ status }), closed('10:05:00', 'auto', 'rule_removed'), at('10:06:00'))).toMatchObject({ status: 'skipped', reason: expect.stringContaining('removed its rule') });
    }
  });

  it('skips a pending remediation whose gap closed before the action, saying how', () => {
    expect(settleClosedGap(state({ status: 'pending', attempts: 0 }), closed('10:01:00'), at('10:02:00'))).toEqual({
      status: 'skipped',
      finished_at: at('10:02:00'),
      reason: 'the gap closed on its own before the action ran',
    });
    expect(settleClosedGap(state({ status: 'pending', attempts: 1 }), closed('10:01:00', 'manual'), at('10:02:00'))).toMatchObject({
      status: 'skipped',
      reason: 'the gap was resolved by hand before the next attempt',
    });
  });

  it('treats a closing after the window as the window having run out first', () => {
    // Last attempt: gave up at verify_until.
    expect(settleClosedGap(state({ attempts: 3 }), closed('10:16:00'), at('10:17:00'))).toEqual({
      status: 'gave_up',
      finished_at: at('10:15:00'),
      reason: 'the gap did not heal after 3 attempts (max_attempts 3)',
    });
    // Attempts left: the next one is no longer needed.
    expect(settleClosedGap(state({ attempts: 1 }), closed('10:16:00'), at('10:17:00'))?.status).toBe('skipped');
  });

  it('leaves an attempt in flight and an open gap alone', () => {
    expect(settleClosedGap(state({ status: 'acting' }), closed('10:01:00'), at('10:02:00'))).toBeNull();
    expect(settleClosedGap(state(), open, at('10:02:00'))).toBeNull();
  });
});

describe('expireVerification', () => {
  it('sends the next attempt at once when attempts are left, gives up after the last', () => {
    expect(expireVerification(state({ attempts: 2 }), at('10:15:01'))).toEqual({ status: 'pending', next_attempt_at: at('10:15:01') });
    expect(expireVerification(state({ attempts: 3 }), at('10:15:01'))).toEqual({
      status: 'gave_up',
      finished_at: at('10:15:01'),
      reason: 'the gap did not heal after 3 attempts (max_attempts 3)',
    });
  });

  it('does nothing within the window or outside verifying', () => {
    expect(expireVerification(state(), at('10:15:00'))).toBeNull();
    expect(expireVerification(state({ status: 'pending' }), at('11:00:00'))).toBeNull();
  });
});

describe('afterAttempt', () => {
  const acting = (attempts: number) => state({ status: 'acting', attempts, verify_until: null, last_attempt_at: at('10:00:00') });

  it('opens the verification window when the action was carried out', () => {
    expect(afterAttempt(acting(1), { kind: 'done' }, open, at('10:00:02'), MINUTE)).toEqual({ status: 'verifying', verify_until: at('10:15:02') });
  });

  it('heals at once when the data arrived while the action ran', () => {
    expect(afterAttempt(acting(1), { kind: 'done' }, closed('10:00:01'), at('10:00:02'), MINUTE)).toEqual({
      status: 'healed',
      finished_at: at('10:00:01'),
      healed_at: at('10:00:01'),
      reason: 'the gap closed while the action ran',
    });
  });

  it('does not credit the action with a gap that closed before it started', () => {
    expect(afterAttempt(acting(1), { kind: 'done' }, closed('09:59:59'), at('10:00:02'), MINUTE)).toEqual({
      status: 'skipped',
      finished_at: at('10:00:02'),
      reason: 'the gap closed on its own before the action ran',
    });
  });

  it('schedules the next attempt after a failure, doubling the wait, and gives up after max_attempts', () => {
    expect(afterAttempt(acting(1), { kind: 'retry', error: 'timeout' }, open, at('10:00:05'), MINUTE)).toEqual({ status: 'pending', next_attempt_at: at('10:01:05') });
    expect(afterAttempt(acting(2), { kind: 'retry', error: 'timeout' }, open, at('10:00:05'), MINUTE)).toEqual({ status: 'pending', next_attempt_at: at('10:02:05') });
    expect(afterAttempt(acting(3), { kind: 'retry', error: 'timeout' }, open, at('10:00:05'), MINUTE)).toEqual({
      status: 'gave_up',
      finished_at: at('10:00:05'),
      reason: 'attempt 3 of 3 failed: timeout',
    });
  });

  it('fails on a final answer and skips when there is nothing to do', () => {
    expect(afterAttempt(acting(1), { kind: 'final', error: 'HTTP 404' }, open, at('10:00:05'), MINUTE)).toEqual({
      status: 'failed',
      finished_at: at('10:00:05'),
      reason: 'the action cannot be carried out: HTTP 404',
    });
    expect(afterAttempt(acting(1), { kind: 'nothing_to_do', reason: 'no failed delivery' }, open, at('10:00:05'), MINUTE)).toEqual({
      status: 'skipped',
      finished_at: at('10:00:05'),
      reason: 'no failed delivery',
    });
  });
});

describe('retryDelayMs', () => {
  it('doubles from the base: d, 2d, 4d', () => {
    expect([1, 2, 3].map((n) => retryDelayMs(1000, n))).toEqual([1000, 2000, 4000]);
  });
});
