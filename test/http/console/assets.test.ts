import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole, FIRST_LOAD_JS_BUDGET_BYTES, type ConsoleBuildReport } from '../../../scripts/lib/console-build.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';

/**
 * The console's files as ORCA serves them (docs/console.md "How ORCA serves it"): `/` sends a browser to /console/,
 * every console URL answers with the page (no-cache, the console's Content Security Policy), the content-hashed
 * files are immutable for a year and precompressed, and nothing the build did not list can be read.
 */

const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; " +
  "form-action 'self'; frame-ancestors 'none'; require-trusted-types-for 'script'; trusted-types 'none'";

for (const target of databaseTargets) {
  describe(`console files [${target.name}]`, () => {
    let t: TestApp;
    let dir: string;
    let report: ConsoleBuildReport;

    beforeAll(async () => {
      dir = join(mkdtempSync(join(tmpdir(), 'orca-console-')), 'console');
      t = await createTestApp(target, { CONSOLE_DIR: dir, TRUST_PROXY: 'true' });
    });
    afterAll(async () => {
      await t?.close();
      rmSync(join(dir, '..'), { recursive: true, force: true });
    });

    it('says the console is not built until `npm run build` made it, then serves it without a restart', async () => {
      const missing = await t.app.inject({ method: 'GET', url: '/console/' });
      expect(missing.statusCode).toBe(404);
      expect(missing.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect((missing.json() as { detail: string }).detail).toBe('the console is not built: run `npm run build` (docs/console.md)');

      report = await buildConsole(dir);
      const served = await t.app.inject({ method: 'GET', url: '/console/' });
      expect(served.statusCode).toBe(200);
    });

    it('sends / to the console', async () => {
      const response = await t.app.inject({ method: 'GET', url: '/' });
      expect(response.statusCode).toBe(302);
      expect(response.headers.location).toBe('/console/');
    });

    it('answers every console URL with the page, revalidated on each load, under the console’s policy', async () => {
      const index = readFileSync(join(dir, 'index.html'), 'utf8');
      expect(index).toContain(`<script type="module" src="/console/assets/${report.script}" integrity="sha384-`);
      expect(index).toContain(`<link rel="stylesheet" href="/console/assets/${report.stylesheet}" integrity="sha384-`);
      expect(index).not.toMatch(/<script>|<script type="module">|<style|style=|onload=/);
      let etag: string | undefined;
      for (const url of ['/console', '/console/', '/console/agents/0190a1b2-0000-7000-8000-000000000001?tab=x', '/console/sign-in?next=%2Fconsole%2Fsync']) {
        const response = await t.app.inject({ method: 'GET', url });
        expect(response.statusCode, url).toBe(200);
        expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(response.headers['cache-control']).toBe('no-cache');
        expect(response.headers['content-security-policy']).toBe(CONSOLE_CSP);
        expect(response.headers['x-frame-options']).toBe('DENY');
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.body).toBe(index);
        etag ??= String(response.headers.etag);
        expect(response.headers.etag).toBe(etag);
      }
      const revalidated = await t.app.inject({ method: 'GET', url: '/console/', headers: { 'if-none-match': etag! } });
      expect(revalidated.statusCode).toBe(304);
      expect(revalidated.body).toBe('');
      // Over HTTPS (here through a trusted proxy) the page also upgrades any plain-HTTP reference.
      const overTls = await t.app.inject({ method: 'GET', url: '/console/', headers: { 'x-forwarded-proto': 'https' } });
      expect(overTls.headers['content-security-policy']).toBe(`${CONSOLE_CSP}; upgrade-insecure-requests`);
    });

    it('serves the hashed files as immutable, compressed as the client accepts, byte for byte what the build wrote', async () => {
      const raw = readFileSync(join(dir, 'assets', report.script));
      const url = `/console/assets/${report.script}`;
      const brotli = await t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
      expect(brotli.statusCode).toBe(200);
      expect(brotli.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(brotli.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(brotli.headers['content-encoding']).toBe('br');
      expect(brotli.headers.vary).toBe('Origin, Accept-Encoding');
      expect(brotliDecompressSync(brotli.rawPayload).equals(raw)).toBe(true);
      expect(brotli.rawPayload.byteLength).toBe(report.firstLoadJs.brotli);

      const gzip = await t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip, br;q=0' } });
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gzip.rawPayload).equals(raw)).toBe(true);

      const identity = await t.app.inject({ method: 'GET', url });
      expect(identity.headers['content-encoding']).toBeUndefined();
      expect(identity.rawPayload.equals(raw)).toBe(true);

      const css = await t.app.inject({ method: 'GET', url: `/console/assets/${report.stylesheet}` });
      expect(css.headers['content-type']).toBe('text/css; charset=utf-8');

      const cached = await t.app.inject({ method: 'GET', url, headers: { 'if-none-match': String(identity.headers.etag) } });
      expect(cached.statusCode).toBe(304);
    });

    it('answers 404 for anything the build did not list: other files of the folder, traversal, unknown names', async () => {
      for (const url of [
        '/console/assets/manifest.json',
        '/console/assets/..%2Fmanifest.json',
        '/console/assets/%2E%2E%2F%2E%2E%2Fpackage.json',
        `/console/assets/${report.script}.br`,
        '/console/assets/main-00000000.js',
      ]) {
        const response = await t.app.inject({ method: 'GET', url });
        expect(response.statusCode, url).toBe(404);
        expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      }
    });

    it('keeps the first load within 200 KB of compressed JavaScript', () => {
      expect(report.firstLoadJs.gzip).toBeLessThanOrEqual(FIRST_LOAD_JS_BUDGET_BYTES);
      expect(report.firstLoadJs.brotli).toBeLessThan(report.firstLoadJs.gzip);
    });
  });
}
