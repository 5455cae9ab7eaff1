import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ResultsFile, SuiteRecord } from './types.js';

/** A section written by an older harness lacks fields the report needs; it is dropped rather than half-rendered. */
function isSuiteRecord(value: unknown): value is SuiteRecord {
  const record = value as Partial<SuiteRecord> | null;
  return (
    typeof record === 'object' &&
    record !== null &&
    typeof record.suite === 'string' &&
    typeof record.run === 'object' &&
    typeof record.settings === 'object' &&
    [record.measurements, record.targets, record.warnings, record.method].every(Array.isArray)
  );
}

/** Reads the previous results; a missing or unreadable file (or an older format) starts afresh. */
export function readResults(path: string): ResultsFile {
  if (!existsSync(path)) return { format: 1, suites: [] };
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<ResultsFile>;
    if (parsed.format === 1 && Array.isArray(parsed.suites)) return { format: 1, suites: parsed.suites.filter(isSuiteRecord) };
  } catch {
    // rewritten below
  }
  return { format: 1, suites: [] };
}

/**
 * The Node major version that ran the servers under test when ORCA_BENCH_NODE chose another than the harness's
 * (`v24.22.3 (servers under test, ORCA_BENCH_NODE); harness v20.20.2`), else undefined.
 */
export function serverNodeMajor(record: SuiteRecord): number | undefined {
  const match = /^v(\d+)\.[^ ]* \(servers under test/.exec(record.run.node);
  return match ? Number(match[1]) : undefined;
}

/** A suite run by the harness's Node and the same suite run on another Node are two sections, not one. */
const sectionKey = (record: SuiteRecord) => {
  const major = serverNodeMajor(record);
  return major === undefined ? record.suite : `${record.suite}@node${major}`;
};

/**
 * Replaces the sections of the suites that just ran and keeps the others (each carries its own run details),
 * dropping suites that no longer exist. Sections follow the order in which suites are registered; a suite's run on
 * another Node (ORCA_BENCH_NODE) follows the harness Node's.
 */
export function mergeResults(previous: ResultsFile, fresh: SuiteRecord[], suiteOrder: readonly string[]): ResultsFile {
  const bySection = new Map(previous.suites.map((record) => [sectionKey(record), record]));
  for (const record of fresh) bySection.set(sectionKey(record), record);
  const sections = [...bySection.values()];
  const ofSuite = (name: string) =>
    sections.filter((record) => record.suite === name).sort((a, b) => (serverNodeMajor(a) ?? 0) - (serverNodeMajor(b) ?? 0));
  return { format: 1, suites: suiteOrder.flatMap(ofSuite) };
}

/** Written beside, then renamed: an interrupted run never leaves half a file. */
export function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}
