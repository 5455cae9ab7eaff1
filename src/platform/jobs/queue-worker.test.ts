import { describe, expect, it } from 'vitest';
import { startQueueWorker } from './queue-worker.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

/** Two turns of the event loop: a worker whose slot frees waits one turn (for jobs finishing together) before fetching. */
const settle = () => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

describe('queue worker', () => {
  it('runs at most `concurrency` jobs, fetching only for free slots, and fetches again as soon as one frees', async () => {
    const backlog = ['a', 'b', 'c', 'd'];
    const limits: number[] = [];
    const gates = new Map(backlog.map((job) => [job, deferred()]));
    const started: string[] = [];
    const worker = startQueueWorker<string>({
      concurrency: 2,
      pollIntervalMs: 60_000,
      fetch: async (limit) => {
        limits.push(limit);
        return backlog.splice(0, limit);
      },
      run: async (job) => {
        started.push(job);
        await gates.get(job)!.promise;
      },
      onFetchError: () => {},
    });
    await settle();
    expect({ started, limits }).toEqual({ started: ['a', 'b'], limits: [2] });
    gates.get('a')!.resolve();
    await settle();
    expect({ started, limits }).toEqual({ started: ['a', 'b', 'c'], limits: [2, 1] });
    for (const gate of gates.values()) gate.resolve();
    await settle();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    await worker.stopFetching();
    await worker.drained();
  });

  it('sleeps when the queue is empty until woken, survives a failing fetch, and stops without waiting for its poll', async () => {
    const answers: Array<string[] | Error> = [['x'], new Error('database away'), ['y']];
    const errors: string[] = [];
    const ran: string[] = [];
    let fetches = 0;
    const worker = startQueueWorker<string>({
      concurrency: 5,
      pollIntervalMs: 60_000,
      fetch: async () => {
        fetches += 1;
        const answer = answers.shift() ?? [];
        if (answer instanceof Error) throw answer;
        return answer;
      },
      run: async (job) => void ran.push(job),
      onFetchError: (error) => errors.push((error as Error).message),
    });
    await settle();
    expect({ ran, fetches }).toEqual({ ran: ['x'], fetches: 1 });
    worker.wake();
    await settle();
    expect({ fetches, errors }).toEqual({ fetches: 2, errors: ['database away'] });
    worker.wake();
    await settle();
    expect({ ran, fetches }).toEqual({ ran: ['x', 'y'], fetches: 3 });
    const stopping = worker.stopFetching();
    await stopping;
    await worker.drained();
    expect(fetches).toBe(3);
  });
});
