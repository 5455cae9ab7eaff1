import { describe, expect, it } from 'vitest';
import type { JobContext, JobDefinition, ScheduleDefinition } from '../../platform/jobs/index.js';
import { createLogger } from '../../platform/telemetry/logger.js';
import { registerSyncJobs, SYNC_SWEEP_QUEUE } from './sync.jobs.js';
import { createSweeper, type SweepReport } from './sync.sweeper.js';

const REPORT: SweepReport = { skipped: false, stale_opened: 0, missing_opened: 0, retried_events: 0, caught_up_events: 0, forgotten: 0 };
const logger = createLogger({ level: 'silent' });

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

function recordingQueue() {
  const defined: Array<JobDefinition<unknown>> = [];
  const scheduled: ScheduleDefinition[] = [];
  return {
    defined,
    scheduled,
    define: <Payload>(definition: JobDefinition<Payload>) => void defined.push(definition as JobDefinition<unknown>),
    schedule: (definition: ScheduleDefinition) => void scheduled.push(definition),
  };
}

const job: JobContext<unknown> = { id: 'j1', queue: SYNC_SWEEP_QUEUE, data: null, attempt: 1, correlationId: 'j1', logger, signal: new AbortController().signal };

describe('sync sweeper', () => {
  it('never overlaps itself: a second sweep waits for the one in flight, then sweeps', async () => {
    const gate = deferred();
    let calls = 0;
    const observed: boolean[] = [];
    const sweeper = createSweeper({
      sweep: async () => {
        calls += 1;
        if (calls === 1) await gate.promise;
        return REPORT;
      },
      logger,
      observe: (_seconds, failed) => observed.push(failed),
    });
    const first = sweeper.runOnce();
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toBe(1);
    const second = sweeper.runOnce();
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toBe(1);
    gate.resolve();
    await expect(first).resolves.toEqual(REPORT);
    await expect(second).resolves.toEqual(REPORT);
    expect(calls).toBe(2);
    expect(observed).toEqual([false, false]);
  });

  it('rejects runOnce when a sweep fails, counts the failure, and sweeps again next time', async () => {
    let fail = true;
    const observed: boolean[] = [];
    const sweeper = createSweeper({
      sweep: async () => {
        if (fail) throw new Error('database away');
        return REPORT;
      },
      logger,
      observe: (_seconds, failed) => observed.push(failed),
    });
    await expect(sweeper.runOnce()).rejects.toThrow('database away');
    fail = false;
    await expect(sweeper.runOnce()).resolves.toEqual(REPORT);
    expect(observed).toEqual([true, false]);
  });
});

describe('sync sweep job', () => {
  it('is a scheduled queue whose handler sweeps once, and fails (for the queue to record) when the sweep does', async () => {
    const queue = recordingQueue();
    let fail = false;
    let calls = 0;
    const sweeper = createSweeper({
      sweep: async () => {
        calls += 1;
        if (fail) throw new Error('database away');
        return REPORT;
      },
      logger,
      observe: () => {},
    });
    registerSyncJobs(queue, { sweeper, intervalMs: 30_000 });
    expect(queue.scheduled).toEqual([{ queue: 'sync.sweep', intervalMs: 30_000 }]);
    expect(queue.defined.map((definition) => [definition.queue, definition.timeoutSeconds])).toEqual([['sync.sweep', 600]]);
    const handler = queue.defined[0]!.handler;
    await expect(handler(job)).resolves.toBeUndefined();
    fail = true;
    await expect(handler(job)).rejects.toThrow('database away');
    expect(calls).toBe(2);
  });
});
