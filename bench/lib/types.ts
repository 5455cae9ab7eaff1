/**
 * The structured results every suite returns. docs/benchmarks.md and bench/results/latest.json are both
 * generated from these objects, so a number in the report always has a measurement behind it.
 */
import type { MemoryRow } from './memory.js';

export interface LoadSettings {
  warmupSeconds: number;
  /** Measured time per target, split into `rounds` turns that alternate between the targets of a suite. */
  durationSeconds: number;
  rounds: number;
  connections: number;
  pipelining: number;
  /** Longest wait for a quiet machine before each measurement (0: do not wait). */
  waitQuietSeconds: number;
  /** A fixed request rate over all connections (below saturation); unset: as fast as the server answers. */
  ratePerSecond?: number;
  /** Length of the `memory` suite's soak of mixed traffic (after its warm-up). */
  soakSeconds: number;
  /** The `memory` suite measures ORCA also without any Node option (heap unbounded), beside the recommended ones. */
  unbounded: boolean;
}

export interface MachineInfo {
  cpuModel: string;
  logicalCores: number;
  memoryGiB: number;
  os: string;
}

export interface RunInfo {
  date: string;
  command: string;
  node: string;
  machine: MachineInfo;
  git: string | null;
}

/** A measured quantity beside throughput and latency, e.g. CPU or database statements per request. */
export interface Detail {
  key: string;
  label: string;
  value: number;
  unit: string;
}

export interface Measurement {
  id: string;
  label: string;
  /** What was exercised, e.g. `GET /api/v1/agents/{id}`. */
  operation: string;
  /** The measurement this one is compared with; absent for baselines. */
  baseline?: string;
  /** Mean over the whole measured time; stddev across rounds where there are several. */
  throughput: { unit: string; mean: number; stddev?: number };
  latencyMs: { mean: number; p50: number; p97_5: number; p99: number; max: number };
  completed: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  ratioToBaseline?: number;
  details: Detail[];
}

export interface TargetResult {
  description: string;
  measurement: string;
  actual: number;
  unit: string;
  comparator: '>=' | '<=';
  threshold: number;
  /** null when the run's settings differ from the ones the target is defined for. */
  pass: boolean | null;
  note?: string;
}

export interface SuiteOutcome {
  title: string;
  summary: string;
  settings: Record<string, string>;
  measurements: Measurement[];
  targets: TargetResult[];
  /** Reasons to distrust this run, e.g. other work competing for the CPU while measuring. */
  warnings: string[];
  /** How the measurements were taken (fairness, logging, what a column means); generated, never numbers typed by hand. */
  method: string[];
  /** Resident memory per process and phase (the `memory` suite). */
  memory?: MemoryRow[];
}

/** Single-thread speed of the host when a suite started (bench/lib/host-speed.ts). */
export interface HostSpeed {
  sha256MiBPerSecond: number;
  systemCallMicroseconds: number;
}

export interface SuiteRecord extends SuiteOutcome {
  suite: string;
  run: RunInfo;
  /** Absent in results written before the probe existed. */
  hostSpeed?: HostSpeed;
}

export interface ResultsFile {
  format: 1;
  suites: SuiteRecord[];
}

export interface Progress {
  (message: string): void;
}

export interface SuiteContext {
  repoRoot: string;
  /** A fresh directory for this suite; removed after the run. */
  workDir: string;
  load: LoadSettings;
  progress: Progress;
}

export interface Suite {
  name: string;
  description: string;
  run(context: SuiteContext): Promise<SuiteOutcome>;
}
