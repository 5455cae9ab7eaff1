import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { createSource, type Json } from './discovery-helpers.js';

/** Discovery sources (docs/discovery.md): admin-only CRUD, config checked per kind, write-only encrypted credentials. */

const uniqueName = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
/** A public address: passes the SSRF guard without a DNS lookup (nothing is sent to it: these sources are never run). */
const PUBLIC = 'https://93.184.216.34';
const CLOSED_LOCAL = 'http://127.0.0.1:9';
const EVERYTHING = '/opt/mcp/everything.js';

describe.each(databaseTargets.map((target) => [target.name, target] as const))('discovery sources [%s]', (_name, target) => {
  let t: TestApp;
  beforeAll(async () => {
    // Only 127.0.0.1 is allowed (a closed port there stands for a scheduled source's vendor: its runs fail at once and
    // nothing leaves the host); every other loopback, private or link-local target is refused, as in production.
    t = await createTestApp(target, { DISCOVERY_STDIO_COMMANDS: `node ${EVERYTHING}`, OUTBOUND_ALLOW_CIDRS: '127.0.0.1/32' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (payload: Json) => t.app.inject({ method: 'POST', url: '/api/v1/discovery/sources', headers: t.as('admin'), payload });

  it('creates an n8n source, keeps its API key sealed and never returns it', async () => {
    const apiKey = `n8n_api_${randomBytes(12).toString('hex')}`;
    const name = uniqueName('n8n');
    const response = await post({ kind: 'n8n', name, config: { url: `${CLOSED_LOCAL}/` }, credentials: { api_key: apiKey }, schedule: '6h' });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json() as Json & { id: string };
    expect(body).toEqual({
      id: expect.any(String),
      kind: 'n8n',
      name,
      config: { url: `${CLOSED_LOCAL}/` },
      credentials: { set: true, set_at: expect.any(String) },
      schedule: '6h',
      enabled: true,
      last_run: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(response.headers.location).toBe(`/api/v1/discovery/sources/${body.id}`);
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/discovery/sources/${body.id}`, headers: t.as('admin') });
    expect(read.json()).toEqual(body);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/discovery/sources?kind=n8n', headers: t.as('admin') });
    expect((list.json() as { items: Json[] }).items).toContainEqual(body);
    const { rows } = await t.container.db.query<Json>('select * from discovery_source where id = $1', [body.id]);
    expect(JSON.stringify(rows[0])).not.toContain(apiKey);
    expect(rows[0]!.credentials_ciphertext).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(rows[0]!.schedule_ms).toBe(6 * 3_600_000);
    const audit = await t.container.db.query<Json>("select after from audit_entry where action = 'discovery_source.create' and target = $1", [`discovery_source:${body.id}`]);
    expect(audit.rows).toHaveLength(1);
    expect(JSON.stringify(audit.rows)).not.toContain(apiKey);
    for (const text of [read.body, list.body]) expect(text).not.toContain(apiKey);
  });

  it('replaces, keeps or removes credentials on PATCH, and says so without showing them', async () => {
    const source = await createSource(t, { kind: 'n8n', name: uniqueName('n8n'), config: { url: PUBLIC }, credentials: { api_key: 'first-key' } });
    const renamed = await t.app.inject({ method: 'PATCH', url: `/api/v1/discovery/sources/${source.id}`, headers: t.as('admin'), payload: { name: uniqueName('renamed'), enabled: false } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ enabled: false, credentials: { set: true } });
    const removed = await t.app.inject({ method: 'PATCH', url: `/api/v1/discovery/sources/${source.id}`, headers: t.as('admin'), payload: { credentials: null } });
    expect(removed.json()).toMatchObject({ credentials: { set: false, set_at: null } });
    const replaced = await t.app.inject({ method: 'PATCH', url: `/api/v1/discovery/sources/${source.id}`, headers: t.as('admin'), payload: { credentials: { api_key: 'second-key' } } });
    expect(replaced.json()).toMatchObject({ credentials: { set: true } });
    expect(replaced.body).not.toContain('second-key');
    const empty = await t.app.inject({ method: 'PATCH', url: `/api/v1/discovery/sources/${source.id}`, headers: t.as('admin'), payload: {} });
    expect(empty.statusCode).toBe(400);
  });

  it.each<[string, Json, string, string]>([
    ['an unknown kind', { kind: 'zapier', name: 'x', config: {} }, '/body/kind', ''],
    ['a config field the kind does not know', { kind: 'n8n', name: 'x', config: { url: PUBLIC, token: 'x' } }, '/body/config', ''],
    ['credentials of another shape', { kind: 'n8n', name: 'x', config: { url: PUBLIC }, credentials: { key: 'x' } }, '/body/credentials', ''],
    ['a loopback URL (SSRF guard)', { kind: 'n8n', name: 'x', config: { url: 'http://127.0.0.2:5678' } }, '/body/config/url', 'SSRF guard'],
    ['a private URL (SSRF guard)', { kind: 'mcp', name: 'x', config: { transport: 'streamable_http', url: 'http://10.0.0.5/mcp' } }, '/body/config/url', 'private'],
    ['the cloud metadata address', { kind: 'airflow', name: 'x', config: { url: 'http://169.254.169.254/' } }, '/body/config/url', 'link-local'],
    ['a URL with a password in it', { kind: 'n8n', name: 'x', config: { url: 'https://admin:pw@93.184.216.34' } }, '/body/config/url', 'give them as credentials'],
    ['a stdio command outside DISCOVERY_STDIO_COMMANDS', { kind: 'mcp', name: 'x', config: { transport: 'stdio', command: 'node', args: ['-e', 'process.exit()'] } }, '/body/config/command', 'DISCOVERY_STDIO_COMMANDS'],
    ['a stdio source with a URL', { kind: 'mcp', name: 'x', config: { transport: 'stdio', command: 'node', args: [EVERYTHING], url: PUBLIC } }, '/body/config/url', 'stdio'],
    ['an HTTP MCP source without a URL', { kind: 'mcp', name: 'x', config: { transport: 'streamable_http' } }, '/body/config/url', 'required'],
    ['a Make source with both team and organization', { kind: 'make', name: 'x', config: { zone_url: PUBLIC, team_id: 1, organization_id: 2 } }, '/body/config/team_id', 'exactly one'],
    ['a Lambda region that is not one', { kind: 'lambda', name: 'x', config: { region: 'mars' } }, '/body/config/region', ''],
    ['a schedule below a minute', { kind: 'n8n', name: 'x', config: { url: PUBLIC }, schedule: '30s' }, '/body/schedule', ''],
  ])('refuses %s with a 400 naming the field, and stores nothing', async (_case, payload, path, words) => {
    const before = (await t.container.db.query<{ count: number }>('select count(*)::int as count from discovery_source')).rows[0]!.count;
    const response = await post(payload);
    expect(response.statusCode, response.body).toBe(400);
    const problem = response.json() as { errors: Array<{ path: string; message: string }> };
    expect(problem.errors.some((error) => error.path.startsWith(path) && error.message.includes(words)), JSON.stringify(problem.errors)).toBe(true);
    expect((await t.container.db.query<{ count: number }>('select count(*)::int as count from discovery_source')).rows[0]!.count).toBe(before);
  });

  it('accepts a stdio server the allow-list names, with env credentials', async () => {
    const response = await post({ kind: 'mcp', name: uniqueName('stdio'), config: { transport: 'stdio', command: 'node', args: [EVERYTHING, 'stdio'] }, credentials: { env: { API_TOKEN: 'tok-123456' } } });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.body).not.toContain('tok-123456');
  });

  it('refuses a second source with the same name (409) and frees the name once deleted', async () => {
    const name = uniqueName('dup');
    const first = await createSource(t, { kind: 'airflow', name, config: { url: PUBLIC }, credentials: { token: 'abc' } });
    expect((await post({ kind: 'n8n', name, config: { url: PUBLIC } })).statusCode).toBe(409);
    const deleted = await t.app.inject({ method: 'DELETE', url: `/api/v1/discovery/sources/${first.id}`, headers: t.as('admin') });
    expect(deleted.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/discovery/sources/${first.id}`, headers: t.as('admin') })).statusCode).toBe(404);
    expect((await post({ kind: 'n8n', name, config: { url: PUBLIC } })).statusCode).toBe(201);
  });

  it('keeps sources to admins, runs to operators, and reading runs to viewers', async () => {
    const source = await createSource(t, { kind: 'n8n', name: uniqueName('roles'), config: { url: PUBLIC }, credentials: { api_key: 'k' } });
    for (const role of ['operator', 'viewer', 'ingest'] as const) {
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/discovery/sources', headers: t.as(role) })).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/discovery/sources/${source.id}`, headers: t.as(role) })).statusCode).toBe(403);
      const created = await t.app.inject({ method: 'POST', url: '/api/v1/discovery/sources', headers: t.as(role), payload: { kind: 'n8n', name: uniqueName('x'), config: { url: PUBLIC } } });
      expect(created.statusCode).toBe(403);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/discovery/sources' })).statusCode).toBe(401);
    for (const role of ['viewer', 'ingest'] as const) {
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/discovery/runs', headers: t.as(role), payload: { source_id: source.id } })).statusCode).toBe(403);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/discovery/runs', headers: t.as('ingest') })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/discovery/runs', headers: t.as('viewer') })).statusCode).toBe(200);
  });

  it('answers 422 for a run of an unknown source, 404 for an unknown run, and 409 for a run of a disabled source', async () => {
    const unknown = '0190d5b4-0000-7000-8000-000000000000';
    const run = await t.app.inject({ method: 'POST', url: '/api/v1/discovery/runs', headers: t.as('operator'), payload: { source_id: unknown } });
    expect(run.statusCode).toBe(422);
    expect(run.json()).toMatchObject({ detail: `discovery source ${unknown} was not found` });
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/discovery/runs/${unknown}`, headers: t.as('viewer') })).statusCode).toBe(404);
    const source = await createSource(t, { kind: 'n8n', name: uniqueName('off'), config: { url: PUBLIC }, enabled: false });
    const refused = await t.app.inject({ method: 'POST', url: '/api/v1/discovery/runs', headers: t.as('operator'), payload: { source_id: source.id } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ detail: `discovery source ${source.id} is disabled; enable it to run it` });
  });
});
