import { describe, expect, it } from 'vitest';
import { decideGroup, type GroupHistory } from './group-timers.js';

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, 0) + seconds * 1000);
const timers = { groupWaitMs: 30_000, groupIntervalMs: 300_000, repeatIntervalMs: 3_600_000 };
const sent = (lastSent: number, firing: string[]): GroupHistory => ({ firstSeenAt: at(0), lastSentAt: at(lastSent), sentFiring: new Set(firing) });

describe('notification group timers', () => {
  it('waits group_wait before the first notification of a new group', () => {
    expect(decideGroup(undefined, [{ fingerprint: 'a', status: 'firing' }], timers, at(0))).toEqual({ action: 'wait', at: at(30) });
    const history: GroupHistory = { firstSeenAt: at(0), lastSentAt: null, sentFiring: new Set() };
    expect(decideGroup(history, [{ fingerprint: 'a', status: 'firing' }, { fingerprint: 'b', status: 'firing' }], timers, at(29))).toEqual({ action: 'wait', at: at(30) });
    expect(decideGroup(history, [{ fingerprint: 'a', status: 'firing' }], timers, at(30))).toEqual({ action: 'send' });
    expect(decideGroup(undefined, [{ fingerprint: 'a', status: 'firing' }], { ...timers, groupWaitMs: 0 }, at(0))).toEqual({ action: 'send' });
  });

  it('sends a change only once group_interval has passed since the last notification', () => {
    const history = sent(100, ['a']);
    const members = [
      { fingerprint: 'a', status: 'firing' as const },
      { fingerprint: 'b', status: 'firing' as const },
    ];
    expect(decideGroup(history, members, timers, at(200))).toEqual({ action: 'wait', at: at(400) });
    expect(decideGroup(history, members, timers, at(400))).toEqual({ action: 'send' });
  });

  it('reports a resolution as a change', () => {
    expect(decideGroup(sent(100, ['a']), [{ fingerprint: 'a', status: 'resolved' }], timers, at(400))).toEqual({ action: 'send' });
    expect(decideGroup(sent(100, ['a']), [{ fingerprint: 'a', status: 'resolved' }], timers, at(150))).toEqual({ action: 'wait', at: at(400) });
  });

  it('repeats unchanged firing alerts every repeat_interval, and is idle once everything resolved was sent', () => {
    const history = sent(100, ['a']);
    expect(decideGroup(history, [{ fingerprint: 'a', status: 'firing' }], timers, at(1000))).toEqual({ action: 'wait', at: at(3700) });
    expect(decideGroup(history, [{ fingerprint: 'a', status: 'firing' }], timers, at(3700))).toEqual({ action: 'send' });
    expect(decideGroup(sent(100, []), [], timers, at(5000))).toEqual({ action: 'idle' });
  });

  it('is idle for a new group whose alerts resolved before the first notification', () => {
    expect(decideGroup(undefined, [{ fingerprint: 'a', status: 'resolved' }], timers, at(0))).toEqual({ action: 'idle' });
  });
});
