import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, describeEachDatabase, type TestApp } from '../helpers/app.js';
import type { DatabaseTarget } from '../helpers/db.js';

const GENERATED = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type Logs = Array<Record<string, unknown>>;

/** Runs `request` and returns the log lines written while it ran (requests here never overlap). */
async function withLines<T>(logs: Logs, request: () => Promise<T>): Promise<{ result: T; lines: Logs }> {
  const before = logs.length;
  const result = await request();
  return { result, lines: logs.slice(before) };
}

function expectEveryLineCarries(lines: Logs, correlationId: string): void {
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expect(line.correlation_id, JSON.stringify(line)).toBe(correlationId);
}

/** The real app plus a route that logs several lines and then fails, registered before `ready()`. */
function buildNoisyApp(target: DatabaseTarget): Promise<TestApp> {
  return createTestApp(target, {}, {
    routes: (app) => {
    app.get('/test/noisy', { config: { access: 'public' } }, async (request) => {
      request.log.info({ step: 1 }, 'first step');
      request.log.warn({ step: 2 }, 'second step');
      throw new Error('noisy route fails on purpose');
    });
    },
  });
}

describeEachDatabase('X-Correlation-ID', (ctx, target) => {
  const get = (url: string, headers: Record<string, string> = {}) => ctx().app.inject({ method: 'GET', url, headers: { ...ctx().as('viewer'), ...headers } });
  const echoed = (response: LightMyRequestResponse) => response.headers['x-correlation-id'];

  describe('a well-formed id', () => {
    it.each([
      ['a simple token', 'abc-123'],
      ['a UUID', '2f1c1b1e-9d4b-4c1e-8a53-7a0f4bd7e0c1'],
      ['every allowed punctuation mark', 'svc.api_v1:req/42@host+x=y-z'],
      ['one character', 'x'],
      ['exactly 128 characters', 'a'.repeat(128)],
    ])('is echoed: %s', async (_name, id) => {
      const response = await get('/livez', { 'x-correlation-id': id });
      expect(response.statusCode).toBe(200);
      expect(echoed(response)).toBe(id);
    });

    it('is matched case-insensitively by header name', async () => {
      const response = await get('/livez', { 'X-Correlation-ID': 'mixed-case-header' });
      expect(echoed(response)).toBe('mixed-case-header');
    });
  });

  describe('a missing id', () => {
    it('is generated as a UUID, different for every request', async () => {
      const first = echoed(await get('/livez'));
      const second = echoed(await get('/livez'));
      expect(first).toMatch(GENERATED);
      expect(second).toMatch(GENERATED);
      expect(first).not.toBe(second);
    });
  });

  describe('an invalid id is replaced by a generated one', () => {
    it.each([
      ['longer than 128 characters', 'a'.repeat(129)],
      ['a control character', 'abc\u0007def'],
      ['a NUL byte', 'abc\u0000def'],
      ['a tab', 'abc\tdef'],
      ['a space', 'abc def'],
      ['a leading space kept by the client', ' abc'],
      ['non-ASCII letters', 'héllo'],
      ['HTML', '<script>alert(1)</script>'],
      ['quotes', '"quoted"'],
      ['a JSON fragment', '{"a":1}'],
      ['a comma (two ids merged by a proxy)', 'one,two'],
      ['an empty value', ''],
    ])('%s', async (_name, id) => {
      const { result: response, lines } = await withLines(ctx().logs, () => get('/livez', { 'x-correlation-id': id }));
      expect(response.statusCode).toBe(200);
      const replaced = echoed(response);
      expect(replaced).toMatch(GENERATED);
      expect(replaced).not.toBe(id);
      expectEveryLineCarries(lines, replaced as string);
    });
  });

  describe('is echoed on every kind of response and carried by every log line', () => {
    it('201', async () => {
      const id = `create-${randomUUID()}`;
      const { result: response, lines } = await withLines(ctx().logs, () =>
        ctx().app.inject({
          method: 'POST',
          url: '/api/v1/agents',
          headers: { ...ctx().as('operator'), 'content-type': 'application/json', 'x-correlation-id': id },
          payload: JSON.stringify({ name: 'correlated', kind: 'workflow' }),
        }),
      );
      expect(response.statusCode, response.body).toBe(201);
      expect(echoed(response)).toBe(id);
      expectEveryLineCarries(lines, id);
    });

    it('200, and the id reaches the agent history written by the request', async () => {
      const id = `history-${randomUUID()}`;
      const created = await ctx().app.inject({
        method: 'POST',
        url: '/api/v1/agents',
        headers: { ...ctx().as('operator'), 'content-type': 'application/json', 'x-correlation-id': id },
        payload: JSON.stringify({ name: 'with-history', kind: 'workflow' }),
      });
      expect(created.statusCode).toBe(201);
      const history = await get(`/api/v1/agents/${created.json().id as string}/history`);
      expect(history.statusCode).toBe(200);
      expect((history.json() as { items: Array<{ correlation_id: string | null }> }).items.map((event) => event.correlation_id)).toEqual([id]);
    });

    it('400, also inside the problem body', async () => {
      const id = `bad-${randomUUID()}`;
      const { result: response, lines } = await withLines(ctx().logs, () => get('/api/v1/agents?limit=zero', { 'x-correlation-id': id }));
      expect(response.statusCode).toBe(400);
      expect(echoed(response)).toBe(id);
      expect(response.json().correlation_id).toBe(id);
      expectEveryLineCarries(lines, id);
    });

    it('404, also inside the problem body', async () => {
      const id = `missing-${randomUUID()}`;
      const { result: response, lines } = await withLines(ctx().logs, () => get('/api/v1/nothing-here', { 'x-correlation-id': id }));
      expect(response.statusCode).toBe(404);
      expect(echoed(response)).toBe(id);
      expect(response.json().correlation_id).toBe(id);
      expectEveryLineCarries(lines, id);
    });

    it('401, also inside the problem body', async () => {
      const id = `anonymous-${randomUUID()}`;
      const response = await ctx().app.inject({ method: 'GET', url: '/api/v1/agents', headers: { 'x-correlation-id': id } });
      expect(response.statusCode).toBe(401);
      expect(echoed(response)).toBe(id);
      expect(response.json().correlation_id).toBe(id);
    });

    it('413 and 415', async () => {
      for (const [status, headers, payload] of [
        [413, { 'content-type': 'application/json' }, 'x'.repeat(1024 * 1024 + 1)],
        [415, { 'content-type': 'text/plain' }, 'hello'],
      ] as const) {
        const id = `edge-${status}-${randomUUID()}`;
        const { result: response, lines } = await withLines(ctx().logs, () =>
          ctx().app.inject({ method: 'POST', url: '/api/v1/agents', headers: { ...ctx().as('operator'), ...headers, 'x-correlation-id': id }, payload }),
        );
        expect(response.statusCode).toBe(status);
        expect(echoed(response)).toBe(id);
        expect(response.json().correlation_id).toBe(id);
        expectEveryLineCarries(lines, id);
      }
    });

    it('a generated id is the one in the log lines and the problem body', async () => {
      const { result: response, lines } = await withLines(ctx().logs, () => get('/api/v1/agents?limit=zero'));
      const generated = echoed(response) as string;
      expect(generated).toMatch(GENERATED);
      expect(response.json().correlation_id).toBe(generated);
      expectEveryLineCarries(lines, generated);
    });
  });

  describe('through a route that logs several lines and fails', () => {
    let noisy: Awaited<ReturnType<typeof buildNoisyApp>> | undefined;
    beforeAll(async () => {
      noisy = await buildNoisyApp(target);
    });
    afterAll(async () => {
      await noisy?.close();
    });
    const app = () => {
      if (!noisy) throw new Error('noisy app not built');
      return noisy;
    };

    it('every line of the request carries the id, and only that request’s lines do', async () => {
      const id = `noisy-${randomUUID()}`;
      const { result: response, lines } = await withLines(app().logs, () =>
        app().app.inject({ method: 'GET', url: '/test/noisy', headers: { 'x-correlation-id': id } }),
      );
      expect(response.statusCode).toBe(500);
      expect(echoed(response)).toBe(id);
      expect(lines.map((line) => line.msg)).toEqual(['first step', 'second step', 'unhandled error', 'request completed']);
      expectEveryLineCarries(lines, id);
      const other = await app().app.inject({ method: 'GET', url: '/test/noisy' });
      expect(echoed(other)).not.toBe(id);
      expect(app().logs.filter((line) => line.correlation_id === id)).toHaveLength(4);
    });

    it('works the same over a real socket', async () => {
      const address = await app().app.listen({ port: 0, host: '127.0.0.1' });
      const given = await fetch(`${address}/livez`, { headers: { 'x-correlation-id': 'over-the-wire-1' } });
      expect(given.status).toBe(200);
      expect(given.headers.get('x-correlation-id')).toBe('over-the-wire-1');
      const invalid = await fetch(`${address}/livez`, { headers: { 'x-correlation-id': 'two words' } });
      expect(invalid.headers.get('x-correlation-id')).toMatch(GENERATED);
      const missing = await fetch(`${address}/nowhere`);
      expect(missing.status).toBe(404);
      const generated = missing.headers.get('x-correlation-id');
      expect(generated).toMatch(GENERATED);
      expect(((await missing.json()) as { correlation_id: string }).correlation_id).toBe(generated);
    });
  });
});
