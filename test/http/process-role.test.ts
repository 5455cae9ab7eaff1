import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/db.js';

/**
 * `orca start --role worker` (docs/CLI.md): a worker listens so that an orchestrator can watch it, but serves only
 * the probes, /status and /metrics — clients must not reach the API through it.
 */
describe.each(databaseTargets.map((target) => [target.name, target] as const))('process role worker [%s]', (_name, target) => {
  let worker: TestApp;
  beforeAll(async () => {
    worker = await createTestApp(target, {}, { role: 'worker' });
  });
  afterAll(async () => {
    await worker?.close();
  });

  it.each(['/livez', '/readyz', '/health', '/metrics'])('serves %s', async (url) => {
    expect((await worker.app.inject({ method: 'GET', url })).statusCode).toBe(200);
  });

  it('reports its role in /status', async () => {
    const response = await worker.app.inject({ method: 'GET', url: '/status', headers: worker.as('viewer') });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ role: 'worker' });
  });

  it.each([
    ['GET', '/api/v1/agents'],
    ['POST', '/api/v1/agents'],
    ['GET', '/api/v1/keys'],
    ['GET', '/api/v1/audit'],
  ] as const)('answers %s %s with 404 problem+json, even to an admin', async (method, url) => {
    const response = await worker.app.inject({ method, url, headers: worker.as('admin'), ...(method === 'POST' ? { payload: { name: 'x', kind: 'workflow' } } : {}) });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  });
});
