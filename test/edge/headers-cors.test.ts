import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/platform/config/load.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { pgliteTarget } from '../helpers/db.js';

/**
 * Security headers on every answer, errors included, and strict CORS (docs/SECURITY.md "Headers and CORS"):
 * an Origin must match an allowed origin exactly, otherwise the response carries no CORS header at all.
 */

const ALLOWED = ['https://app.example.com', 'https://ops.example.com'];
const CSP = "default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'";

function corsHeaders(response: LightMyRequestResponse): Record<string, unknown> {
  return Object.fromEntries(Object.entries(response.headers).filter(([name]) => name.startsWith('access-control-')));
}

function expectSecurityHeaders(response: LightMyRequestResponse): void {
  const csp = String(response.headers['content-security-policy']);
  expect(csp).toBe(CSP);
  // The two directives that matter most, checked on their own so a reformatting cannot hide their loss.
  expect(csp.split(';').map((directive) => directive.trim())).toEqual(expect.arrayContaining(["default-src 'none'", "frame-ancestors 'none'"]));
  expect(response.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['x-frame-options']).toBe('DENY');
  expect(response.headers['referrer-policy']).toBe('no-referrer');
  expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
  expect(response.headers).not.toHaveProperty('x-powered-by');
  expect(response.headers).not.toHaveProperty('server');
}

describe('security headers and CORS', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp(pgliteTarget, { CORS_ORIGIN: ALLOWED.join(','), BLOCKED_IPS: '203.0.113.0/24' });
  });

  afterAll(async () => {
    await testApp?.close();
  });

  describe('security headers', () => {
    const cases: Array<[string, number, () => InjectOptions]> = [
      ['a 200', 200, () => ({ method: 'GET', url: '/status', headers: testApp.as('viewer') })],
      ['a 200 probe', 200, () => ({ method: 'GET', url: '/livez' })],
      ['a 201 write', 201, () => ({ method: 'POST', url: '/api/v1/agents', headers: { ...testApp.as('operator'), 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'headers-check', kind: 'mcp_server' }) })],
      ['a 401', 401, () => ({ method: 'GET', url: '/status' })],
      ['a 403 (role)', 403, () => ({ method: 'GET', url: '/status', headers: testApp.as('ingest') })],
      ['a 403 (blocked address)', 403, () => ({ method: 'GET', url: '/livez', remoteAddress: '203.0.113.9' })],
      ['a 404', 404, () => ({ method: 'GET', url: '/api/v1/no-such-thing', headers: testApp.as('viewer') })],
      ['a 400 (malformed JSON)', 400, () => ({ method: 'POST', url: '/api/v1/agents', headers: { ...testApp.as('operator'), 'content-type': 'application/json' }, payload: '{"name":' })],
      ['a 400 (validation)', 400, () => ({ method: 'POST', url: '/api/v1/agents', headers: { ...testApp.as('operator'), 'content-type': 'application/json' }, payload: '{"name":42}' })],
      ['a 415', 415, () => ({ method: 'POST', url: '/api/v1/agents', headers: { ...testApp.as('operator'), 'content-type': 'text/plain' }, payload: 'hello' })],
    ];

    it.each(cases)('are on %s', async (_label, status, request) => {
      const response = await testApp.app.inject(request());
      expect(response.statusCode, response.body).toBe(status);
      expectSecurityHeaders(response);
    });
  });

  describe('CORS', () => {
    it.each(ALLOWED)('answers the allowed origin %s with exactly that origin and credentials', async (origin) => {
      const response = await testApp.app.inject({ method: 'GET', url: '/status', headers: { ...testApp.as('viewer'), origin } });
      expect(response.statusCode).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe(origin);
      expect(response.headers['access-control-allow-credentials']).toBe('true');
      // Caches must not serve one origin's answer to another.
      expect(String(response.headers.vary).split(/,\s*/)).toContain('Origin');
      const exposed = String(response.headers['access-control-expose-headers']).split(/,\s*/);
      expect(exposed).toEqual(expect.arrayContaining(['x-correlation-id', 'ratelimit', 'ratelimit-policy', 'retry-after']));
      expectSecurityHeaders(response);
    });

    it('adds the CORS headers to errors for an allowed origin too (a browser client can read the problem)', async () => {
      const response = await testApp.app.inject({ method: 'GET', url: '/status', headers: { origin: ALLOWED[0]! } });
      expect(response.statusCode).toBe(401);
      expect(response.headers['access-control-allow-origin']).toBe(ALLOWED[0]);
      expect(response.headers['access-control-allow-credentials']).toBe('true');
    });

    it.each([
      ['a suffix attack', 'https://app.example.com.evil.com'],
      ['a prefix attack', 'https://evil-app.example.com'],
      ['a sub-domain', 'https://sub.app.example.com'],
      ['the same host over http', 'http://app.example.com'],
      ['another port', 'https://app.example.com:8443'],
      ['a trailing slash', 'https://app.example.com/'],
      ['different case', 'HTTPS://APP.EXAMPLE.COM'],
      ['the null origin (sandboxed frames, file://)', 'null'],
      ['a wildcard', '*'],
      ['two origins in one header', 'https://app.example.com https://ops.example.com'],
    ])('gives %s (%s) no CORS headers at all', async (_label, origin) => {
      const response = await testApp.app.inject({ method: 'GET', url: '/status', headers: { ...testApp.as('viewer'), origin } });
      // The request itself is answered (CORS is enforced by browsers); only the permission to read it is withheld.
      expect(response.statusCode).toBe(200);
      expect(corsHeaders(response)).toEqual({});
      expectSecurityHeaders(response);
    });

    it('gives a request without Origin no CORS headers', async () => {
      const response = await testApp.app.inject({ method: 'GET', url: '/status', headers: testApp.as('viewer') });
      expect(response.statusCode).toBe(200);
      expect(corsHeaders(response)).toEqual({});
    });

    it('answers a preflight from an allowed origin with 204, the allowed methods and headers (incl. x-api-key)', async () => {
      const response = await testApp.app.inject({
        method: 'OPTIONS',
        url: '/api/v1/agents',
        headers: { origin: ALLOWED[1]!, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-api-key, content-type' },
      });
      expect(response.statusCode).toBe(204);
      expect(response.body).toBe('');
      expect(response.headers['access-control-allow-origin']).toBe(ALLOWED[1]);
      expect(response.headers['access-control-allow-credentials']).toBe('true');
      const methods = String(response.headers['access-control-allow-methods']).split(/,\s*/);
      expect(methods).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']));
      const headers = String(response.headers['access-control-allow-headers']).split(/,\s*/);
      expect(headers).toEqual(expect.arrayContaining(['x-api-key', 'content-type', 'authorization', 'x-correlation-id']));
      expect(response.headers['access-control-max-age']).toBe('600');
      // A preflight carries no credentials: it is neither refused for lacking a key nor counted.
      expect(response.headers.ratelimit).toBeUndefined();
      expectSecurityHeaders(response);
    });

    it.each(['https://app.example.com.evil.com', 'http://app.example.com', 'null'])(
      'gives a preflight from the disallowed origin %s no permission',
      async (origin) => {
        const response = await testApp.app.inject({
          method: 'OPTIONS',
          url: '/api/v1/agents',
          headers: { origin, 'access-control-request-method': 'DELETE', 'access-control-request-headers': 'x-api-key' },
        });
        expect(corsHeaders(response)).toEqual({});
        // Not handled as a preflight: it falls through to routing, where no OPTIONS route exists.
        expect(response.statusCode).toBe(404);
        expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
        expectSecurityHeaders(response);
      },
    );
  });
});

