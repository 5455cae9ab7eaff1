import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../platform/telemetry/logger.js';
import { createSnapshotScheduler } from './trust.jobs.js';

const logger = createLogger({ level: 'silent' });

async function counts(registry: Registry): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric('orca_trust_snapshots_total')!.get();
  return Object.fromEntries(metric.values.map((value) => [String(value.labels.outcome), value.value]));
}

describe('snapshot scheduler', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('ticks every interval, survives a failing snapshot, counts outcomes and never overlaps', async () => {
    vi.useFakeTimers();
    const registry = new Registry();
    let calls = 0;
    let running = 0;
    let maxRunning = 0;
    const scheduler = createSnapshotScheduler({
      intervalMs: 1000,
      logger,
      registry,
      snapshot: async () => {
        calls += 1;
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((resolve) => setTimeout(resolve, 1500)); // longer than the interval
        running -= 1;
        if (calls === 1) throw new Error('database unavailable');
        return { taken: calls !== 3, agents: 2, quarantined: [] };
      },
    });
    scheduler.start();
    scheduler.start(); // idempotent
    for (let i = 0; i < 4; i += 1) await vi.advanceTimersByTimeAsync(2500);
    expect(calls).toBe(4);
    expect(maxRunning).toBe(1);
    expect(await counts(registry)).toEqual({ failed: 1, taken: 2, skipped: 1 });
    await scheduler.stop();
  });

  it('stop() waits for the snapshot in flight and schedules nothing after it', async () => {
    vi.useFakeTimers();
    const registry = new Registry();
    let finished = false;
    let calls = 0;
    const scheduler = createSnapshotScheduler({
      intervalMs: 100,
      logger,
      registry,
      snapshot: async () => {
        calls += 1;
        await new Promise((resolve) => setTimeout(resolve, 500));
        finished = true;
        return { taken: true, agents: 0, quarantined: [] };
      },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(150);
    const stopped = scheduler.stop();
    await vi.advanceTimersByTimeAsync(500);
    await stopped;
    expect(finished).toBe(true);
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toBe(1);
  });
});
