import type { Queryable } from '../db/driver.js';
import type { QueueDepth } from './job-queue.types.js';

/** The dead-letter queue of a queue: where pg-boss moves a job whose retries are exhausted. */
export function deadLetterQueueOf(queue: string): string {
  return `${queue}.dead_letter`;
}

interface DepthRow {
  name: string;
  queued: number;
  active: number;
  oldest_queued_seconds: number | null;
}

/**
 * Reads the depth of each queue from pg-boss's job table (in `schema`). Only unfinished jobs are read: queued ones
 * through pg-boss's fetch index; finished ones, which pg-boss archives after an hour, are not counted.
 */
export function createQueueDepthReader(db: Queryable, schema: string) {
  // `state` is pg-boss's enum, ordered created < retry < active < completed < cancelled < failed.
  const text = `
    select name,
           count(*) filter (where state < 'active') as queued,
           count(*) filter (where state = 'active') as active,
           extract(epoch from now() - min(start_after) filter (where state < 'active' and start_after <= now())) as oldest_queued_seconds
      from ${schema}.job
     where name = any($1::text[]) and state <= 'active'
     group by name`;
  return async function readDepth(queues: Array<{ queue: string; deadLetters: boolean }>): Promise<QueueDepth[]> {
    const names = queues.flatMap(({ queue, deadLetters }) => (deadLetters ? [queue, deadLetterQueueOf(queue)] : [queue]));
    const rows = new Map((await db.query<DepthRow>(text, [names])).rows.map((row) => [row.name, row]));
    return queues.map(({ queue, deadLetters }) => {
      const row = rows.get(queue);
      return {
        queue,
        queued: Number(row?.queued ?? 0),
        active: Number(row?.active ?? 0),
        // Nobody works a dead-letter queue: its jobs wait there (28 days by default) until an operator acts.
        deadLettered: deadLetters ? Number(rows.get(deadLetterQueueOf(queue))?.queued ?? 0) : 0,
        oldestQueuedSeconds: Math.max(0, Number(row?.oldest_queued_seconds ?? 0)),
      };
    });
  };
}
