import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runDemo } from './run-demo.js';
import { DemoError } from './client.js';

/**
 * The demo against an ORCA that only has the agent registry and sources wired (every other route 404s, as on a
 * build where a module is missing): it reports each step it could not do instead of failing. The real server is
 * exercised end to end in test/e2e/demo.test.ts.
 */

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function fakeOrca(handler: (request: IncomingMessage, body: string, response: ServerResponse) => boolean): Promise<string> {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      if (handler(request, body, response)) return;
      response.writeHead(404, { 'content-type': 'application/problem+json' });
      response.end(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, detail: `no route ${request.method} ${request.url}` }));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

function json(response: ServerResponse, status: number, value: unknown): true {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(value));
  return true;
}

describe('runDemo against a partial ORCA', () => {
  it('creates what it can and lists every step the server refused', async () => {
    const url = await fakeOrca((request, body, response) => {
      const path = request.url ?? '';
      if (request.method === 'GET' && (path.startsWith('/api/v1/sources') || path.startsWith('/api/v1/agents'))) return json(response, 200, { items: [], next_cursor: null });
      if (request.method === 'POST' && path === '/api/v1/agents') return json(response, 201, { id: randomUUID() });
      if (request.method === 'POST' && path === '/api/v1/sources') {
        const { kind } = JSON.parse(body) as { kind: string };
        const id = randomUUID();
        return json(response, 201, { id, kind, ingest_path: `/api/v1/ingest/${id}`, generated_secret: kind === 'hubspot' ? 'a-generated-secret-0123456789' : 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
      }
      return false;
    });
    const summary = await runDemo({ url, apiKey: 'orca_test', days: 2, seed: 42, settleSeconds: 0 });
    expect(summary.agents).toEqual({ created: 12, reused: 0 });
    expect(summary.sources.created).toBe(9);
    expect(summary.contractsVersion).toBeNull();
    expect(summary.events.accepted).toBe(0);
    expect(summary.deliveries.sent).toBe(0);
    expect(summary.incidents).toBe(0);
    expect(summary.kpis).toBeNull();
    const problems = summary.problems.join('\n');
    expect(problems).toContain('no temporary ingest key (404');
    expect(problems).toContain('the sync contracts were refused (404');
    expect(problems).toContain('webhooks to the zapier source were refused (404');
    expect(problems).toContain('POST /api/v1/runs answered 404');
    expect(problems).toContain('POST /api/v1/policy/evaluate answered 404');
    expect(problems).toContain('POST /api/v1/incidents answered 404');
    expect(problems).toContain('GET /api/v1/kpis answered 404');
  });

  it('stops with one actionable error when the key is refused', async () => {
    const url = await fakeOrca((_request, _body, response) => json(response, 401, { title: 'Unauthorized', status: 401 }));
    await expect(runDemo({ url, apiKey: 'wrong', days: 1, seed: 1, settleSeconds: 0 })).rejects.toThrow(
      new DemoError(`ORCA at ${url} refused the API key (401); pass an admin key with --key`),
    );
  });

  it('waits out a short Retry-After and gives up on a long one', async () => {
    let calls = 0;
    const url = await fakeOrca((request, _body, response) => {
      calls++;
      response.writeHead(429, { 'content-type': 'application/problem+json', 'retry-after': calls === 1 ? '1' : '900' });
      response.end(JSON.stringify({ title: 'Too Many Requests', status: 429 }));
      return true;
    });
    await expect(runDemo({ url, apiKey: 'k', days: 1, seed: 1, settleSeconds: 0 })).rejects.toThrow(/rate-limited the demo's key for 900 s more/);
    expect(calls).toBe(2);
  });
});
