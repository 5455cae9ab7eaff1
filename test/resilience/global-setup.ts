import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import baseSetup from '../helpers/global-setup.js';
import { renderReport } from './report.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where each resilience case writes its figures (test/resilience/report.ts). */
    resilienceResults: string;
  }
}

const REPORT = fileURLToPath(new URL('../../metrics/resilience_report.md', import.meta.url));

const loadAverage = () => loadavg().map((value) => value.toFixed(2)).join(', ');

/**
 * The templates every test file's database starts from (the main suite's global setup), plus a directory for the
 * cases' figures; at the end, metrics/resilience_report.md from them. A run that recorded no case (every case
 * skipped, or a filter) leaves the committed report alone.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = performance.now();
  const date = new Date().toISOString();
  const loadAverageStart = loadAverage();
  const teardownBase = await baseSetup(project);
  const results = mkdtempSync(join(tmpdir(), 'orca-resilience-'));
  project.provide('resilienceResults', results);
  return async () => {
    await teardownBase();
    if (readdirSync(results).length > 0) {
      const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
      const report = renderReport(results, {
        command: 'npm run test:resilience',
        date,
        node: process.version,
        commit,
        loadAverageStart,
        loadAverageEnd: loadAverage(),
        wallSeconds: (performance.now() - started) / 1000,
      });
      writeFileSync(REPORT, report);
      console.log(`[orca resilience] wrote ${REPORT}`);
    }
    rmSync(results, { recursive: true, force: true });
  };
}
