/**
 * When a notification group sends, as Alertmanager times it: a new group waits `group_wait` (to gather the alerts
 * that fire together) before its first notification; after that, a change (an alert firing that was not reported,
 * or one reported firing that resolved) waits until `group_interval` has passed since the last notification; with
 * no change, firing alerts are re-sent every `repeat_interval`. Pure.
 */
export interface GroupTimers {
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
}

export interface GroupHistory {
  firstSeenAt: Date;
  lastSentAt: Date | null;
  /** Fingerprints the last notification reported firing. */
  sentFiring: ReadonlySet<string>;
}

export interface GroupMember {
  fingerprint: string;
  status: 'firing' | 'resolved';
}

export type GroupDecision =
  /** Send a notification with `members` now. */
  | { action: 'send' }
  /** Nothing to send yet; look again at `at`. */
  | { action: 'wait'; at: Date }
  /** Nothing to send, nothing pending. */
  | { action: 'idle' };

export function decideGroup(history: GroupHistory | undefined, members: readonly GroupMember[], timers: GroupTimers, now: Date): GroupDecision {
  const firing = members.filter((member) => member.status === 'firing');
  if (!history || history.lastSentAt === null) {
    // A group whose alerts all resolved before its first notification has nothing to tell anyone.
    if (firing.length === 0) return { action: 'idle' };
    const firstSeenAt = history?.firstSeenAt ?? now;
    return due(new Date(firstSeenAt.getTime() + timers.groupWaitMs), now);
  }
  const changed = members.some((member) => (member.status === 'firing' ? !history.sentFiring.has(member.fingerprint) : history.sentFiring.has(member.fingerprint)));
  if (changed) return due(new Date(history.lastSentAt.getTime() + timers.groupIntervalMs), now);
  if (firing.length > 0) return due(new Date(history.lastSentAt.getTime() + timers.repeatIntervalMs), now);
  return { action: 'idle' };
}

function due(at: Date, now: Date): GroupDecision {
  return now.getTime() >= at.getTime() ? { action: 'send' } : { action: 'wait', at };
}
