/**
 * The dependency-audit gate's decision, as a pure function of `npm audit --json` output (npm 7 and later print
 * report version 2: `{ vulnerabilities: { <package>: { severity, via, … } }, metadata: { vulnerabilities: counts } }`).
 *
 * CI runs `npm audit --omit=dev --audit-level=high`, whose exit status npm derives from the per-severity counts in
 * `metadata.vulnerabilities`; this function takes the same decision from the same counts so that the security
 * report (scripts/security-report.ts) and its tests (test/ci/gates.test.ts) agree with the CI gate. It fails
 * closed: output that is an npm error (registry unreachable, audit endpoint refused, no lockfile) or that is not
 * an audit report gives the verdict `error`, never `pass`.
 */

export const SEVERITIES = ['info', 'low', 'moderate', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type SeverityCounts = Record<Severity | 'total', number>;

/** One advisory as npm reports it inside a package's `via`. */
export interface Advisory {
  title: string;
  url: string | null;
  severity: Severity;
  range: string | null;
}

/** A vulnerable package at or above the threshold. */
export interface BlockingPackage {
  name: string;
  severity: Severity;
  direct: boolean;
  /** Advisories against this package itself. */
  advisories: Advisory[];
  /** Vulnerable dependencies through which this package is affected (npm lists them by name). */
  via: string[];
  /** npm's `fixAvailable`: false, true, or the upgrade that fixes it. */
  fix: string;
}

export type AuditGateResult =
  | { verdict: 'pass' | 'fail'; threshold: Severity; counts: SeverityCounts; blocking: BlockingPackage[]; reason: string }
  | { verdict: 'error'; threshold: Severity; counts: null; blocking: []; reason: string };

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(threshold);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** npm prints `{ error: { code, summary, detail } }` (or, for an HTTP error, the response with `statusCode`) on failure. */
function npmErrorOf(report: Record<string, unknown>): string | null {
  const error = report.error;
  if (isRecord(error) && !isRecord(report.metadata)) {
    const code = typeof error.code === 'string' ? `${error.code}: ` : '';
    const summary = typeof error.summary === 'string' && error.summary ? error.summary : '';
    const message = typeof report.message === 'string' ? report.message : '';
    return `${code}${summary || message || 'npm audit reported an error'}`.trim();
  }
  if (typeof report.statusCode === 'number' && typeof report.message === 'string') return report.message;
  return null;
}

function fixOf(fixAvailable: unknown): string {
  if (fixAvailable === true) return 'yes';
  if (fixAvailable === false || fixAvailable === undefined) return 'no';
  if (isRecord(fixAvailable) && typeof fixAvailable.name === 'string' && typeof fixAvailable.version === 'string') {
    return `${fixAvailable.name}@${fixAvailable.version}${fixAvailable.isSemVerMajor === true ? ' (semver-major)' : ''}`;
  }
  return 'unknown';
}

function failClosed(threshold: Severity, reason: string): AuditGateResult {
  return { verdict: 'error', threshold, counts: null, blocking: [], reason };
}

/**
 * Decides the gate from the text `npm audit --json` printed on stdout. `threshold` is npm's `--audit-level`:
 * the gate fails when any vulnerability at or above it is reported.
 */
export function evaluateAudit(output: string, threshold: Severity = 'high'): AuditGateResult {
  if (!isSeverity(threshold)) return failClosed(threshold, `unknown audit level "${String(threshold)}"`);
  let report: unknown;
  try {
    report = JSON.parse(output);
  } catch {
    const head = output.trim().slice(0, 120);
    return failClosed(threshold, head ? `npm audit did not print JSON: ${head}` : 'npm audit printed nothing');
  }
  if (!isRecord(report)) return failClosed(threshold, 'npm audit output is not a JSON object');

  const npmError = npmErrorOf(report);
  if (npmError !== null) return failClosed(threshold, npmError);

  const metadata = report.metadata;
  const reported = isRecord(metadata) ? metadata.vulnerabilities : undefined;
  if (!isRecord(reported) || !isRecord(report.vulnerabilities)) {
    return failClosed(threshold, 'not an npm audit report (expected "vulnerabilities" and "metadata.vulnerabilities")');
  }
  const counts = { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0 } satisfies SeverityCounts;
  for (const key of [...SEVERITIES, 'total'] as const) {
    const value = reported[key];
    if (!isCount(value)) return failClosed(threshold, `metadata.vulnerabilities.${key} is not a count`);
    counts[key] = value;
  }

  const blocking: BlockingPackage[] = [];
  for (const [name, entry] of Object.entries(report.vulnerabilities)) {
    if (!isRecord(entry) || !isSeverity(entry.severity)) return failClosed(threshold, `vulnerabilities.${name} has no known severity`);
    const severity = entry.severity;
    if (!atOrAbove(severity, threshold)) continue;
    const via = Array.isArray(entry.via) ? entry.via : [];
    blocking.push({
      name,
      severity,
      direct: entry.isDirect === true,
      advisories: via.filter(isRecord).map((advisory) => ({
        title: typeof advisory.title === 'string' ? advisory.title : '(untitled advisory)',
        url: typeof advisory.url === 'string' ? advisory.url : null,
        severity: isSeverity(advisory.severity) ? advisory.severity : severity,
        range: typeof advisory.range === 'string' ? advisory.range : null,
      })),
      via: via.filter((item): item is string => typeof item === 'string'),
      fix: fixOf(entry.fixAvailable),
    });
  }
  blocking.sort((a, b) => SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) || a.name.localeCompare(b.name));

  // npm's exit status follows the counts; a package list that disagrees with them must not turn a failure into a pass.
  const countedAtOrAbove = SEVERITIES.filter((severity) => atOrAbove(severity, threshold)).reduce((sum, severity) => sum + counts[severity], 0);
  if (countedAtOrAbove === 0 && blocking.length === 0) {
    return { verdict: 'pass', threshold, counts, blocking, reason: `no vulnerability at or above ${threshold} (${counts.total} in total)` };
  }
  const found = countedAtOrAbove || blocking.length;
  return {
    verdict: 'fail',
    threshold,
    counts,
    blocking,
    reason: `${found} vulnerable package${found === 1 ? '' : 's'} at or above ${threshold}`,
  };
}
