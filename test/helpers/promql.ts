import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/**
 * What the tests of deploy/ need to know about PromQL and the files that hold it: the metric names an expression
 * reads (without a PromQL parser: a tokenizer that knows where names cannot be — label matchers, ranges, grouping
 * lists, function calls, keywords), the rules of deploy/prometheus/, and the queries of the Grafana dashboard.
 */

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

const KEYWORDS = new Set(['and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'atan2', 'inf', 'nan']);
/** Keywords followed by a parenthesised list of label names. */
const LABEL_LISTS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

type Token = { kind: 'name' | 'string' | 'number' | 'punct'; text: string };

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let rest = expr;
  const patterns: Array<[Token['kind'] | 'skip', RegExp]> = [
    ['skip', /^(?:\s+|#[^\n]*)/],
    ['string', /^(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)/],
    // A Grafana variable ($__rate_interval, ${job}) stands for a value, never for a metric name.
    ['number', /^\$\{?[a-zA-Z_][a-zA-Z0-9_]*\}?/],
    // Numbers and durations (5m, 1h30m, 1e3, 0x1f, .5).
    ['number', /^(?:0x[0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?(?:(?:ms|[smhdwy])(?:\d+(?:ms|[smhdwy]))*)?)/],
    ['name', /^[a-zA-Z_:][a-zA-Z0-9_:]*/],
    ['punct', /^(?:==|!=|>=|<=|=~|!~|[-+*/%^<>=(){}[\],@])/],
  ];
  while (rest.length > 0) {
    const match = patterns.map(([kind, pattern]) => [kind, pattern.exec(rest)] as const).find(([, found]) => found !== null);
    if (!match) throw new Error(`cannot read PromQL at: ${rest.slice(0, 40)}`);
    const [kind, found] = match;
    if (kind !== 'skip') tokens.push({ kind, text: found![0] });
    rest = rest.slice(found![0].length);
  }
  return tokens;
}

/** The metric (and recording rule) names an expression selects. */
export function metricNamesIn(expr: string): Set<string> {
  const tokens = tokenize(expr);
  const names = new Set<string>();
  let braces = 0;
  let brackets = 0;
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index]!;
    if (token.text === '{') braces += 1;
    else if (token.text === '}') braces -= 1;
    else if (token.text === '[') brackets += 1;
    else if (token.text === ']') brackets -= 1;
    if (token.kind !== 'name' || braces > 0 || brackets > 0) continue;
    const next = tokens[index + 1];
    const keyword = token.text.toLowerCase();
    if (LABEL_LISTS.has(keyword) && next?.text === '(') {
      // Skip the label names up to the closing parenthesis.
      while (index < tokens.length && tokens[index]!.text !== ')') index += 1;
      continue;
    }
    if (KEYWORDS.has(keyword)) continue;
    if (next?.text === '(') continue; // a function or an aggregation
    if (next?.kind === 'name' && (next.text === 'by' || next.text === 'without')) continue; // `sum by (…) (…)`
    names.add(token.text);
  }
  return names;
}

export interface PrometheusRule {
  file: string;
  group: string;
  record?: string;
  alert?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export const RULE_FILES = ['deploy/prometheus/orca-alerts.yaml', 'deploy/prometheus/orca-slo-rules.yaml'];

export function loadRules(files = RULE_FILES): PrometheusRule[] {
  return files.flatMap((file) => {
    const document = parse(readFileSync(`${REPO}/${file}`, 'utf8')) as { groups: Array<{ name: string; rules: Array<Omit<PrometheusRule, 'file' | 'group'>> }> };
    return document.groups.flatMap((group) => group.rules.map((rule) => ({ ...rule, file, group: group.name })));
  });
}

export interface DashboardQuery {
  panel: string;
  row: string;
  refId: string;
  expr: string;
}

interface Panel {
  type: string;
  title: string;
  panels?: Panel[];
  targets?: Array<{ refId: string; expr?: string }>;
}

export const DASHBOARD_FILE = 'deploy/grafana/orca.json';

export function loadDashboard(): { rows: string[]; queries: DashboardQuery[]; panels: Panel[] } {
  const dashboard = JSON.parse(readFileSync(`${REPO}/${DASHBOARD_FILE}`, 'utf8')) as { panels: Panel[] };
  const rows: string[] = [];
  const queries: DashboardQuery[] = [];
  const panels: Panel[] = [];
  let row = '';
  const visit = (panel: Panel) => {
    if (panel.type === 'row') {
      row = panel.title;
      rows.push(row);
      for (const inner of panel.panels ?? []) visit(inner);
      return;
    }
    panels.push(panel);
    for (const target of panel.targets ?? []) queries.push({ panel: panel.title, row, refId: target.refId, expr: target.expr ?? '' });
  };
  for (const panel of dashboard.panels) visit(panel);
  return { rows, queries, panels };
}

/**
 * Grafana's built-in variables as a query sent to Prometheus sees them: `$__rate_interval` is at least four scrape
 * intervals, which `rate` needs to find two samples.
 */
export function withGrafanaVariables(expr: string, values: { rateInterval: string; interval: string; range: string }): string {
  return expr.replaceAll('$__rate_interval', values.rateInterval).replaceAll('$__interval', values.interval).replaceAll('$__range', values.range);
}

/** Names every exposition sample and family could be selected by: histogram series by their suffixes too. */
export function exposedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const match of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, family, type] = match;
    names.add(family!);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${family}${suffix}`);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(`${family}${suffix}`);
  }
  for (const match of exposition.matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{| )/gm)) names.add(match[1]!);
  return names;
}
