import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/db.js';

/**
 * HANDLER_TIMEOUT bounds the time ORCA works on one request (docs/OPERATIONS.md, "Timeouts"): whatever keeps a
 * handler waiting — here a route that never settles, standing for a dependency that stopped answering — the client
 * gets a 503 problem+json with Retry-After instead of an answer that never comes.
 */

for (const target of databaseTargets) {
  describe(`request deadline [${target.name}]`, () => {
    let testApp: TestApp;
    let settled = false;

    beforeAll(async () => {
      testApp = await createTestApp(target, { HANDLER_TIMEOUT: '300ms' }, {
        routes: (app) => {
          app.get('/test/never-answers', { config: { access: 'viewer' } }, () => new Promise(() => {}));
          app.get('/test/answers-late', { config: { access: 'viewer' } }, async (request) => {
            // Settles only once the deadline has aborted the request: its late answer must not replace the 503.
            await new Promise((resolve) => request.signal.addEventListener('abort', resolve));
            settled = true;
            return { late: true };
          });
        },
      });
    }, 180_000);

    afterAll(async () => {
      await testApp?.close();
    });

    it('answers 503 problem+json with Retry-After when the handler does not answer in time', async () => {
      const response = await testApp.app.inject({ method: 'GET', url: '/test/never-answers', headers: { ...testApp.as('viewer'), 'x-correlation-id': 'deadline-1' } });
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json()).toEqual({
        type: 'urn:orca:problem:unavailable',
        title: 'Service Unavailable',
        status: 503,
        detail: 'the request took too long to process; retry shortly',
        instance: '/test/never-answers',
        correlation_id: 'deadline-1',
      });
      const lines = testApp.logs.filter((line) => line.correlation_id === 'deadline-1');
      expect(lines.map((line) => [line.level, line.msg])).toEqual([
        ['error', 'request timed out'],
        ['error', 'request completed'],
      ]);
    });

    it('keeps the 503 when the handler answers after the deadline', async () => {
      const response = await testApp.app.inject({ method: 'GET', url: '/test/answers-late', headers: testApp.as('viewer') });
      expect(response.statusCode).toBe(503);
      await expect.poll(() => settled).toBe(true);
    });

    it('leaves requests that answer in time alone', async () => {
      const response = await testApp.app.inject({ method: 'GET', url: '/api/v1/agents?limit=1', headers: testApp.as('viewer') });
      expect(response.statusCode).toBe(200);
    });
  });
}
