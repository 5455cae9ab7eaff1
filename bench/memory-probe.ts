/**
 * Loaded with `node --import <compiled probe> <entry>` by the `memory` suite only: every 100 ms it appends one line
 * `<epoch ms> <rss> <heapTotal> <heapUsed> <external> <arrayBuffers>` (bytes, from process.memoryUsage()) to the
 * file named by ORCA_BENCH_MEMORY_PROBE. The server itself is unchanged: the probe is the harness's, not ORCA's,
 * and costs one timer and one small write per tick.
 */
import { openSync, writeSync } from 'node:fs';

const path = process.env.ORCA_BENCH_MEMORY_PROBE;
if (path) {
  const fd = openSync(path, 'a');
  const sample = () => {
    const usage = process.memoryUsage();
    writeSync(fd, `${Date.now()} ${usage.rss} ${usage.heapTotal} ${usage.heapUsed} ${usage.external} ${usage.arrayBuffers}\n`);
  };
  sample();
  // unref: the probe must never keep a server alive that is shutting down.
  setInterval(sample, 100).unref();
}
