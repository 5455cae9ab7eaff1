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
}

/** How one ORCA process under test is started: its command-line flags and its NODE_OPTIONS ('' for none). */
export interface NodeSetup {
  commandLine: string[];
  nodeOptions: string;
}

export const UNBOUNDED: NodeSetup = { commandLine: [], nodeOptions: '' };

export function readRecommendedNodeOptions(repoRoot: string): RecommendedNodeOptions {
  const parsed = JSON.parse(readFileSync(join(repoRoot, 'deploy', 'node-options.json'), 'utf8')) as RecommendedNodeOptions;
  const valid = Array.isArray(parsed.commandLine) && parsed.commandLine.every((flag) => typeof flag === 'string') && ['pglite', 'postgres'].every((key) => typeof parsed.nodeOptions?.[key as OptionsDatabase] === 'string');
  if (!valid) throw new Error('deploy/node-options.json: expected { commandLine: string[], nodeOptions: { pglite: string, postgres: string } }');
  return parsed;
}

export function recommendedSetup(options: RecommendedNodeOptions, database: OptionsDatabase): NodeSetup {
  return { commandLine: options.commandLine, nodeOptions: options.nodeOptions[database] };
}

/** `node --liftoff-only …, NODE_OPTIONS="--max-old-space-size=128"`, or "no Node options" — for the report. */
export function describeSetup(setup: NodeSetup): string {
  const parts = [
    ...(setup.commandLine.length > 0 ? [`command line \`${setup.commandLine.join(' ')}\``] : []),
    ...(setup.nodeOptions ? [`NODE_OPTIONS=\`${setup.nodeOptions}\``] : []),
  ];
  return parts.length > 0 ? parts.join(', ') : 'no Node options (V8 defaults: heap unbounded by ORCA)';
}
