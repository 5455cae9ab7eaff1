import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadRules, REPO, RULE_FILES } from '../helpers/promql.js';
import { promtool } from '../helpers/prometheus.js';

/**
 * ORCA's Prometheus rules as Prometheus reads them: `promtool check rules` accepts both files, and `promtool test rules`
 * passes the unit tests of deploy/prometheus/tests/, which must exercise every alert (firing, with its labels and
 * annotations). Without promtool those two are skipped, and say so, unless ORCA_REQUIRE_PROMTOOL=1 (CI).
 * Every alert links a runbook section that exists.
 */

const TESTS_DIR = 'deploy/prometheus/tests';
const testFiles = readdirSync(join(REPO, TESTS_DIR))
  .filter((file) => file.endsWith('.yaml'))
  .map((file) => `${TESTS_DIR}/${file}`);
const rules = loadRules();
const alerts = rules.filter((rule) => rule.alert !== undefined);

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function run(args: string[], cwd = REPO) {
  const result = spawnSync(promtool.require(), args, { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

/** GitHub's anchor of a Markdown heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');
}

describe('ORCA\'s Prometheus rule files', () => {
  it.runIf(promtool.runs)(promtool.title('promtool check rules accepts them'), () => {
    const result = run(['check', 'rules', ...RULE_FILES]);
    expect(result.output).toContain(`SUCCESS: ${rules.filter((rule) => rule.file === RULE_FILES[0]).length} rules found`);
    expect(result.output).toContain(`SUCCESS: ${rules.filter((rule) => rule.file === RULE_FILES[1]).length} rules found`);
    expect(result, result.output).toMatchObject({ code: 0 });
  });

  it.runIf(promtool.runs)(promtool.title('promtool check config accepts the example deploy/prometheus/prometheus.yml, which loads both'), () => {
    const result = run(['check', 'config', 'deploy/prometheus/prometheus.yml']);
    expect(result, result.output).toMatchObject({ code: 0 });
    expect(result.output).toContain('SUCCESS: 2 rule files found');
  });

  it.runIf(promtool.runs)(promtool.title('promtool test rules passes their unit tests'), () => {
    expect(testFiles).toEqual(['deploy/prometheus/tests/orca-alerts.test.yaml', 'deploy/prometheus/tests/orca-slo-rules.test.yaml']);
    const result = run(['test', 'rules', ...testFiles]);
    expect(result, result.output).toMatchObject({ code: 0 });
    expect(result.output.match(/SUCCESS/g)).toHaveLength(testFiles.length);
  });

  it.runIf(promtool.runs)(promtool.title('promtool test rules fails a test whose expectation is wrong (the harness is not vacuous)'), () => {
    const dir = mkdtempSync(join(tmpdir(), 'orca-promtool-'));
    tempDirs.push(dir);
    const wrong = {
      rule_files: [join(REPO, RULE_FILES[0]!)],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [{ series: 'orca_ready{job="orca", instance="a"}', values: '0 0 0 0 0' }],
          alert_rule_test: [{ eval_time: '4m', alertname: 'OrcaNotReady', exp_alerts: [] }],
        },
      ],
    };
    writeFileSync(join(dir, 'wrong.test.yaml'), JSON.stringify(wrong));
    const result = run(['test', 'rules', join(dir, 'wrong.test.yaml')]);
    expect(result.code).toBe(1);
    expect(result.output).toContain('alertname: OrcaNotReady');
  });

  it('unit tests make every alert fire at least once', () => {
    const fired = new Set<string>();
    for (const file of testFiles) {
      const document = parse(readFileSync(join(REPO, file), 'utf8')) as { tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts: unknown[] }> }> };
      for (const test of document.tests) for (const check of test.alert_rule_test ?? []) if (check.exp_alerts.length > 0) fired.add(check.alertname);
    }
    expect([...new Set(alerts.map((rule) => rule.alert!))].filter((name) => !fired.has(name))).toEqual([]);
  });

  it('every alert has a severity and a runbook_url that names a section of docs/runbooks/', () => {
    const problems: string[] = [];
    for (const rule of alerts) {
      if (!['critical', 'warning'].includes(rule.labels?.severity ?? '')) problems.push(`${rule.alert}: severity ${rule.labels?.severity}`);
      const url = rule.annotations?.runbook_url ?? '';
      const [path, anchor] = url.split('#');
      if (!path?.startsWith('docs/runbooks/') || !anchor) {
        problems.push(`${rule.alert}: runbook_url ${url}`);
        continue;
      }
      const headings = readFileSync(join(REPO, path), 'utf8')
        .split('\n')
        .filter((line) => /^#{2,3} /.test(line))
        .map((line) => anchorOf(line.replace(/^#+ /, '')));
      if (!headings.includes(anchor)) problems.push(`${rule.alert}: no section #${anchor} in ${path}`);
    }
    expect(problems).toEqual([]);
    expect(alerts.length).toBe(11 + 2 * 5);
  });
});
