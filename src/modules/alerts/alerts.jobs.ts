/**
 * Evaluation as jobs: a scheduled one (once per ALERTS_EVALUATION_INTERVAL across replicas, the safety net and the
 * clock for time-based rules such as agent_silent), and prompt ones sent after the writes that can change an alert
 * commit. A prompt evaluation carries the rule kinds its writes can change (evaluation-scope.ts) and evaluates only
 * those rules; the scheduled and timer evaluations evaluate every rule. Prompt sends of the same kinds share one
 * singleton key, so a burst of writes queues one evaluation, not one each; a timer job is sent for the moment a
 * pending alert's `for` ends or a group's wait is over, once per process while it is surely still waiting.
 */
import type { Clock } from '../../platform/clock.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { AlertEvaluator } from './alert-evaluator.js';
import type { RuleKind } from './alert-rules-document.js';
import type { AlertMetrics } from './alerts.metrics.js';
import { mergeScope, scopeKinds, type EvaluationScope } from './evaluation-scope.js';

export const ALERTS_EVALUATE_QUEUE = 'alerts.evaluate';
/**
 * A timer this process sent is not sent again while it is at least this far ahead: it is surely still waiting (the
 * queue starts it on the database's clock, which may be a little ahead of this process's). Closer to its moment, a
 * send goes to the queue as before, whose singleton key keeps one waiting job per second.
 */
export const TIMER_RESEND_MARGIN_MS = 5_000;
export const ALERTS_SCHEDULE_QUEUE = 'alerts.evaluate.schedule';

export interface EvaluatePayload {
  trigger: 'trigger' | 'timer';
  /** A prompt evaluation's rule kinds (absent: every rule, as timers and jobs queued before scoping existed). */
  kinds?: RuleKind[];
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
  /**
   * The seconds of the timers this process sent (or found already waiting) that are still ahead. An evaluation that
   * leaves an alert pending or a group waiting asks for the same wake-up at every evaluation until then (a firing
   * group's repeat, hours away, at each of a few evaluations a second): each ask was one more insert the queue
   * ignored.
   */
  const timersAhead = new Set<number>();

  async function run(trigger: string, correlationId: string, scope: EvaluationScope): Promise<void> {
    try {
      const report = await deps.evaluate(correlationId, scope);
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
    const wallNow = Date.now();
    const second = Math.ceil((wallNow + delayMs) / 1000);
    for (const ahead of timersAhead) if (ahead * 1000 - wallNow < TIMER_RESEND_MARGIN_MS) timersAhead.delete(ahead);
    if (timersAhead.has(second)) return;
    await jobs.send<EvaluatePayload>(ALERTS_EVALUATE_QUEUE, { trigger: 'timer' }, { singletonKey: `timer:${second}`, startAfter: new Date(second * 1000), correlationId });
    // Sent, or refused because a job of that key already waits (null): either way one waits for that second.
    if (second * 1000 - wallNow >= TIMER_RESEND_MARGIN_MS) timersAhead.add(second);
  }

  jobs.define<EvaluatePayload>({
    queue: ALERTS_EVALUATE_QUEUE,
    // Evaluations serialise on an advisory lock anyway; one at a time per process leaves workers to other queues.
    concurrency: 1,
    retryLimit: 2,
    retryDelaySeconds: 1,
    timeoutSeconds: 120,
    handler: async (job) => run(job.data.trigger, job.correlationId, job.data.trigger === 'trigger' && job.data.kinds ? new Set(job.data.kinds) : 'all'),
  });
  jobs.define({ queue: ALERTS_SCHEDULE_QUEUE, retryLimit: 0, timeoutSeconds: 120, handler: async (job) => run('schedule', job.correlationId, 'all') });
  if (deps.scheduled ?? true) jobs.schedule({ queue: ALERTS_SCHEDULE_QUEUE, intervalMs: deps.intervalMs });

  const debounceMs = deps.debounceMs ?? 0;
  let sending: Promise<unknown> | undefined;
  /** When the last prompt evaluation was sent (performance.now()), for the debounce window. */
  let lastSentAt = Number.NEGATIVE_INFINITY;
  /**
   * The trailing send of the current window: the correlation id of the first request it stands for, and the union
   * of the kinds of all of them.
   */
  let trailing: { correlationId: string | undefined; scope: EvaluationScope } | undefined;

  /** Requests that came while a send was in flight: that send's job may already be running without their writes. */
  let again: { correlationId: string | undefined; scope: EvaluationScope } | undefined;

  function sendPrompt(scope: EvaluationScope, correlationId: string | undefined): void {
    if (sending) {
      if (again) again.scope = mergeScope(again.scope, scope);
      else again = { correlationId, scope };
      return;
    }
    lastSentAt = performance.now();
    const kinds = scopeKinds(scope);
    // One waiting job per set of kinds: a send dropped for a waiting twin loses nothing, since the twin evaluates the
    // same rules after this write committed; a send of other kinds is queued beside it.
    const singletonKey = kinds ? `trigger:${kinds.join(',')}` : 'trigger';
    sending = jobs
      .send<EvaluatePayload>(ALERTS_EVALUATE_QUEUE, { trigger: 'trigger', ...(kinds ? { kinds } : {}) }, { singletonKey, ...(correlationId ? { correlationId } : {}) })
      .catch((error: unknown) => logger.warn({ err: error }, 'could not request an alert evaluation; the schedule will catch up'))
      .finally(() => {
        sending = undefined;
        const pending = again;
        again = undefined;
        // Through the debounce again: a request folded into a send in flight costs one more send, not one each.
        if (pending) requestEvaluation(pending.scope, pending.correlationId);
      });
  }

  function requestEvaluation(scope: EvaluationScope, correlationId?: string): void {
    if (trailing) {
      trailing.scope = mergeScope(trailing.scope, scope);
      return;
    }
    const sinceLast = performance.now() - lastSentAt;
    if (sinceLast >= debounceMs) {
      sendPrompt(scope, correlationId);
      return;
    }
    const timer = setTimeout(() => {
      const pending = trailing!;
      trailing = undefined;
      sendPrompt(pending.scope, pending.correlationId);
    }, debounceMs - sinceLast);
    // A pending trailing send must not keep a stopping process alive: the schedule catches up after a restart.
    timer.unref();
    trailing = { correlationId, scope };
  }

  return {
    /**
     * Asks for an evaluation soon (after a write that can change an alert committed). Never throws: the scheduled
     * evaluation catches up with whatever a failed request missed. Debounced: the first request after a quiet
     * window is sent at once (an isolated event is not delayed); requests within the window after it are folded
     * into one send at the window's end — every write is still followed by an evaluation that sees it, but a burst
     * of writes costs one evaluation per window instead of one per write. `scope`: the rule kinds the write can
     * change; a window's send evaluates the union of its requests' kinds.
     */
    requestEvaluation,
  };
}
