/**
 * Evaluation as jobs: a scheduled one (once per ALERTS_EVALUATION_INTERVAL across replicas, the safety net and the
 * clock for time-based rules such as agent_silent), and prompt ones sent after the writes that can change an alert
 * commit. Prompt sends share one singleton key, so a burst of writes queues one evaluation, not one each; a timer
 * job is sent for the moment a pending alert's `for` ends or a group's wait is over.
 */
import type { Clock } from '../../platform/clock.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { AlertEvaluator } from './alert-evaluator.js';
import type { AlertMetrics } from './alerts.metrics.js';

export const ALERTS_EVALUATE_QUEUE = 'alerts.evaluate';
export const ALERTS_SCHEDULE_QUEUE = 'alerts.evaluate.schedule';

export interface EvaluatePayload {
  trigger: 'trigger' | 'timer';
}

export function registerAlertJobs(
  jobs: Pick<JobQueue, 'define' | 'schedule' | 'send'>,
  deps: {
    evaluate: AlertEvaluator;
    metrics: AlertMetrics;
    logger: Logger;
    clock: Clock;
    intervalMs: number;
    /** false (ALERTS_ENABLED=false): no scheduled evaluation. */
    scheduled?: boolean;
    /** ALERTS_EVALUATION_DEBOUNCE: prompt evaluations are sent at most once per this window (0: on every request). */
    debounceMs?: number;
  },
) {
  const { metrics, logger } = deps;

  async function run(trigger: string, correlationId: string): Promise<void> {
    try {
      const report = await deps.evaluate(correlationId);
      metrics.evaluations.inc({ trigger, outcome: 'ok' });
      if (report.wakeAt) await scheduleTimer(report.wakeAt, correlationId);
    } catch (error) {
      metrics.evaluations.inc({ trigger, outcome: 'failed' });
      throw error;
    }
  }

  async function scheduleTimer(at: Date, correlationId: string): Promise<void> {
    // The wake-up time is on the evaluator's clock; the queue starts jobs on the wall clock. Send the timer after the
    // same delay from now, and never for a moment already past: an evaluation that left something due behind (a
    // group whose receiver is gone) must not re-run at once, forever — the schedule picks it up.
    const delayMs = at.getTime() - deps.clock.now().getTime();
    if (delayMs <= 0) return;
    // One timer job per second of wake-up time: timers for different moments coexist, the same moment once.
    const second = Math.ceil((Date.now() + delayMs) / 1000);
    await jobs.send<EvaluatePayload>(ALERTS_EVALUATE_QUEUE, { trigger: 'timer' }, { singletonKey: `timer:${second}`, startAfter: new Date(second * 1000), correlationId });
  }

  jobs.define<EvaluatePayload>({
    queue: ALERTS_EVALUATE_QUEUE,
    // Evaluations serialise on an advisory lock anyway; one at a time per process leaves workers to other queues.
    concurrency: 1,
    retryLimit: 2,
    retryDelaySeconds: 1,
    timeoutSeconds: 120,
    handler: async (job) => run(job.data.trigger, job.correlationId),
  });
  jobs.define({ queue: ALERTS_SCHEDULE_QUEUE, retryLimit: 0, timeoutSeconds: 120, handler: async (job) => run('schedule', job.correlationId) });
  if (deps.scheduled ?? true) jobs.schedule({ queue: ALERTS_SCHEDULE_QUEUE, intervalMs: deps.intervalMs });

  const debounceMs = deps.debounceMs ?? 0;
  let sending: Promise<unknown> | undefined;
  /** When the last prompt evaluation was sent (performance.now()), for the debounce window. */
  let lastSentAt = Number.NEGATIVE_INFINITY;
  /** The trailing send of the current window, and the correlation id of the first request it stands for. */
  let trailing: { correlationId: string | undefined } | undefined;

  /** A request that came while a send was in flight: that send's job may already be running without its write. */
  let again: { correlationId: string | undefined } | undefined;

  function sendPrompt(correlationId: string | undefined): void {
    if (sending) {
      again ??= { correlationId };
      return;
    }
    lastSentAt = performance.now();
    sending = jobs
      .send<EvaluatePayload>(ALERTS_EVALUATE_QUEUE, { trigger: 'trigger' }, { singletonKey: 'trigger', ...(correlationId ? { correlationId } : {}) })
      .catch((error: unknown) => logger.warn({ err: error }, 'could not request an alert evaluation; the schedule will catch up'))
      .finally(() => {
        sending = undefined;
        const pending = again;
        again = undefined;
        // Through the debounce again: a request folded into a send in flight costs one more send, not one each.
        if (pending) requestEvaluation(pending.correlationId);
      });
  }

  function requestEvaluation(correlationId?: string): void {
    if (trailing) return;
    const sinceLast = performance.now() - lastSentAt;
    if (sinceLast >= debounceMs) {
      sendPrompt(correlationId);
      return;
    }
    const timer = setTimeout(() => {
      const pending = trailing;
      trailing = undefined;
      sendPrompt(pending?.correlationId);
    }, debounceMs - sinceLast);
    // A pending trailing send must not keep a stopping process alive: the schedule catches up after a restart.
    timer.unref();
    trailing = { correlationId };
  }

  return {
    /**
     * Asks for an evaluation soon (after a write that can change an alert committed). Never throws: the scheduled
     * evaluation catches up with whatever a failed request missed. Debounced: the first request after a quiet
     * window is sent at once (an isolated event is not delayed); requests within the window after it are folded
     * into one send at the window's end — every write is still followed by an evaluation that sees it, but a burst
     * of writes costs one evaluation per window instead of one per write.
     */
    requestEvaluation,
  };
}
