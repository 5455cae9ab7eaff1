import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cleanupOrcaProcesses, runOrca, tempDir } from '../helpers/orca-process.js';
import { REPO } from '../helpers/promql.js';

/**
 * `orca slo compile` as an operator runs it (docs/observability.md): it writes the rule file, `--check` tells whether
 * a rule file is what the manifest compiles to, and a bad manifest is one line per problem and exit 1, nothing
 * written.
 */
afterAll(cleanupOrcaProcesses);

const MANIFEST = join(REPO, 'deploy/slo/orca.yaml');
// A process start compiles TypeScript on the fly: tens of seconds on a loaded machine. Bounds a hang.
const TIMEOUT_MS = 300_000;

describe('orca slo compile', () => {
  it('writes the rules of the manifest, and --check agrees with them until the file is edited', { timeout: TIMEOUT_MS }, async () => {
    const out = tempDir('orca-slo-out-');
    const written = await runOrca(['slo', 'compile', '--in', MANIFEST, '--out', out]);
    expect(written, written.stderr).toMatchObject({ code: 0, stderr: '' });
    const target = join(out, 'orca-slo-rules.yaml');
    expect(written.stdout).toBe(`wrote ${target}: 5 SLO(s), 75 recording rules, 10 alerting rules (page and ticket per SLO)\n`);
    // The same rules as the committed file (whose header names the manifest by its path in the repository).
    expect(parse(readFileSync(target, 'utf8'))).toEqual(parse(readFileSync(join(REPO, 'deploy/prometheus/orca-slo-rules.yaml'), 'utf8')));

    const checked = await runOrca(['slo', 'compile', '--in', MANIFEST, '--out', out, '--check']);
    expect(checked).toMatchObject({ code: 0, stdout: `${target} is up to date with ${MANIFEST}\n`, stderr: '' });
    const again = await runOrca(['slo', 'compile', '--in', MANIFEST, '--out', out, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({
      file: target,
      manifest: MANIFEST,
      slos: ['orca-api-availability', 'orca-api-latency', 'orca-ingest-ack-latency', 'orca-policy-evaluation-latency', 'orca-alert-delivery'],
      recording_rules: 75,
      alerting_rules: 10,
    });
    writeFileSync(target, readFileSync(target, 'utf8').replace('vector(0.995)', 'vector(0.9)'));
    const stale = await runOrca(['slo', 'compile', '--in', MANIFEST, '--out', out, '--check']);
    expect(stale).toMatchObject({ code: 1, stdout: '' });
    expect(stale.stderr).toBe(`orca slo compile: ${target} is not what ${MANIFEST} compiles to: run \`orca slo compile --in ${MANIFEST} --out ${out}\`\n`);
  });

  it('refuses a bad manifest with each problem and its path, and writes nothing', { timeout: TIMEOUT_MS }, async () => {
    const dir = tempDir('orca-slo-bad-');
    const manifest = join(dir, 'bad.yaml');
    writeFileSync(manifest, readFileSync(MANIFEST, 'utf8').replace('target: 0.995', 'target: 1.5').replace('budgetingMethod: Occurrences', 'budgetingMethod: Timeslices'));
    const refused = await runOrca(['slo', 'compile', '--in', manifest, '--out', dir]);
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(refused.stderr).toBe(
      [
        `orca slo compile: ${manifest}: 2 problems:`,
        '  document 3 (SLO api-availability) /spec/budgetingMethod: is Timeslices; only Occurrences is supported (burn rates are ratios of events)',
        '  document 3 (SLO api-availability) /spec/objectives/0/target: must be above 0 and below 1',
        '',
      ].join('\n'),
    );
    const missing = await runOrca(['slo', 'compile', '--in', join(dir, 'nowhere.yaml'), '--out', dir]);
    expect(missing).toMatchObject({ code: 1, stderr: `orca slo compile: cannot read ${join(dir, 'nowhere.yaml')}: ENOENT\n` });
    expect(() => readFileSync(join(dir, 'bad-slo-rules.yaml'))).toThrow(/ENOENT/);
  });
});
