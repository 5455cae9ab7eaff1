import { expect, it } from 'vitest';
import { createAgent, describeSyncSuite } from './fixtures.js';

const yamlDocument = (owner: string) => `# order-to-cash, as the operations team wrote it
contracts:
  - name: order-to-cash
    owner: ${owner}
    description: Zapier orders must be fulfilled within two hours
    costs:
      missing_record: { risk_kind: order_unfulfilled, cost_usd: 1500 }
    streams:
      - name: orders
        source: zapier
        entity_type: order
        freshness: 15m
        unique_event_types: [order.created]
    follow_ups:
      - name: order-fulfilled
        when: { stream: orders, event_type: order.created }
        then: { stream: orders, event_type: order.fulfilled }
        within: 2h
`;

describeSyncSuite('sync contracts', '2026-04-01T10:00:00.000Z', (ctx) => {
  it('answers 404 before any contracts exist', async () => {
    const { t } = ctx();
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/sync/contracts', headers: t.as('viewer') });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.json()).toMatchObject({ detail: 'a sync contracts document (none was written yet) was not found' });
  });

  it('accepts YAML and JSON, keeps every version, serves the active one or a past one, and audits each write', async () => {
    const { t } = ctx();
    const owner = await createAgent(t);
    for (const contentType of ['application/yaml', 'text/yaml']) {
      const response = await t.app.inject({
        method: 'PUT',
        url: '/api/v1/sync/contracts',
        headers: { ...t.as('operator'), 'content-type': contentType },
        payload: yamlDocument(owner),
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({ format: 'yaml', created_at: '2026-04-01T10:00:00.000Z' });
    }
    const json = { contracts: [{ name: 'tickets', owner, streams: [{ source: 'n8n', entity_type: 'ticket', freshness: '1h' }] }] };
    const put = await t.app.inject({ method: 'PUT', url: '/api/v1/sync/contracts', headers: t.as('admin'), payload: json });
    expect(put.statusCode).toBe(200);
    const written = put.json() as { version: number; format: string; created_by: string; document: unknown };
    expect(written).toMatchObject({ format: 'json', document: json });

    const active = await t.app.inject({ method: 'GET', url: '/api/v1/sync/contracts', headers: t.as('viewer') });
    expect(active.json()).toEqual(put.json());
    const first = await t.app.inject({ method: 'GET', url: `/api/v1/sync/contracts?version=${written.version - 2}`, headers: t.as('viewer') });
    expect(first.json()).toMatchObject({
      version: written.version - 2,
      format: 'yaml',
      document: {
        contracts: [
          {
            name: 'order-to-cash',
            owner,
            streams: [{ name: 'orders', source: 'zapier', entity_type: 'order', freshness: '15m', unique_event_types: ['order.created'] }],
            follow_ups: [{ name: 'order-fulfilled', within: '2h' }],
          },
        ],
      },
    });
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/sync/contracts?version=999999', headers: t.as('viewer') });
    expect(missing.statusCode).toBe(404);

    const audit = await t.app.inject({ method: 'GET', url: '/api/v1/audit?action=sync.contracts.update', headers: t.as('admin') });
    const entries = (audit.json() as { items: Array<{ target: string; before: unknown; after: unknown }> }).items;
    expect(entries[0]).toMatchObject({
      target: `sync_contracts:${written.version}`,
      before: { version: written.version - 1 },
      after: { version: written.version, contracts: ['tickets'] },
    });
  });

  it('refuses invalid documents with 400 and the path of each problem', async () => {
    const { t } = ctx();
    const owner = await createAgent(t);
    const response = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/sync/contracts',
      headers: t.as('operator'),
      payload: {
        contracts: [
          {
            name: 'bad',
            owner,
            streams: [{ name: 'orders', source: 'zapier', entity_type: 'order', freshness: '1h' }],
            lifecycles: [{ name: 'life', stream: 'nowhere', order: ['a', 'b'] }],
          },
        ],
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      status: 400,
      errors: [{ path: '/body/contracts/0/lifecycles/0/stream', message: 'no stream named "nowhere" in contract "bad" (streams: orders)' }],
    });

    const structural = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/sync/contracts',
      headers: t.as('operator'),
      payload: { contracts: [{ name: 'bad', owner, streams: [{ source: 'zapier', entity_type: 'order', freshness: 'an hour' }] }] },
    });
    expect(structural.statusCode).toBe(400);
    expect((structural.json() as { errors: Array<{ path: string }> }).errors.map((error) => error.path)).toContain('/body/contracts/0/streams/0/freshness');
  });

  it('refuses YAML that is not YAML, or not a document, with 400 naming the position but not the content', async () => {
    const { t } = ctx();
    const headers = { ...t.as('operator'), 'content-type': 'application/yaml' };
    const broken = await t.app.inject({ method: 'PUT', url: '/api/v1/sync/contracts', headers, payload: 'contracts:\n  - name: [unclosed secret-ish\n' });
    expect(broken.statusCode).toBe(400);
    expect((broken.json() as { detail: string }).detail).toMatch(/^the document is not valid YAML \(\w+ at line \d+, column \d+\)$/);
    const scalar = await t.app.inject({ method: 'PUT', url: '/api/v1/sync/contracts', headers, payload: 'just text' });
    expect(scalar.statusCode).toBe(400);
    const bomb = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/sync/contracts',
      headers,
      payload: `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 120 }, (_, i) => `k${i}: [*a, *a]`).join('\n')}\n`,
    });
    expect(bomb.statusCode).toBe(400);
    const duplicateKeys = await t.app.inject({ method: 'PUT', url: '/api/v1/sync/contracts', headers, payload: 'contracts: []\ncontracts: []\n' });
    expect(duplicateKeys.statusCode).toBe(400);
  });

  it('answers 422 naming the path when an owner agent does not exist, and stores nothing', async () => {
    const { t } = ctx();
    const before = await t.app.inject({ method: 'GET', url: '/api/v1/sync/contracts', headers: t.as('viewer') });
    const ghost = '0190c0de-dead-7000-8000-000000000000';
    const response = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/sync/contracts',
      headers: t.as('operator'),
      payload: { contracts: [{ name: 'ghostly', owner: ghost, streams: [{ source: 'zapier', entity_type: 'order', freshness: '1h' }] }] },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ errors: [{ path: '/body/contracts/0/owner', message: `no agent with id ${ghost}` }] });
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/sync/contracts', headers: t.as('viewer') });
    expect(after.body).toBe(before.body);
  });

  it('lets viewers read but only operators and admins write', async () => {
    const { t } = ctx();
    for (const role of ['viewer', 'ingest'] as const) {
      const response = await t.app.inject({ method: 'PUT', url: '/api/v1/sync/contracts', headers: t.as(role), payload: { contracts: [] } });
      expect(response.statusCode).toBe(403);
    }
    const ingestRead = await t.app.inject({ method: 'GET', url: '/api/v1/sync/contracts', headers: t.as('ingest') });
    expect(ingestRead.statusCode).toBe(403);
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/sync/freshness' });
    expect(anonymous.statusCode).toBe(401);
  });
});
