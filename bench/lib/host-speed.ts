import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync } from 'node:fs';
import type { HostSpeed } from './types.js';

/**
 * How fast this host is right now, on one thread, in two numbers that stay put on a given host: SHA-256 over a
 * buffer (native code: the CPU and its memory) and the cost of one system call (fstat of /dev/null: what the
 * kernel and the hypervisor charge for entering the kernel). HTTP benchmarks are dominated by the second — every
 * request reads, writes and polls sockets — and the virtual machines this runs on differ in it several times over
 * from one session to the next. The absolute targets of the issues are stated for "this 2-core machine"; these
 * numbers, taken at the start of each suite, let a reader compare reports across hosts. Best of five short runs.
 * (A JavaScript loop is no such measure: its speed depends on when V8 optimises it.)
 */
export function probeHostSpeed(): HostSpeed {
  const buffer = Buffer.alloc(16 * 1024 * 1024, 7);
  let bestHashSeconds = Infinity;
  for (let run = 0; run < 5; run += 1) {
    const started = process.hrtime.bigint();
    createHash('sha256').update(buffer).digest();
    bestHashSeconds = Math.min(bestHashSeconds, Number(process.hrtime.bigint() - started) / 1e9);
  }
  const calls = 20_000;
  let bestCallNs = Infinity;
  const fd = openSync('/dev/null', 'r');
  try {
    for (let run = 0; run < 5; run += 1) {
      const started = process.hrtime.bigint();
      for (let index = 0; index < calls; index += 1) fstatSync(fd);
      bestCallNs = Math.min(bestCallNs, Number(process.hrtime.bigint() - started) / calls);
    }
  } finally {
    closeSync(fd);
  }
  return {
    sha256MiBPerSecond: Math.round(buffer.length / 1024 / 1024 / bestHashSeconds),
    systemCallMicroseconds: Math.round(bestCallNs / 10) / 100,
  };
}

export function describeHostSpeed(speed: HostSpeed): string {
  return `SHA-256 ${speed.sha256MiBPerSecond} MiB/s, one fs.fstatSync (a system call and Node's binding) ${speed.systemCallMicroseconds} µs (one thread, best of 5; a faster host hashes more and calls in less time)`;
}
