import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { machineBusySeconds, waitForQuietMachine } from './cpu.js';
import { failures, fire, LoadError, type Burst, type RequestBody } from './load.js';
import { postgresCpuBetween, samplePostgresCpu } from './postgres-cpu.js';
import { scrape, sumOf, type Sample } from './prometheus.js';
import type { ServerProcess } from './server-process.js';
import type { Detail, LoadSettings, Measurement, Progress } from './types.js';
import { percentile, standardDeviation } from './stats.js';

export interface HttpTarget {
  id: string;
  label: string;
  operation: string;
  baseline?: string;
  server: ServerProcess;
  path: string;
  /** Sent with every request, e.g. the API key. */
  headers?: Record<string, string>;
  /** The same body with every request (a POST); without it, a GET. */
  request?: RequestBody;
  /** ORCA only: the route template whose counters to read from /metrics. */
  orcaMetrics?: { route: string };
  /** ORCA only: the file receiving its log, to measure how much is written per request. */
  logPath?: string;
  /**
   * The server works with the PostgreSQL server on this machine: its CPU (all `postgres` processes) is measured
   * around each round, reported per request, and not counted as "everything else".
   */
  postgres?: boolean;
  /**
   * Further replicas of the same deployment (the same database and keys). The connections are split evenly
   * between `server` and them, as a load balancer would; CPU, counters and log volume are summed over all.
   */
  replicas?: Array<{ server: ServerProcess; logPath?: string }>;
}

const STATEMENTS = 'orca_db_query_duration_seconds_count';

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

function countLines(path: string, from: number, to: number): number {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(1 << 20);
    let lines = 0;
    for (let position = from; position < to; ) {
      const read = readSync(fd, buffer, 0, Math.min(buffer.length, to - position), position);
      if (read === 0) break;
      for (let index = 0; index < read; index += 1) if (buffer[index] === 0x0a) lines += 1;
      position += read;
    }
    return lines;
  } finally {
    closeSync(fd);
  }
}

/** Everything measured for one target, summed over its rounds. */
class Tally {
  latenciesMs: number[] = [];
  roundRates: number[] = [];
  completed = 0;
  errors = 0;
  timeouts = 0;
  non2xx = 0;
  wallSeconds = 0;
  generatorCpuSeconds = 0;
  serverCpuSeconds: number | undefined = 0;
  postgresCpuSeconds: number | undefined = 0;
  otherCpuSeconds: number | undefined = 0;
  orca = { requests: 0, statements: 0, dbSeconds: 0, handlingSeconds: 0, cacheHits: 0, cacheLookups: 0 };
  log = { bytes: 0, lines: 0 };
}

const add = (total: number | undefined, value: number | undefined) => (total === undefined || value === undefined ? undefined : total + value);

/**
 * ORCA's counters. A scrape may run statements of its own (gauges read from the database), so `calibrate` takes
 * two in a row to learn how many; the caller subtracts them from the statement count.
 */
async function scrapeOrca(target: HttpTarget, server: ServerProcess, calibrate: boolean): Promise<{ samples: Sample[]; statementsPerScrape: number } | undefined> {
  if (!target.orcaMetrics) return undefined;
  const url = `${server.baseUrl}/metrics`;
  const first = calibrate ? await scrape(url) : undefined;
  const samples = await scrape(url);
  return { samples, statementsPerScrape: first ? sumOf(samples, STATEMENTS) - sumOf(first, STATEMENTS) : 0 };
}

/** The processes serving a target: its server and any further replicas. */
function processesOf(target: HttpTarget): Array<{ server: ServerProcess; logPath?: string }> {
  return [{ server: target.server, ...(target.logPath ? { logPath: target.logPath } : {}) }, ...(target.replicas ?? [])];
}

const sumOrUndefined = (values: Array<number | undefined>) => values.reduce<number | undefined>((total, value) => add(total, value), 0);

