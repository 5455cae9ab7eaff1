import { Gauge, type Registry } from 'prom-client';
import type { Logger } from './logger.js';

/**
 * Whether an optional dependency (Redis) answers, as every signal about it reports: its client's connection events,
 * the requests that used it, the health probes. An operator sees the state as `orca_dependency_up{dependency}` and in
 * `/health` and `/status`, and reads one log line when an outage starts and one when it ends — not one per failed
 * reconnection attempt, request or probe, which during a long outage would be thousands.
 */
export interface DependencyState {
  readonly name: string;
  /** The dependency answered: logs the end of an outage, once. */
  up(): void;
  /** The dependency failed or did not answer: logs the start of an outage, once, with this first error. */
  down(error: Error): void;
  isUp(): boolean;
  /** From now on nothing is logged: a connection closed at shutdown is not an outage. */
  stop(): void;
}

export interface DependencyStateOptions {
  name: string;
  logger: Logger;
  registry: Registry;
  /** The warning that opens an outage (what still works without the dependency). */
  outageMessage: string;
  /** The line that closes it. */
  recoveryMessage: string;
}

const GAUGE = 'orca_dependency_up';

/** One gauge per registry, a series per dependency. */
function dependencyGauge(registry: Registry): Gauge<'dependency'> {
  const existing = registry.getSingleMetric(GAUGE);
  if (existing) return existing as Gauge<'dependency'>;
  return new Gauge({
    name: GAUGE,
    help: 'Whether an optional dependency answers (1) or not (0); ORCA keeps serving without it, degraded',
    labelNames: ['dependency'] as const,
    registers: [registry],
  });
}

export function createDependencyState(options: DependencyStateOptions): DependencyState {
  const { name, logger } = options;
  const gauge = dependencyGauge(options.registry);
  // Unknown until the first signal: not up (the gauge says 0), but no outage has been announced either.
  let state: 'unknown' | 'up' | 'down' = 'unknown';
  let downSince = 0;
  let stopped = false;
  gauge.set({ dependency: name }, 0);
  return {
    name,
    up() {
      if (state === 'up') return;
      const wasDown = state === 'down';
      state = 'up';
      gauge.set({ dependency: name }, 1);
      if (wasDown && !stopped) logger.info({ dependency: name, outage_seconds: Math.round((Date.now() - downSince) / 1000) }, options.recoveryMessage);
    },
    down(error) {
      if (state === 'down') return;
      state = 'down';
      downSince = Date.now();
      gauge.set({ dependency: name }, 0);
      if (!stopped) logger.warn({ dependency: name, err: error }, options.outageMessage);
    },
    isUp: () => state === 'up',
    stop() {
      stopped = true;
    },
  };
}
