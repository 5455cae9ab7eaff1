/**
 * The approvals module's background work, on worker processes: the expiry sweep (once per APPROVALS_EXPIRY_INTERVAL
 * across replicas), the callback of each closed approval (one durable job, retried with backoff, then dead-lettered),
 * and the answers to Slack through an interaction's response_url.
 */
import type { Clock } from '../../platform/clock.js';
import type { SecretBox } from '../../platform/crypto/secret-box.js';
import type { JobContext, JobQueue } from '../../platform/jobs/index.js';
import { OutboundError, isTransientStatus, type OutboundClient } from '../../platform/outbound/index.js';
import { attemptCallback } from './approval-callback.js';
import type { ApprovalMetrics } from './approvals.metrics.js';
import type { ApprovalRepository } from './approvals.repository.js';
import { APPROVALS_CALLBACK_QUEUE, type ApprovalService, type CallbackJob } from './approvals.service.js';
import { SLACK_RESPONSE_QUEUE, slackResponseContext, type SlackResponseJob } from './slack-approvals.js';

export const APPROVALS_EXPIRE_QUEUE = 'approvals.expire';

export interface ApprovalJobSettings {
  expiryIntervalMs: number;
  /** APPROVALS_CALLBACK_RETRIES: attempts after the first before a callback is dead-lettered. */
  callbackRetries: number;
  callbackRetryDelaySeconds: number;
}

/** Thrown to have the queue retry with its backoff. */
class RetryLater extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryLater';
  }
}

export function registerApprovalJobs(
  jobs: Pick<JobQueue, 'define' | 'schedule'>,
  deps: {
    service: Pick<ApprovalService, 'expireDue'>;
    repository: ApprovalRepository;
    outbound: Pick<OutboundClient, 'request'>;
    box: SecretBox;
    clock: Clock;
    metrics: ApprovalMetrics;
    settings: ApprovalJobSettings;
  },
): void {
  const { repository, metrics, settings } = deps;
  const lastAttempt = settings.callbackRetries + 1;

  jobs.define({
    queue: APPROVALS_EXPIRE_QUEUE,
    retryLimit: 0,
    timeoutSeconds: 120,
    handler: async (job) => {
      const expired = await deps.service.expireDue(deps.clock.now());
      if (expired > 0) job.logger.info({ expired }, 'approvals expired');
    },
  });
  jobs.schedule({ queue: APPROVALS_EXPIRE_QUEUE, intervalMs: settings.expiryIntervalMs });

  jobs.define<CallbackJob>({
    queue: APPROVALS_CALLBACK_QUEUE,
    // The handler dead-letters on its last attempt; the spare one only runs when that attempt never finished.
    retryLimit: settings.callbackRetries + 1,
    retryDelaySeconds: settings.callbackRetryDelaySeconds,
    timeoutSeconds: 120,
    handler: async (job: JobContext<CallbackJob>) => {
      const row = await repository.findById(job.data.approval_id);
      if (!row || row.callback_url_sealed === null || (row.callback_status !== 'pending' && row.callback_status !== 'failed')) return;
      const attempt = await attemptCallback(deps, row, job.correlationId);
      const status = attempt.result === 'delivered' ? 'delivered' : attempt.result === 'final' || job.attempt >= lastAttempt ? 'dead_lettered' : 'failed';
      await repository.recordCallbackAttempt(row.id, { status, lastStatus: attempt.status, lastError: attempt.result === 'delivered' ? null : attempt.error, at: deps.clock.now() });
      const fields = { approval_id: row.id, status: attempt.status, attempt: job.attempt };
      if (status === 'delivered') {
        metrics.callback('delivered');
        job.logger.debug(fields, 'approval callback delivered');
      } else if (status === 'dead_lettered') {
        metrics.callback('dead_lettered');
        job.logger.error({ ...fields, error: attempt.result === 'delivered' ? null : attempt.error }, 'approval callback dead-lettered: the outcome was not delivered');
      } else {
        metrics.callback('retried');
        throw new RetryLater(`the callback of approval ${row.id} failed; it will be retried: ${attempt.result === 'delivered' ? '' : attempt.error}`);
      }
    },
  });

  jobs.define<SlackResponseJob>({
    queue: SLACK_RESPONSE_QUEUE,
    retryLimit: 5,
    retryDelaySeconds: 2,
    timeoutSeconds: 60,
    handler: async (job) => {
      const url = deps.box.open(job.data.url_sealed, slackResponseContext(job.data.nonce));
      try {
        const answer = await deps.outbound.request(
          { kind: 'callback', id: 'slack' },
          { url, method: 'POST', headers: { 'content-type': 'application/json' }, body: job.data.body, retries: 0, correlationId: job.correlationId },
        );
        if (answer.status >= 200 && answer.status < 300) return;
        if (isTransientStatus(answer.status)) throw new RetryLater(`Slack answered HTTP ${answer.status} to the response_url; retried`);
        // Slack refuses for good (an expired or overused response_url): asking again gets the same answer.
        job.logger.warn({ status: answer.status }, 'Slack refused the message update; it is not retried');
      } catch (error) {
        if (error instanceof OutboundError && (error.reason === 'refused' || error.reason === 'too_large')) {
          job.logger.warn({ reason: error.reason }, 'the Slack response_url cannot be called; the message update is dropped');
          return;
        }
        throw error;
      }
    },
  });
}
