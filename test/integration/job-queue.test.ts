import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobContext } from '../../src/platform/jobs/index.js';
import { databaseTargets } from '../helpers/db.js';
import { createTestQueue, jobRows, openJobsDatabase, waitFor, type JobsDatabase, type TestQueue } from '../helpers/jobs.js';

/**
 * The durable job queue (platform/jobs) on each database: what a handler receives, retries with backoff into the
 * dead-letter queue, timeouts, transactional sends, roles, schedules across replicas, depth and metrics.
 */

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

async function metric(t: TestQueue, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const values = (await t.registry.getSingleMetric(name)!.get()).values;
  return values.find((value) => Object.entries(labels).every(([key, expected]) => String(value.labels[key]) === expected))?.value;
}

for (const target of databaseTargets) {
  describe(`job queue [${target.name}]`, () => {
    let jobsDb: JobsDatabase;
    const running: TestQueue[] = [];
    const open = (runsJobs: boolean, settings?: Parameters<typeof createTestQueue>[1]['settings']) => {
      const t = createTestQueue(jobsDb.db, { runsJobs, ...(settings ? { settings } : {}) });
      running.push(t);
      return t;
    };
    const rows = (queue: string) => jobRows(jobsDb.db, jobsDb.schema, queue);

    beforeAll(async () => {
      jobsDb = await openJobsDatabase(target);
    });
    afterAll(async () => {
      for (const t of running) await t.queue.stop();
      await jobsDb?.close();
    });

    it('runs a job with its payload and correlation id, on a logger that carries them', async () => {
      const t = open(true);
      const handled: Array<JobContext<{ n: number }>> = [];
      const done = deferred();
      t.queue.define<{ n: number }>({
        queue: 'greet',
        handler: async (job) => {
          job.logger.info('greeting');
          handled.push(job);
          if (handled.length === 2) done.resolve();
        },
      });
      await t.queue.start();
      const id = await t.queue.send('greet', { n: 7 }, { correlationId: 'corr-123' });
      const unrelated = await t.queue.send('greet', { n: 8 });
      await done.promise;
      const byId = new Map(handled.map((job) => [job.id, job]));
      expect([id, unrelated].map((jobId) => {
        const job = byId.get(jobId!)!;
        return { queue: job.queue, data: job.data, attempt: job.attempt, correlationId: job.correlationId, aborted: job.signal.aborted };
      })).toEqual([
        { queue: 'greet', data: { n: 7 }, attempt: 1, correlationId: 'corr-123', aborted: false },
        // Sent without one: the job's own id is its correlation id.
        { queue: 'greet', data: { n: 8 }, attempt: 1, correlationId: unrelated, aborted: false },
      ]);
      expect(t.logs.filter((line) => line.msg === 'greeting').map((line) => ({ queue: line.queue, job_id: line.job_id, correlation_id: line.correlation_id, attempt: line.attempt }))).toEqual(
        expect.arrayContaining([
          { queue: 'greet', job_id: id, correlation_id: 'corr-123', attempt: 1 },
          { queue: 'greet', job_id: unrelated, correlation_id: unrelated, attempt: 1 },
        ]),
      );
      const stored = await waitFor(() => rows('greet'), (list) => list.every((row) => row.state === 'completed'));
      expect(stored.map((row) => row.data)).toEqual([
        { correlation_id: 'corr-123', payload: { n: 7 } },
        { correlation_id: null, payload: { n: 8 } },
      ]);
      expect(await t.registry.metrics()).toContain('orca_job_duration_seconds_count{queue="greet",outcome="completed"} 2');
    });

    it('retries a failing job with growing, jittered delays, then dead-letters it', async () => {
      const t = open(true);
      const attempts: Array<{ attempt: number; at: number; correlationId: string }> = [];
      t.queue.define<{ order: string }>({
        queue: 'flaky',
        retryLimit: 2,
        retryDelaySeconds: 1,
        handler: async (job) => {
          attempts.push({ attempt: job.attempt, at: Date.now(), correlationId: job.correlationId });
          throw new Error('receiver answered 503');
        },
      });
      await t.queue.start();
      await t.queue.send('flaky', { order: 'o-1' }, { correlationId: 'c-flaky' });
      const depth = await waitFor(() => t.queue.depth(), (list) => list[0]?.deadLettered === 1, 30_000);

      expect(depth).toEqual([{ queue: 'flaky', queued: 0, active: 0, deadLettered: 1, oldestQueuedSeconds: 0 }]);
      expect(attempts.map(({ attempt, correlationId }) => ({ attempt, correlationId }))).toEqual([
        { attempt: 1, correlationId: 'c-flaky' },
        { attempt: 2, correlationId: 'c-flaky' },
        { attempt: 3, correlationId: 'c-flaky' },
      ]);
      // Retry n waits a random time in [d·2^(n−1), d·2^n) with d = 1 s, found within one poll (200 ms) — plus slack
      // for a loaded machine on the upper bound only.
      const firstGap = attempts[1]!.at - attempts[0]!.at;
      const secondGap = attempts[2]!.at - attempts[1]!.at;
      expect(firstGap).toBeGreaterThanOrEqual(1000);
      expect(firstGap).toBeLessThan(2000 + 200 + 1500);
      expect(secondGap).toBeGreaterThanOrEqual(2000);
      expect(secondGap).toBeLessThan(4000 + 200 + 1500);

      expect((await rows('flaky')).map((row) => ({ state: row.state, retry_count: row.retry_count, output: row.output }))).toEqual([
        { state: 'failed', retry_count: 2, output: { message: 'receiver answered 503' } },
      ]);
      // The dead-letter queue keeps the job's payload and correlation id for whoever looks at it.
      expect((await rows('flaky.dead_letter')).map((row) => ({ state: row.state, data: row.data }))).toEqual([
        { state: 'created', data: { correlation_id: 'c-flaky', payload: { order: 'o-1' } } },
      ]);
      expect(await metric(t, 'orca_job_failures_total', { queue: 'flaky' })).toBe(3);
      expect(await metric(t, 'orca_job_dead_letters_total', { queue: 'flaky' })).toBe(1);
      expect(t.logs.filter((line) => String(line.msg).startsWith('job failed')).map((line) => [line.level, line.msg, line.correlation_id, line.attempt])).toEqual([
        ['warn', 'job failed; it will be retried', 'c-flaky', 1],
        ['warn', 'job failed; it will be retried', 'c-flaky', 2],
        ['error', 'job failed; retries exhausted: dead-lettered', 'c-flaky', 3],
      ]);
    });

    it('fails a handler that runs past its timeout, aborting its signal', async () => {
      const t = open(true);
      const aborted = deferred<{ reason: unknown; afterMs: number }>();
      t.queue.define({
        queue: 'hung',
        retryLimit: 0,
        timeoutSeconds: 1,
        handler: (job) => {
          const started = Date.now();
          job.signal.addEventListener('abort', () => aborted.resolve({ reason: job.signal.reason, afterMs: Date.now() - started }));
          return new Promise<void>(() => {});
        },
      });
      await t.queue.start();
      await t.queue.send('hung', {});
      const { reason, afterMs } = await aborted.promise;
      expect((reason as Error).message).toBe('the job ran past its timeout of 1 s');
      // Timers may fire a few ms early against Date.now() on a loaded machine (CI saw 986): the bound is the timeout's.
      expect(afterMs).toBeGreaterThanOrEqual(950);
      const stored = await waitFor(() => rows('hung'), (list) => list[0]?.state === 'failed');
      expect(stored.map((row) => row.output)).toEqual([{ message: 'the job ran past its timeout of 1 s' }]);
      expect(await t.registry.metrics()).toContain('orca_job_duration_seconds_count{queue="hung",outcome="timeout"} 1');
    });

    it('enqueues inside the caller\'s transaction: nothing if it rolls back, the job once it commits', async () => {
      const t = open(true);
      const handled = deferred<unknown>();
      t.queue.define<{ write: string }>({ queue: 'after-write', handler: async (job) => handled.resolve(job.data) });
      await t.queue.start();
      await expect(
        jobsDb.db.transaction(async (tx) => {
          await t.queue.send('after-write', { write: 'rolled back' }, { tx });
          throw new Error('the write failed');
        }),
      ).rejects.toThrow('the write failed');
      expect(await rows('after-write')).toEqual([]);
      await jobsDb.db.transaction(async (tx) => {
        await t.queue.send('after-write', { write: 'committed' }, { tx });
      });
      expect(await handled.promise).toEqual({ write: 'committed' });
      expect((await rows('after-write')).map((row) => row.data.payload)).toEqual([{ write: 'committed' }]);
    });

    it('an api process sends but runs nothing; a worker process runs what it sent', async () => {
      const api = open(false);
      let apiRuns = 0;
      api.queue.define({ queue: 'by-role', handler: async () => void (apiRuns += 1) });
      await api.queue.start();
      const id = await api.queue.send('by-role', { n: 1 });
      // An api process has no worker: the job waits however long we look (here, several polling intervals).
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(apiRuns).toBe(0);
      expect((await api.queue.depth())[0]).toMatchObject({ queue: 'by-role', queued: 1, active: 0 });

      const worker = open(true);
      const ran = deferred<string>();
      worker.queue.define({ queue: 'by-role', handler: async (job) => ran.resolve(job.id) });
      await worker.queue.start();
      expect(await ran.promise).toBe(id);
      expect(apiRuns).toBe(0);
    });

    it('wakes an idle worker when a job is sent (NOTIFY), on commit for a send in a transaction', async () => {
      // A worker that would otherwise look only once a minute; on PostgreSQL the sender is another replica.
      const worker = open(true, { pollIntervalMs: 60_000 });
      const ran: string[] = [];
      let next = deferred();
      worker.queue.define<{ n: number }>({
        queue: 'wake-up',
        handler: async (job) => {
          ran.push(job.id);
          next.resolve();
        },
      });
      await worker.queue.start();
      const senderDb = target.name === 'postgres' ? await jobsDb.openReplica() : jobsDb.db;
      const sender = createTestQueue(senderDb, { runsJobs: false });
      running.push(sender);
      sender.queue.define({ queue: 'wake-up', handler: async () => {} });
      await sender.queue.start();

      const started = Date.now();
      const id = await sender.queue.send('wake-up', { n: 1 });
      await next.promise;
      next = deferred();
      const inTransaction = await senderDb.transaction((tx) => sender.queue.send('wake-up', { n: 2 }, { tx }));
      await next.promise;
      expect(ran).toEqual([id, inTransaction]);
      // Far less than the worker's polling interval: only the notifications can have woken it.
      expect(Date.now() - started).toBeLessThan(10_000);
    });

    it('keeps one waiting job per singleton key, and reports the depth of what was enqueued', async () => {
      const t = open(false);
      t.queue.define({ queue: 'depth', handler: async () => {} });
      await t.queue.start();
      const first = await t.queue.send('depth', { n: 1 }, { singletonKey: 'agent-1' });
      expect(first).toEqual(expect.any(String));
      expect(await t.queue.send('depth', { n: 2 }, { singletonKey: 'agent-1' })).toBeNull();
      expect(await t.queue.send('depth', { n: 3 }, { singletonKey: 'agent-2' })).toEqual(expect.any(String));
      expect(await t.queue.send('depth', { n: 4 })).toEqual(expect.any(String));
      expect(await t.queue.send('depth', { n: 5 })).toEqual(expect.any(String));
      await t.queue.send('depth', { n: 6 }, { startAfter: new Date(Date.now() + 3_600_000) });
      const [depth] = await t.queue.depth();
      expect(depth).toMatchObject({ queue: 'depth', queued: 5, active: 0, deadLettered: 0 });
      // The delayed job is queued but not yet due: it does not age the queue.
      expect(depth!.oldestQueuedSeconds).toBeGreaterThanOrEqual(0);
      expect(depth!.oldestQueuedSeconds).toBeLessThan(60);
      expect(await t.registry.metrics()).toContain('orca_job_queue_depth{queue="depth",state="queued"} 5');
    });

    it('completes the jobs that finish together in one statement, each only once its handler is done', async () => {
      // The same database, counting pg-boss's completing statements.
      const completing: number[] = [];
      const counted = new Proxy(jobsDb.db, {
        get(db, name) {
          const value = Reflect.get(db, name, db) as unknown;
          if (name !== 'query') return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(db) : value;
          return (text: string, values?: unknown[]) => {
            if (/state = 'completed'/.test(text) && Array.isArray(values?.[1])) completing.push((values[1] as unknown[]).length);
            return db.query(text, values);
          };
        },
      });
      const t = createTestQueue(counted, { runsJobs: true });
      running.push(t);
      const gate = deferred();
      let started = 0;
      const allStarted = deferred();
      t.queue.define({
        queue: 'together',
        handler: async () => {
          started += 1;
          if (started === 5) allStarted.resolve();
          await gate.promise;
        },
      });
      await t.queue.start();
      await t.queue.sendMany('together', [1, 2, 3, 4, 5].map((n) => ({ data: { n } })));
      // PGlite runs one job at a time: each finishes alone, so each is completed alone.
      if (target.name === 'postgres') {
        await allStarted.promise;
        // Running, not completed: a job is completed only after its handler returned.
        expect((await rows('together')).map((row) => row.state)).toEqual(['active', 'active', 'active', 'active', 'active']);
      }
      gate.resolve();
      const stored = await waitFor(() => rows('together'), (list) => list.length === 5 && list.every((row) => row.state === 'completed'));
      expect(stored).toHaveLength(5);
      expect(completing).toEqual(target.name === 'pglite' ? [1, 1, 1, 1, 1] : [5]);
    });

    it('refuses to send to a queue never defined, and before start', async () => {
      const t = open(false);
      t.queue.define({ queue: 'unstarted', handler: async () => {} });
      await expect(t.queue.send('unstarted', {})).rejects.toThrow('the job queue is not started');
      await t.queue.start();
      await expect(t.queue.send('no-such-queue', {})).rejects.toThrow('no job queue "no-such-queue" is defined');
      expect(() => t.queue.define({ queue: 'late', handler: async () => {} })).toThrow('defined after start');
    });

    it('stop() waits for the job in flight; one still running after the drain timeout is failed, to run again', async () => {
      const t = open(true, { drainTimeoutMs: 300 });
      const started = deferred<string>();
      const release = deferred();
      let finished = 0;
      const interrupted = deferred<unknown>();
      t.queue.define<{ hang: boolean }>({
        queue: 'draining',
        handler: async (job) => {
          job.signal.addEventListener('abort', () => interrupted.resolve(job.signal.reason));
          started.resolve(job.id);
          if (job.data.hang) return new Promise<void>(() => {});
          await release.promise;
          finished += 1;
        },
      });
      await t.queue.start();
      await t.queue.send('draining', { hang: true });
      const hungId = await started.promise;
      const stopped = t.queue.stop();
      expect(((await interrupted.promise) as Error).message).toBe('the process stopped before the job finished');
      await stopped;
      const [row] = (await rows('draining')).filter((candidate) => candidate.id === hungId);
      expect({ state: row!.state, output: row!.output }).toEqual({ state: 'retry', output: { message: 'the process stopped before the job finished' } });
      expect(finished).toBe(0);

      const second = open(true, { drainTimeoutMs: 10_000 });
      const secondStarted = deferred<string>();
      second.queue.define<{ hang: boolean }>({
        queue: 'draining',
        handler: async (job) => {
          if (job.data.hang) return; // the interrupted job, retried later: nothing to hold
          secondStarted.resolve(job.id);
          await release.promise;
          finished += 1;
        },
      });
      await second.queue.start();
      const id = await second.queue.send('draining', { hang: false });
      expect(await secondStarted.promise).toBe(id);
      let stopResolved = false;
      const stopping = second.queue.stop().then(() => {
        stopResolved = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(stopResolved).toBe(false);
      release.resolve();
      await stopping;
      expect(finished).toBe(1);
      expect((await rows('draining')).find((candidate) => candidate.id === id)?.state).toBe('completed');
    });

    it('runs a scheduled queue once per interval slot, one run at a time, across replicas', async () => {
      const replicas = target.name === 'postgres' ? [jobsDb.db, await jobsDb.openReplica()] : [jobsDb.db];
      const runs: Array<{ replica: number; at: number }> = [];
      let active = 0;
      let mostActive = 0;
      for (const [index, db] of replicas.entries()) {
        const t = createTestQueue(db, { runsJobs: true });
        running.push(t);
        t.queue.define({
          queue: 'every-second',
          handler: async () => {
            active += 1;
            mostActive = Math.max(mostActive, active);
            runs.push({ replica: index, at: Date.now() });
            await new Promise((resolve) => setTimeout(resolve, 100));
            active -= 1;
          },
        });
        t.queue.schedule({ queue: 'every-second', intervalMs: 1000 });
        await t.queue.start();
      }
      await waitFor(() => runs.length, (count) => count >= 4, 20_000);
      for (const t of running.splice(running.length - replicas.length)) await t.queue.stop();

      const stored = await rows('every-second');
      const slots = stored.map((row) => row.singleton_on!.getTime());
      // One job per one-second slot, each run exactly once, never two at a time.
      expect(new Set(slots).size).toBe(stored.length);
      expect(stored.filter((row) => row.state === 'completed').length).toBe(runs.length);
      expect(slots.every((slot) => slot % 1000 === 0)).toBe(true);
      expect(mostActive).toBe(1);
    });
  });
}
