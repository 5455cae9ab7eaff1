import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContainer, type Container } from '../../src/container.js';
import { loadConfig } from '../../src/platform/config/load.js';
import { jobsSchemaFor } from '../../src/platform/jobs/index.js';
import { createLogger } from '../../src/platform/telemetry/logger.js';
import { captureStream, createTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets, postgresTarget, serverUrl } from '../helpers/db.js';
import { jobRows, waitFor } from '../helpers/jobs.js';

/**
 * Jobs in the running process: `--role worker` (and `all`) runs the scheduled sync sweep, `--role api` schedules and
 * runs nothing but can send, `/status` and `/metrics` report the queues, and two replicas on one PostgreSQL database
 * sweep once per interval between them.
 */

const EVERY_SECOND = { SYNC_SWEEP_INTERVAL: '1s', TRUST_SNAPSHOT_INTERVAL: '1d' };

async function jobsSchemaOf(container: Container): Promise<string> {
  return jobsSchemaFor((await container.db.query<{ schema: string }>('select current_schema() as schema')).rows[0]!.schema);
}

async function sweepsRun(container: Container): Promise<number> {
  const match = /^orca_sync_sweep_duration_seconds_count (\d+)$/m.exec(await container.metrics.registry.metrics());
  return Number(match?.[1] ?? 0);
}

for (const target of databaseTargets) {
  describe(`jobs by process role [${target.name}]`, () => {
    let worker: TestApp;
    let api: TestApp;
    beforeAll(async () => {
      worker = await createTestApp(target, EVERY_SECOND, { role: 'worker' });
      api = await createTestApp(target, EVERY_SECOND, { role: 'api' });
    });
    afterAll(async () => {
      await worker?.close();
      await api?.close();
    });

    it('a worker runs the sync sweep as a scheduled job, once per interval', async () => {
      const schema = await jobsSchemaOf(worker.container);
      const completed = await waitFor(
        async () => (await jobRows(worker.container.db, schema, 'sync.sweep')).filter((row) => row.state === 'completed'),
        (rows) => rows.length >= 2,
      );
      const slots = completed.map((row) => row.singleton_on!.getTime());
      expect(new Set(slots).size).toBe(completed.length);
      expect(await sweepsRun(worker.container)).toBeGreaterThanOrEqual(2);
      const metrics = await worker.app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.body).toMatch(/^orca_job_duration_seconds_count\{queue="sync\.sweep",outcome="completed"\} [1-9]\d*$/m);
      expect(metrics.body).toContain('orca_job_queue_depth{queue="trust.snapshot",state="queued"} 0');
      expect(metrics.body).toContain('orca_job_failures_total{queue="sync.sweep"} 0');
    });

    it('an api process schedules and runs nothing, but sends; /status shows what waits', async () => {
      const schema = await jobsSchemaOf(api.container);
      // Two sweep intervals: a worker would have scheduled (and run) a sweep by now.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(await jobRows(api.container.db, schema, 'sync.sweep')).toEqual([]);
      expect(await sweepsRun(api.container)).toBe(0);

      await api.container.jobs.send('sync.sweep', null, { singletonKey: 'by-hand-1', correlationId: 'corr-status' });
      await api.container.jobs.send('sync.sweep', null, { singletonKey: 'by-hand-2' });
      const response = await api.app.inject({ method: 'GET', url: '/status', headers: api.as('viewer') });
      expect(response.statusCode).toBe(200);
      const { queues } = response.json() as { queues: Array<Record<string, unknown>> };
      expect(queues).toEqual([
        { queue: 'alerts.evaluate', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
        { queue: 'alerts.evaluate.schedule', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
        { queue: 'alerts.prune', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
        { queue: 'approvals.callback', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
        { queue: 'approvals.expire', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
        { queue: 'approvals.slack-response', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
        { queue: 'backup.scheduled', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
        { queue: 'discovery.run', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
        { queue: 'discovery.schedule', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
        { queue: 'receivers.deliver', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
        { queue: 'remediation.act', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
        { queue: 'remediation.tick', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
        { queue: 'reports.run', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
        { queue: 'reports.schedules.check', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
        { queue: 'sessions.purge', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
        { queue: 'sync.sweep', queued: 2, active: 0, dead_lettered: 0, oldest_queued_seconds: expect.any(Number) },
        { queue: 'trust.snapshot', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
      ]);
      expect((await jobRows(api.container.db, schema, 'sync.sweep')).map((row) => [row.state, row.data.correlation_id])).toEqual([
        ['created', 'corr-status'],
        ['created', null],
      ]);
    });
  });
}

describe.runIf(serverUrl)('the scheduled sweep across two replicas on one PostgreSQL database', () => {
  const replicas: Container[] = [];
  const dataDirs: string[] = [];
  let drop: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const provisioned = await postgresTarget.provision();
    drop = provisioned.drop;
    for (let index = 0; index < 2; index += 1) {
      const dataDir = mkdtempSync(join(tmpdir(), 'orca-jobs-'));
      dataDirs.push(dataDir);
      const config = loadConfig({ ORCA_DATA_DIR: dataDir, DATABASE_URL: provisioned.url!, LOG_LEVEL: 'info', ...EVERY_SECOND }, dataDir);
      replicas.push(await createContainer(config, { role: 'worker', logger: createLogger({ level: 'info', destination: captureStream([]) }) }));
    }
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await drop();
    for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true });
  });

  it('sweeps once per one-second slot between them, never twice in a slot', async () => {
    const [first, second] = replicas as [Container, Container];
    const schema = await jobsSchemaOf(first);
    await waitFor(async () => (await jobRows(first.db, schema, 'sync.sweep')).filter((row) => row.state === 'completed').length, (count) => count >= 4);
    for (const replica of replicas) await replica.jobs.stop();
    const rows = await jobRows(first.db, schema, 'sync.sweep');
    const completed = rows.filter((row) => row.state === 'completed');
    expect(new Set(rows.map((row) => row.singleton_on!.getTime())).size).toBe(rows.length);
    // Every completed job is one sweep on one of the replicas: none ran twice, none ran outside the queue.
    expect((await sweepsRun(first)) + (await sweepsRun(second))).toBe(completed.length);
  });
});
