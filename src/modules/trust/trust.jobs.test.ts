import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { JobContext, JobDefinition, ScheduleDefinition } from '../../platform/jobs/index.js';
import { createLogger } from '../../platform/telemetry/logger.js';
import { captureStream } from '../../../test/helpers/app.js';
import { registerTrustJobs, TRUST_SNAPSHOT_QUEUE } from './trust.jobs.js';

async function counts(registry: Registry): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric('orca_trust_snapshots_total')!.get();
  return Object.fromEntries(metric.values.map((value) => [String(value.labels.outcome), value.value]));
}

describe('trust snapshot job', () => {
  it('is scheduled every interval; each run counts its outcome, logs a taken snapshot, and fails when the snapshot does', async () => {
    const registry = new Registry();
    const defined: Array<JobDefinition<unknown>> = [];
    const scheduled: ScheduleDefinition[] = [];
    const outcomes: Array<'fail' | 'taken' | 'skipped'> = ['fail', 'taken', 'skipped', 'taken'];
    registerTrustJobs(
      { define: (definition) => void defined.push(definition as JobDefinition<unknown>), schedule: (definition) => void scheduled.push(definition) },
      {
        intervalMs: 900_000,
        registry,
        snapshot: async () => {
          const next = outcomes.shift();
          if (next === 'fail') throw new Error('database unavailable');
          return { taken: next === 'taken', agents: 2, quarantined: ['a1'] };
        },
      },
    );
    expect(scheduled).toEqual([{ queue: 'trust.snapshot', intervalMs: 900_000 }]);
    expect(defined.map((definition) => definition.queue)).toEqual([TRUST_SNAPSHOT_QUEUE]);

    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger({ level: 'info', destination: captureStream(lines) }).child({ correlation_id: 'run-1' });
    const job: JobContext<unknown> = { id: 'run-1', queue: TRUST_SNAPSHOT_QUEUE, data: null, attempt: 1, correlationId: 'run-1', logger, signal: new AbortController().signal };
    const handler = defined[0]!.handler;
    await expect(handler(job)).rejects.toThrow('database unavailable');
    for (let run = 0; run < 3; run += 1) await handler(job);

    expect(await counts(registry)).toEqual({ failed: 1, taken: 2, skipped: 1 });
    expect(lines.filter((line) => line.msg === 'trust snapshot taken')).toEqual([
      expect.objectContaining({ correlation_id: 'run-1', agents: 2, quarantined: 1 }),
      expect.objectContaining({ correlation_id: 'run-1', agents: 2, quarantined: 1 }),
    ]);
  });
});
