import type { Logger } from '../../platform/telemetry/logger.js';
import type { SweepReport } from './sync.engine.js';

/**
 * The periodic sweep for time-based rules. A background loop never throws (failures are logged and counted),
 * never overlaps itself, and `stop()` waits for the sweep in flight.
 */
export function createSweeper(deps: {
  sweep: () => Promise<SweepReport>;
  intervalMs: number;
  logger: Logger;
  observe: (seconds: number, failed: boolean) => void;
}) {
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<SweepReport> | undefined;

  function run(): Promise<SweepReport> {
    inFlight ??= (async () => {
      const started = process.hrtime.bigint();
      let failed = false;
      try {
        const report = await deps.sweep();
        if (report.stale_opened + report.missing_opened + report.retried_events + report.caught_up_events > 0) deps.logger.info({ ...report }, 'sync sweep');
        return report;
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        deps.observe(Number(process.hrtime.bigint() - started) / 1e9, failed);
        inFlight = undefined;
      }
    })();
    return inFlight;
  }

  return {
    start(): void {
      if (timer) return;
      timer = setInterval(() => {
        run().catch((error: unknown) => deps.logger.error({ err: error }, 'sync sweep failed; retrying at the next interval'));
      }, deps.intervalMs);
      timer.unref();
    },

    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      await inFlight?.catch(() => undefined);
    },

    /** One sweep now (after the one in flight, if any); rejects when it fails. Tests and `orca` commands use it. */
    async runOnce(): Promise<SweepReport> {
      await inFlight?.catch(() => undefined);
      return run();
    },

    get running(): boolean {
      return timer !== undefined;
    },
  };
}

export type Sweeper = ReturnType<typeof createSweeper>;
