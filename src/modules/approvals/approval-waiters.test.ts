import { describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/telemetry/logger.js';
import { APPROVALS_CHANNEL, createApprovalWaiters } from './approval-waiters.js';

const A = '0190b3c2-0000-7000-8000-00000000000a';
const B = '0190b3c2-0000-7000-8000-00000000000b';

/** A database whose LISTEN the test drives: it delivers notifications and drops or restores the connection. */
function fakeDatabase() {
  const state: { onMessage?: (payload: string) => void; onListening?: (listening: boolean) => void; channel?: string } = {};
  return {
    state,
    db: {
      async listen(channel: string, onMessage: (payload: string) => void, onListening: (listening: boolean) => void) {
        Object.assign(state, { channel, onMessage, onListening });
        onListening(true);
        return { close: async () => {} };
      },
    },
  };
}

const silent = createLogger({ level: 'silent' });

describe('approval waiters', () => {
  it('wakes the waiters of an approval when its id is notified, and only those', async () => {
    const { db, state } = fakeDatabase();
    const waiters = createApprovalWaiters(db, silent);
    await waiters.start();
    expect(state.channel).toBe(APPROVALS_CHANNEL);
    const first = waiters.wait(A, 60_000);
    const second = waiters.wait(A, 60_000);
    const other = waiters.wait(B, 60_000);
    expect(waiters.size()).toBe(3);
    state.onMessage!('not-an-id');
    state.onMessage!(A);
    expect(await first).toBe('woken');
    expect(await second).toBe('woken');
    expect(waiters.size()).toBe(1);
    state.onMessage!(B);
    expect(await other).toBe('woken');
    expect(waiters.size()).toBe(0);
  });

  it('ends a wait when its time is over or its client leaves', async () => {
    const { db } = fakeDatabase();
    const waiters = createApprovalWaiters(db, silent);
    await waiters.start();
    expect(await waiters.wait(A, 1)).toBe('timeout');
    const controller = new AbortController();
    const leaving = waiters.wait(A, 60_000, controller.signal);
    controller.abort();
    expect(await leaving).toBe('aborted');
    expect(await waiters.wait(A, 0)).toBe('timeout');
    expect(waiters.size()).toBe(0);
  });

  it('while notifications may be lost, wakes every waiter and does not wait; waits again once they are back', async () => {
    const { db, state } = fakeDatabase();
    const waiters = createApprovalWaiters(db, silent);
    await waiters.start();
    const waiting = waiters.wait(A, 60_000);
    state.onListening!(false);
    expect(await waiting).toBe('woken');
    expect(await waiters.wait(B, 60_000)).toBe('woken');
    state.onListening!(true);
    const again = waiters.wait(B, 60_000);
    expect(waiters.size()).toBe(1);
    state.onMessage!(B);
    expect(await again).toBe('woken');
  });

  it('drains when the server closes: waiters answer now and new waits do not wait', async () => {
    const { db } = fakeDatabase();
    const waiters = createApprovalWaiters(db, silent);
    await waiters.start();
    const waiting = waiters.wait(A, 60_000);
    waiters.drain();
    expect(await waiting).toBe('woken');
    expect(await waiters.wait(A, 60_000)).toBe('woken');
    expect(waiters.size()).toBe(0);
    await waiters.stop();
  });
});
