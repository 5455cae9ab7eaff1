import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { pgliteTarget } from '../helpers/db.js';

/**
 * The API reference UI works under any host name (docs/SECURITY.md, "Headers and CORS"). Its CSP carries
 * `upgrade-insecure-requests` only when the page came over HTTPS — directly, or per X-Forwarded-Proto from a proxy
 * TRUST_PROXY trusts. Over plain HTTP that directive sent the browser to https://<host>/docs/static/… for the UI's
 * scripts, which nothing serves: a blank page for anyone not on localhost (which browsers exempt).
 */

const DOCS_POLICY =
  "default-src 'self'; base-uri 'self'; font-src 'self' https: data:; frame-ancestors 'self'; img-src 'self' data: validator.swagger.io; " +
  "object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self' https:";

const directives = (policy: unknown) =>
  String(policy)
    .split(';')
    .map((directive) => directive.trim())
    .filter(Boolean);

describe('the /docs content security policy', () => {
  let direct: TestApp;
  let behindProxy: TestApp;

  beforeAll(async () => {
    direct = await createTestApp(pgliteTarget);
    // inject's peer is 127.0.0.1: the proxy ORCA trusts.
    behindProxy = await createTestApp(pgliteTarget, { TRUST_PROXY: '127.0.0.1' });
  }, 180_000);

  afterAll(async () => {
    await behindProxy?.close();
    await direct?.close();
  });

  it('has no upgrade-insecure-requests when the page came over plain HTTP, whatever the host name', async () => {
    for (const host of ['orca.internal:3000', 'localhost:3000', '10.0.0.7:3000']) {
      const response = await direct.app.inject({ method: 'GET', url: '/docs/', headers: { host } });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['content-security-policy']).toBe(DOCS_POLICY);
      expect(directives(response.headers['content-security-policy'])).not.toContain('upgrade-insecure-requests');
    }
  });

  it('ignores X-Forwarded-Proto from a peer TRUST_PROXY does not trust', async () => {
    const response = await direct.app.inject({ method: 'GET', url: '/docs/', headers: { host: 'orca.internal', 'x-forwarded-proto': 'https' } });
    expect(response.headers['content-security-policy']).toBe(DOCS_POLICY);
  });

  it('upgrades insecure requests when a trusted proxy says the page came over HTTPS', async () => {
    const response = await behindProxy.app.inject({ method: 'GET', url: '/docs/', headers: { host: 'orca.example.com', 'x-forwarded-proto': 'https' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-security-policy']).toBe(`${DOCS_POLICY}; upgrade-insecure-requests`);
    const overHttp = await behindProxy.app.inject({ method: 'GET', url: '/docs/', headers: { host: 'orca.example.com', 'x-forwarded-proto': 'http' } });
    expect(overHttp.headers['content-security-policy']).toBe(DOCS_POLICY);
  });

  it('serves the UI script the page loads, and keeps the strict API policy everywhere else', async () => {
    const page = await direct.app.inject({ method: 'GET', url: '/docs/', headers: { host: 'orca.internal' } });
    const script = /src="\.\/static\/(swagger-initializer\.js)"/.exec(page.body)?.[1];
    expect(script).toBe('swagger-initializer.js');
    const initializer = await direct.app.inject({ method: 'GET', url: `/docs/static/${script}`, headers: { host: 'orca.internal' } });
    expect(initializer.statusCode).toBe(200);
    const api = await direct.app.inject({ method: 'GET', url: '/livez' });
    expect(api.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'");
  });
});
