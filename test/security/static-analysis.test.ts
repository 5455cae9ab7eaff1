// The static security analysis that `npm run lint` runs (eslint.config.js): the rules are on for product code,
// the SQL-splice rule reports a value spliced into SQL and lets owned fragments through, and every suppression
// in the repository says why.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '../..');

/** The rule as eslint.config.js sets it for a repository file. */
async function sqlSpliceRule(): Promise<Linter.RuleEntry> {
  const config = (await new ESLint({ cwd: REPO }).calculateConfigForFile(join(REPO, 'src/modules/agents/agents.repository.ts'))) as Linter.Config;
  const rule = config.rules?.['no-restricted-syntax'];
  if (rule === undefined) throw new Error('eslint.config.js declares no SQL-splice rule');
  return rule;
}

async function spliceFindings(code: string): Promise<number[]> {
  const eslint = new ESLint({
    cwd: REPO,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, rules: { 'no-restricted-syntax': await sqlSpliceRule() } }],
  });
  const [report] = await eslint.lintText(code, { filePath: join(REPO, 'src/modules/example/example.repository.ts') });
  return report!.messages.map((message) => message.line);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('static security analysis', () => {
  it('runs the security ruleset and the type-aware rules as errors on product code', async () => {
    const eslint = new ESLint({ cwd: REPO });
    const rules = ((await eslint.calculateConfigForFile(join(REPO, 'src/app.ts'))) as Linter.Config).rules ?? {};
    const level = (rule: string) => {
      const setting = rules[rule];
      return Array.isArray(setting) ? setting[0] : setting;
    };
    for (const rule of [
      'security/detect-unsafe-regex',
      'security/detect-non-literal-regexp',
      'security/detect-non-literal-fs-filename',
      'security/detect-child-process',
      'security/detect-eval-with-expression',
      'security/detect-possible-timing-attacks',
      '@typescript-eslint/no-floating-promises',
      '@typescript-eslint/no-misused-promises',
      '@typescript-eslint/no-unsafe-assignment',
      '@typescript-eslint/no-unsafe-argument',
      '@typescript-eslint/restrict-template-expressions',
      'no-restricted-syntax',
    ]) {
      expect([rule, level(rule)]).toEqual([rule, 2]);
    }
  });

  it('reports a value spliced into the SQL of query() and lets owned fragments through', async () => {
    const lines = await spliceFindings(
      [
        'declare const db: { query(sql: string, values?: unknown[]): Promise<unknown> };',
        'declare const name: string; declare const text: string; declare const COLUMNS: string[];',
        'void db.query(`select * from agent where name = \'${name}\'`);',
        'void db.query(`select ${COLUMNS.join(", ")} from agent ${text} limit 5`, []);',
        'void db.query(`select * from agent ${name.length > 0 ? "where true" : ""}`);',
        'void db.query("select * from agent where name = $1", [name]);',
        'void db.query(`select * from agent order by ${name}`);',
      ].join('\n'),
    );
    expect(lines).toEqual([3, 7]);
  });

  it('finds every lint suppression in the repository with a reason after "--"', () => {
    const unexplained: string[] = [];
    for (const dir of ['src', 'test', 'bench', 'scripts']) {
      for (const file of sourceFiles(join(REPO, dir))) {
        readFileSync(file, 'utf8')
          .split('\n')
          .forEach((line, index) => {
            if (/(\/\/|\/\*)\s*eslint-disable/.test(line) && !/eslint-disable[\w-]*\s+\S+.*\s--\s+\S/.test(line)) unexplained.push(`${file}:${index + 1}`);
          });
      }
    }
    expect(unexplained).toEqual([]);
  });
});
