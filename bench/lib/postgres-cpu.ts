import { readdirSync, readFileSync } from 'node:fs';
import { processCpuSeconds } from './cpu.js';

/**
 * CPU used by the PostgreSQL server on this machine: every process named `postgres` (the postmaster, the backends
 * serving ORCA, the WAL writer, checkpointer…). On a 2-core machine where ORCA, its database and the load generator
 * share the cores, the database's share says how much of a throughput target is left to ORCA at all.
 *
 * Reads /proc; on a machine without it (or with PostgreSQL elsewhere) `sample` returns undefined.
 */
export interface PostgresCpuSample {
  /** CPU seconds per process id at the time of the sample. */
  perProcess: Map<number, number>;
}

function postgresPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') pids.push(Number(entry));
    } catch {
      // the process ended while we listed it
    }
  }
  return pids;
}

export function samplePostgresCpu(): PostgresCpuSample | undefined {
  try {
    const perProcess = new Map<number, number>();
    for (const pid of postgresPids()) {
      const seconds = processCpuSeconds(pid);
      if (seconds !== undefined) perProcess.set(pid, seconds);
    }
    return perProcess.size > 0 ? { perProcess } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds PostgreSQL used between two samples. A process started in between (a new connection) counts in
 * full; one that ended in between is lost (its last seconds are not known), so this is a lower bound.
 */
export function postgresCpuBetween(before: PostgresCpuSample | undefined, after: PostgresCpuSample | undefined): number | undefined {
  if (!before || !after) return undefined;
  let total = 0;
  for (const [pid, seconds] of after.perProcess) total += seconds - (before.perProcess.get(pid) ?? 0);
  return total;
}
