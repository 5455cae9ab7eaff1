/** All SQL of the `approval` table (migration 0013). Every method takes an optional transaction. */
import { type Queryable, whereClause } from '../../platform/db/index.js';
import type { ApprovalBinding } from '../policies/index.js';
import type { ApprovalRecord, ApprovalStatus, CallbackStatus } from './approvals.schemas.js';

export interface Vote {
  approver: string;
  via: 'api' | 'slack';
  reason: string;
  at: string;
}

/** A row as stored, sealed callback fields included: they never leave this module (`toRecord` drops them). */
export interface ApprovalRow {
  id: string;
  agent_id: string;
  action: string;
  resource: string;
  classification: string;
  content_digest: string | null;
  rule: string;
  violations: Array<{ rule: string; severity: string; detail: string }>;
  decision_id: string | null;
  policy_version: number;
  requested_by: string;
  requested_correlation_id: string | null;
  status: ApprovalStatus;
  approvals_required: number;
  approvers: Vote[];
  decided_by: string | null;
  decision_reason: string | null;
  decided_at: Date | null;
  expires_at: Date;
  risk_cost_usd: number;
  callback_url_sealed: string | null;
  callback_secret_sealed: string | null;
  callback_status: CallbackStatus | 'none';
  callback_attempts: number;
  callback_last_status: number | null;
  callback_last_error: string | null;
  used_at: Date | null;
  used_correlation_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export type NewApproval = Omit<
  ApprovalRow,
  'status' | 'approvers' | 'decided_by' | 'decision_reason' | 'decided_at' | 'callback_attempts' | 'callback_last_status' | 'callback_last_error' | 'used_at' | 'used_correlation_id' | 'updated_at'
>;

const COLUMNS = `id, agent_id, action, resource, classification, content_digest, rule, violations, decision_id, policy_version, requested_by,
  requested_correlation_id, status, approvals_required, approvers, decided_by, decision_reason, decided_at, expires_at,
  risk_cost_usd::float8 as risk_cost_usd, callback_url_sealed, callback_secret_sealed, callback_status, callback_attempts,
  callback_last_status, callback_last_error, used_at, used_correlation_id, created_at, updated_at`;

/** The API's view: timestamps as RFC 3339, the callback without its sealed URL and secret. */
export function toRecord(row: ApprovalRow): ApprovalRecord {
  return {
    id: row.id,
    status: row.status,
    agent_id: row.agent_id,
    action: row.action,
    resource: row.resource,
    classification: row.classification,
    content_digest: row.content_digest,
    rule: row.rule,
    violations: row.violations,
    decision_id: row.decision_id,
    policy_version: row.policy_version,
    requested_by: row.requested_by,
    approvals_required: row.approvals_required,
    approvals: row.approvers,
    decided_by: row.decided_by,
    reason: row.decision_reason,
    decided_at: row.decided_at?.toISOString() ?? null,
    expires_at: row.expires_at.toISOString(),
    used_at: row.used_at?.toISOString() ?? null,
    risk_cost_usd: Number(row.risk_cost_usd),
    callback:
      row.callback_status === 'none'
        ? null
        : { status: row.callback_status, attempts: row.callback_attempts, last_status: row.callback_last_status, last_error: row.callback_last_error },
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function createApprovalRepository(db: Queryable) {
  return {
    async insert(values: NewApproval, tx: Queryable = db): Promise<ApprovalRow> {
      const { rows } = await tx.query<ApprovalRow>(
        `insert into approval (id, agent_id, action, resource, classification, content_digest, rule, violations, decision_id, policy_version,
                               requested_by, requested_correlation_id, approvals_required, expires_at, risk_cost_usd, callback_url_sealed,
                               callback_secret_sealed, callback_status, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19)
         returning ${COLUMNS}`,
        [
          values.id,
          values.agent_id,
          values.action,
          values.resource,
          values.classification,
          values.content_digest,
          values.rule,
          JSON.stringify(values.violations),
          values.decision_id,
          values.policy_version,
          values.requested_by,
          values.requested_correlation_id,
          values.approvals_required,
          values.expires_at,
          values.risk_cost_usd,
          values.callback_url_sealed,
          values.callback_secret_sealed,
          values.callback_status,
          values.created_at,
        ],
      );
      return rows[0]!;
    },

    async findById(id: string, tx: Queryable = db, forUpdate = false): Promise<ApprovalRow | undefined> {
      const { rows } = await tx.query<ApprovalRow>(`select ${COLUMNS} from approval where id = $1 ${forUpdate ? 'for update' : ''}`, [id]);
      return rows[0];
    },

    /** Newest first (UUIDv7 ids are creation order). */
    async list(filter: { status?: ApprovalStatus; agent_id?: string; before?: string; limit: number }, tx: Queryable = db): Promise<ApprovalRow[]> {
      const where = whereClause();
      if (filter.status !== undefined) where.add((p) => `status = ${p}`, filter.status);
      if (filter.agent_id !== undefined) where.add((p) => `agent_id = ${p}`, filter.agent_id);
      if (filter.before !== undefined) where.add((p) => `id < ${p}`, filter.before);
      const limit = where.bind(filter.limit);
      const { text, values } = where.build();
      const { rows } = await tx.query<ApprovalRow>(`select ${COLUMNS} from approval ${text} order by id desc limit ${limit}`, values);
      return rows;
    },

    /**
     * Pending approvals of any of these agents, oldest first, not yet past their expiry (the kill switch's preview:
     * what stopping them leaves waiting). One statement over approval_agent_idx.
     */
    async pendingForAgents(agentIds: string[], now: Date, tx: Queryable = db): Promise<ApprovalRow[]> {
      if (agentIds.length === 0) return [];
      const { rows } = await tx.query<ApprovalRow>(
        `select ${COLUMNS} from approval where agent_id = any($1::uuid[]) and status = 'pending' and expires_at > $2 order by id`,
        [agentIds, now],
      );
      return rows;
    },

    /** An approving vote that does not decide yet (the policy asks for two approvers). */
    async addVote(id: string, approvers: Vote[], at: Date, tx: Queryable = db): Promise<ApprovalRow> {
      const { rows } = await tx.query<ApprovalRow>(`update approval set approvers = $2::jsonb, updated_at = $3 where id = $1 returning ${COLUMNS}`, [id, JSON.stringify(approvers), at]);
      return rows[0]!;
    },

    /** Closes a pending approval; its callback (if any) becomes due. */
    async close(
      id: string,
      values: { status: Exclude<ApprovalStatus, 'pending'>; approvers: Vote[]; decidedBy: string; reason: string; decidedAt: Date; at: Date },
      tx: Queryable = db,
    ): Promise<ApprovalRow> {
      const { rows } = await tx.query<ApprovalRow>(
        `update approval set status = $2, approvers = $3::jsonb, decided_by = $4, decision_reason = $5, decided_at = $6, updated_at = $7,
                callback_status = case when callback_status = 'waiting' then 'pending' else callback_status end
          where id = $1 and status = 'pending' returning ${COLUMNS}`,
        [id, values.status, JSON.stringify(values.approvers), values.decidedBy, values.reason, values.decidedAt, values.at],
      );
      return rows[0]!;
    },

    /** Pending approvals past their expiry (one, with `id`), locked for the expiry; others' locks are skipped. */
    async dueForExpiry(now: Date, limit: number, id: string | undefined, tx: Queryable): Promise<ApprovalRow[]> {
      const { rows } = await tx.query<ApprovalRow>(
        `select ${COLUMNS} from approval
          where status = 'pending' and expires_at <= $1 and ($2::uuid is null or id = $2)
          order by expires_at, id limit $3 for update skip locked`,
        [now, id ?? null, limit],
      );
      return rows;
    },

    /**
     * The single use of an approval: one statement that only an approved, unused, unexpired approval with exactly
     * this binding passes. Concurrent callers on any replica serialise on the row; the first sets used_at, the others
     * find it set and get nothing.
     */
    async consume(id: string, binding: ApprovalBinding, now: Date, correlationId: string | null, tx: Queryable = db): Promise<ApprovalRow | undefined> {
      const { rows } = await tx.query<ApprovalRow>(
        `update approval set used_at = $7, used_correlation_id = $8, updated_at = $7
          where id = $1 and status = 'approved' and used_at is null and expires_at > $7
            and agent_id = $2 and action = $3 and resource = $4 and classification = $5 and content_digest is not distinct from $6
          returning ${COLUMNS}`,
        [id, binding.agentId, binding.action, binding.resource, binding.classification, binding.contentDigest, now, correlationId],
      );
      return rows[0];
    },

    /** Undoes `consume` for the one call that used it (at `usedAt`), when that call was refused by a quota after all. */
    async release(id: string, usedAt: Date, at: Date, tx: Queryable = db): Promise<ApprovalRow | undefined> {
      const { rows } = await tx.query<ApprovalRow>(
        `update approval set used_at = null, used_correlation_id = null, updated_at = $3 where id = $1 and used_at = $2 returning ${COLUMNS}`,
        [id, usedAt, at],
      );
      return rows[0];
    },

    async recordCallbackAttempt(id: string, values: { status: CallbackStatus; lastStatus: number | null; lastError: string | null; at: Date }, tx: Queryable = db): Promise<void> {
      await tx.query(
        `update approval set callback_status = $2, callback_attempts = callback_attempts + 1, callback_last_status = $3, callback_last_error = $4, updated_at = $5
          where id = $1`,
        [id, values.status, values.lastStatus, values.lastError, values.at],
      );
    },
  };
}

export type ApprovalRepository = ReturnType<typeof createApprovalRepository>;