describe('CORS without CORS_ORIGIN (the default)', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp(pgliteTarget);
  });

  afterAll(async () => {
    await testApp?.close();
  });

  it('grants no origin cross-origin access', async () => {
    for (const origin of [...ALLOWED, 'http://localhost:3000']) {
      const response = await testApp.app.inject({ method: 'GET', url: '/status', headers: { ...testApp.as('viewer'), origin } });
      expect(response.statusCode).toBe(200);
      expect(corsHeaders(response)).toEqual({});
      const preflight = await testApp.app.inject({ method: 'OPTIONS', url: '/status', headers: { origin, 'access-control-request-method': 'GET' } });
      expect(corsHeaders(preflight)).toEqual({});
    }
  });

  // The CORS plugin is not registered without an origin to allow (its per-request work bought nothing): the answers
  // must be the ones it gave, `Vary: Origin` included.
  it('still answers with Vary: Origin, on success and on errors', async () => {
    const ok = await testApp.app.inject({ method: 'GET', url: '/status', headers: { ...testApp.as('viewer'), origin: ALLOWED[0]! } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers.vary).toBe('Origin');
    const refused = await testApp.app.inject({ method: 'GET', url: '/status' });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers.vary).toBe('Origin');
    expectSecurityHeaders(refused);
  });

  it('answers a preflight like any request without a route: 404 problem+json with the security headers, not counted', async () => {
    const preflight = await testApp.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/agents',
      headers: { origin: ALLOWED[0]!, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-api-key' },
    });
    expect(preflight.statusCode).toBe(404);
    expect(preflight.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(preflight.json()).toMatchObject({ type: 'urn:orca:problem:not_found', detail: 'no route for OPTIONS /api/v1/agents' });
    expect(preflight.headers.vary).toBe('Origin');
    expect(preflight.headers.ratelimit).toBeUndefined();
    expect(corsHeaders(preflight)).toEqual({});
    expectSecurityHeaders(preflight);
  });
});

describe('CORS_ORIGIN validation', () => {
  let dir: string;

  beforeAll(() => {
    // An empty working directory, so that no orca.config.yaml can take part.
    dir = mkdtempSync(join(tmpdir(), 'orca-cors-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function configError(corsOrigin: string): ConfigError {
    try {
      loadConfig({ ORCA_DATA_DIR: dir, CORS_ORIGIN: corsOrigin }, dir);
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
    throw new Error(`CORS_ORIGIN=${corsOrigin} was accepted`);
  }

  it.each(['*', 'https://app.example.com,*', ' * '])('refuses %j because credentials are allowed, naming CORS_ORIGIN', (value) => {
    const error = configError(value);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^CORS_ORIGIN: /);
    expect(error.problems[0]).toContain('"*" is refused');
    expect(error.message).toContain('CORS_ORIGIN');
  });

  it.each(['https://app.example.com/', 'https://app.example.com/path', 'app.example.com', 'https://app.example.com, ftp//x'])(
    'refuses %j, which is not an exact origin',
    (value) => {
      const error = configError(value);
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0]).toMatch(/^CORS_ORIGIN: /);
    },
  );

  it('accepts a list of exact origins', () => {
    expect(loadConfig({ ORCA_DATA_DIR: dir, CORS_ORIGIN: ' https://app.example.com , https://ops.example.com:8443 ' }, dir).corsOrigins).toEqual([
      'https://app.example.com',
      'https://ops.example.com:8443',
    ]);
  });
});
