import { type Queryable, whereClause } from '../../platform/db/index.js';
import type { Notification } from './notification.js';
import type { DeliveryStatus, ReceiverKind } from './receivers.schemas.js';

export interface DeliveryRow {
  id: string;
  notification_id: string;
  notification_kind: Notification['kind'];
  notification: Notification;
  receiver_id: string;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  last_status: number | null;
  dispatch_id: string;
  correlation_id: string | null;
  created_at: Date;
  updated_at: Date;
  last_attempt_at: Date | null;
  delivered_at: Date | null;
  dead_lettered_at: Date | null;
}

/** A delivery as listed: with its receiver's name and kind (the receiver may have been deleted since). */
export type ListedDeliveryRow = DeliveryRow & { receiver_name: string; receiver_kind: ReceiverKind; receiver_updated_at: Date; receiver_deleted_at: Date | null };

/** What one attempt ended in. */
export interface AttemptRecord {
  status: Exclude<DeliveryStatus, 'pending'>;
  lastStatus: number | null;
  lastError: string | null;
  at: Date;
}

const LISTED = `select d.*, r.name as receiver_name, r.kind as receiver_kind, r.updated_at as receiver_updated_at, r.deleted_at as receiver_deleted_at
                  from delivery d join receiver r on r.id = d.receiver_id`;

