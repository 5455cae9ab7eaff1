import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import createClient from 'openapi-fetch';
import { beforeAll, expect, it } from 'vitest';
import type { Role } from '../../src/platform/http/roles.js';
import { CLIENT_TYPES_FILE, renderClientTypes } from '../../scripts/lib/api-client-types.js';
import type { components, paths } from '../generated/orca-api.js';
import { describeEachDatabase } from '../helpers/app.js';

/**
 * A client generated from the OpenAPI document (openapi-typescript types, openapi-fetch) drives the main flows against
 * the real app listening on an ephemeral port. `npm run typecheck` compiles this file and the generated types with
 * `strict`, so a route whose schema and behaviour part ways breaks the build or this test, not a client in the field.
 */

type PolicyDocument = components['schemas']['PolicyDocument'];
type Problem = components['schemas']['Problem'];

describeEachDatabase('a client generated from the OpenAPI document', (ctx) => {
  let baseUrl = '';
  const client = (role: Role) => createClient<paths>({ baseUrl, headers: { 'x-api-key': ctx().keys[role] } });

  beforeAll(async () => {
    await ctx().app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(ctx().app.server.address() as AddressInfo).port}`;
  });

  it(`is up to date: ${CLIENT_TYPES_FILE} is what \`npm run openapi:client\` generates from the served document`, async () => {
    const document = (await ctx().app.inject({ method: 'GET', url: '/openapi.json' })).json() as Record<string, unknown>;
    expect(readFileSync(new URL(`../../${CLIENT_TYPES_FILE}`, import.meta.url), 'utf8')).toBe(await renderClientTypes(document));
  });

  it('registers an agent, finds it in the list, and has an action of it evaluated', async () => {
    const name = `client-${randomUUID()}`;
    const created = await client('operator').POST('/api/v1/agents', { body: { name, kind: 'llm_agent', classification: 'internal', role: 'standard' } });
    expect(created.response.status).toBe(201);
    const agent = created.data!;
    expect(agent).toMatchObject({ name, kind: 'llm_agent', status: 'active' });
    expect(created.response.headers.get('location')).toBe(`/api/v1/agents/${agent.id}`);

    const listed = await client('viewer').GET('/api/v1/agents', { params: { query: { q: name, status: 'active' } } });
    expect(listed.data?.items.map((item) => item.id)).toEqual([agent.id]);

    const read = await client('viewer').GET('/api/v1/agents/{id}', { params: { path: { id: agent.id } } });
    expect(read.data?.fingerprint).toBe(agent.fingerprint);

    const evaluated = await client('ingest').POST('/api/v1/policy/evaluate', {
      body: { agent_id: agent.id, action: 'send_message', resource: 'mail', classification: 'internal', content: 'write to jane.doe@example.com' },
    });
    expect(evaluated.response.status).toBe(200);
    const decision = evaluated.data!;
    expect(['allow', 'redact']).toContain(decision.decision);
    expect(decision.policy_version).toBeGreaterThanOrEqual(0);
  });

  it('connects a source, ingests a batch of events into it, and reads the KPIs', async () => {
    const source = await client('admin').POST('/api/v1/sources', { body: { kind: 'generic', name: `client-${randomUUID()}` } });
    expect(source.response.status).toBe(201);
    expect(source.data?.generated_secret).toMatch(/^whsec_/);

    const events = ['order.created', 'order.paid'].map((type, index) => ({
      source_id: source.data!.id,
      idempotency_key: `client-${randomUUID()}`,
      event_type: type,
      entity_type: 'order',
      entity_id: 'O-42',
      occurred_at: new Date(Date.now() - 60_000 + index * 1000).toISOString(),
      sequence: index + 1,
      payload: { amount: 120.5 },
    }));
    const batch = await client('ingest').POST('/api/v1/events', { body: { events } });
    expect(batch.response.status).toBe(201);
    expect(batch.data).toMatchObject({ accepted: 2, duplicates: 0, conflicts: 0 });

    const stored = await client('viewer').GET('/api/v1/events', { params: { query: { source_id: source.data!.id } } });
    expect(stored.data?.items.map((event) => event.event_type).sort()).toEqual(['order.created', 'order.paid']);

    const kpis = await client('viewer').GET('/api/v1/kpis', { params: { query: { window: '7d' } } });
    expect(kpis.response.status).toBe(200);
    expect(kpis.data?.window).toBe('7d');
    expect(Object.keys(kpis.data!.kpis).sort()).toEqual(['compliance_sla', 'drift_rate', 'risk_avoided', 'roi', 'self_resolution', 'sync_freshness', 'trust_score']);
  });

  it('stores a policy document typed by the document schema', async () => {
    const policy: PolicyDocument = {
      mode: 'monitor',
      classifications: [
        { name: 'public', risk_weight: 0 },
        { name: 'internal', risk_weight: 0.3 },
      ],
      roles: { reader: { classifications: ['public'], actions: ['read'] } },
      default_role: 'reader',
    };
    const stored = await client('operator').PUT('/api/v1/policies', { body: policy });
    expect(stored.response.status).toBe(200);
    expect(stored.data).toMatchObject({ mode: 'monitor', format: 'json', active: true, document: policy });
  });

  it('reads errors as problem documents', async () => {
    const refused = await client('viewer').POST('/api/v1/agents', { body: { name: 'not allowed', kind: 'workflow' } });
    expect(refused.response.status).toBe(403);
    expect(refused.response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    const problem: Problem | undefined = refused.error;
    expect(problem).toMatchObject({ type: 'urn:orca:problem:forbidden', status: 403 });

    const missing = await client('viewer').GET('/api/v1/agents/{id}', { params: { path: { id: randomUUID() } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error?.type).toBe('urn:orca:problem:not_found');
  });
});
