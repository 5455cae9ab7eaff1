import { serverNodeMajor } from './results.js';
import { describeHostSpeed } from './host-speed.js';
import type { MemoryRow } from './memory.js';
import type { Measurement, ResultsFile, SuiteRecord, TargetResult } from './types.js';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Three significant digits is plenty for a benchmark and keeps tables readable. */
function number(value: number): string {
  if (Number.isInteger(value)) return integer.format(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return integer.format(value);
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

function withUnit(value: number, unit: string): string {
  return unit ? `${number(value)} ${unit}` : number(value);
}

function table(header: string[], rows: string[][], align: Array<'l' | 'r'>): string {
  const rule = align.map((side) => (side === 'r' ? '---:' : '---'));
  return [header, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

function measurementsTable(measurements: Measurement[]): string {
  const unit = measurements[0]?.throughput.unit ?? 'req/s';
  const http = unit === 'req/s';
  const rows = measurements.map((m) => [
    m.label,
    `\`${m.operation}\``,
    m.throughput.stddev === undefined ? integer.format(m.throughput.mean) : `${integer.format(m.throughput.mean)} ± ${integer.format(m.throughput.stddev)}`,
    number(m.latencyMs.p50),
    number(m.latencyMs.p97_5),
    number(m.latencyMs.p99),
    number(m.latencyMs.max),
    integer.format(m.completed),
    ...(http ? [`${m.errors} / ${m.timeouts} / ${m.non2xx}`] : []),
    m.ratioToBaseline === undefined ? 'baseline' : `${(m.ratioToBaseline * 100).toFixed(1)} %`,
  ]);
  return table(
    [
      'Measurement',
      http ? 'Request' : 'Operation',
      measurements.some((m) => m.throughput.stddev !== undefined) ? `${unit} (mean ± sd over rounds)` : unit,
      'p50 ms',
      'p97.5 ms',
      'p99 ms',
      'max ms',
      http ? 'responses' : 'completed',
      ...(http ? ['errors / timeouts / non-2xx'] : []),
      'ratio to baseline',
    ],
    rows,
    ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', ...(http ? ['r' as const] : []), 'r'],
  );
}

function detailsTable(measurements: Measurement[]): string | undefined {
  const columns: Array<{ key: string; label: string; unit: string }> = [];
  for (const m of measurements) {
    for (const detail of m.details) {
      if (!columns.some((column) => column.key === detail.key)) columns.push({ key: detail.key, label: detail.label, unit: detail.unit });
    }
  }
  if (columns.length === 0) return undefined;
  const rows = measurements.map((m) => [
    m.label,
    ...columns.map((column) => {
      const detail = m.details.find((candidate) => candidate.key === column.key);
      return detail ? number(detail.value) : '—';
    }),
  ]);
  return table(
    ['Measurement', ...columns.map((column) => (column.unit ? `${column.label} (${column.unit})` : column.label))],
    rows,
    ['l', ...columns.map(() => 'r' as const)],
  );
}

function memoryTable(rows: MemoryRow[]): string {
  return table(
    ['Process', 'Phase', 'RSS peak (MB)', 'RSS steady (MB)', 'V8 heap (MB)', 'rest of RSS (MB)', 'req/s', 'samples'],
    rows.map((row) => [
      row.process,
      row.phase,
      number(row.peakMB),
      number(row.steadyMB),
      number(row.heapMB),
      number(row.restMB),
      row.requestsPerSecond === undefined ? '' : integer.format(row.requestsPerSecond),
      integer.format(row.samples),
    ]),
    ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}

function verdict(target: TargetResult): string {
  if (target.pass === null) return `not evaluated${target.note ? ` (${target.note})` : ''}`;
  return target.pass ? '**PASS**' : '**FAIL**';
}

function targetsTable(targets: TargetResult[]): string {
  return table(
    ['Target', 'Measured', 'Required', 'Result'],
    targets.map((target) => [target.description, withUnit(target.actual, target.unit), `${target.comparator} ${withUnit(target.threshold, target.unit)}`, verdict(target)]),
    ['l', 'r', 'r', 'l'],
  );
}

function suiteSection(record: SuiteRecord): string {
  const { run } = record;
  const lines = [
    `## \`${record.suite}\` — ${record.title}${serverNodeMajor(record) === undefined ? '' : ` (servers on Node ${serverNodeMajor(record)})`}`,
    '',
    record.summary,
    '',
    `- Date: ${run.date}`,
    `- Command: \`${run.command}\``,
    `- Node: ${run.node}`,
    `- Machine: ${run.machine.cpuModel}, ${run.machine.logicalCores} logical cores, ${run.machine.memoryGiB} GiB RAM, ${run.machine.os}`,
    ...(record.hostSpeed ? [`- Host speed at the start of the suite: ${describeHostSpeed(record.hostSpeed)}`] : []),
    `- Code: ${run.git ?? 'unknown (not a git checkout)'}`,
    ...Object.entries(record.settings).map(([key, value]) => `- ${key[0]!.toUpperCase()}${key.slice(1)}: ${value}`),
    '',
    ...(record.warnings.length > 0 ? ['> **Warning**', ...record.warnings.map((warning) => `> - ${warning}`), ''] : []),
    ...(record.memory ? ['### Memory', '', memoryTable(record.memory)] : []),
    ...(record.memory && record.measurements.length > 0 ? [''] : []),
    ...(record.measurements.length > 0 ? ['### Results', '', measurementsTable(record.measurements)] : []),
  ];
  const details = detailsTable(record.measurements);
  if (details) lines.push('', record.measurements[0]?.throughput.unit === 'req/s' ? '### Cost per request' : '### Cost per operation', '', details);
  if (record.targets.length > 0) lines.push('', '### Targets', '', targetsTable(record.targets));
  lines.push('', '### Method', '', ...record.method.map((item) => `- ${item}`));
  return lines.join('\n');
}

export function renderReport(results: ResultsFile): string {
  return [
    '<!-- Generated by bench/run.ts from bench/results/latest.json. Do not edit: run `npm run bench` to refresh. -->',
    '',
    '# Benchmarks',
    '',
    'Every number below was measured by `npm run bench` (see bench/README.md); each suite compares against a baseline measured in the same run.',
    'Targets are checked against the numbers of that run. A suite that is run alone replaces only its own section.',
    '',
    ...results.suites.map((record) => `${suiteSection(record)}\n`),
  ].join('\n');
}
