/**
 * Long-poll waiters (GET /approvals/{id}?wait=30s): each waiting request is a promise in this process, woken when
 * its approval is decided or expires — on any replica. A write that closes an approval NOTIFYs `orca_approvals` with
 * the approval's id inside its transaction (delivered to every listening replica only if it commits); this
 * process's one LISTEN connection wakes the waiters of that id. Nothing polls the database while requests wait.
 *
 * While the LISTEN connection is down, a notification may be lost: every waiter is woken to read the approval again,
 * and new waits answer at once, until the feed is back.
 */
import type { Database, Queryable, Subscription } from '../../platform/db/driver.js';
import type { Logger } from '../../platform/telemetry/logger.js';

export const APPROVALS_CHANNEL = 'orca_approvals';

export interface ApprovalWaiters {
  /** Inside the transaction that decides or expires the approval. */
  notify(tx: Queryable, approvalId: string): Promise<void>;
  /** Resolves when the approval may have changed, after `ms`, or when `signal` aborts (the client left). */
  wait(approvalId: string, ms: number, signal?: AbortSignal): Promise<'woken' | 'timeout' | 'aborted'>;
  /** Requests waiting now. */
  size(): number;
  /**
   * The server is closing: every waiter is woken (its request answers with what it reads) and no new wait waits,
   * so that draining in-flight requests does not sit out the long-polls until SHUTDOWN_TIMEOUT.
   */
  drain(): void;
  start(): Promise<void>;
  /** Wakes every waiter (their requests answer with what they read) and stops listening. */
  stop(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function createApprovalWaiters(db: Pick<Database, 'listen'>, logger: Logger): ApprovalWaiters {
  const waiting = new Map<string, Set<() => void>>();
  let count = 0;
  let subscription: Subscription | undefined;
  let listening = false;
  let draining = false;

  const wake = (approvalId: string) => {
    const wakers = waiting.get(approvalId);
    if (!wakers) return;
    waiting.delete(approvalId);
    for (const waker of wakers) waker();
  };
  const wakeAll = () => {
    for (const approvalId of [...waiting.keys()]) wake(approvalId);
  };

  return {
    async notify(tx, approvalId) {
      await tx.query('select pg_notify($1, $2)', [APPROVALS_CHANNEL, approvalId]);
    },

    wait(approvalId, ms, signal) {
      if (!listening || draining || ms <= 0 || signal?.aborted) return Promise.resolve(listening && !draining ? 'timeout' : 'woken');
      return new Promise((resolve) => {
        let settled = false;
        const finish = (outcome: 'woken' | 'timeout' | 'aborted') => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          const wakers = waiting.get(approvalId);
          if (wakers?.delete(waker) && wakers.size === 0) waiting.delete(approvalId);
          count -= 1;
          resolve(outcome);
        };
        const waker = () => finish('woken');
        const onAbort = () => finish('aborted');
        const timer = setTimeout(() => finish('timeout'), ms);
        signal?.addEventListener('abort', onAbort, { once: true });
        count += 1;
        const wakers = waiting.get(approvalId);
        if (wakers) wakers.add(waker);
        else waiting.set(approvalId, new Set([waker]));
      });
    },

    size: () => count,

    drain() {
      draining = true;
      wakeAll();
    },

    async start() {
      subscription ??= await db.listen(
        APPROVALS_CHANNEL,
        (payload) => {
          if (UUID.test(payload)) wake(payload);
        },
        (now) => {
          listening = now;
          if (!now) {
            logger.warn('approval notifications lost; long-polls answer at once until they are back');
            wakeAll();
          }
        },
      );
    },

    async stop() {
      listening = false;
      wakeAll();
      await subscription?.close();
      subscription = undefined;
    },
  };
}