/** The connections split evenly over the replicas (the first ones take the remainder). */
function connectionShares(load: LoadSettings, replicas: number): LoadSettings[] {
  return Array.from({ length: replicas }, (_, index) => ({
    ...load,
    connections: Math.floor(load.connections / replicas) + (index < load.connections % replicas ? 1 : 0),
    ...(load.ratePerSecond ? { ratePerSecond: load.ratePerSecond / replicas } : {}),
  }));
}

/** One load run against every replica of a target at once, merged into one burst. */
async function fireAll(target: HttpTarget, load: LoadSettings, seconds: number): Promise<Burst> {
  const processes = processesOf(target);
  const shares = connectionShares(load, processes.length);
  const bursts = await Promise.all(processes.map(({ server }, index) => fire(`${server.baseUrl}${target.path}`, shares[index]!, seconds, target.headers ?? {}, target.request)));
  if (bursts.length === 1) return bursts[0]!;
  const sum = (pick: (result: Burst['result']) => number) => bursts.reduce((total, burst) => total + pick(burst.result), 0);
  const result = { ...bursts[0]!.result, errors: sum((r) => r.errors), timeouts: sum((r) => r.timeouts), non2xx: sum((r) => r.non2xx), '2xx': sum((r) => r['2xx']) };
  return { result, latenciesMs: bursts.flatMap((burst) => burst.latenciesMs) };
}

/** One measured round of one target; its counters are read right before and right after. */
async function measureRound(target: HttpTarget, load: LoadSettings, seconds: number, tally: Tally): Promise<void> {
  const url = `${target.server.baseUrl}${target.path}`;
  const processes = processesOf(target);
  const metricsBefore = await Promise.all(processes.map(({ server }) => scrapeOrca(target, server, true)));
  const logsBefore = processes.map(({ logPath }) => (logPath ? statSync(logPath).size : 0));
  const serverBefore = sumOrUndefined(processes.map(({ server }) => server.cpuSeconds()));
  const postgresBefore = target.postgres ? samplePostgresCpu() : undefined;
  const machineBefore = machineBusySeconds();
  const generatorBefore = process.cpuUsage();
  const started = performance.now();

  const { result, latenciesMs } = await fireAll(target, load, seconds);

  const wallSeconds = (performance.now() - started) / 1000;
  const generator = process.cpuUsage(generatorBefore);
  const generatorSeconds = (generator.user + generator.system) / 1e6;
  const machineAfter = machineBusySeconds();
  const serverAfter = sumOrUndefined(processes.map(({ server }) => server.cpuSeconds()));
  const postgresSeconds = target.postgres ? postgresCpuBetween(postgresBefore, samplePostgresCpu()) : 0;
  const logsAfter = processes.map(({ logPath }) => (logPath ? statSync(logPath).size : 0));
  const problem = failures(result);
  if (problem) throw new LoadError(`${target.label} (${url}): ${problem}`);
  if (result['2xx'] === 0) throw new LoadError(`${target.label} (${url}): no responses`);

  for (const latency of latenciesMs) tally.latenciesMs.push(latency);
  tally.roundRates.push(result['2xx'] / wallSeconds);
  tally.completed += result['2xx'];
  tally.errors += result.errors;
  tally.timeouts += result.timeouts;
  tally.non2xx += result.non2xx;
  tally.wallSeconds += wallSeconds;
  tally.generatorCpuSeconds += generatorSeconds;
  const serverSeconds = serverBefore === undefined || serverAfter === undefined ? undefined : serverAfter - serverBefore;
  tally.serverCpuSeconds = add(tally.serverCpuSeconds, serverSeconds);
  tally.postgresCpuSeconds = add(tally.postgresCpuSeconds, postgresSeconds);
  const machineSeconds = machineBefore === undefined || machineAfter === undefined ? undefined : machineAfter - machineBefore;
  tally.otherCpuSeconds = add(
    tally.otherCpuSeconds,
    machineSeconds === undefined || serverSeconds === undefined || postgresSeconds === undefined
      ? undefined
      : Math.max(0, machineSeconds - serverSeconds - postgresSeconds - generatorSeconds),
  );

  processes.forEach(({ logPath }, index) => {
    if (!logPath) return;
    tally.log.bytes += logsAfter[index]! - logsBefore[index]!;
    tally.log.lines += countLines(logPath, logsBefore[index]!, logsAfter[index]!);
  });
  const metricsAfter = await Promise.all(processes.map(({ server }) => scrapeOrca(target, server, false)));
  processes.forEach((_, index) => {
    const before = metricsBefore[index];
    const after = metricsAfter[index];
    if (!target.orcaMetrics || !before || !after) return;
    const delta = (name: string, where: Record<string, string> = {}) => sumOf(after.samples, name, where) - sumOf(before.samples, name, where);
    const route = { route: target.orcaMetrics.route };
    // The closing scrape ran its own statements before reporting them.
    tally.orca.statements += delta(STATEMENTS) - before.statementsPerScrape;
    tally.orca.requests += delta('orca_http_requests_total', route);
    tally.orca.dbSeconds += delta('orca_db_query_duration_seconds_sum');
    tally.orca.handlingSeconds += delta('orca_http_request_duration_seconds_sum', route);
    const hits = delta('orca_cache_requests_total', { result: 'hit' });
    tally.orca.cacheHits += hits;
    tally.orca.cacheLookups += hits + delta('orca_cache_requests_total', { result: 'miss' });
  });
}



