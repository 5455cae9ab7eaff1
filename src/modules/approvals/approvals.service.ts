/**
 * Approvals as people and agents see them: listing and reading (with a long-poll), approving and denying, and
 * expiry. Opening an approval and proceeding with one are the policy engine's side (approvals.gate.ts).
 *
 * Expiry is one rule, applied the same way wherever it is noticed: the scheduled sweep (approvals.jobs.ts), a read
 * of an approval past its expiry, or a decision that comes too late. Each closes the approval as `expired` at its
 * `expires_at` (not at the moment it was noticed), audited by `system:approvals`, with its callback sent.
 */
import type { Clock } from '../../platform/clock.js';
import type { Database, Queryable } from '../../platform/db/index.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import type { Actor, Principal } from '../../platform/http/actor.js';
import { decodeCursor, pageOf } from '../../platform/http/cursor.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import type { AuditService } from '../audit/index.js';
import type { ApprovalWaiters } from './approval-waiters.js';
import type { ApprovalMetrics } from './approvals.metrics.js';
import { toRecord, type ApprovalRepository, type ApprovalRow, type Vote } from './approvals.repository.js';
import type { ApprovalRecord, ListApprovalsQuery } from './approvals.schemas.js';

/** Who records an expiry, in the audit log and as `decided_by`. */
export const EXPIRER = 'system:approvals';
export const APPROVALS_CALLBACK_QUEUE = 'approvals.callback';
/** Pending approvals one sweep expires at most; the next sweep (or a read) takes the rest. */
const EXPIRY_BATCH = 500;

export interface CallbackJob {
  approval_id: string;
}

export interface ApprovalServiceDeps {
  db: Database;
  repository: ApprovalRepository;
  audit: Pick<AuditService, 'append'>;
  clock: Clock;
  waiters: ApprovalWaiters;
  jobs: Pick<JobQueue, 'send'>;
  metrics: ApprovalMetrics;
  /** The longest long-poll (APPROVALS_MAX_WAIT, kept under HANDLER_TIMEOUT). */
  maxWaitMs: number;
  /** After an approval opened or closed (committed): the approval_requested alert rules look at pending approvals. */
  onChange?: (correlationId: string | null) => void;
}

export type Verdict = 'approve' | 'deny';

