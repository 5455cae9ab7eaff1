// The arithmetic of `npm run ci:report` on hand-made vitest JSON reports: pass counts per test across runs, flaky
// versus always-failing tests, a file that failed to load, a run that wrote no report, and the flakiness rate.
import { describe, expect, it } from 'vitest';
import { summarise, type TierRun, type VitestJsonReport } from '../../scripts/lib/ci-runs.js';

const REPO = '/repo';

function report(outcomes: Record<string, 'passed' | 'failed' | 'skipped'>, loadFailure?: string): VitestJsonReport {
  const files = new Map<string, VitestJsonReport['testResults'][number]>();
  for (const [key, status] of Object.entries(outcomes)) {
    const [file, name] = key.split('::') as [string, string];
    const entry = files.get(file) ?? { name: `${REPO}/${file}`, status: 'passed', assertionResults: [] };
    files.set(file, entry);
    entry.assertionResults.push({ fullName: name, status, failureMessages: status === 'failed' ? [`AssertionError: ${name} broke\n    at line 1`] : [] });
  }
  const results = [...files.values()];
  if (loadFailure) results.push({ name: `${REPO}/${loadFailure}`, status: 'failed', message: 'SyntaxError: nope', assertionResults: [] });
  return { testResults: results };
}

describe('ci report summary', () => {
  it('counts outcomes per test and tells flaky tests from broken ones', () => {
    const runs: TierRun[] = [
      { tier: 'unit', run: 1, wallMs: 1000, exitCode: 0, report: report({ 'a.test.ts::one': 'passed', 'a.test.ts::two': 'passed', 'b.test.ts::three': 'failed', 'b.test.ts::skip': 'skipped' }) },
      { tier: 'unit', run: 2, wallMs: 3000, exitCode: 1, report: report({ 'a.test.ts::one': 'passed', 'a.test.ts::two': 'failed', 'b.test.ts::three': 'failed', 'b.test.ts::skip': 'skipped' }) },
      { tier: 'http', run: 1, wallMs: 5000, exitCode: 1, report: report({ 'c.test.ts::four': 'passed' }, 'd.test.ts') },
      { tier: 'http', run: 2, wallMs: 7000, exitCode: 137, report: null },
    ];
    const summary = summarise(runs, REPO);
    expect(summary.runs).toBe(2);
    expect(summary.tiers).toEqual([
      { tier: 'unit', wallMs: [1000, 3000], failedRuns: 1 },
      { tier: 'http', wallMs: [5000, 7000], failedRuns: 2 },
    ]);
    expect(summary.tests.map((test) => [test.tier, test.file, test.name, test.passed, test.failed])).toEqual([
      ['http', 'c.test.ts', 'four', 1, 0],
      ['http', 'd.test.ts', '(file failed to run)', 0, 1],
      ['unit', 'a.test.ts', 'one', 2, 0],
      ['unit', 'a.test.ts', 'two', 1, 1],
      ['unit', 'b.test.ts', 'three', 0, 2],
    ]);
    expect(summary.flaky.map((test) => test.name)).toEqual(['two']);
    expect(summary.flaky[0]!.messages).toEqual(['AssertionError: two broke\n    at line 1']);
    expect(summary.broken.map((test) => test.name)).toEqual(['(file failed to run)', 'three']);
    expect(summary.missingReports).toEqual([{ tier: 'http', run: 2, exitCode: 137 }]);
    // One flaky test among five that ran (the skipped one is not counted).
    expect(summary.flakinessRate).toBe(0.2);
  });

  it('reports no flakiness for no tests', () => {
    expect(summarise([], REPO).flakinessRate).toBe(0);
  });
});
