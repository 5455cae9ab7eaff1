import { machineBusySeconds, waitForQuietMachine } from './cpu.js';
import type { LoadSettings, Progress } from './types.js';
import { percentile } from './stats.js';

export interface LoopCase {
  id: string;
  label: string;
  concurrency: number;
  run: () => Promise<unknown>;
}

export interface LoopResult {
  operationsPerSecond: number;
  roundRates: number[];
  latencyMs: { mean: number; p50: number; p97_5: number; p99: number; max: number };
  completed: number;
  /** CPU time of this process per operation. */
  cpuMicrosPerOperation: number;
  /** Share of a core the rest of the machine used meanwhile; undefined without /proc. */
  otherCpuPercent: number | undefined;
}


async function runFor(item: LoopCase, seconds: number, latencies?: number[]): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let completed = 0;
  const caller = async () => {
    while (performance.now() < end) {
      const started = performance.now();
      await item.run();
      latencies?.push(performance.now() - started);
      completed += 1;
    }
  };
  await Promise.all(Array.from({ length: item.concurrency }, caller));
  return completed;
}

/**
 * In-process operations (no HTTP in between, e.g. a database statement on its own), measured like the HTTP
 * targets: a warm-up each, then rounds in which the cases take turns; every call is timed.
 */
export async function measureLoops(cases: LoopCase[], load: LoadSettings, progress: Progress): Promise<Map<string, LoopResult>> {
  await waitForQuietMachine(load.waitQuietSeconds, progress);
  for (const item of cases) {
    if (load.warmupSeconds <= 0) break;
    progress(`warm-up ${load.warmupSeconds} s: ${item.label}`);
    await runFor(item, load.warmupSeconds);
  }
  const tallies = new Map(cases.map((item) => [item.id, { latencies: [] as number[], rates: [] as number[], completed: 0, wall: 0, cpu: 0, other: 0 as number | undefined }]));
  const roundSeconds = load.durationSeconds / load.rounds;
  for (let index = 0; index < load.rounds; index += 1) {
    await waitForQuietMachine(load.waitQuietSeconds, progress);
    for (let position = 0; position < cases.length; position += 1) {
      const item = cases[(position + index) % cases.length]!;
      const tally = tallies.get(item.id)!;
      progress(`round ${index + 1}/${load.rounds}, ${roundSeconds} s: ${item.label}`);
      const cpuBefore = process.cpuUsage();
      const machineBefore = machineBusySeconds();
      const started = performance.now();
      const completed = await runFor(item, roundSeconds, tally.latencies);
      const wall = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      const machineAfter = machineBusySeconds();
      const own = (cpu.user + cpu.system) / 1e6;
      tally.completed += completed;
      tally.rates.push(completed / wall);
      tally.wall += wall;
      tally.cpu += own;
      tally.other =
        tally.other === undefined || machineBefore === undefined || machineAfter === undefined
          ? undefined
          : tally.other + Math.max(0, machineAfter - machineBefore - own);
    }
  }
  return new Map(
    cases.map((item) => {
      const tally = tallies.get(item.id)!;
      const sorted = Float64Array.from(tally.latencies).sort();
      return [
        item.id,
        {
          operationsPerSecond: tally.completed / tally.wall,
          roundRates: tally.rates,
          latencyMs: {
            mean: tally.latencies.reduce((total, value) => total + value, 0) / Math.max(1, tally.latencies.length),
            p50: percentile(sorted, 0.5),
            p97_5: percentile(sorted, 0.975),
            p99: percentile(sorted, 0.99),
            max: sorted[sorted.length - 1] ?? 0,
          },
          completed: tally.completed,
          cpuMicrosPerOperation: (tally.cpu * 1e6) / Math.max(1, tally.completed),
          otherCpuPercent: tally.other === undefined ? undefined : (tally.other / tally.wall) * 100,
        },
      ];
    }),
  );
}
