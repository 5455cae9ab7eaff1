import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/platform/errors.js';
import { createTestApp, describeEachDatabase, type TestApp } from '../helpers/app.js';
import type { DatabaseTarget } from '../helpers/db.js';

const TITLES = {
  bad_request: 'Bad Request',
  validation_failed: 'Validation Failed',
  not_found: 'Not Found',
  payload_too_large: 'Payload Too Large',
  unsupported_media_type: 'Unsupported Media Type',
  internal: 'Internal Server Error',
  unavailable: 'Service Unavailable',
} as const;
type Code = keyof typeof TITLES;

const MiB = 1024 * 1024;

/**
 * Asserts the whole body: an RFC 9457 problem with exactly these members, served as application/problem+json,
 * whose correlation_id is the one in the X-Correlation-ID response header.
 */
function expectProblem(
  response: LightMyRequestResponse,
  expected: { status: number; code: Code; detail: string; instance: string; errors?: Array<{ path: string; message: string }> },
): void {
  expect(response.statusCode, response.body).toBe(expected.status);
  expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  const correlationId = response.headers['x-correlation-id'];
  expect(typeof correlationId).toBe('string');
  expect(response.json()).toEqual({
    type: `urn:orca:problem:${expected.code}`,
    title: TITLES[expected.code],
    status: expected.status,
    detail: expected.detail,
    instance: expected.instance,
    correlation_id: correlationId,
    ...(expected.errors ? { errors: expected.errors } : {}),
  });
}

function validationProblem(instance: string, path: string, message: string) {
  return { status: 400, code: 'validation_failed' as const, detail: `${path} ${message}`, instance, errors: [{ path, message }] };
}

/** `levels` nested objects: nestedObjects(1) is `{"leaf":1}`. */
function nestedObjects(levels: number): unknown {
  let value: unknown = { leaf: 1 };
  for (let level = 1; level < levels; level += 1) value = { child: value };
  return value;
}

/**
 * The real app, plus routes registered before `ready()` that fail on purpose — the only way to prove what a
 * 5xx looks like, since no real route may fail on client input.
 */
function buildFailingApp(target: DatabaseTarget): Promise<TestApp> {
  return createTestApp(target, {}, {
    routes: (app) => {
    app.get('/test/boom', { config: { access: 'public' } }, async () => {
      throw new Error('kaboom: widget 42 exploded in the frobnicator');
    });
    app.get('/test/dependency-down', { config: { access: 'public' } }, async () => {
      throw new AppError('unavailable', 'the database is unavailable; retry shortly', { retryAfterSeconds: 7 });
    });
    },
  });
}

