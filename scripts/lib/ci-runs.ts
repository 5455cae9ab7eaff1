// What `npm run ci:report` learns from repeated runs of the suite: each test's outcomes across runs, each tier's
// wall time per run, and which tests are flaky (passed in one run, failed in another). Pure: fed the JSON
// reports vitest writes (`--reporter=json`), so it is unit-tested on recorded reports.

/** The parts of vitest's JSON report (the Jest-compatible shape) this reads. */
export interface VitestJsonReport {
  testResults: Array<{
    name: string;
    status: string;
    message?: string;
    assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }>;
  }>;
}

export interface TierRun {
  tier: string;
  run: number;
  wallMs: number;
  /** Exit status of the command; a run that crashed before writing a report has `report: null`. */
  exitCode: number;
  report: VitestJsonReport | null;
}

export interface TestRecord {
  tier: string;
  file: string;
  name: string;
  passed: number;
  failed: number;
  messages: string[];
}

export interface CiSummary {
  runs: number;
  tiers: Array<{ tier: string; wallMs: number[]; failedRuns: number }>;
  tests: TestRecord[];
  /** Passed in at least one run and failed in another. */
  flaky: TestRecord[];
  /** Failed in every run it ran. */
  broken: TestRecord[];
  /** Runs that wrote no report (a crash, a timeout), by tier and run. */
  missingReports: Array<{ tier: string; run: number; exitCode: number }>;
  flakinessRate: number;
}

const MAX_MESSAGES = 3;

export function summarise(runs: readonly TierRun[], repo: string): CiSummary {
  const tests = new Map<string, TestRecord>();
  const tiers = new Map<string, { wallMs: number[]; failedRuns: number }>();
  const missingReports: CiSummary['missingReports'] = [];
  for (const run of runs) {
    const tier = tiers.get(run.tier) ?? { wallMs: [], failedRuns: 0 };
    tiers.set(run.tier, tier);
    tier.wallMs.push(run.wallMs);
    if (run.exitCode !== 0) tier.failedRuns += 1;
    if (!run.report) {
      missingReports.push({ tier: run.tier, run: run.run, exitCode: run.exitCode });
      continue;
    }
    for (const file of run.report.testResults) {
      const relative = file.name.startsWith(repo) ? file.name.slice(repo.length).replace(/^\/+/, '') : file.name;
      // A file that failed to load has no assertions: count it as one failing "test" so that it is not lost.
      const assertions =
        file.assertionResults.length === 0 && file.status === 'failed'
          ? [{ fullName: '(file failed to run)', status: 'failed', failureMessages: [file.message ?? ''] }]
          : file.assertionResults;
      for (const assertion of assertions) {
        if (assertion.status !== 'passed' && assertion.status !== 'failed') continue;
        const key = `${run.tier}\u0000${relative}\u0000${assertion.fullName}`;
        const record = tests.get(key) ?? { tier: run.tier, file: relative, name: assertion.fullName, passed: 0, failed: 0, messages: [] };
        tests.set(key, record);
        if (assertion.status === 'passed') record.passed += 1;
        else {
          record.failed += 1;
          const message = assertion.failureMessages.join('\n').split('\n').slice(0, 6).join('\n').trim();
          if (record.messages.length < MAX_MESSAGES) record.messages.push(message);
        }
      }
    }
  }
  const all = [...tests.values()].sort((a, b) => `${a.tier}${a.file}${a.name}`.localeCompare(`${b.tier}${b.file}${b.name}`));
  const flaky = all.filter((test) => test.passed > 0 && test.failed > 0);
  const broken = all.filter((test) => test.passed === 0 && test.failed > 0);
  return {
    runs: new Set(runs.map((run) => run.run)).size,
    tiers: [...tiers].map(([tier, value]) => ({ tier, ...value })),
    tests: all,
    flaky,
    broken,
    missingReports,
    flakinessRate: all.length === 0 ? 0 : flaky.length / all.length,
  };
}