function toMeasurement(target: HttpTarget, tally: Tally): Measurement {
  const sorted = Float64Array.from(tally.latenciesMs).sort();
  const perRequest = (value: number) => value / tally.completed;
  const percentOfCore = (seconds: number) => round((seconds / tally.wallSeconds) * 100, 1);
  const details: Detail[] = [];
  if (tally.serverCpuSeconds !== undefined) {
    details.push({ key: 'server_cpu_us_per_request', label: 'server CPU per request', value: round(perRequest(tally.serverCpuSeconds) * 1e6, 1), unit: 'µs' });
    details.push({ key: 'server_cpu_percent', label: 'server CPU', value: percentOfCore(tally.serverCpuSeconds), unit: '% of a core' });
  }
  if (target.postgres && tally.postgresCpuSeconds !== undefined) {
    details.push({
      key: 'postgres_cpu_us_per_request',
      label: 'PostgreSQL CPU per request (all its processes)',
      value: round(perRequest(tally.postgresCpuSeconds) * 1e6, 1),
      unit: 'µs',
    });
  }
  details.push({ key: 'generator_cpu_percent', label: 'load generator CPU', value: percentOfCore(tally.generatorCpuSeconds), unit: '% of a core' });
  if (tally.otherCpuSeconds !== undefined) {
    details.push({ key: 'other_cpu_percent', label: 'CPU used by everything else', value: percentOfCore(tally.otherCpuSeconds), unit: '% of a core' });
  }
  const { orca } = tally;
  if (target.orcaMetrics && orca.requests > 0) {
    details.push({ key: 'db_statements_per_request', label: 'DB statements per request', value: round(Math.max(0, orca.statements) / orca.requests, 2), unit: '' });
    details.push({ key: 'db_ms_per_request', label: 'DB call time per request', value: round((orca.dbSeconds / orca.requests) * 1000, 3), unit: 'ms' });
    details.push({ key: 'server_ms_per_request', label: 'server handling time per request', value: round((orca.handlingSeconds / orca.requests) * 1000, 3), unit: 'ms' });
    // Read caches in front of the database (the agent cache, for one): how many lookups they answered.
    if (orca.cacheLookups > 0) {
      details.push({ key: 'cache_hit_percent', label: 'cache hits', value: round((orca.cacheHits / orca.cacheLookups) * 100, 1), unit: '% of lookups' });
    }
  }
  if (target.logPath) {
    details.push({ key: 'log_lines_per_request', label: 'log lines per request', value: round(perRequest(tally.log.lines), 2), unit: '' });
    details.push({ key: 'log_bytes_per_request', label: 'log bytes per request', value: round(perRequest(tally.log.bytes), 0), unit: 'B' });
  }
  return {
    id: target.id,
    label: target.label,
    operation: target.operation,
    ...(target.baseline ? { baseline: target.baseline } : {}),
    throughput: { unit: 'req/s', mean: round(tally.completed / tally.wallSeconds, 1), stddev: round(standardDeviation(tally.roundRates), 1) },
    latencyMs: {
      mean: round(tally.latenciesMs.reduce((total, value) => total + value, 0) / Math.max(1, tally.latenciesMs.length), 3),
      p50: round(percentile(sorted, 0.5), 2),
      p97_5: round(percentile(sorted, 0.975), 2),
      p99: round(percentile(sorted, 0.99), 2),
      max: round(sorted[sorted.length - 1] ?? 0, 2),
    },
    completed: tally.completed,
    errors: tally.errors,
    timeouts: tally.timeouts,
    non2xx: tally.non2xx,
    details,
  };
}

