import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readRecommendedNodeOptions } from '../../bench/lib/node-options.js';

/**
 * deploy/node-options.json is the one source of the Node options ORCA is recommended to run with; the memory
 * benchmark measures ORCA with it. The image, the compose file and the sizing table of docs/OPERATIONS.md must carry
 * exactly its values: a figure in the docs then describes what the image runs.
 */

const REPO = new URL('../..', import.meta.url).pathname;
const read = (file: string) => readFileSync(join(REPO, file), 'utf8');
const recommended = readRecommendedNodeOptions(REPO);

/** The sizing table's row of one database: [request, limit, NODE_OPTIONS, command-line flags], backticks removed. */
function sizingRow(database: 'PGlite' | 'PostgreSQL'): string[] {
  const row = read('docs/OPERATIONS.md')
    .split('\n')
    .find((line) => line.startsWith(`| ${database} | `) && / MiB \|/.test(line));
  expect(row, `the "Container sizing" row of ${database} in docs/OPERATIONS.md`).toBeDefined();
  return row!
    .split('|')
    .slice(2, -1)
    .map((cell) => cell.trim().replace(/`/g, ''));
}

describe('the recommended Node options (deploy/node-options.json)', () => {
  it('are bounds Node accepts: NODE_OPTIONS as NODE_OPTIONS, the V8 flags on the command line', () => {
    for (const nodeOptions of Object.values(recommended.nodeOptions)) {
      const run = spawnSync(process.execPath, [...recommended.commandLine, '-e', '0'], { env: { ...process.env, NODE_OPTIONS: nodeOptions }, encoding: 'utf8' });
      expect(run.stderr, nodeOptions).toBe('');
      expect(run.status).toBe(0);
      expect(nodeOptions).toMatch(/--max-old-space-size=\d+/);
    }
  });

  it('are the image\'s: its ENTRYPOINT carries the command-line flags, its NODE_OPTIONS those of its default database, PGlite', () => {
    const dockerfile = read('Dockerfile');
    const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(JSON.parse(entrypoint ?? 'null')).toEqual(['node', ...recommended.commandLine, '/app/dist/main.js']);
    expect(/^\s+NODE_OPTIONS="([^"]*)"/m.exec(dockerfile)?.[1]).toBe(recommended.nodeOptions.pglite);
    for (const [name, value] of Object.entries(recommended.environment)) {
      expect(new RegExp(`^\\s+${name}=(\\S+?)(?: \\\\)?$`, 'm').exec(dockerfile)?.[1], name).toBe(value);
    }
    expect(Object.keys(recommended.environment)).toContain('MALLOC_ARENA_MAX');
  });

  it('are compose.yaml\'s, whose ORCA runs on PostgreSQL', () => {
    const compose = parse(read('compose.yaml')) as { services: { orca: { build: string; environment: Record<string, string> } } };
    expect(compose.services.orca.build).toBe('.'); // the image above: its ENTRYPOINT's flags apply
    expect(compose.services.orca.environment.NODE_OPTIONS).toBe(recommended.nodeOptions.postgres);
  });

  it('are the sizing table\'s in docs/OPERATIONS.md, for each database', () => {
    const flags = recommended.commandLine.join(' ');
    expect(sizingRow('PGlite').slice(2)).toEqual([recommended.nodeOptions.pglite, flags]);
    expect(sizingRow('PostgreSQL').slice(2)).toEqual([recommended.nodeOptions.postgres, flags]);
  });
});
