import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let clockTicks: number | undefined;

function ticksPerSecond(): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return clockTicks;
}

/** CPU time (user + system, all threads) of a process from /proc; undefined where /proc is not available. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is parenthesised and may itself contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
  } catch {
    return undefined;
  }
}

/**
 * CPU time the whole machine spent busy (all cores, everything but idle and iowait). Subtracting the server's and
 * the load generator's share shows how much else ran during a measurement: on a shared machine that decides
 * whether the numbers can be trusted.
 */
export function machineBusySeconds(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already included in user)
    const busy = ticks.slice(0, 8).reduce((total, value, index) => (index === 3 || index === 4 ? total : total + value), 0);
    return busy / ticksPerSecond();
  } catch {
    return undefined;
  }
}

/** Busy share of one core that counts as "quiet": the server under test is idle while this is sampled. */
const QUIET_CORES = 0.25;

/**
 * On a shared machine, waits (up to `maxSeconds`) for a one-second window in which everything else together
 * used less than a quarter of a core, so that a measurement does not start in the middle of someone's build.
 * Returns the busy share of the last window; the measurement itself reports how busy the machine was.
 */
export async function waitForQuietMachine(maxSeconds: number, progress: (message: string) => void): Promise<number | undefined> {
  if (maxSeconds <= 0) return undefined;
  const deadline = performance.now() + maxSeconds * 1000;
  let announced = false;
  for (;;) {
    const before = machineBusySeconds();
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = machineBusySeconds();
    if (before === undefined || after === undefined) return undefined;
    const busyCores = (after - before) / ((performance.now() - started) / 1000);
    if (busyCores < QUIET_CORES || performance.now() > deadline) return busyCores;
    if (!announced) {
      progress(`machine busy (${busyCores.toFixed(2)} cores in use by other work); waiting up to ${maxSeconds} s for it to quieten`);
      announced = true;
    }
  }
}
