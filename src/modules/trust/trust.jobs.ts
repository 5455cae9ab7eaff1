import type { Logger } from '../../platform/telemetry/logger.js';
import { Counter, type Registry } from 'prom-client';

/**
 * Takes a trust/KPI snapshot every interval. Never throws (a failed tick is logged and counted, the next tick
 * tries again), never overlaps itself, and `stop()` waits for the tick in flight. Across replicas the snapshot
 * itself takes an advisory lock, so every replica may run this loop.
 */
export function createSnapshotScheduler(options: {
  intervalMs: number;
  snapshot: () => Promise<{ taken: boolean; agents: number; quarantined: string[] }>;
  logger: Logger;
  registry: Registry;
}) {
  const runs = new Counter({
    name: 'orca_trust_snapshots_total',
    help: 'Scheduled trust/KPI snapshot attempts by outcome (taken, skipped: another replica took it, failed)',
    labelNames: ['outcome'] as const,
    registers: [options.registry],
  });
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let stopped = true;

  async function tick(): Promise<void> {
    try {
      const result = await options.snapshot();
      runs.inc({ outcome: result.taken ? 'taken' : 'skipped' });
      if (result.taken) options.logger.info({ agents: result.agents, quarantined: result.quarantined.length }, 'trust snapshot taken');
    } catch (error) {
      runs.inc({ outcome: 'failed' });
      options.logger.error({ err: error }, 'trust snapshot failed; retrying at the next interval');
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = tick().finally(() => {
        inFlight = undefined;
        schedule();
      });
    }, options.intervalMs);
    timer.unref();
  }

  return {
    start(): void {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
  };
}