describeEachDatabase('HTTP errors', (ctx, target) => {
  const json = (role: 'viewer' | 'operator') => ({ ...ctx().as(role), 'content-type': 'application/json' });
  const post = (payload: string, headers: Record<string, string> = json('operator')) =>
    ctx().app.inject({ method: 'POST', url: '/api/v1/agents', headers, payload });
  const agentsBadRequest = (detail: string) => ({ status: 400, code: 'bad_request' as const, detail, instance: '/api/v1/agents' });

  describe('malformed bodies are 400', () => {
    it('refuses malformed JSON without echoing it', async () => {
      const response = await post('{"name": "s3cr3t-body-content", "kind":');
      expectProblem(response, agentsBadRequest('the request body is not valid JSON'));
      expect(response.body).not.toContain('s3cr3t-body-content');
    });

    it('refuses a JSON body that is not JSON at all', async () => {
      expectProblem(await post("{'name': 'single quotes'}"), agentsBadRequest('the request body is not valid JSON'));
      expectProblem(await post('{"name":"x",}'), agentsBadRequest('the request body is not valid JSON'));
    });

    it('refuses an empty (or blank) body declared as JSON', async () => {
      const detail = 'the request body is empty but Content-Type is application/json';
      expectProblem(await post(''), agentsBadRequest(detail));
      expectProblem(await post('  \n '), agentsBadRequest(detail));
    });

    it('refuses __proto__ and constructor.prototype keys at any depth', async () => {
      const detail = 'the request body contains a forbidden __proto__ or constructor key';
      expectProblem(await post('{"name":"x","kind":"llm_agent","__proto__":{"isAdmin":true}}'), agentsBadRequest(detail));
      expectProblem(await post('{"name":"x","kind":"llm_agent","metadata":{"a":{"__proto__":{"isAdmin":true}}}}'), agentsBadRequest(detail));
      expectProblem(await post('{"name":"x","kind":"llm_agent","metadata":{"constructor":{"prototype":{"isAdmin":true}}}}'), agentsBadRequest(detail));
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    });

    it('accepts a body nested exactly 32 levels deep and refuses 33', async () => {
      // The body object is level 1 and `metadata` level 2, so metadata holding 31 levels makes 32.
      const atLimit = await post(JSON.stringify({ name: 'deep-ok', kind: 'llm_agent', metadata: nestedObjects(31) }));
      expect(atLimit.statusCode, atLimit.body).toBe(201);
      expect(atLimit.json().metadata).toEqual(nestedObjects(31));
      expectProblem(
        await post(JSON.stringify({ name: 'deep-no', kind: 'llm_agent', metadata: nestedObjects(32) })),
        agentsBadRequest('the request body nests deeper than 32 levels'),
      );
    });

    it('survives 500,000 levels of [[[ inside 1 MiB and keeps serving', async () => {
      const balanced = `${'['.repeat(500_000)}${']'.repeat(500_000)}`;
      expect(balanced.length).toBeLessThan(MiB);
      expectProblem(await post(balanced), agentsBadRequest('the request body nests deeper than 32 levels'));
      expectProblem(await post('['.repeat(MiB - 10)), agentsBadRequest('the request body is not valid JSON'));
      const deepObjects = `{"a":${'{"a":'.repeat(150_000)}1${'}'.repeat(150_001)}`;
      expect(deepObjects.length).toBeLessThan(MiB);
      expectProblem(await post(deepObjects), agentsBadRequest('the request body nests deeper than 32 levels'));
      const live = await ctx().app.inject({ method: 'GET', url: '/livez' });
      expect(live.statusCode).toBe(200);
    });

    it('answers 413 to a deep document over the size limit', async () => {
      const over = `${'['.repeat(600_000)}${']'.repeat(600_000)}`;
      expectProblem(await post(over), {
        status: 413,
        code: 'payload_too_large',
        detail: 'the request body is larger than this route accepts',
        instance: '/api/v1/agents',
      });
    });
  });

  describe('schema violations are 400 with the field path', () => {
    it('names a missing body field', async () => {
      expectProblem(
        await post(JSON.stringify({ kind: 'llm_agent' })),
        validationProblem('/api/v1/agents', '/body/name', "must have required property 'name'"),
      );
    });

    it('does not coerce body types', async () => {
      expectProblem(await post(JSON.stringify({ name: 5, kind: 'llm_agent' })), validationProblem('/api/v1/agents', '/body/name', 'must be string'));
    });

    it('lists the allowed values of an unknown enum value', async () => {
      expectProblem(
        await post(JSON.stringify({ name: 'x', kind: 'robot' })),
        validationProblem('/api/v1/agents', '/body/kind', 'must be one of mcp_server, llm_agent, workflow, pipeline, function'),
      );
    });

    it('refuses unknown body fields', async () => {
      expectProblem(
        await post(JSON.stringify({ name: 'x', kind: 'llm_agent', is_admin: true })),
        validationProblem('/api/v1/agents', '/body/is_admin', 'is not an allowed property'),
      );
    });

    it('points into arrays', async () => {
      expectProblem(
        await post(JSON.stringify({ name: 'x', kind: 'mcp_server', tools: [{ name: 'ok' }, { name: '' }] })),
        validationProblem('/api/v1/agents', '/body/tools/1/name', 'must NOT have fewer than 1 characters'),
      );
    });

    it('refuses a body that is JSON but not an object', async () => {
      expectProblem(await post('[1,2,3]'), validationProblem('/api/v1/agents', '/body', 'must be object'));
    });

    it('names a bad query parameter', async () => {
      const get = (url: string) => ctx().app.inject({ method: 'GET', url, headers: ctx().as('viewer') });
      expectProblem(await get('/api/v1/agents?limit=abc'), validationProblem('/api/v1/agents', '/querystring/limit', 'must be integer'));
      expectProblem(await get('/api/v1/agents?limit=0'), validationProblem('/api/v1/agents', '/querystring/limit', 'must be >= 1'));
      expectProblem(await get('/api/v1/agents?limit=201'), validationProblem('/api/v1/agents', '/querystring/limit', 'must be <= 200'));
      expectProblem(
        await get('/api/v1/agents?status=sleeping'),
        validationProblem('/api/v1/agents', '/querystring/status', 'must be one of active, suspended, quarantined, retired, needs_review, missing, merged'),
      );
      expectProblem(await get('/api/v1/agents?colour=blue'), validationProblem('/api/v1/agents', '/querystring/colour', 'is not an allowed property'));
      const badCursor = await get('/api/v1/agents?cursor=not-a-cursor');
      expectProblem(badCursor, {
        status: 400,
        code: 'validation_failed',
        detail: 'cursor is not a value returned as next_cursor',
        instance: '/api/v1/agents',
        errors: [{ path: '/querystring/cursor', message: 'is not a valid cursor' }],
      });
    });

    it('names a bad path parameter', async () => {
      for (const id of ['not-a-uuid', 'urn:uuid:0191c5a0-0000-7000-8000-000000000000', `${randomUUID()}x`]) {
        const response = await ctx().app.inject({ method: 'GET', url: `/api/v1/agents/${id}`, headers: ctx().as('viewer') });
        // The wording of a format/pattern message belongs to the agents schema; the contract here is the path.
        const message = String((response.json() as { errors?: Array<{ message: string }> }).errors?.[0]?.message);
        expectProblem(response, validationProblem(`/api/v1/agents/${id}`, '/params/id', message));
        expect(message).toMatch(/^must match (format|pattern) /);
      }
    });
  });

  describe('unknown things are 404', () => {
    it('answers an unknown route', async () => {
      const response = await ctx().app.inject({ method: 'GET', url: '/api/v1/no-such-thing', headers: ctx().as('viewer') });
      expectProblem(response, { status: 404, code: 'not_found', detail: 'no route for GET /api/v1/no-such-thing', instance: '/api/v1/no-such-thing' });
    });

    it('answers an unknown method on a known path', async () => {
      const response = await ctx().app.inject({ method: 'PUT', url: '/api/v1/agents', headers: json('operator'), payload: '{}' });
      expectProblem(response, { status: 404, code: 'not_found', detail: 'no route for PUT /api/v1/agents', instance: '/api/v1/agents' });
    });

    it('answers an unknown resource', async () => {
      const id = randomUUID();
      const response = await ctx().app.inject({ method: 'GET', url: `/api/v1/agents/${id}`, headers: ctx().as('viewer') });
      expectProblem(response, { status: 404, code: 'not_found', detail: `agent ${id} was not found`, instance: `/api/v1/agents/${id}` });
    });

    // Fastify answers a URL it cannot decode before routing; `frameworkErrors` routes it to problem+json.
    it('answers a malformed URL with a 400 problem, not 5xx', async () => {
      const response = await ctx().app.inject({ method: 'GET', url: '/api/v1/agents/%E0%A4%A', headers: ctx().as('viewer') });
      expectProblem(response, { status: 400, code: 'bad_request', detail: 'the request URL is malformed', instance: '/api/v1/agents/%E0%A4%A' });
    });
  });

  describe('body size limit (1 MiB)', () => {
    const bodyOfLength = (length: number) => {
      const prefix = '{"kind":"llm_agent","name":"';
      const suffix = '"}';
      return `${prefix}${'a'.repeat(length - prefix.length - suffix.length)}${suffix}`;
    };

    it('answers 413 to a body one byte over the limit', async () => {
      const payload = bodyOfLength(MiB + 1);
      expect(Buffer.byteLength(payload)).toBe(MiB + 1);
      expectProblem(await post(payload), {
        status: 413,
        code: 'payload_too_large',
        detail: 'the request body is larger than this route accepts',
        instance: '/api/v1/agents',
      });
    });

    it('reads a body of exactly the limit (and then validates it)', async () => {
      const payload = bodyOfLength(MiB);
      expect(Buffer.byteLength(payload)).toBe(MiB);
      expectProblem(await post(payload), validationProblem('/api/v1/agents', '/body/name', 'must NOT have more than 200 characters'));
    });
  });

  describe('media types', () => {
    const unsupported = { status: 415, code: 'unsupported_media_type' as const, detail: 'this route accepts application/json bodies only', instance: '/api/v1/agents' };

    it.each(['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'application/jsonx'])('answers 415 to %s', async (type) => {
      expectProblem(await post('{"name":"x","kind":"llm_agent"}', { ...ctx().as('operator'), 'content-type': type }), unsupported);
    });

    it('answers 415 to a body without a Content-Type', async () => {
      expectProblem(await post('{"name":"x","kind":"llm_agent"}', ctx().as('operator')), unsupported);
    });

    it('accepts application/json with a charset parameter', async () => {
      const response = await post('{"name":"charset","kind":"llm_agent"}', { ...ctx().as('operator'), 'content-type': 'application/json; charset=utf-8' });
      expect(response.statusCode, response.body).toBe(201);
    });
  });

  describe('instance', () => {
    it('never carries the query string, which may hold secrets — nor does the log line', async () => {
      const before = ctx().logs.length;
      const response = await ctx().app.inject({ method: 'GET', url: '/api/v1/agents?limit=5&token=s3cr3t-token-value', headers: ctx().as('viewer') });
      expectProblem(response, validationProblem('/api/v1/agents', '/querystring/token', 'is not an allowed property'));
      expect(response.body).not.toContain('s3cr3t-token-value');
      const lines = ctx().logs.slice(before);
      expect(lines.length).toBeGreaterThan(0);
      expect(JSON.stringify(lines)).not.toContain('s3cr3t-token-value');
    });

    it('drops the query string from 404s', async () => {
      const response = await ctx().app.inject({ method: 'GET', url: '/nowhere?api_key=s3cr3t-key-value&x=1' });
      expectProblem(response, { status: 404, code: 'not_found', detail: 'no route for GET /nowhere', instance: '/nowhere' });
      expect(response.body).not.toContain('s3cr3t-key-value');
    });

    it('drops the query string from 413s and 415s', async () => {
      const url = '/api/v1/agents?password=s3cr3t-password';
      const tooLarge = await ctx().app.inject({ method: 'POST', url, headers: json('operator'), payload: 'x'.repeat(MiB + 1) });
      expect(tooLarge.statusCode).toBe(413);
      expect(tooLarge.json().instance).toBe('/api/v1/agents');
      const wrongType = await ctx().app.inject({ method: 'POST', url, headers: { ...ctx().as('operator'), 'content-type': 'text/plain' }, payload: 'x' });
      expect(wrongType.statusCode).toBe(415);
      expect(wrongType.json().instance).toBe('/api/v1/agents');
    });
  });

  describe('5xx', () => {
    let failing: Awaited<ReturnType<typeof buildFailingApp>> | undefined;
    beforeAll(async () => {
      failing = await buildFailingApp(target);
    });
    afterAll(async () => {
      await failing?.close();
    });
    const app = () => {
      if (!failing) throw new Error('failing app not built');
      return failing;
    };

    it('answers a bug with a generic 500 and logs the error with the correlation id', async () => {
      const correlationId = `boom-${randomUUID()}`;
      const response = await app().app.inject({ method: 'GET', url: '/test/boom?x=1', headers: { 'x-correlation-id': correlationId } });
      expectProblem(response, {
        status: 500,
        code: 'internal',
        detail: 'an unexpected error occurred; quote the correlation id when reporting it',
        instance: '/test/boom',
      });
      expect(response.headers['x-correlation-id']).toBe(correlationId);
      expect(response.body).not.toMatch(/kaboom|frobnicator|stack|at /);

      const lines = app().logs.filter((line) => line.correlation_id === correlationId);
      const failure = lines.find((line) => line.msg === 'unhandled error');
      expect(failure).toMatchObject({ level: 'error', correlation_id: correlationId });
      const err = failure?.err as Record<string, unknown>;
      expect(err.type).toBe('Error');
      expect(err.message).toBe('kaboom: widget 42 exploded in the frobnicator');
      expect(String(err.stack)).toContain('Error: kaboom: widget 42 exploded in the frobnicator');
      expect(lines.find((line) => line.msg === 'request completed')).toMatchObject({ level: 'error', status_code: 500, route: '/test/boom' });
    });

    it('answers an unavailable dependency with 503 and Retry-After', async () => {
      const response = await app().app.inject({ method: 'GET', url: '/test/dependency-down' });
      expectProblem(response, { status: 503, code: 'unavailable', detail: 'the database is unavailable; retry shortly', instance: '/test/dependency-down' });
      expect(response.headers['retry-after']).toBe('7');
      const correlationId = response.headers['x-correlation-id'];
      const failure = app().logs.find((line) => line.correlation_id === correlationId && line.msg === 'request failed');
      expect(failure).toMatchObject({ level: 'error', err: { type: 'AppError', message: 'the database is unavailable; retry shortly' } });
    });
  });
});