/**
 * Measures several targets against each other: a warm-up per target, then `rounds` measured rounds in which the
 * targets take turns (the order rotates every round). Whatever else the machine is doing therefore falls on all
 * targets alike, which keeps their ratios honest. Each target's counters are read around each of its rounds.
 */
export async function measureTargets(targets: HttpTarget[], load: LoadSettings, progress: Progress): Promise<Measurement[]> {
  await waitForQuietMachine(load.waitQuietSeconds, progress);
  for (const target of targets) {
    if (load.warmupSeconds <= 0) break;
    progress(`warm-up ${load.warmupSeconds} s: ${target.label}`);
    const { result } = await fireAll(target, load, load.warmupSeconds);
    const problem = failures(result);
    if (problem) throw new LoadError(`warm-up of ${target.label}: ${problem}`);
  }
  const tallies = new Map(targets.map((target) => [target.id, new Tally()]));
  const roundSeconds = load.durationSeconds / load.rounds;
  for (let index = 0; index < load.rounds; index += 1) {
    await waitForQuietMachine(load.waitQuietSeconds, progress);
    const order = targets.map((_, position) => targets[(position + index) % targets.length]!);
    for (const target of order) {
      progress(`round ${index + 1}/${load.rounds}, ${roundSeconds} s: ${target.label}`);
      await measureRound(target, load, roundSeconds, tallies.get(target.id)!);
    }
  }
  return targets.map((target) => toMeasurement(target, tallies.get(target.id)!));
}

/** Fills in each measurement's throughput ratio to its baseline (a measurement of the same run). */
export function withRatios(measurements: Measurement[]): Measurement[] {
  return measurements.map((measurement) => {
    if (!measurement.baseline) return measurement;
    const baseline = measurements.find((candidate) => candidate.id === measurement.baseline);
    if (!baseline) throw new Error(`measurement ${measurement.id}: baseline ${measurement.baseline} was not measured in this run`);
    return { ...measurement, ratioToBaseline: round(measurement.throughput.mean / baseline.throughput.mean, 4) };
  });
}

/** Above this, other work took a noticeable share of a 2-core machine while measuring. */
const CONTENTION_PERCENT = 25;

export function contentionWarnings(measurements: Measurement[]): string[] {
  return measurements.flatMap((measurement) => {
    const other = measurement.details.find((detail) => detail.key === 'other_cpu_percent');
    if (!other || other.value <= CONTENTION_PERCENT) return [];
    return [
      `${measurement.label}: everything else on the machine used ${other.value} % of a core during the measured run (more than ${CONTENTION_PERCENT} %); throughput and latency understate what the server can do on a quiet machine.`,
    ];
  });
}
