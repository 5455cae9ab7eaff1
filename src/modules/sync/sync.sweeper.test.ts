import { describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/telemetry/logger.js';
import { createSweeper, type SweepReport } from './sync.sweeper.js';

const REPORT: SweepReport = { skipped: false, stale_opened: 0, missing_opened: 0, retried_events: 0, caught_up_events: 0, forgotten: 0 };
const logger = createLogger({ level: 'silent' });

function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('sync sweeper', () => {
  it('never overlaps itself, and stop() waits for the sweep in flight', async () => {
    const gate = deferred();
    let calls = 0;
    const observed: boolean[] = [];
    const sweeper = createSweeper({
      sweep: async () => {
        calls += 1;
        await gate.promise;
        return REPORT;
      },
      intervalMs: 3_600_000,
      logger,
      observe: (_seconds, failed) => observed.push(failed),
    });
    sweeper.start();
    expect(sweeper.running).toBe(true);
    const first = sweeper.runOnce();
    let stopped = false;
    const stopping = sweeper.stop().then(() => {
      stopped = true;
    });
    await Promise.resolve();
    expect(stopped).toBe(false);
    expect(calls).toBe(1);
    gate.resolve();
    await expect(first).resolves.toEqual(REPORT);
    await stopping;
    expect(stopped).toBe(true);
    expect(sweeper.running).toBe(false);
    expect(observed).toEqual([false]);
  });

  it('rejects runOnce when a sweep fails, counts the failure, and sweeps again next time', async () => {
    let fail = true;
    const observed: boolean[] = [];
    const sweeper = createSweeper({
      sweep: async () => {
        if (fail) throw new Error('database away');
        return REPORT;
      },
      intervalMs: 3_600_000,
      logger,
      observe: (_seconds, failed) => observed.push(failed),
    });
    await expect(sweeper.runOnce()).rejects.toThrow('database away');
    fail = false;
    await expect(sweeper.runOnce()).resolves.toEqual(REPORT);
    expect(observed).toEqual([true, false]);
    await sweeper.stop();
  });
});
