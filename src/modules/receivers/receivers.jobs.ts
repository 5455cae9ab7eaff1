import type { Clock } from '../../platform/clock.js';
import type { SecretBox } from '../../platform/crypto/secret-box.js';
import type { JobContext, JobQueue } from '../../platform/jobs/index.js';
import type { OutboundClient } from '../../platform/outbound/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import { DELIVERY_QUEUE, type DeliveryJob } from './deliveries.service.js';
import type { DeliveryRepository, ListedDeliveryRow } from './deliveries.repository.js';
import type { DeliveryBatches } from './delivery-batches.js';
import type { DeadLetteredDelivery } from './notification.js';
import { attemptDelivery } from './receiver-attempt.js';
import type { ReceiverCache } from './receiver-cache.js';
import type { ReceiverRepository } from './receivers.repository.js';
import type { ReceiverMetrics } from './receivers.metrics.js';
import { openReceiver } from './receivers.service.js';

export interface DeliverySettings {
  /** DELIVERY_RETRIES: attempts after the first before a delivery is dead-lettered. */
  retries: number;
  /** DELIVERY_RETRY_DELAY in whole seconds: the backoff base (retry n waits d·2^(n−1) to d·2^n). */
  retryDelaySeconds: number;
  /** Deliveries one worker process sends at once. */
  concurrency: number;
  /** OUTBOUND_TIMEOUT: the longest one attempt waits on its receiver. */
  attemptTimeoutMs: number;
}

/** Room past the receiver's timeout for the attempt's own database writes, even on a loaded database. */
const ATTEMPT_MARGIN_SECONDS = 15;

export interface DeliveryJobDeps {
  deliveries: Pick<DeliveryRepository, 'deadLetterUnsent'>;
  /** The hot path's read and attempt write, shared with the jobs running beside this one (delivery-batches.ts). */
  batches: DeliveryBatches;
  receivers: ReceiverRepository;
  /** Opened receivers kept between deliveries (receiver-cache.ts). */
  receiverCache: ReceiverCache;
  box: SecretBox;
  outbound: Pick<OutboundClient, 'request'>;
  clock: Clock;
  metrics: ReceiverMetrics;
  announceDeadLetter: (delivery: DeadLetteredDelivery, logger: Logger) => Promise<void>;
  settings: DeliverySettings;
}

/** Thrown to have the job queue retry the delivery with its backoff. */
class DeliveryAttemptFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryAttemptFailed';
  }
}

/**
 * One delivery attempt per job run. The delivery row, not the job, says what happened: a 2xx marks it delivered; a
 * final answer (a 4xx other than 408/429, a 3xx, a URL the SSRF guard refuses) dead-letters it at once, with the
 * answer recorded; a transient failure marks it failed and throws, so that the queue retries it with backoff, until
 * the last attempt dead-letters it. A job whose dispatch is no longer the delivery's (a manual retry replaced it)
 * or that finds the delivery finished (it ran again after a crash) stands down: delivery is at least once, and the
 * `webhook-id` lets receivers drop the rare duplicate.
 */
export function deliveryHandler(deps: DeliveryJobDeps) {
  const lastAttempt = deps.settings.retries + 1;

  async function deadLettered(row: ListedDeliveryRow, error: string, logger: Logger): Promise<void> {
    deps.metrics.delivery(row.receiver_kind, 'dead_lettered');
    logger.error({ delivery_id: row.id, receiver: row.receiver_name, receiver_kind: row.receiver_kind, error }, 'delivery dead-lettered: the notification was not delivered');
    await deps.announceDeadLetter(
      {
        deliveryId: row.id,
        receiver: row.receiver_name,
        receiverKind: row.receiver_kind,
        notificationId: row.notification_id,
        lastError: error,
        correlationId: row.correlation_id ?? undefined,
      },
      logger,
    );
  }

  return async function deliver(job: JobContext<DeliveryJob>): Promise<void> {
    const { delivery_id: id, dispatch_id: dispatchId } = job.data;
    const logger = job.logger.child({ delivery_id: id });
    const row = await deps.batches.findById(id);
    if (!row || row.dispatch_id !== dispatchId || row.status === 'delivered' || row.status === 'dead_lettered') {
      logger.debug({ status: row?.status ?? null }, 'delivery job stands down: the delivery is finished or was dispatched again');
      return;
    }
    const receiver =
      row.receiver_deleted_at === null
        ? await deps.receiverCache.open(row.receiver_id, row.receiver_updated_at, async () => {
            const receiverRow = await deps.receivers.findById(row.receiver_id);
            return receiverRow && { receiver: openReceiver(deps.box, receiverRow), updatedAt: receiverRow.updated_at };
          })
        : undefined;
    if (!receiver) {
      const error = 'the receiver was deleted before the notification could be delivered';
      if (await deps.deliveries.deadLetterUnsent(id, dispatchId, error, deps.clock.now())) await deadLettered(row, error, logger);
      return;
    }
    const outcome = await attemptDelivery(deps, receiver, row.notification, job.correlationId);
    const status = outcome.result === 'delivered' ? 'delivered' : outcome.result === 'final' || job.attempt >= lastAttempt ? 'dead_lettered' : 'failed';
    const error = outcome.result === 'delivered' ? null : outcome.error;
    const recorded = await deps.batches.recordAttempt(id, dispatchId, { status, lastStatus: outcome.status, lastError: error, at: deps.clock.now() });
    if (!recorded) {
      logger.info('the delivery was dispatched again while this attempt ran; its outcome is not recorded');
      return;
    }
    const fields = { receiver: receiver.name, receiver_kind: receiver.kind, status: outcome.status, duration_ms: outcome.durationMs };
    if (status === 'delivered') {
      deps.metrics.delivery(receiver.kind, 'delivered');
      logger.debug(fields, 'notification delivered');
    } else if (status === 'dead_lettered') {
      await deadLettered({ ...row, receiver_name: receiver.name, receiver_kind: receiver.kind }, error!, logger.child(fields));
    } else {
      deps.metrics.delivery(receiver.kind, 'retried');
      throw new DeliveryAttemptFailed(`delivery to receiver ${receiver.name} failed; it will be retried: ${error}`);
    }
  };
}

/**
 * The delivery queue. Its retry limit has one attempt more than DELIVERY_RETRIES: the handler dead-letters on the
 * last attempt itself, and the spare one only runs when that attempt never finished (the process died during it).
 */
export function registerDeliveryJobs(jobs: Pick<JobQueue, 'define'>, deps: DeliveryJobDeps): void {
  jobs.define<DeliveryJob>({
    queue: DELIVERY_QUEUE,
    handler: deliveryHandler(deps),
    concurrency: deps.settings.concurrency,
    retryLimit: deps.settings.retries + 1,
    retryDelaySeconds: deps.settings.retryDelaySeconds,
    // One attempt is one request (no retries inside it) bounded by OUTBOUND_TIMEOUT. An attempt cut off by a crash
    // runs again once this has passed (plus JOBS_MAINTENANCE_INTERVAL), so it is kept as short as that bound allows.
    timeoutSeconds: Math.ceil(deps.settings.attemptTimeoutMs / 1000) + ATTEMPT_MARGIN_SECONDS,
  });
}
