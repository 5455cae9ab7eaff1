import { describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db/index.js';
import { systemClock } from '../../platform/clock.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import { createLogger } from '../../platform/telemetry/logger.js';
import { createMetrics } from '../../platform/telemetry/metrics.js';
import type { NotificationSink } from '../receivers/notification.js';
import { ALERTS_EVALUATE_QUEUE, ALERTS_PRUNE_QUEUE, ALERTS_SCHEDULE_QUEUE, createAlertsModule } from './index.js';

/** ALERTS_ENABLED: what the module asks of the job queue with evaluation on, and that it asks nothing with it off. */
function moduleWith(enabled: boolean) {
  const sent: string[] = [];
  const scheduled: string[] = [];
  const jobs: Pick<JobQueue, 'define' | 'schedule' | 'send'> = {
    define: () => {},
    schedule: (schedule) => {
      scheduled.push(schedule.queue);
    },
    send: async (queue) => {
      sent.push(queue);
      return 'job-id';
    },
  };
  const sink = { onDeadLettered: () => {} } as unknown as NotificationSink;
  // The database is never reached: nothing here evaluates or records (a query would throw on this empty object).
  const alerts = createAlertsModule({
    db: {} as Database,
    metrics: createMetrics(),
    logger: createLogger({ level: 'silent' }),
    clock: systemClock,
    audit: { append: async () => {} } as never,
    jobs,
    sink,
    streams: async () => [],
    enabled,
    evaluationIntervalMs: 15_000,
    baseUrl: 'http://127.0.0.1:8080',
  });
  return { alerts, sent, scheduled };
}

describe('ALERTS_ENABLED', () => {
  it('on: schedules the periodic evaluation and queues one when asked', async () => {
    const { alerts, sent, scheduled } = moduleWith(true);
    alerts.requestEvaluation('violations', 'request-1');
    await new Promise((resolve) => setImmediate(resolve));
    expect(scheduled).toEqual([ALERTS_SCHEDULE_QUEUE, ALERTS_PRUNE_QUEUE]);
    expect(sent).toEqual([ALERTS_EVALUATE_QUEUE]);
  });

  it('off: schedules no evaluation, queues nothing, records no signal; retention still runs', async () => {
    const { alerts, sent, scheduled } = moduleWith(false);
    alerts.requestEvaluation('violations', 'request-1');
    await alerts.signatureRejected({ sourceId: 'source-1', correlationId: 'request-2' });
    await new Promise((resolve) => setImmediate(resolve));
    // Alerts resolved while alerting was on still age out (ALERTS_RESOLVED_RETENTION): retention is data hygiene.
    expect(scheduled).toEqual([ALERTS_PRUNE_QUEUE]);
    expect(sent).toEqual([]);
  });
});
