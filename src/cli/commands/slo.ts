import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { Command } from 'commander';
import { compileSlos, ruleFileNameFor } from '../slo/compile-slos.js';
import { SloManifestError } from '../slo/openslo.js';

interface CompileOptions {
  in: string;
  out: string;
  check?: boolean;
  json?: boolean;
}

function fail(message: string): void {
  console.error(`orca slo compile: ${message}`);
  process.exitCode = 1;
}

/**
 * A path as the user wrote it, with `/` on every system: the manifest's is written into the rule file's header, so
 * that the same command gives the same file (and `--check` agrees) wherever it runs.
 */
function displayPath(path: string): string {
  return path.split(sep).join('/');
}

function compile(options: CompileOptions): void {
  const manifest = displayPath(options.in);
  let text: string;
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the manifest the operator named on the command line
    text = readFileSync(options.in, 'utf8');
  } catch (error) {
    return fail(`cannot read ${manifest}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let compiled: ReturnType<typeof compileSlos>;
  try {
    compiled = compileSlos(text, manifest);
  } catch (error) {
    if (error instanceof SloManifestError) return fail(error.message);
    throw error;
  }
  const target = join(options.out, ruleFileNameFor(options.in));
  const shownTarget = displayPath(target);
  if (options.check) {
    let current: string | undefined;
    try {
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- the output folder the operator named
      current = readFileSync(target, 'utf8');
    } catch {
      current = undefined;
    }
    if (current !== compiled.text) return fail(`${shownTarget} is not what ${manifest} compiles to: run \`orca slo compile --in ${manifest} --out ${displayPath(options.out)}\``);
    console.log(options.json ? JSON.stringify({ file: shownTarget, manifest, up_to_date: true }) : `${shownTarget} is up to date with ${manifest}`);
    return;
  }
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the output folder the operator named
  mkdirSync(options.out, { recursive: true });
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- as above
  writeFileSync(target, compiled.text);
  if (options.json) {
    const summary = { file: shownTarget, manifest, slos: compiled.slos.map((slo) => slo.id), recording_rules: compiled.recordingRules, alerting_rules: compiled.alertingRules };
    console.log(JSON.stringify(summary));
    return;
  }
  console.log(
    `wrote ${shownTarget}: ${compiled.slos.length} SLO(s), ${compiled.recordingRules} recording rules, ${compiled.alertingRules} alerting rules (page and ticket per SLO)`,
  );
}

export function registerSloCommand(program: Command): void {
  const slo = program.command('slo').description('service level objectives as code (docs/observability.md)');
  slo
    .command('compile')
    .description('compile an OpenSLO v1 manifest into Prometheus recording rules and multi-window, multi-burn-rate alerts')
    .option('--in <file>', 'the OpenSLO manifest', 'deploy/slo/orca.yaml')
    .option('--out <dir>', 'where to write <manifest name>-slo-rules.yaml', 'deploy/prometheus')
    .option('--check', 'write nothing; exit 1 when the rule file differs from what the manifest compiles to')
    .option('--json', 'print the result as JSON')
    .action((options: CompileOptions) => compile(options));
}
