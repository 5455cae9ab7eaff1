import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256Hex } from '../../platform/hash.js';

/**
 * The console's built files (scripts/build-console.ts writes them into dist/console with `npm run build`), held in
 * memory. Only what the build's manifest.json lists is ever served: a URL is looked up in this map, never joined onto
 * a file-system path, so no request can read another file. That is also why this is a small route rather than a
 * static-files plugin: the one ORCA has (@fastify/static) only arrives through @fastify/swagger-ui and is not a
 * dependency of ORCA's own, and the console needs nothing beyond a few fixed, content-hashed files.
 */

/** Where `npm run build` puts the console: <package>/dist/console, found the same from src/ (tsx) and dist/. */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../../dist/console/', import.meta.url));

export type ContentEncoding = 'br' | 'gzip';

/** The manifest the build writes last (so a half-written build is never read). */
export interface ConsoleManifest {
  version: 1;
  /** The page every console URL answers with. */
  index: string;
  /** Content-hashed files under assets/, by path relative to the console folder. */
  assets: Record<string, { type: string; encodings: ContentEncoding[] }>;
}

export interface ConsoleAsset {
  type: string;
  etag: string;
  body: Buffer;
  encoded: Partial<Record<ContentEncoding, Buffer>>;
}

export interface ConsoleBuild {
  index: Buffer;
  indexEtag: string;
  /** By URL path below /console/, e.g. `assets/main-3FJ2KQ.js`. */
  assets: Map<string, ConsoleAsset>;
}

const ASSET_PATH = /^assets\/[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A file of the console folder: CONSOLE_DIR (configuration) or dist/console, and a name from ORCA's own build. */
function readConsoleFile(dir: string, name: string): Buffer {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the console folder (configuration) and a name the build wrote, checked against ASSET_PATH; never from a request
  return readFileSync(join(dir, name));
}

function readBuild(dir: string): ConsoleBuild {
  const manifest = JSON.parse(readConsoleFile(dir, 'manifest.json').toString('utf8')) as ConsoleManifest;
  if (manifest.version !== 1 || manifest.index !== 'index.html') throw new Error(`unknown console manifest in ${dir}`);
  const assets = new Map<string, ConsoleAsset>();
  for (const [path, facts] of Object.entries(manifest.assets)) {
    // The manifest is ORCA's own build output; the check keeps a damaged one from naming a file outside assets/.
    if (!ASSET_PATH.test(path)) throw new Error(`console manifest lists an unexpected path: ${path}`);
    const body = readConsoleFile(dir, path);
    const encoded: ConsoleAsset['encoded'] = {};
    for (const encoding of facts.encodings) encoded[encoding] = readConsoleFile(dir, `${path}.${encoding === 'br' ? 'br' : 'gz'}`);
    assets.set(path, { type: facts.type, etag: `"${sha256Hex(body.toString('base64')).slice(0, 32)}"`, body, encoded });
  }
  const index = readConsoleFile(dir, 'index.html');
  return { index, indexEtag: `"${sha256Hex(index.toString('base64')).slice(0, 32)}"`, assets };
}

/**
 * The console build in `dir`, read when first asked for and again whenever its manifest changes (a rebuild while ORCA
 * runs); undefined while there is none (ORCA run from source without `npm run build`).
 */
export function createConsoleBuildLoader(dir: string = DEFAULT_CONSOLE_DIR): () => ConsoleBuild | undefined {
  let loaded: { build: ConsoleBuild; manifestMtimeMs: number } | undefined;
  return () => {
    let mtimeMs: number;
    try {
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- the console folder, from configuration
      mtimeMs = statSync(join(dir, 'manifest.json')).mtimeMs;
    } catch {
      return undefined;
    }
    if (loaded?.manifestMtimeMs !== mtimeMs) loaded = { build: readBuild(dir), manifestMtimeMs: mtimeMs };
    return loaded.build;
  };
}

/** The best encoding of those available that the client accepts (RFC 9110 §12.5.3; q=0 refuses one). */
export function chooseEncoding(acceptEncoding: string | undefined, available: readonly ContentEncoding[]): ContentEncoding | undefined {
  if (!acceptEncoding || available.length === 0) return undefined;
  const accepted = new Set<string>();
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    if (q !== undefined && !(Number(q.slice(2)) > 0)) continue;
    accepted.add(name.trim());
  }
  return (['br', 'gzip'] as const).find((encoding) => available.includes(encoding) && (accepted.has(encoding) || accepted.has('*')));
}
