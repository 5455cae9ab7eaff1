import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeEachDatabase, type TestApp } from '../../helpers/app.js';

/** Sources (docs/ingestion.md "Sources"): admin-only CRUD, write-only encrypted secrets, audit on every write. */

type Json = Record<string, unknown>;

const uniqueName = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
const secretOf = () => `s3cret-${randomBytes(16).toString('hex')}`;

async function create(t: TestApp, body: Json) {
  return t.app.inject({ method: 'POST', url: '/api/v1/sources', headers: t.as('admin'), payload: body });
}

describeEachDatabase('sources', (ctx) => {
  const secrets: string[] = [];

  it('creates a source and answers without any trace of its secret', async () => {
    const secret = secretOf();
    secrets.push(secret);
    const name = uniqueName('crm');
    const response = await create(ctx(), {
      kind: 'servicenow',
      name,
      description: 'ITSM',
      secret,
      signing: { tolerance_seconds: 120, options: { signature_encoding: 'hex' } },
      mapping: { event_type: '$.event' },
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.body).not.toContain(secret);
    const source = response.json() as Json;
    expect(response.headers.location).toBe(`/api/v1/sources/${source.id as string}`);
    expect(source).toEqual({
      id: expect.any(String),
      kind: 'servicenow',
      name,
      description: 'ITSM',
      enabled: true,
      scheme: expect.any(String),
      ingest_path: `/api/v1/ingest/${source.id as string}`,
      signing: { tolerance_seconds: 120, options: { signature_encoding: 'hex' } },
      mapping: { event_type: '$.event' },
      secret: { rotated_at: null, previous_valid_until: null },
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const read = await ctx().app.inject({ method: 'GET', url: `/api/v1/sources/${source.id as string}`, headers: ctx().as('admin') });
    expect(read.statusCode).toBe(200);
    expect(read.body).not.toContain(secret);
    const { generated_secret: _none, ...withoutGenerated } = source;
    expect(read.json()).toEqual(withoutGenerated);
    // Stored encrypted: neither the secret nor its plain bytes are in the row.
    const { rows } = await ctx().container.db.query<{ secret_ciphertext: string }>('select secret_ciphertext from source where id = $1', [source.id]);
    expect(rows[0]!.secret_ciphertext).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(rows[0]!.secret_ciphertext).not.toContain(secret);
  });

  it('generates a secret when none is given and shows it exactly once', async () => {
    const response = await create(ctx(), { kind: 'zapier', name: uniqueName('zap') });
    expect(response.statusCode, response.body).toBe(201);
    const source = response.json() as Json;
    const generated = source.generated_secret as string;
    secrets.push(generated);
    expect(generated).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const read = await ctx().app.inject({ method: 'GET', url: `/api/v1/sources/${source.id as string}`, headers: ctx().as('admin') });
    expect(read.body).not.toContain(generated);
    expect((read.json() as Json).generated_secret).toBeUndefined();
    const list = await ctx().app.inject({ method: 'GET', url: '/api/v1/sources?limit=200', headers: ctx().as('admin') });
    expect(list.body).not.toContain(generated);
  });

  it('refuses signing options the kind does not know, invalid mapping paths, and a secret in PATCH', async () => {
    const badOptions = await create(ctx(), { kind: 'hubspot', name: uniqueName('hs'), secret: secretOf(), signing: { options: { nope: 1 } } });
    expect(badOptions.statusCode).toBe(400);
    expect((badOptions.json() as { errors: Array<{ path: string }> }).errors[0]!.path).toMatch(/^\/body\/signing\/options/);

    const salesforceWithoutOrgs = await create(ctx(), { kind: 'salesforce', name: uniqueName('sf'), secret: secretOf() });
    expect(salesforceWithoutOrgs.statusCode).toBe(400);

    const badMapping = await create(ctx(), { kind: 'generic', name: uniqueName('g'), secret: secretOf(), mapping: { entity_id: 'data.id' } });
    expect(badMapping.statusCode).toBe(400);
    expect((badMapping.json() as { errors: Array<{ path: string; message: string }> }).errors).toEqual([
      { path: '/body/mapping/entity_id', message: 'a JSON path starts with $' },
    ]);

    const unknownField = await create(ctx(), { kind: 'generic', name: uniqueName('g'), secret: secretOf(), mapping: { colour: '$.x' } });
    expect(unknownField.statusCode).toBe(400);

    const created = (await create(ctx(), { kind: 'generic', name: uniqueName('g'), secret: secretOf() })).json() as Json;
    const patch = await ctx().app.inject({
      method: 'PATCH',
      url: `/api/v1/sources/${created.id as string}`,
      headers: ctx().as('admin'),
      payload: { secret: secretOf() },
    });
    expect(patch.statusCode).toBe(400);
  });

  it('updates, disables, lists with filters and pages, and deletes softly', async () => {
    const kindName = uniqueName('n8n');
    const ids: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const response = await create(ctx(), { kind: 'n8n', name: `${kindName}-${index}`, secret: secretOf() });
      ids.push((response.json() as Json).id as string);
    }
    const patched = await ctx().app.inject({
      method: 'PATCH',
      url: `/api/v1/sources/${ids[0]!}`,
      headers: ctx().as('admin'),
      payload: { enabled: false, name: `${kindName}-renamed`, mapping: { entity_id: '$.data.key' } },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ enabled: false, name: `${kindName}-renamed`, mapping: { entity_id: '$.data.key' } });

    const disabled = await ctx().app.inject({ method: 'GET', url: '/api/v1/sources?kind=n8n&enabled=false&limit=200', headers: ctx().as('admin') });
    expect((disabled.json() as { items: Json[] }).items.map((item) => item.id)).toContain(ids[0]);
    expect((disabled.json() as { items: Json[] }).items.map((item) => item.id)).not.toContain(ids[1]);

    const first = await ctx().app.inject({ method: 'GET', url: '/api/v1/sources?kind=n8n&limit=2', headers: ctx().as('admin') });
    const page1 = first.json() as { items: Json[]; next_cursor: string | null };
    expect(page1.items).toHaveLength(2);
    expect(page1.next_cursor).not.toBeNull();
    const second = await ctx().app.inject({
      method: 'GET',
      url: `/api/v1/sources?kind=n8n&limit=2&cursor=${page1.next_cursor!}`,
      headers: ctx().as('admin'),
    });
    const page2 = second.json() as { items: Json[] };
    const seen = [...page1.items, ...page2.items].map((item) => item.id);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of ids) expect(seen).toContain(id);

    const duplicateName = await create(ctx(), { kind: 'make', name: `${kindName}-1`, secret: secretOf() });
    expect(duplicateName.statusCode).toBe(409);

    const deleted = await ctx().app.inject({ method: 'DELETE', url: `/api/v1/sources/${ids[1]!}`, headers: ctx().as('admin') });
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect((await ctx().app.inject({ method: 'GET', url: `/api/v1/sources/${ids[1]!}`, headers: ctx().as('admin') })).statusCode).toBe(404);
    expect((await ctx().app.inject({ method: 'DELETE', url: `/api/v1/sources/${ids[1]!}`, headers: ctx().as('admin') })).statusCode).toBe(404);
    // The name is free again once its source is deleted.
    expect((await create(ctx(), { kind: 'make', name: `${kindName}-1`, secret: secretOf() })).statusCode).toBe(201);
    const missing = await ctx().app.inject({ method: 'PATCH', url: `/api/v1/sources/${randomUUID()}`, headers: ctx().as('admin'), payload: { enabled: true } });
    expect(missing.statusCode).toBe(404);
  });

  it('appends one audit entry per write, with no secret in it', async () => {
    const secret = secretOf();
    secrets.push(secret);
    const id = ((await create(ctx(), { kind: 'oracle_erp', name: uniqueName('ora'), secret })).json() as Json).id as string;
    await ctx().app.inject({ method: 'PATCH', url: `/api/v1/sources/${id}`, headers: ctx().as('admin'), payload: { enabled: false } });
    const rotatedSecret = secretOf();
    secrets.push(rotatedSecret);
    const rotated = await ctx().app.inject({
      method: 'POST',
      url: `/api/v1/sources/${id}/rotate-secret`,
      headers: ctx().as('admin'),
      payload: { secret: rotatedSecret, overlap: '1h' },
    });
    expect(rotated.statusCode, rotated.body).toBe(200);
    expect(rotated.body).not.toContain(rotatedSecret);
    await ctx().app.inject({ method: 'DELETE', url: `/api/v1/sources/${id}`, headers: ctx().as('admin') });
    const { rows } = await ctx().container.db.query<{ action: string; before: unknown; after: unknown }>(
      'select action, before, after from audit_entry where target = $1 order by seq',
      [`source:${id}`],
    );
    expect(rows.map((row) => row.action)).toEqual(['source.create', 'source.update', 'source.rotate_secret', 'source.delete']);
    const text = JSON.stringify(rows);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(rotatedSecret);
    expect(text).not.toContain('v1.');
    expect((await ctx().container.modules.audit.service.verify()).valid).toBe(true);
  });

  it('is admin-only', async () => {
    for (const role of ['viewer', 'operator', 'ingest'] as const) {
      const response = await ctx().app.inject({ method: 'GET', url: '/api/v1/sources', headers: ctx().as(role) });
      expect(response.statusCode).toBe(403);
    }
  });

  it('never logged a secret', () => {
    const text = JSON.stringify(ctx().logs);
    expect(secrets.length).toBeGreaterThan(3);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});

describe('the secret key', () => {
  it('is generated in ORCA_DATA_DIR/secret.key with mode 0600 on first use when ORCA_SECRET_KEY is unset', async () => {
    const { createTestApp } = await import('../../helpers/app.js');
    const { pgliteTarget } = await import('../../helpers/db.js');
    const t = await createTestApp(pgliteTarget);
    try {
      const file = join(t.container.config.dataDir, 'secret.key');
      expect(existsSync(file)).toBe(false);
      expect((await create(t, { kind: 'generic', name: uniqueName('g'), secret: secretOf() })).statusCode).toBe(201);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      await t.close();
    }
  });

  it('comes from ORCA_SECRET_KEY when set (no file is written)', async () => {
    const { createTestApp } = await import('../../helpers/app.js');
    const { pgliteTarget } = await import('../../helpers/db.js');
    const t = await createTestApp(pgliteTarget, { ORCA_SECRET_KEY: randomBytes(32).toString('base64') });
    try {
      expect((await create(t, { kind: 'generic', name: uniqueName('g'), secret: secretOf() })).statusCode).toBe(201);
      expect(existsSync(join(t.container.config.dataDir, 'secret.key'))).toBe(false);
    } finally {
      await t.close();
    }
  });
});
