import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import ts from 'typescript';

/**
 * Transpiles one self-contained TypeScript file to an ES module in `outDir`, so that it runs under plain `node`
 * with no loader. A `node_modules` link next to it resolves its imports to the project's own packages.
 */
export function compileStandalone(source: string, outDir: string, repoRoot: string): string {
  const output = ts.transpileModule(readFileSync(source, 'utf8'), {
    fileName: source,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023, verbatimModuleSyntax: true },
  });
  mkdirSync(outDir, { recursive: true });
  const target = join(outDir, basename(source).replace(/\.ts$/, '.mjs'));
  writeFileSync(target, output.outputText);
  try {
    symlinkSync(join(repoRoot, 'node_modules'), join(outDir, 'node_modules'), 'dir');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return target;
}
