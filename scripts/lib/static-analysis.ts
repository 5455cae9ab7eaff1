// The static-analysis section of the security report: runs ESLint over the repository with the project's own
// configuration (the security ruleset, typescript-eslint's type-aware rules, the SQL-splice rule) and summarises
// which rules ran, what they found, and every finding suppressed in place with its reason.
import { ESLint } from 'eslint';

export interface SuppressedFinding {
  file: string;
  line: number;
  rule: string;
  reason: string;
}

export interface StaticAnalysis {
  filesLinted: number;
  /** Rules of interest that were enabled, with how many files each ran on. */
  rules: Array<{ rule: string; files: number }>;
  findings: Array<{ file: string; line: number; rule: string; message: string }>;
  suppressed: SuppressedFinding[];
  error: string | null;
}

const OF_INTEREST = /^(security\/|@typescript-eslint\/(no-floating-promises|no-misused-promises|no-unsafe-|restrict-template-expressions|no-implied-eval)|no-restricted-syntax$)/;

export async function analyse(repo: string): Promise<StaticAnalysis> {
  const result: StaticAnalysis = { filesLinted: 0, rules: [], findings: [], suppressed: [], error: null };
  try {
    const eslint = new ESLint({ cwd: repo });
    const reports = await eslint.lintFiles(['.']);
    result.filesLinted = reports.length;
    const ruleFiles = new Map<string, number>();
    for (const report of reports) {
      const config = (await eslint.calculateConfigForFile(report.filePath)) as { rules?: Record<string, unknown> };
      for (const [rule, setting] of Object.entries(config.rules ?? {})) {
        const level = Array.isArray(setting) ? setting[0] : setting;
        if (OF_INTEREST.test(rule) && level !== 0 && level !== 'off') ruleFiles.set(rule, (ruleFiles.get(rule) ?? 0) + 1);
      }
      const file = report.filePath.slice(repo.length).replace(/^\/+/, '');
      for (const message of report.messages) {
        result.findings.push({ file, line: message.line, rule: message.ruleId ?? '(parser)', message: message.message });
      }
      for (const message of report.suppressedMessages) {
        const reason = message.suppressions.map((suppression) => suppression.justification).filter(Boolean).join('; ');
        result.suppressed.push({ file, line: message.line, rule: message.ruleId ?? '(parser)', reason: reason || '(no reason given)' });
      }
    }
    result.rules = [...ruleFiles].map(([rule, files]) => ({ rule, files })).sort((a, b) => a.rule.localeCompare(b.rule));
  } catch (error) {
    result.error = (error as Error).message;
  }
  return result;
}

export const analysisPassed = (analysis: StaticAnalysis) =>
  analysis.error === null && analysis.findings.length === 0 && analysis.suppressed.every((finding) => finding.reason !== '(no reason given)');
