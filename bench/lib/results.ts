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
 * Replaces the sections of the suites that just ran and keeps the others (each carries its own run details),
 * dropping suites that no longer exist. Sections follow the order in which suites are registered.
 */
export function mergeResults(previous: ResultsFile, fresh: SuiteRecord[], suiteOrder: readonly string[]): ResultsFile {
  const bySuite = new Map(previous.suites.map((record) => [record.suite, record]));
  for (const record of fresh) bySuite.set(record.suite, record);
  return { format: 1, suites: suiteOrder.flatMap((name) => bySuite.get(name) ?? []) };
}

/** Written beside, then renamed: an interrupted run never leaves half a file. */
export function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}
