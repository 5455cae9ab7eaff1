import { randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.js';
import type { Database, Queryable } from '../../platform/db/index.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/http/actor.js';
import { decodeCursor, pageOf } from '../../platform/http/cursor.js';
import { newId } from '../../platform/ids.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { AuditService } from '../audit/index.js';
import type { DeliveryRepository, ListedDeliveryRow } from './deliveries.repository.js';
import type { DeadLetteredDelivery, Notification, NotificationSink } from './notification.js';
import type { ReceiverRepository } from './receivers.repository.js';
import type { Delivery, ListDeliveriesQuery } from './receivers.schemas.js';

export const DELIVERY_QUEUE = 'receivers.deliver';
/** Deliveries one retry_delivery remediation sends again at most (the oldest first). */
const RETRY_CONCERNING_LIMIT = 100;

/** A delivery job's payload: the delivery, and the dispatch that allows this job to send it. */
export interface DeliveryJob {
  delivery_id: string;
  dispatch_id: string;
}

export function toDelivery(row: ListedDeliveryRow): Delivery {
  return {
    id: row.id,
    notification_id: row.notification_id,
    notification_kind: row.notification_kind,
    notification_status: row.notification.status,
    group_key: row.notification.groupKey,
    alerts: row.notification.alerts.length,
    receiver_id: row.receiver_id,
    receiver_name: row.receiver_name,
    receiver_kind: row.receiver_kind,
    status: row.status,
    attempts: row.attempts,
    last_status: row.last_status,
    last_error: row.last_error,
    correlation_id: row.correlation_id,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    last_attempt_at: row.last_attempt_at?.toISOString() ?? null,
    delivered_at: row.delivered_at?.toISOString() ?? null,
    dead_lettered_at: row.dead_lettered_at?.toISOString() ?? null,
  };
}

export interface DeliveryServiceDeps {
  db: Database;
  deliveries: DeliveryRepository;
  receivers: ReceiverRepository;
  /** The live receivers' names (receiver-names.ts keeps them between reads; the repository's read when absent). */
  receiverNames?: () => Promise<string[]>;
  jobs: Pick<JobQueue, 'send' | 'sendMany'>;
  audit: Pick<AuditService, 'append'>;
  clock: Clock;
  logger: Logger;
}

export function createDeliveryService({ db, deliveries, receivers, receiverNames, jobs, audit, clock, logger }: DeliveryServiceDeps) {
  const deadLetterListeners: Array<(delivery: DeadLetteredDelivery) => Promise<void>> = [];

  const sink: NotificationSink = {
    async enqueue(notification: Notification, options: { tx?: Queryable } = {}) {
      const enqueue = async (tx: Queryable) => {
        const receiver = await receivers.findByName(notification.receiver, tx);
        if (!receiver) throw notFound(`receiver "${notification.receiver}"`);
        const job: DeliveryJob = { delivery_id: newId(), dispatch_id: randomUUID() };
        const correlationId = notification.correlationId ?? null;
        await deliveries.insert({ id: job.delivery_id, notification, receiverId: receiver.id, dispatchId: job.dispatch_id, correlationId }, tx);
        // In the same transaction: the job exists exactly when the delivery row does.
        await jobs.send(DELIVERY_QUEUE, job, { tx, ...(correlationId ? { correlationId } : {}) });
      };
      if (options.tx) await enqueue(options.tx);
      else await db.transaction(enqueue);
    },
    async enqueueMany(notifications: Notification[], options: { tx?: Queryable } = {}) {
      if (notifications.length === 0) return;
      const enqueue = async (tx: Queryable) => {
        const receiverIds = new Map<string, string>();
        for (const name of new Set(notifications.map((notification) => notification.receiver))) {
          const receiver = await receivers.findByName(name, tx);
          if (!receiver) throw notFound(`receiver "${name}"`);
          receiverIds.set(name, receiver.id);
        }
        const rows = notifications.map((notification) => ({
          job: { delivery_id: newId(), dispatch_id: randomUUID() } satisfies DeliveryJob,
          notification,
          correlationId: notification.correlationId ?? null,
        }));
        await deliveries.insertMany(
          rows.map((row) => ({ id: row.job.delivery_id, notification: row.notification, receiverId: receiverIds.get(row.notification.receiver)!, dispatchId: row.job.dispatch_id, correlationId: row.correlationId })),
          tx,
        );
        // In the same transaction: the jobs exist exactly when the delivery rows do.
        await jobs.sendMany(
          DELIVERY_QUEUE,
          rows.map((row) => ({ data: row.job, ...(row.correlationId ? { correlationId: row.correlationId } : {}) })),
          { tx },
        );
      };
      if (options.tx) await enqueue(options.tx);
      else await db.transaction(enqueue);
    },
    receiverNames: receiverNames ?? (() => receivers.names()),
    onDeadLettered(listener) {
      deadLetterListeners.push(listener);
    },
  };

  /** Tells every listener, once the dead letter is committed; a listener that fails is logged, never retried. */
  async function announceDeadLetter(delivery: DeadLetteredDelivery, log: Logger): Promise<void> {
    for (const listener of deadLetterListeners) {
      try {
        await listener(delivery);
      } catch (error) {
        log.error({ err: error, delivery_id: delivery.deliveryId }, 'a dead-letter listener failed');
      }
    }
  }

  const service = {
    sink,
    announceDeadLetter,

    /**
     * Self-healing's retry_delivery: every failed or dead-lettered delivery about this contract or agent (to this
     * receiver, when named) sent again with a fresh retry budget, each audited like a manual retry. Returns their ids;
     * one that another retry took meanwhile (409) is left out.
     */
    async retryConcerning(actor: Actor, concerning: { contract: string | null; agentId: string | null; receiver: string | null }): Promise<string[]> {
      let receiverId: string | null = null;
      if (concerning.receiver !== null) {
        const receiver = await receivers.findByName(concerning.receiver);
        if (!receiver) return [];
        receiverId = receiver.id;
      }
      const ids = await deliveries.retryableConcerning({ contract: concerning.contract, agentId: concerning.agentId, receiverId, limit: RETRY_CONCERNING_LIMIT });
      const retried: string[] = [];
      for (const id of ids) {
        try {
          await service.retry(actor, id);
          retried.push(id);
        } catch (error) {
          if (!(error instanceof AppError && (error.code === 'conflict' || error.code === 'not_found'))) throw error;
        }
      }
      return retried;
    },

    async list(query: ListDeliveriesQuery): Promise<{ items: Delivery[]; next_cursor: string | null }> {
      const limit = query.limit ?? 50;
      const rows = await deliveries.list({ status: query.status, receiverId: query.receiver_id, limit: limit + 1, after: decodeCursor(query.cursor) });
      const page = pageOf(rows, limit);
      return { items: page.items.map(toDelivery), next_cursor: page.next_cursor };
    },

    /** The deliveries of these notifications, oldest first. */
    async byNotificationIds(ids: string[]): Promise<Delivery[]> {
      return (await deliveries.listByNotificationIds(ids)).map(toDelivery);
    },

    /**
     * Sends a failed or dead-lettered delivery again, now, with a fresh retry budget. The delivery gets a new
     * dispatch id, so a retry job of the old dispatch still waiting in the queue stands down when it runs.
     */
    async retry(actor: Actor, id: string): Promise<Delivery> {
      const retried = await db.transaction(async (tx) => {
        const row = await deliveries.findById(id, tx, { forUpdate: true });
        if (!row) throw notFound(`delivery ${id}`);
        if (row.status !== 'failed' && row.status !== 'dead_lettered') throw conflict(`delivery ${id} is ${row.status}: only failed or dead-lettered deliveries are retried`);
        if (!(await receivers.findById(row.receiver_id, tx))) throw conflict(`the receiver of delivery ${id} was deleted`);
        const job: DeliveryJob = { delivery_id: id, dispatch_id: randomUUID() };
        await deliveries.redispatch(id, job.dispatch_id, clock.now(), tx);
        // The original cause's correlation id, so the receiver's logs of the retry join the first attempts'.
        const correlationId = row.correlation_id ?? actor.correlationId;
        await jobs.send(DELIVERY_QUEUE, job, { tx, ...(correlationId ? { correlationId } : {}) });
        const updated = (await deliveries.findById(id, tx))!;
        await audit.append(tx, {
          actor: actor.id,
          action: 'delivery.retry',
          target: `delivery:${id}`,
          before: toDelivery(row),
          after: toDelivery(updated),
          correlationId: actor.correlationId,
        });
        return updated;
      });
      logger.info({ delivery_id: id, receiver_id: retried.receiver_id, correlation_id: actor.correlationId }, 'delivery retried by hand');
      return toDelivery(retried);
    },
  };
  return service;
}

export type DeliveryService = ReturnType<typeof createDeliveryService>;