export function createApprovalService(deps: ApprovalServiceDeps) {
  const { db, repository, audit, clock, waiters, metrics } = deps;

  /** Inside the transaction that closed `row`: wake the long-polls on every replica, queue the callback. */
  async function announceClosed(tx: Queryable, row: ApprovalRow, correlationId: string | null): Promise<void> {
    await waiters.notify(tx, row.id);
    if (row.callback_status === 'pending') {
      await deps.jobs.send<CallbackJob>(APPROVALS_CALLBACK_QUEUE, { approval_id: row.id }, { tx, ...(correlationId ? { correlationId } : {}) });
    }
  }

  async function expireRows(rows: ApprovalRow[], now: Date, tx: Queryable): Promise<void> {
    for (const row of rows) {
      const expired = await repository.close(
        row.id,
        { status: 'expired', approvers: row.approvers, decidedBy: EXPIRER, reason: 'no decision before it expired', decidedAt: row.expires_at, at: now },
        tx,
      );
      const correlationId = `approval-expire-${row.id}`;
      await audit.append(tx, { actor: EXPIRER, action: 'approval.expire', target: `approval:${row.id}`, before: toRecord(row), after: toRecord(expired), correlationId });
      await announceClosed(tx, expired, correlationId);
    }
  }

  /** Expires the pending approvals past `expires_at` at `now` (only `id` when given). Returns how many. */
  async function expireDue(now: Date, id?: string): Promise<number> {
    const count = await db.transaction(async (tx) => {
      const rows = await repository.dueForExpiry(now, EXPIRY_BATCH, id, tx);
      await expireRows(rows, now, tx);
      return rows.length;
    });
    if (count > 0) {
      metrics.event('expired', count);
      deps.onChange?.(null);
    }
    return count;
  }

  /** The approval as of now: one past its expiry is expired first (the same as the sweep would). */
  async function current(id: string): Promise<ApprovalRow | undefined> {
    const row = await repository.findById(id);
    if (row?.status !== 'pending' || row.expires_at > clock.now()) return row;
    await expireDue(clock.now(), id);
    return repository.findById(id);
  }

  /** Viewers read every approval; an ingest key only those it asked for (others do not exist, for it). */
  async function readable(reader: Pick<Principal, 'id' | 'role'>, id: string): Promise<ApprovalRow> {
    const row = await current(id);
    if (!row || (reader.role === 'ingest' && row.requested_by !== reader.id)) throw notFound(`approval ${id}`);
    return row;
  }

  return {
    expireDue,
    announceClosed,
    /** The server is closing: long-polls answer now (approval-waiters.ts `drain`). */
    drainWaiters: () => waiters.drain(),

    /** Pending approvals of these agents (the kill switch's preview, docs/kill-switch.md). */
    async pendingForAgents(agentIds: string[]): Promise<ApprovalRecord[]> {
      return (await repository.pendingForAgents(agentIds, clock.now())).map(toRecord);
    },

    async list(query: ListApprovalsQuery): Promise<{ items: ApprovalRecord[]; next_cursor: string | null }> {
      // The status filter must see expiries that no sweep has recorded yet.
      await expireDue(clock.now());
      const limit = query.limit ?? 50;
      const rows = await repository.list({
        ...(query.status ? { status: query.status } : {}),
        ...(query.agent_id ? { agent_id: query.agent_id } : {}),
        before: decodeCursor(query.cursor),
        limit: limit + 1,
      });
      return pageOf(rows.map(toRecord), limit);
    },

    /**
     * One approval; with `waitMs`, a long-poll: answers as soon as it is decided or expires, or after `waitMs`. The
     * waiter is registered before the second read, so a decision committed in between still wakes it.
     */
    async get(reader: Pick<Principal, 'id' | 'role'>, id: string, waitMs = 0, signal?: AbortSignal): Promise<ApprovalRecord> {
      if (waitMs > deps.maxWaitMs) {
        throw new AppError('validation_failed', `wait is longer than ${deps.maxWaitMs / 1000} s (APPROVALS_MAX_WAIT)`, {
          errors: [{ path: '/querystring/wait', message: `must be at most ${deps.maxWaitMs / 1000}s` }],
        });
      }
      let row = await readable(reader, id);
      if (waitMs <= 0 || row.status !== 'pending') return toRecord(row);
      const untilExpiry = Math.max(0, row.expires_at.getTime() - clock.now().getTime());
      const controller = new AbortController();
      const onAbort = () => controller.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const woken = waiters.wait(id, Math.min(waitMs, untilExpiry), controller.signal);
        row = await readable(reader, id);
        if (row.status !== 'pending') return toRecord(row);
        if ((await woken) === 'aborted') return toRecord(row);
        return toRecord(await readable(reader, id));
      } finally {
        controller.abort();
        signal?.removeEventListener('abort', onAbort);
      }
    },

    /**
     * Approve or deny. 404 unknown; 409 when already decided or past its expiry (the expiry is recorded); 403 for the
     * key that asked; 409 for a second approval by the same key when the policy asks for two distinct approvers.
     */
    async decide(actor: Actor, id: string, verdict: Verdict, reason: string, via: Vote['via'] = 'api'): Promise<ApprovalRecord> {
      const now = clock.now();
      const outcome = await db.transaction(async (tx): Promise<{ late: string; updated?: never } | { late?: never; updated: ApprovalRow }> => {
        const row = await repository.findById(id, tx, true);
        if (!row) throw notFound(`approval ${id}`);
        if (row.status === 'pending' && row.expires_at <= now) {
          await expireRows([row], now, tx);
          return { late: `approval ${id} expired at ${row.expires_at.toISOString()} without a decision` };
        }
        if (row.status !== 'pending') throw conflict(`approval ${id} was already ${row.status} at ${row.decided_at!.toISOString()}`);
        if (actor.id === row.requested_by) throw new AppError('forbidden', `the API key that asked for approval ${id} cannot decide it`);
        let updated: ApprovalRow;
        if (verdict === 'deny') {
          updated = await repository.close(id, { status: 'denied', approvers: row.approvers, decidedBy: actor.id, reason, decidedAt: now, at: now }, tx);
        } else {
          if (row.approvers.some((vote) => vote.approver === actor.id)) {
            throw conflict(`this API key has already approved approval ${id}, which needs ${row.approvals_required} distinct approvers`);
          }
          const approvers = [...row.approvers, { approver: actor.id, via, reason, at: now.toISOString() }];
          updated =
            approvers.length >= row.approvals_required
              ? await repository.close(id, { status: 'approved', approvers, decidedBy: actor.id, reason, decidedAt: now, at: now }, tx)
              : await repository.addVote(id, approvers, now, tx);
        }
        await audit.append(tx, { actor: actor.id, action: `approval.${verdict}`, target: `approval:${id}`, before: toRecord(row), after: toRecord(updated), correlationId: actor.correlationId });
        if (updated.status !== 'pending') await announceClosed(tx, updated, actor.correlationId);
        return { updated };
      });
      if (outcome.late !== undefined) {
        metrics.event('expired');
        deps.onChange?.(actor.correlationId);
        throw conflict(outcome.late);
      }
      const { updated } = outcome;
      metrics.event(updated.status === 'pending' ? 'vote' : updated.status === 'approved' ? 'approved' : 'denied');
      if (updated.status !== 'pending') deps.onChange?.(actor.correlationId);
      return toRecord(updated);
    },
  };
}

export type ApprovalService = ReturnType<typeof createApprovalService>;
