import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';

/** Receivers (docs/receivers.md): admin-only CRUD, write-only encrypted secrets, the SSRF guard at the door, audit. */

type Json = Record<string, unknown>;

const uniqueName = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
const webhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;
/** A public address: passes the SSRF guard without a DNS lookup (the tests never send to it). */
const PUBLIC = 'https://93.184.216.34';

describe.each(databaseTargets.map((target) => [target.name, target] as const))('receivers [%s]', (_name, target) => {
  let t: TestApp;
  beforeAll(async () => {
    // No OUTBOUND_ALLOW_CIDRS: loopback and private ranges are refused, as in production by default.
    t = await createTestApp(target);
  });
  afterAll(async () => {
    await t?.close();
  });

  const create = (body: Json, role: 'admin' | 'operator' = 'admin') => t.app.inject({ method: 'POST', url: '/api/v1/receivers', headers: t.as(role), payload: body });

  it('creates a webhook receiver, generates its secret once, and never returns it again', async () => {
    const name = uniqueName('hooks');
    const token = `tok-${randomBytes(8).toString('hex')}`;
    const response = await create({ name, kind: 'webhook', url: `${PUBLIC}/in?key=abc`, token, headers: { 'X-Team': 'sec-value' } });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json() as Json;
    expect(body).toEqual({
      id: expect.any(String),
      name,
      kind: 'webhook',
      url: `${PUBLIC}/in?key=[REDACTED]`,
      has_secret: true,
      has_token: true,
      header_names: ['X-Team'],
      origin: 'api',
      created_at: expect.any(String),
      updated_at: expect.any(String),
      generated_secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });
    expect(response.headers.location).toBe(`/api/v1/receivers/${body.id as string}`);
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/receivers/${body.id as string}`, headers: t.as('admin') });
    expect(read.statusCode).toBe(200);
    const { generated_secret: secret, ...rest } = body;
    expect(read.json()).toEqual(rest);
    for (const hidden of [secret as string, token, 'sec-value', 'key=abc']) expect(read.body).not.toContain(hidden);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/receivers?kind=webhook', headers: t.as('admin') });
    expect((list.json() as { items: Json[] }).items).toContainEqual(rest);
    // Stored sealed: no secret, token, header value or URL in clear in the row.
    const { rows } = await t.container.db.query<Json>('select * from receiver where id = $1', [body.id]);
    const row = JSON.stringify(rows[0]);
    for (const hidden of [secret as string, token, 'sec-value', 'key=abc']) expect(row).not.toContain(hidden);
    expect(rows[0]!.secret_ciphertext).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('keeps a Slack URL (its credential) out of every answer', async () => {
    const response = await create({ name: uniqueName('slack'), kind: 'slack', url: `${PUBLIC}/services/T000/B000/XXXXSECRET` });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ kind: 'slack', url: `${PUBLIC}/services/[REDACTED]`, has_secret: false, has_token: false, header_names: [] });
    expect(response.body).not.toContain('XXXXSECRET');
  });

  it('refuses a URL that is not http(s) or that the SSRF guard refuses, naming /body/url', async () => {
    for (const url of ['ftp://93.184.216.34/x', 'not a url', 'http://127.0.0.1:9093', 'http://169.254.169.254/latest', 'http://10.1.2.3/hook', 'http://[::1]/x', 'http://2130706433/']) {
      const response = await create({ name: uniqueName('bad'), kind: 'alertmanager', url });
      expect(response.statusCode, url).toBe(400);
      const problem = response.json() as { type: string; errors: Array<{ path: string; message: string }> };
      expect(problem.type).toBe('urn:orca:problem:validation_failed');
      expect(problem.errors[0]!.path, url).toBe('/body/url');
    }
    const { rows } = await t.container.db.query<{ n: number }>("select count(*)::int as n from receiver where name like 'bad-%'");
    expect(rows[0]!.n).toBe(0);
  });

  it('refuses fields the kind does not take, bad headers and bad secrets, naming the field', async () => {
    const cases: Array<[Json, string]> = [
      [{ kind: 'slack', url: `${PUBLIC}/s`, token: 'abc' }, '/body/token'],
      [{ kind: 'alertmanager', url: PUBLIC, secret: webhookSecret() }, '/body/secret'],
      [{ kind: 'webhook', url: PUBLIC, secret: 'whsec_short' }, '/body/secret'],
      [{ kind: 'webhook', url: PUBLIC, headers: { 'webhook-signature': 'x' } }, '/body/headers/webhook-signature'],
      [{ kind: 'webhook', url: PUBLIC, headers: { 'bad header': 'x' } }, '/body/headers/bad header'],
      [{ kind: 'webhook', url: PUBLIC, token: 't', headers: { Authorization: 'Basic x' } }, '/body/headers/Authorization'],
      [{ kind: 'pagerduty', url: PUBLIC }, '/body/kind'],
      [{ kind: 'webhook', url: PUBLIC, extra: 1 }, '/body/extra'],
    ];
    for (const [body, path] of cases) {
      const response = await create({ name: uniqueName('bad'), ...body });
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect((response.json() as { errors: Array<{ path: string }> }).errors.map((error) => error.path), JSON.stringify(body)).toContain(path);
    }
  });

  it('answers 409 for a taken name, on create and on rename, and frees the name of a deleted receiver', async () => {
    const name = uniqueName('dup');
    const first = await create({ name, kind: 'alertmanager', url: PUBLIC });
    expect(first.statusCode).toBe(201);
    const again = await create({ name, kind: 'slack', url: `${PUBLIC}/services/a/b/c` });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ type: 'urn:orca:problem:conflict', detail: `another receiver is already named "${name}"` });
    const other = (await create({ name: uniqueName('other'), kind: 'alertmanager', url: PUBLIC })).json() as Json;
    const rename = await t.app.inject({ method: 'PATCH', url: `/api/v1/receivers/${other.id as string}`, headers: t.as('admin'), payload: { name } });
    expect(rename.statusCode).toBe(409);
    const id = (first.json() as Json).id as string;
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/receivers/${id}`, headers: t.as('admin') })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/receivers/${id}`, headers: t.as('admin') })).statusCode).toBe(404);
    expect((await create({ name, kind: 'alertmanager', url: PUBLIC })).statusCode).toBe(201);
  });

  it('updates URL, token and headers; checks a new URL against the guard; keeps the kind', async () => {
    const created = (await create({ name: uniqueName('upd'), kind: 'webhook', url: PUBLIC, token: 'first' })).json() as Json;
    const url = `/api/v1/receivers/${created.id as string}`;
    const refused = await t.app.inject({ method: 'PATCH', url, headers: t.as('admin'), payload: { url: 'http://192.168.1.10/x' } });
    expect(refused.statusCode).toBe(400);
    expect((refused.json() as { errors: Array<{ path: string }> }).errors[0]!.path).toBe('/body/url');
    expect((await t.app.inject({ method: 'PATCH', url, headers: t.as('admin'), payload: { kind: 'slack' } })).statusCode).toBe(400);
    const updated = await t.app.inject({ method: 'PATCH', url, headers: t.as('admin'), payload: { url: `${PUBLIC}/v2`, token: null, headers: { 'X-A': '1' } } });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json()).toMatchObject({ url: `${PUBLIC}/v2`, kind: 'webhook', has_token: false, has_secret: true, header_names: ['X-A'] });
    const missing = await t.app.inject({ method: 'PATCH', url: `/api/v1/receivers/${randomUUID()}`, headers: t.as('admin'), payload: { name: 'x' } });
    expect(missing.statusCode).toBe(404);
  });

  it('appends one audit entry per write, with no secret in it', async () => {
    const secret = webhookSecret();
    const created = (await create({ name: uniqueName('audited'), kind: 'webhook', url: PUBLIC, secret, token: 'tok-audit-1' })).json() as Json;
    const id = created.id as string;
    expect(created.generated_secret).toBeUndefined();
    await t.app.inject({ method: 'PATCH', url: `/api/v1/receivers/${id}`, headers: t.as('admin'), payload: { secret: webhookSecret() } });
    await t.app.inject({ method: 'DELETE', url: `/api/v1/receivers/${id}`, headers: t.as('admin') });
    const { rows } = await t.container.db.query<{ action: string; after: Json }>('select action, before, after from audit_entry where target = $1 order by seq', [`receiver:${id}`]);
    expect(rows.map((row) => row.action)).toEqual(['receiver.create', 'receiver.update', 'receiver.delete']);
    expect(rows[1]!.after).toMatchObject({ secret_changed: true, token_changed: false });
    const audit = JSON.stringify(rows);
    expect(audit).not.toContain(secret);
    expect(audit).not.toContain('tok-audit-1');
    expect((await t.container.modules.audit.service.verify()).valid).toBe(true);
  });

  it('is admin-only: 401 without a key, 403 for other roles, on every route', async () => {
    const id = randomUUID();
    const routes: Array<{ method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; payload?: Json }> = [
      { method: 'GET', url: '/api/v1/receivers' },
      { method: 'POST', url: '/api/v1/receivers', payload: { name: 'x', kind: 'webhook', url: PUBLIC } },
      { method: 'GET', url: `/api/v1/receivers/${id}` },
      { method: 'PATCH', url: `/api/v1/receivers/${id}`, payload: { name: 'y' } },
      { method: 'DELETE', url: `/api/v1/receivers/${id}` },
      { method: 'POST', url: `/api/v1/receivers/${id}/test` },
    ];
    for (const route of routes) {
      expect((await t.app.inject({ ...route })).statusCode, `${route.method} ${route.url}`).toBe(401);
      for (const role of ['operator', 'viewer', 'ingest'] as const) {
        expect((await t.app.inject({ ...route, headers: t.as(role) })).statusCode, `${role} ${route.method} ${route.url}`).toBe(403);
      }
    }
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/receivers/${id}`, headers: t.as('admin') })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/receivers/not-a-uuid', headers: t.as('admin') })).statusCode).toBe(400);
  });
});
