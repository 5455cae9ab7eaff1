import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The databases the recommended Node options are given for. */
export type OptionsDatabase = 'pglite' | 'postgres';

/** deploy/node-options.json: the Node options ORCA is recommended to run with (docs/OPERATIONS.md, Memory). */
export interface RecommendedNodeOptions {
  /** V8 flags Node refuses in NODE_OPTIONS: they go on node's command line, before the entry point. */
  commandLine: string[];
  /** The NODE_OPTIONS value per database. */
  nodeOptions: Record<OptionsDatabase, string>;
  /** Other environment variables of the process, for every database (MALLOC_ARENA_MAX). */
  environment: Record<string, string>;
}

/** How one ORCA process under test is started: its command-line flags, its NODE_OPTIONS ('' for none), other variables. */
export interface NodeSetup {
  commandLine: string[];
  nodeOptions: string;
  environment: Record<string, string>;
}

export const UNBOUNDED: NodeSetup = { commandLine: [], nodeOptions: '', environment: {} };

export function readRecommendedNodeOptions(repoRoot: string): RecommendedNodeOptions {
  const parsed = JSON.parse(readFileSync(join(repoRoot, 'deploy', 'node-options.json'), 'utf8')) as RecommendedNodeOptions;
  const valid = Array.isArray(parsed.commandLine) && parsed.commandLine.every((flag) => typeof flag === 'string') && ['pglite', 'postgres'].every((key) => typeof parsed.nodeOptions?.[key as OptionsDatabase] === 'string') &&
    typeof parsed.environment === 'object' && parsed.environment !== null && Object.values(parsed.environment).every((value) => typeof value === 'string');
  if (!valid) throw new Error('deploy/node-options.json: expected { commandLine: string[], nodeOptions: { pglite: string, postgres: string }, environment: { [name]: string } }');
  return parsed;
}

export function recommendedSetup(options: RecommendedNodeOptions, database: OptionsDatabase): NodeSetup {
  return { commandLine: options.commandLine, nodeOptions: options.nodeOptions[database], environment: options.environment };
}

/** `node --liftoff-only …, NODE_OPTIONS="--max-old-space-size=128"`, or "no Node options" — for the report. */
export function describeSetup(setup: NodeSetup): string {
  const parts = [
    ...(setup.commandLine.length > 0 ? [`command line \`${setup.commandLine.join(' ')}\``] : []),
    ...(setup.nodeOptions ? [`NODE_OPTIONS=\`${setup.nodeOptions}\``] : []),
    ...Object.entries(setup.environment).map(([name, value]) => `${name}=\`${value}\``),
  ];
  return parts.length > 0 ? parts.join(', ') : 'no Node options (V8 defaults: heap unbounded by ORCA)';
}
