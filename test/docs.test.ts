import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configHelp } from '../src/cli/config-help.js';
import { renderConfigDoc } from '../src/platform/config/doc.js';
import { SETTINGS } from '../src/platform/config/schema.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

it('docs/CONFIGURATION.md is what `npm run docs:config` generates from the settings table', () => {
  expect(readFileSync(new URL('../docs/CONFIGURATION.md', import.meta.url), 'utf8')).toBe(renderConfigDoc());
});

/** Every text file under `dir` (relative to the repository root), recursively. */
function textFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir))) {
    const path = join(dir, entry);
    if (statSync(join(ROOT, path)).isDirectory()) files.push(...textFiles(path));
    else if (/\.(ts|mts|js|mjs|cjs|json|md|ya?ml|sql|html|txt|csv|xml)$/.test(entry)) files.push(path);
  }
  return files;
}

describe('the repository stands on its own', () => {
  /**
   * Documents outside the repository that its docs and comments used to cite. A reader of a clone cannot open
   * them, so a rule is stated where it applies or in docs/ (docs/ARCHITECTURE.md for the house rules and the API
   * conventions). The patterns are built here so that this file does not match itself.
   */
  const outside = [
    ['..', 'shared'].join('/'),
    ['SPEC', 'md'].join('.'),
    ['DESIGN', 'md'].join('.'),
    new RegExp(`\\b${'SPEC'}\\b`),
    new RegExp(`\\b${'DESIGN'}\\b`),
  ];
  /**
   * Applied migrations are checksummed byte for byte (src/platform/db/migrate.ts): editing a comment in one would
   * stop every database that applied it from starting. These six predate the rule; any new migration is checked.
   */
  const frozen = new Set(
    ['0001_agents', '0002_keys_and_audit', '0003_ingestion', '0004_sync', '0005_policies', '0006_trust'].map((name) =>
      join('src', 'platform', 'db', 'migrations', `${name}.sql`),
    ),
  );
  const self = relative(ROOT, fileURLToPath(import.meta.url));
  const files = [...['src', 'docs', 'test', 'bench', 'scripts'].flatMap(textFiles), 'README.md'].filter((file) => file !== self && !frozen.has(file));

  it('scans the sources, docs, tests, benchmarks and scripts', () => {
    expect(files).toContain(join('docs', 'ARCHITECTURE.md'));
    expect(files).toContain(join('src', 'app.ts'));
    expect(files).toContain(join('src', 'platform', 'db', 'migrations', '0009_decision_usage.sql'));
    expect(files.length).toBeGreaterThan(300);
  });

  it('cites no document outside the repository', () => {
    const citations: string[] = [];
    for (const file of files) {
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .forEach((line, index) => {
          if (outside.some((pattern) => (typeof pattern === 'string' ? line.includes(pattern) : pattern.test(line)))) {
            citations.push(`${file}:${index + 1}: ${line.trim()}`);
          }
        });
    }
    expect(citations).toEqual([]);
  });
});

describe('settings nothing reads yet are marked planned', () => {
  /** Production sources outside the configuration module: where a setting is read once its feature exists. */
  const readers = textFiles('src')
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.startsWith(join('src', 'platform', 'config')))
    .map((file) => readFileSync(join(ROOT, file), 'utf8'))
    .join('\n');

  it.each(SETTINGS.map((setting) => [setting.env, setting] as const))('%s', (_env, setting) => {
    const read = new RegExp(`\\b${setting.key}\\b`).test(readers);
    const planned = 'planned' in setting ? setting.planned : undefined;
    // Read and not planned, or planned and not read: a feature that lands drops its `planned` in the same change.
    expect({ read, planned: planned !== undefined }).toEqual({ read: !planned, planned: !read });
    const helpLine = configHelp()
      .split('\n')
      .find((line) => line.trimStart().startsWith(`${setting.env} `));
    if (planned) expect(helpLine).toContain(`planned (${planned}; not read yet):`);
    else expect(helpLine).not.toContain('planned (');
  });
});

it('the disaster-recovery runbook quotes the figures of the last drill (docs/dr-drill.md), as npm run dr:drill writes them', () => {
  const drill = readFileSync(join(ROOT, 'docs/dr-drill.md'), 'utf8');
  const runbook = readFileSync(join(ROOT, 'docs/runbooks/disaster-recovery.md'), 'utf8');
  // | database | events | seed | backup | MiB | verify | restore | tables | audit |
  const measured = [...drill.matchAll(/^\| (pglite|postgres) \| ([\d,]+) \| [\d.]+ \| ([\d.]+) \| [\d.]+ \| [\d.]+ \| ([\d.]+) \|/gm)].map((row) => `| ${row[1]} | ${row[2]} | ${row[3]} | ${row[4]} |`);
  expect(measured.length).toBeGreaterThan(0);
  const quoted = /<!-- dr-drill:begin[^\n]*-->\n([\s\S]*?)<!-- dr-drill:end -->/.exec(runbook)?.[1] ?? '';
  expect(quoted.split('\n').filter((line) => /^\| (pglite|postgres) \|/.test(line))).toEqual(measured);
});
