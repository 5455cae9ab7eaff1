import { describe, expect, it } from 'vitest';
import { systemClock } from '../../platform/clock.js';
import type { JobContext, JobDefinition, JobQueue, SendOptions } from '../../platform/jobs/index.js';
import { createLogger } from '../../platform/telemetry/logger.js';
import { createMetrics } from '../../platform/telemetry/metrics.js';
import type { EvaluationReport } from './alert-evaluator.js';
import { ALERTS_EVALUATE_QUEUE, ALERTS_SCHEDULE_QUEUE, registerAlertJobs, TIMER_RESEND_MARGIN_MS, type EvaluatePayload } from './alerts.jobs.js';
import { createAlertMetrics } from './alerts.metrics.js';
import { scopeOf, type EvaluationScope } from './evaluation-scope.js';

/** Prompt evaluations carry the rule kinds of the writes they stand for; a debounced burst carries their union. */
interface Sent {
  data: EvaluatePayload;
  options: SendOptions;
}

function harness(debounceMs: number, wakeAt: () => Date | undefined = () => undefined) {
  const sent: Sent[] = [];
  const definitions = new Map<string, JobDefinition<EvaluatePayload>>();
  const scopes: EvaluationScope[] = [];
  let hold: Promise<void> | undefined;
  let onSend: (() => void) | undefined;
  const jobs: Pick<JobQueue, 'define' | 'schedule' | 'send'> = {
    define: (definition) => {
      definitions.set(definition.queue, definition as JobDefinition<EvaluatePayload>);
    },
    schedule: () => {},
    send: async (_queue, data, options = {}) => {
      sent.push({ data: data as EvaluatePayload, options });
      onSend?.();
      if (hold) await hold;
      return 'job-id';
    },
  };
  const report = (): EvaluationReport => ({ firing: 0, pending: 0, resolved: 0, notifications: 0, wakeAt: wakeAt() });
  const alertJobs = registerAlertJobs(jobs, {
    evaluate: async (_correlationId, scope) => {
      scopes.push(scope ?? 'all');
      return report();
    },
    metrics: createAlertMetrics(createMetrics().registry),
    logger: createLogger({ level: 'silent' }),
    clock: systemClock,
    intervalMs: 15_000,
    debounceMs,
  });
  return {
    alertJobs,
    sent,
    scopes,
    definitions,
    /** Resolves once `count` sends were made. */
    sends: (count: number) =>
      new Promise<void>((resolve) => {
        if (sent.length >= count) return resolve();
        onSend = () => {
          if (sent.length >= count) resolve();
        };
      }),
    holdSends() {
      let release!: () => void;
      hold = new Promise((resolve) => (release = resolve));
      return () => {
        hold = undefined;
        release();
      };
    },
  };
}

const run = (definition: JobDefinition<EvaluatePayload>, data: EvaluatePayload) => definition.handler({ data, correlationId: 'job-1' } as unknown as JobContext<EvaluatePayload>);

describe('alert evaluation requests', () => {
  it('sends the first request at once with its kinds, and the rest of the window as one send of their union', async () => {
    const { alertJobs, sent, sends } = harness(40);
    alertJobs.requestEvaluation(scopeOf(['violations']), 'request-1');
    alertJobs.requestEvaluation(scopeOf(['gaps']), 'request-2');
    alertJobs.requestEvaluation(scopeOf(['violations']), 'request-3');
    alertJobs.requestEvaluation(scopeOf(['silences']), 'request-4');
    await sends(2);
    expect(sent).toEqual([
      { data: { trigger: 'trigger', kinds: ['violations'] }, options: { singletonKey: 'trigger:violations', correlationId: 'request-1' } },
      { data: { trigger: 'trigger', kinds: ['gap_opened', 'violations'] }, options: { singletonKey: 'trigger:gap_opened,violations', correlationId: 'request-2' } },
    ]);
  });

  it('folds the requests made while a send is in flight into one more send of their union', async () => {
    const { alertJobs, sent, sends, holdSends } = harness(0);
    const release = holdSends();
    alertJobs.requestEvaluation(scopeOf(['violations']), 'request-1');
    await sends(1);
    alertJobs.requestEvaluation(scopeOf(['incidents']), 'request-2');
    alertJobs.requestEvaluation(scopeOf(['backups']), 'request-3');
    release();
    await sends(2);
    expect(sent.map((send) => [send.data.kinds, send.options.singletonKey, send.options.correlationId])).toEqual([
      [['violations'], 'trigger:violations', 'request-1'],
      [['backup_failed', 'backup_stale', 'incident_opened'], 'trigger:backup_failed,backup_stale,incident_opened', 'request-2'],
    ]);
  });

  it('evaluates a prompt job\'s kinds only; timers, the schedule and jobs without kinds evaluate every rule', async () => {
    const { definitions, scopes } = harness(0);
    const evaluateQueue = definitions.get(ALERTS_EVALUATE_QUEUE)!;
    await run(evaluateQueue, { trigger: 'trigger', kinds: ['violations', 'gap_opened'] });
    await run(evaluateQueue, { trigger: 'trigger' });
    await run(evaluateQueue, { trigger: 'timer' });
    await run(definitions.get(ALERTS_SCHEDULE_QUEUE)!, { trigger: 'timer' });
    expect(scopes).toEqual([new Set(['violations', 'gap_opened']), 'all', 'all', 'all']);
  });

  it('sends a timer for a moment well ahead once, and again once the moment is near or another is asked for', async () => {
    let wakeAt: Date | undefined;
    const { definitions, sent } = harness(0, () => wakeAt);
    const evaluateQueue = definitions.get(ALERTS_EVALUATE_QUEUE)!;
    const timers = () => sent.filter((send) => send.data.trigger === 'timer').map((send) => send.options.singletonKey);
    const secondOf = (at: Date) => Math.ceil(at.getTime() / 1000);
    // Half-way through a second: the milliseconds between the evaluator's clock and the wall clock never change it.
    const ahead = (ms: number) => new Date(Math.floor((Date.now() + ms) / 1000) * 1000 + 500);

    // A firing group's repeat, hours ahead, asked for by every evaluation until then: one send.
    const repeat = ahead(4 * 3_600_000);
    wakeAt = repeat;
    await run(evaluateQueue, { trigger: 'trigger', kinds: ['violations'] });
    await run(evaluateQueue, { trigger: 'trigger', kinds: ['violations'] });
    await run(definitions.get(ALERTS_SCHEDULE_QUEUE)!, { trigger: 'timer' });
    expect(timers()).toEqual([`timer:${secondOf(repeat)}`]);

    // An earlier moment is another timer; the first one is still known to wait.
    const groupInterval = ahead(60_000);
    wakeAt = groupInterval;
    await run(evaluateQueue, { trigger: 'trigger', kinds: ['violations'] });
    wakeAt = repeat;
    await run(evaluateQueue, { trigger: 'trigger', kinds: ['violations'] });
    expect(timers()).toEqual([`timer:${secondOf(repeat)}`, `timer:${secondOf(groupInterval)}`]);

    // Within the margin of its moment a timer may already have started (the queue's clock may be ahead): it is sent
    // every time, and the queue's singleton key decides.
    const near = ahead(TIMER_RESEND_MARGIN_MS - 1_500);
    wakeAt = near;
    await run(evaluateQueue, { trigger: 'trigger', kinds: ['violations'] });
    await run(evaluateQueue, { trigger: 'trigger', kinds: ['violations'] });
    expect(timers().slice(2)).toEqual([`timer:${secondOf(near)}`, `timer:${secondOf(near)}`]);
  });
});
