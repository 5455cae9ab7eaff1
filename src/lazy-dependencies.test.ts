import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

/** Statements that load a module when the importing one loads: `import … from`, `export … from`, `import '…'`. */
const STATIC_IMPORT = /(?:^|\n)\s*(?:(import|export)\s+(type\s+)?[^;]*?\s+from\s+|import\s+)'([^']+)'/g;

/** Every package the modules reachable from `entry` load at once, through static imports (type-only ones load nothing). */
function packagesLoadedWith(entry: string): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const pending = [join(SRC, entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(STATIC_IMPORT)) {
      if (match[2]) continue;
      const specifier = match[3]!;
      if (specifier.startsWith('.')) pending.push(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else if (!specifier.startsWith('node:') && !packages.has(specifier)) packages.set(specifier, file.slice(SRC.length + 1));
    }
  }
  return packages;
}

/**
 * What a server loads at start-up stays in its heap for its whole life. These packages serve features that many
 * deployments never use, and are loaded at their first use instead (docs/OPERATIONS.md, "Memory").
 */
const LOADED_AT_FIRST_USE = [
  '@aws-sdk/', // S3 copies of backups, Lambda discovery
  '@modelcontextprotocol/sdk', // MCP discovery, the /mcp endpoint
  '@opentelemetry/', // traces, only with OTEL_EXPORTER_OTLP_ENDPOINT
  '@electric-sql/pglite', // the embedded database, not loaded on a PostgreSQL server
  'ioredis', // only with REDIS_URL
];

describe('what `orca start` loads at start-up', () => {
  const loaded = packagesLoadedWith('main.ts');
  const server = new Map([...loaded, ...packagesLoadedWith('cli/commands/start.ts')]);

  it('loads no command module but the one named on the command line', () => {
    expect([...loaded.keys()].sort()).toEqual(['commander']);
  });

  it('leaves the SDKs of optional features to their first use', () => {
    const early = [...server].filter(([name]) => LOADED_AT_FIRST_USE.some((prefix) => name.startsWith(prefix)));
    expect(early.map(([name, by]) => `${name} (imported by src/${by})`)).toEqual([]);
  });

  it('finds the packages a server does load', () => {
    // Guards the walk itself: a regular expression that matched nothing would pass the test above vacuously.
    expect([...server.keys()]).toEqual(expect.arrayContaining(['fastify', 'pg', 'pg-boss', 'pino', 'prom-client']));
  });
});
