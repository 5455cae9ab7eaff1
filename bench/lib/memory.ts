import { readFileSync, writeFileSync } from 'node:fs';

/** One sample of the memory probe (bench/memory-probe.ts), in bytes. */
export interface MemorySample {
  at: number;
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** Megabytes (10^6 bytes), the unit of the targets. */
export const MB = 1_000_000;
const mb = (bytes: number) => Math.round((bytes / MB) * 10) / 10;

export function readSamples(probePath: string): MemorySample[] {
  let text: string;
  try {
    text = readFileSync(probePath, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const [at, rss, heapTotal, heapUsed, external, arrayBuffers] = line.split(' ').map(Number) as [number, number, number, number, number, number];
      return { at, rss, heapTotal, heapUsed, external, arrayBuffers };
    })
    .filter((sample) => Number.isFinite(sample.arrayBuffers));
}

/** The kernel's peak resident set of a process (VmHWM), exact rather than sampled; undefined once it has exited. */
export function peakRss(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Resets VmHWM to the current RSS (Linux, `clear_refs` 5), so that the next phase's peak is its own. */
export function resetPeakRss(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** One row of the memory table: a process in one phase. MB throughout. */
export interface MemoryRow {
  id: string;
  process: string;
  phase: string;
  /** Highest RSS of the phase: the kernel's VmHWM when it was reset at the phase's start, else the highest sample. */
  peakMB: number;
  /** Median RSS over the steady window of the phase (its second half, or the idle window). */
  steadyMB: number;
  /** Median V8 heap (heapTotal: what V8 holds, used or not) over the same window. */
  heapMB: number;
  /** Median of RSS − V8 heap: code, native allocations, Buffers, WebAssembly memory (PGlite's database). */
  restMB: number;
  samples: number;
  /** Load phases: 2xx answers per second over the phase. */
  requestsPerSecond?: number;
}

/** Summarises the samples taken in [from, to]; the steady window is [steadyFrom, to]. */
export function summarise(
  samples: MemorySample[],
  options: { id: string; process: string; phase: string; from: number; to: number; steadyFrom: number; kernelPeak?: number },
): MemoryRow {
  const inPhase = samples.filter((sample) => sample.at >= options.from && sample.at <= options.to);
  const steady = inPhase.filter((sample) => sample.at >= options.steadyFrom);
  if (steady.length === 0) throw new Error(`${options.process}, ${options.phase}: the memory probe wrote no sample`);
  const sampledPeak = Math.max(...inPhase.map((sample) => sample.rss));
  return {
    id: options.id,
    process: options.process,
    phase: options.phase,
    peakMB: mb(Math.max(sampledPeak, options.kernelPeak ?? 0)),
    steadyMB: mb(median(steady.map((sample) => sample.rss))),
    heapMB: mb(median(steady.map((sample) => sample.heapTotal))),
    restMB: mb(median(steady.map((sample) => sample.rss - sample.heapTotal))),
    samples: inPhase.length,
  };
}

/** Median RSS (MB) of the samples in [from, to]: the soak's level at its start and at its end. */
export function medianRss(samples: MemorySample[], from: number, to: number): number {
  return mb(median(samples.filter((sample) => sample.at >= from && sample.at <= to).map((sample) => sample.rss)));
}
