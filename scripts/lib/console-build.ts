// Builds the web console (console/) into static, content-hashed files with esbuild: one script and one stylesheet,
// each also brotli- and gzip-compressed, an index.html naming them (with Subresource Integrity hashes), and
// manifest.json, the list ORCA serves from (src/modules/console). Used by `npm run build` and by the console's tests.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { ConsoleManifest } from '../../src/modules/console/index.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const DEFAULT_OUT_DIR = join(REPO, 'dist/console');
/** The budget of the issue: the console's first load may not exceed 200 KB of compressed JavaScript. */
export const FIRST_LOAD_JS_BUDGET_BYTES = 200 * 1024;

const MEDIA_TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

export interface ConsoleBuildReport {
  outDir: string;
  script: string;
  stylesheet: string;
  /** The JavaScript a first visit downloads (the one script): raw, gzip and brotli bytes. */
  firstLoadJs: { raw: number; gzip: number; brotli: number };
}

const integrity = (bytes: Uint8Array) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

export async function buildConsole(outDir: string = DEFAULT_OUT_DIR): Promise<ConsoleBuildReport> {
  const result = await build({
    absWorkingDir: REPO,
    entryPoints: { main: 'console/src/main.tsx' },
    tsconfig: 'console/tsconfig.json',
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    entryNames: '[name]-[hash]',
    outdir: 'console-build',
    write: false,
    metafile: true,
    charset: 'utf8',
    logLevel: 'warning',
  });
  const outputs = result.outputFiles.map((file) => ({ name: basename(file.path), contents: file.contents }));
  const script = outputs.find((file) => file.name.endsWith('.js'));
  const stylesheet = outputs.find((file) => file.name.endsWith('.css'));
  if (!script || !stylesheet || outputs.length !== 2) throw new Error(`expected one script and one stylesheet, got ${outputs.map((file) => file.name).join(', ')}`);

  // Written beside the target and swapped in whole: a server reading the folder never sees half a build.
  const staging = `${outDir}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, 'assets'), { recursive: true });
  const manifest: ConsoleManifest = { version: 1, index: 'index.html', assets: {} };
  let firstLoadJs = { raw: 0, gzip: 0, brotli: 0 };
  for (const file of outputs) {
    const path = `assets/${file.name}`;
    const brotli = brotliCompressSync(file.contents, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
    const gzip = gzipSync(file.contents, { level: 9 });
    writeFileSync(join(staging, path), file.contents);
    writeFileSync(join(staging, `${path}.br`), brotli);
    writeFileSync(join(staging, `${path}.gz`), gzip);
    manifest.assets[path] = { type: MEDIA_TYPES[file.name.slice(file.name.lastIndexOf('.'))]!, encodings: ['br', 'gzip'] };
    if (file === script) firstLoadJs = { raw: file.contents.byteLength, gzip: gzip.byteLength, brotli: brotli.byteLength };
  }
  const template = readFileSync(join(REPO, 'console/index.html'), 'utf8');
  const tags =
    `<link rel="stylesheet" href="/console/assets/${stylesheet.name}" integrity="${integrity(stylesheet.contents)}" />\n` +
    `    <script type="module" src="/console/assets/${script.name}" integrity="${integrity(script.contents)}"></script>`;
  if (!template.includes('<!-- assets -->')) throw new Error('console/index.html lost its <!-- assets --> placeholder');
  writeFileSync(join(staging, 'index.html'), template.replace('<!-- assets -->', tags));
  writeFileSync(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  rmSync(outDir, { recursive: true, force: true });
  renameSync(staging, outDir);
  return { outDir, script: script.name, stylesheet: stylesheet.name, firstLoadJs };
}

export function describeBuild(report: ConsoleBuildReport): string {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const { raw, gzip, brotli } = report.firstLoadJs;
  return `console: ${report.script} — first load JavaScript ${kb(raw)} raw, ${kb(gzip)} gzip, ${kb(brotli)} brotli (budget ${kb(FIRST_LOAD_JS_BUDGET_BYTES)} compressed)`;
}