export function createDeliveryRepository(db: Queryable) {
  async function recordAttempt(id: string, dispatchId: string, record: AttemptRecord, tx: Queryable = db): Promise<boolean> {
    const { rows } = await tx.query(
      `update delivery set status = $3::text, attempts = attempts + 1, last_status = $4, last_error = $5, last_attempt_at = $6, updated_at = $6,
              delivered_at = case when $3::text = 'delivered' then $6 else delivered_at end,
              dead_lettered_at = case when $3::text = 'dead_lettered' then $6 else dead_lettered_at end
        where id = $1 and dispatch_id = $2 returning id`,
      [id, dispatchId, record.status, record.lastStatus, record.lastError, record.at],
    );
    return rows.length === 1;
  }

  return {
    async insert(
      values: { id: string; notification: Notification; receiverId: string; dispatchId: string; correlationId: string | null },
      tx: Queryable = db,
    ): Promise<void> {
      await tx.query(
        `insert into delivery (id, notification_id, notification_kind, notification, receiver_id, dispatch_id, correlation_id)
         values ($1, $2, $3, $4, $5, $6, $7)`,
        [values.id, values.notification.id, values.notification.kind, JSON.stringify(values.notification), values.receiverId, values.dispatchId, values.correlationId],
      );
    },

    /** `insert` for many deliveries, in one statement. */
    async insertMany(
      values: Array<{ id: string; notification: Notification; receiverId: string; dispatchId: string; correlationId: string | null }>,
      tx: Queryable = db,
    ): Promise<void> {
      if (values.length === 0) return;
      await tx.query(
        `insert into delivery (id, notification_id, notification_kind, notification, receiver_id, dispatch_id, correlation_id)
         select r.id, r.notification_id, r.notification_kind, r.notification, r.receiver_id, r.dispatch_id, r.correlation_id
           from jsonb_to_recordset($1::jsonb) as r(id uuid, notification_id text, notification_kind text, notification jsonb, receiver_id uuid, dispatch_id uuid, correlation_id text)`,
        [
          JSON.stringify(
            values.map((value) => ({
              id: value.id,
              notification_id: value.notification.id,
              notification_kind: value.notification.kind,
              notification: value.notification,
              receiver_id: value.receiverId,
              dispatch_id: value.dispatchId,
              correlation_id: value.correlationId,
            })),
          ),
        ],
      );
    },

    async findById(id: string, tx: Queryable = db, options: { forUpdate?: boolean } = {}): Promise<ListedDeliveryRow | undefined> {
      const { rows } = await tx.query<ListedDeliveryRow>(`${LISTED} where d.id = $1${options.forUpdate ? ' for update of d' : ''}`, [id]);
      return rows[0];
    },

    /** `findById` for many deliveries, in one statement (the delivery jobs of one fetch); in no particular order. */
    async findByIds(ids: string[], tx: Queryable = db): Promise<ListedDeliveryRow[]> {
      if (ids.length === 0) return [];
      const { rows } = await tx.query<ListedDeliveryRow>(`${LISTED} where d.id = any($1::uuid[])`, [ids]);
      return rows;
    },

    /**
     * `recordAttempt` for many attempts in one statement (the delivery jobs that finished together); one answer per
     * attempt, in order. Attempts on the same delivery are recorded one after the other: one UPDATE changes a row once.
     */
    async recordAttempts(attempts: Array<AttemptRecord & { id: string; dispatchId: string }>, tx: Queryable = db): Promise<boolean[]> {
      if (new Set(attempts.map((attempt) => attempt.id)).size < attempts.length) {
        const recorded: boolean[] = [];
        for (const attempt of attempts) recorded.push(await recordAttempt(attempt.id, attempt.dispatchId, attempt, tx));
        return recorded;
      }
      const { rows } = await tx.query<{ id: string; dispatch_id: string }>(
        `update delivery d set status = r.status, attempts = d.attempts + 1, last_status = r.last_status, last_error = r.last_error, last_attempt_at = r.at, updated_at = r.at,
                delivered_at = case when r.status = 'delivered' then r.at else d.delivered_at end,
                dead_lettered_at = case when r.status = 'dead_lettered' then r.at else d.dead_lettered_at end
           from jsonb_to_recordset($1::jsonb) as r(id uuid, dispatch_id uuid, status text, last_status integer, last_error text, at timestamptz)
          where d.id = r.id and d.dispatch_id = r.dispatch_id returning d.id`,
        [
          JSON.stringify(
            attempts.map((attempt) => ({
              id: attempt.id,
              dispatch_id: attempt.dispatchId,
              status: attempt.status,
              last_status: attempt.lastStatus,
              last_error: attempt.lastError,
              at: attempt.at.toISOString(),
            })),
          ),
        ],
      );
      const recorded = new Set(rows.map((row) => row.id));
      return attempts.map((attempt) => recorded.has(attempt.id));
    },

    /**
     * Records an attempt, only while `dispatchId` is still the delivery's: a job superseded by a manual retry must
     * not overwrite what the newer one records. Returns false when it was superseded.
     */
    recordAttempt,

    /** Without an attempt (the receiver is gone): straight to dead letters. */
    async deadLetterUnsent(id: string, dispatchId: string, error: string, at: Date, tx: Queryable = db): Promise<boolean> {
      const { rows } = await tx.query(
        `update delivery set status = 'dead_lettered', last_error = $3, dead_lettered_at = $4, updated_at = $4
          where id = $1 and dispatch_id = $2 returning id`,
        [id, dispatchId, error, at],
      );
      return rows.length === 1;
    },

    /** A manual retry: pending again under a new dispatch id (the job sent with it is the only one that may send). */
    async redispatch(id: string, dispatchId: string, at: Date, tx: Queryable = db): Promise<void> {
      await tx.query(`update delivery set status = 'pending', dispatch_id = $2, dead_lettered_at = null, updated_at = $3 where id = $1`, [id, dispatchId, at]);
    },

    /**
     * Failed and dead-lettered deliveries whose notification carries an alert labelled with this contract or agent
     * (and sent to this receiver, when given): what self-healing's retry_delivery sends again. Oldest first.
     */
    async retryableConcerning(concerning: { contract: string | null; agentId: string | null; receiverId: string | null; limit: number }): Promise<string[]> {
      if (concerning.contract === null && concerning.agentId === null) return [];
      const { rows } = await db.query<{ id: string }>(
        `select d.id from delivery d
          where d.status in ('failed', 'dead_lettered') and ($3::uuid is null or d.receiver_id = $3)
            and exists (select 1 from jsonb_array_elements(d.notification->'alerts') a
                         where a->'labels'->>'contract' = $1 or a->'labels'->>'agent_id' = $2)
          order by d.id limit $4`,
        [concerning.contract, concerning.agentId, concerning.receiverId, concerning.limit],
      );
      return rows.map((row) => row.id);
    },

    /** The deliveries of these notifications (a scheduled report's run lists the notifications it handed over). */
    async listByNotificationIds(ids: string[]): Promise<ListedDeliveryRow[]> {
      if (ids.length === 0) return [];
      const { rows } = await db.query<ListedDeliveryRow>(`${LISTED} where d.notification_id = any($1::text[]) order by d.id`, [ids]);
      return rows;
    },

    /** Keyset pagination on id (UUIDv7), newest first. */
    async list(query: { status?: DeliveryStatus; receiverId?: string; limit: number; after?: string }): Promise<ListedDeliveryRow[]> {
      const where = whereClause();
      if (query.status) where.add((p) => `d.status = ${p}`, query.status);
      if (query.receiverId) where.add((p) => `d.receiver_id = ${p}`, query.receiverId);
      if (query.after) where.add((p) => `d.id < ${p}`, query.after);
      const limit = where.bind(query.limit);
      const { text, values } = where.build();
      const { rows } = await db.query<ListedDeliveryRow>(`${LISTED} ${text} order by d.id desc limit ${limit}`, values);
      return rows;
    },
  };
}

export type DeliveryRepository = ReturnType<typeof createDeliveryRepository>;
