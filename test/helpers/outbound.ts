import { Registry } from 'prom-client';
import { systemClock, type Clock } from '../../src/platform/clock.js';
import { createOutboundClient, type OutboundSettings, type ResolveHost } from '../../src/platform/outbound/index.js';
import { createLogger } from '../../src/platform/telemetry/logger.js';
import { ORCA_VERSION } from '../../src/platform/version.js';
import { captureStream } from './app.js';

export interface TestOutbound {
  client: ReturnType<typeof createOutboundClient>;
  registry: Registry;
  /** Every log line the client wrote (debug and up), parsed. */
  logs: Array<Record<string, unknown>>;
  /** The value of one sample (`name` may end in _count/_sum for histograms); 0 when absent. */
  sample(name: string, labels: Record<string, string>): Promise<number>;
}

/** The same defaults as production except: loopback allowed (the test receivers live there) and short retry delays. */
export const TEST_OUTBOUND_SETTINGS: OutboundSettings = {
  outboundTimeoutMs: 5000,
  outboundRetries: 2,
  outboundMaxResponseBytes: 1024 * 1024,
  outboundAllowCidrs: ['127.0.0.0/8'],
  outboundBreakerOpenMs: 60_000,
};

export function createTestOutbound(options: { settings?: Partial<OutboundSettings>; resolveHost?: ResolveHost; clock?: Clock; retryDelay?: { initialMs: number; maxMs: number } } = {}): TestOutbound {
  const registry = new Registry();
  const logs: Array<Record<string, unknown>> = [];
  const client = createOutboundClient({
    settings: { ...TEST_OUTBOUND_SETTINGS, ...options.settings },
    registry,
    logger: createLogger({ level: 'debug', destination: captureStream(logs) }),
    clock: options.clock ?? systemClock,
    version: ORCA_VERSION,
    retryDelay: options.retryDelay ?? { initialMs: 5, maxMs: 10_000 },
    ...(options.resolveHost ? { resolveHost: options.resolveHost } : {}),
  });
  return {
    client,
    registry,
    logs,
    async sample(name, labels) {
      const base = name.replace(/_(count|sum|bucket)$/, '');
      const metric = registry.getSingleMetric(base);
      if (!metric) throw new Error(`no metric ${base}`);
      const { values } = await metric.get();
      const found = values.find(
        (value) =>
          ((value as { metricName?: string }).metricName ?? base) === name &&
          Object.keys(value.labels).length === Object.keys(labels).length &&
          Object.entries(labels).every(([key, expected]) => String(value.labels[key]) === expected),
      );
      return found?.value ?? 0;
    },
  };
}
