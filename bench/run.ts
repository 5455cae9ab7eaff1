/**
 * `npm run bench [-- <suite>… ] [--duration s] [--rounds n] [--warmup s] [--connections n] [--pipelining n] [--wait-quiet s] [--soak s] [--unbounded]`
 *
 * Runs the named suites (all by default) one after the other, then writes bench/results/latest.json and
 * docs/benchmarks.md from their structured results. Exit status: 0 when every suite ran (a missed target is
 * reported as FAIL in the report, not as an error), 1 when the harness failed, 2 on a usage error.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { probeHostSpeed } from './lib/host-speed.js';
import { runInfo } from './lib/machine.js';
import { createProgress } from './lib/progress.js';
import { renderReport } from './lib/report.js';
import { mergeResults, readResults, writeAtomically } from './lib/results.js';
import { killRunningServers } from './lib/server-process.js';
import type { LoadSettings, SuiteRecord } from './lib/types.js';
import { SUITES } from './suites/index.js';

const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const RESULTS_PATH = join(REPO_ROOT, 'bench', 'results', 'latest.json');
const REPORT_PATH = join(REPO_ROOT, 'docs', 'benchmarks.md');

const USAGE = `usage: npm run bench [-- [suite…] [--duration <s>] [--rounds <n>] [--warmup <s>] [--connections <n>] [--pipelining <n>] [--wait-quiet <s>] [--soak <s>] [--unbounded]]
suites: ${SUITES.map((suite) => `${suite.name} (${suite.description})`).join('; ')}`;

class UsageError extends Error {}

/** Temporary directories of suites in progress, removed also when the run is interrupted. */
const workDirs = new Set<string>();

function positiveInteger(name: string, raw: string | undefined, fallback: number, minimum = 1): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < minimum) throw new UsageError(`--${name} must be an integer >= ${minimum} (got "${raw}")`);
  return Number(raw);
}

function parseCommandLine(argv: string[]): { suites: typeof SUITES; load: LoadSettings } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        duration: { type: 'string' },
        rounds: { type: 'string' },
        warmup: { type: 'string' },
        connections: { type: 'string' },
        pipelining: { type: 'string' },
        'wait-quiet': { type: 'string' },
        soak: { type: 'string' },
        unbounded: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const unknown = parsed.positionals.filter((name) => !SUITES.some((suite) => suite.name === name));
  if (unknown.length > 0) throw new UsageError(`unknown suite ${unknown.join(', ')}; available: ${SUITES.map((suite) => suite.name).join(', ')}`);
  const selected = parsed.positionals.length === 0 ? SUITES : SUITES.filter((suite) => parsed.positionals.includes(suite.name));
  return {
    suites: selected,
    load: {
      durationSeconds: positiveInteger('duration', parsed.values.duration, 10),
      rounds: positiveInteger('rounds', parsed.values.rounds, 5),
      warmupSeconds: positiveInteger('warmup', parsed.values.warmup, 3, 0),
      connections: positiveInteger('connections', parsed.values.connections, 50),
      pipelining: positiveInteger('pipelining', parsed.values.pipelining, 1),
      waitQuietSeconds: positiveInteger('wait-quiet', parsed.values['wait-quiet'], 10, 0),
      soakSeconds: positiveInteger('soak', parsed.values.soak, 600),
      unbounded: parsed.values.unbounded ?? false,
    },
  };
}

async function main(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`bench: ${error.message}\n${USAGE}`);
    return 2;
  }

  const started = new Date();
  const info = runInfo(REPO_ROOT, argv, started);
  const records: SuiteRecord[] = [];
  for (const suite of options.suites) {
    const workDir = mkdtempSync(join(tmpdir(), `orca-bench-${suite.name}-`));
    workDirs.add(workDir);
    try {
      const hostSpeed = probeHostSpeed();
      const outcome = await suite.run({ repoRoot: REPO_ROOT, workDir, load: options.load, progress: createProgress(suite.name) });
      records.push({ suite: suite.name, run: info, hostSpeed, ...outcome });
    } catch (error) {
      console.error(`bench: suite ${suite.name} failed: ${(error as Error).message}`);
      console.error('bench: nothing was written; the previous report stays as it was');
      return 1;
    } finally {
      killRunningServers();
      rmSync(workDir, { recursive: true, force: true });
      workDirs.delete(workDir);
    }
  }

  const results = mergeResults(
    readResults(RESULTS_PATH),
    records,
    SUITES.map((suite) => suite.name),
  );
  const report = renderReport(results);
  writeAtomically(RESULTS_PATH, `${JSON.stringify(results, null, 2)}\n`);
  writeAtomically(REPORT_PATH, report);

  for (const record of records) {
    const verdicts = record.targets.map((target) => `${target.description}: ${target.pass === null ? 'not evaluated' : target.pass ? 'PASS' : 'FAIL'}`);
    console.log(`bench: ${record.suite} done${verdicts.length > 0 ? ` — ${verdicts.join('; ')}` : ''}`);
  }
  console.log(`bench: wrote ${relative(REPO_ROOT, REPORT_PATH)} and ${relative(REPO_ROOT, RESULTS_PATH)}`);
  return 0;
}

// A child server must never outlive the harness, also when it is interrupted.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killRunningServers();
    for (const workDir of workDirs) rmSync(workDir, { recursive: true, force: true });
    console.error(`bench: interrupted by ${signal}; nothing was written`);
    process.exit(130);
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    killRunningServers();
    console.error(`bench: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = 1;
  },
);
