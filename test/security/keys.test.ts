import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createContainer, type Container, type ContainerOptions } from '../../src/container.js';
import { loadConfig } from '../../src/platform/config/load.js';
import type { Role } from '../../src/platform/http/roles.js';
import { createLogger } from '../../src/platform/telemetry/logger.js';
import { captureStream, describeEachDatabase } from '../helpers/app.js';
import { databaseTargets, serverUrl, type DatabaseTarget, type ProvisionedDatabase } from '../helpers/db.js';

/**
 * API keys through the HTTP API and the start-up bootstrap (docs/SECURITY.md "API keys"):
 * the secret is shown once and stored only as SHA-256, keys expire and are revoked at once on this replica and
 * within 1 s on others, the last admin cannot lock everyone out, last_used_at costs no write per request.
 */

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const KEY_SHAPE = /^orca_([0-9a-f]{12})_[A-Za-z0-9_-]{43}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const PROBLEM_JSON = 'application/problem+json; charset=utf-8';
const DAY_MS = 86_400_000;

interface KeyJson {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  origin: string;
  created_by: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  status: 'active' | 'revoked' | 'expired';
}

interface Created {
  key: KeyJson;
  secret: string;
}

const unique = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;

function expectProblem(response: LightMyRequestResponse, status: number, code: string, detail: string | RegExp): Record<string, unknown> {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toBe(PROBLEM_JSON);
  const body = response.json() as Record<string, unknown>;
  expect(body.type).toBe(`urn:orca:problem:${code}`);
  expect(body.status).toBe(status);
  expect(body.correlation_id).toBe(response.headers['x-correlation-id']);
  if (typeof detail === 'string') expect(body.detail).toBe(detail);
  else expect(body.detail).toMatch(detail);
  return body;
}

async function createKey(app: FastifyInstance, adminSecret: string, body: Record<string, unknown>): Promise<Created> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/keys', headers: { 'x-api-key': adminSecret }, payload: body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as Created;
}

/** A route every role except ingest may read: proves a key authenticates (200) or not (401). */
async function probe(app: FastifyInstance, headers: Record<string, string>): Promise<number> {
  return (await app.inject({ method: 'GET', url: '/api/v1/agents?limit=1', headers })).statusCode;
}

async function row<T = Record<string, unknown>>(container: Container, sql: string, values: unknown[] = []): Promise<T | undefined> {
  return (await container.db.query<T>(sql, values)).rows[0];
}

async function keyIdOf(container: Container, secret: string): Promise<string> {
  const found = await row<{ id: string }>(container, 'select id from api_key where hash = $1', [sha256(secret)]);
  if (!found) throw new Error('no key with that secret');
  return found.id;
}

async function auditCount(container: Container): Promise<number> {
  return Number((await row<{ count: number }>(container, 'select count(*)::int8 as count from audit_entry'))!.count);
}

async function listAllRaw(app: FastifyInstance, adminSecret: string): Promise<{ bodies: string[]; items: Array<Record<string, unknown>> }> {
  const bodies: string[] = [];
  const items: Array<Record<string, unknown>> = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page += 1) {
    const response = await app.inject({
      method: 'GET',
      url: `/api/v1/keys?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      headers: { 'x-api-key': adminSecret },
    });
    expect(response.statusCode).toBe(200);
    bodies.push(response.body);
    const body = response.json() as { items: Array<Record<string, unknown>>; next_cursor: string | null };
    items.push(...body.items);
    cursor = body.next_cursor;
    if (!cursor) return { bodies, items };
  }
  throw new Error('more than 100 pages of keys');
}

describeEachDatabase('API keys over HTTP', (ctx) => {
  let adminId = '';
  beforeAll(async () => {
    adminId = await keyIdOf(ctx().container, ctx().keys.admin);
  });

  it('creates a key: 201, the secret once, Cache-Control: no-store, Location, and exactly the documented fields', async () => {
    const name = unique('ci-reader');
    const before = Date.now();
    const response = await ctx().app.inject({ method: 'POST', url: '/api/v1/keys', headers: ctx().as('admin'), payload: { name, role: 'viewer' } });
    const after = Date.now();
    expect(response.statusCode, response.body).toBe(201);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = response.json() as Created;
    expect(Object.keys(body).sort()).toEqual(['key', 'secret']);
    const prefix = KEY_SHAPE.exec(body.secret)?.[1];
    expect(prefix).toBeDefined();
    expect(response.headers.location).toBe(`/api/v1/keys/${body.key.id}`);
    expect(body.key).toEqual({
      id: expect.stringMatching(UUID),
      name,
      prefix,
      role: 'viewer',
      origin: 'api',
      created_by: adminId,
      created_at: expect.stringMatching(ISO),
      expires_at: null,
      last_used_at: null,
      revoked_at: null,
      status: 'active',
    });
    // The Location answers: the same view of the key, never its secret.
    const located = await ctx().app.inject({ method: 'GET', url: response.headers.location as string, headers: ctx().as('admin') });
    expect(located.statusCode, located.body).toBe(200);
    expect(located.json()).toEqual(body.key);
    expect(located.body).not.toContain(body.secret);
    const createdAt = Date.parse(body.key.created_at);
    expect(createdAt).toBeGreaterThanOrEqual(before - 1000);
    expect(createdAt).toBeLessThanOrEqual(after + 1000);
  });

  it('never returns a secret or a hash from GET /keys (raw bodies scanned), only the documented fields', async () => {
    const created = await createKey(ctx().app, ctx().keys.admin, { name: unique('scan'), role: 'operator' });
    const secrets = [created.secret, ...Object.values(ctx().keys)];
    const { bodies, items } = await listAllRaw(ctx().app, ctx().keys.admin);
    expect(bodies.length).toBeGreaterThan(1);
    for (const body of bodies) {
      for (const secret of secrets) {
        expect(body).not.toContain(secret);
        expect(body).not.toContain(secret.slice(18));
        expect(body).not.toContain(sha256(secret));
      }
      expect(body).not.toMatch(/[0-9a-f]{64}/i);
    }
    const listed = items.find((item) => item.id === created.key.id);
    expect(listed).toEqual(created.key);
    for (const item of items) {
      expect(Object.keys(item).sort()).toEqual(
        ['created_at', 'created_by', 'expires_at', 'id', 'last_used_at', 'name', 'origin', 'prefix', 'revoked_at', 'role', 'status'].sort(),
      );
    }
  });

  it('stores only the SHA-256 of the key: the secret is nowhere in api_key, audit_entry or the logs', async () => {
    const created = await createKey(ctx().app, ctx().keys.admin, { name: unique('stored'), role: 'ingest' });
    const stored = await row<{ hash: string; prefix: string; role: string; origin: string }>(
      ctx().container,
      'select hash, prefix, role, origin from api_key where id = $1',
      [created.key.id],
    );
    expect(stored).toEqual({ hash: sha256(created.secret), prefix: created.secret.slice(5, 17), role: 'ingest', origin: 'api' });
    const keyTable = JSON.stringify((await ctx().container.db.query('select * from api_key')).rows);
    const auditTable = JSON.stringify((await ctx().container.db.query('select * from audit_entry')).rows);
    const logs = JSON.stringify(ctx().logs);
    for (const text of [keyTable, auditTable, logs]) {
      expect(text).not.toContain(created.secret);
      expect(text).not.toContain(created.secret.slice(18));
    }
    // The audit trail records the key (id, prefix, role) but not its hash either.
    expect(auditTable).not.toContain(sha256(created.secret));
    expect(auditTable).toContain(created.key.id);
  });

  it('computes expires_at from expires_in, and keeps an explicit future expires_at', async () => {
    const before = Date.now();
    const inThirty = await createKey(ctx().app, ctx().keys.admin, { name: unique('thirty'), role: 'viewer', expires_in: '30d' });
    const after = Date.now();
    const expiresAt = Date.parse(inThirty.key.expires_at!);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 30 * DAY_MS);
    expect(expiresAt).toBeLessThanOrEqual(after + 30 * DAY_MS);
    expect(inThirty.key.status).toBe('active');

    const at = new Date(Date.now() + 2 * DAY_MS);
    at.setUTCMilliseconds(0);
    const explicit = await createKey(ctx().app, ctx().keys.admin, { name: unique('explicit'), role: 'viewer', expires_at: at.toISOString() });
    expect(explicit.key.expires_at).toBe(at.toISOString());
    // Any RFC 3339 offset is accepted and normalised to UTC.
    const offset = await createKey(ctx().app, ctx().keys.admin, { name: unique('offset'), role: 'viewer', expires_at: '2999-01-01T02:00:00+02:00' });
    expect(offset.key.expires_at).toBe('2999-01-01T00:00:00.000Z');
    expect(await probe(ctx().app, { 'x-api-key': explicit.secret })).toBe(200);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['expires_at in the past', { expires_at: '2020-01-01T00:00:00Z' }, '/body/expires_at'],
    ['expires_at now-ish (1 s ago)', { expires_at: new Date(Date.now() - 1000).toISOString() }, '/body/expires_at'],
    ['both expires_in and expires_at', { expires_in: '1d', expires_at: '2999-01-01T00:00:00Z' }, '/body/expires_in'],
    ['expires_in without a unit it knows', { expires_in: '30 days' }, '/body/expires_in'],
    ['expires_in negative', { expires_in: '-1d' }, '/body/expires_in'],
    ['expires_in of zero', { expires_in: '0d' }, '/body/expires_in'],
    ['expires_in beyond any representable date', { expires_in: '999999999d' }, '/body/expires_in'],
    ['expires_at not a timestamp', { expires_at: 'tomorrow' }, '/body/expires_at'],
  ])('refuses %s with 400 and creates nothing', async (_label, extra, path) => {
    const name = unique('refused');
    const auditBefore = await auditCount(ctx().container);
    const response = await ctx().app.inject({
      method: 'POST',
      url: '/api/v1/keys',
      headers: ctx().as('admin'),
      payload: { name, role: 'viewer', ...extra },
    });
    const body = expectProblem(response, 400, 'validation_failed', /\S/);
    expect((body.errors as Array<{ path: string }>).map((error) => error.path)).toContain(path);
    expect(await row(ctx().container, 'select id from api_key where name = $1', [name])).toBeUndefined();
    expect(await auditCount(ctx().container)).toBe(auditBefore);
  });

  it.each<[string, Record<string, unknown>]>([
    ['an unknown role', { name: 'x', role: 'root' }],
    ['no role', { name: 'x' }],
    ['an empty name', { name: '', role: 'viewer' }],
    ['an unknown field', { name: 'x', role: 'viewer', hash: sha256('x') }],
    ['a caller-chosen secret', { name: 'x', role: 'viewer', secret: 'orca_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }],
  ])('refuses a body with %s (400)', async (_label, payload) => {
    const response = await ctx().app.inject({ method: 'POST', url: '/api/v1/keys', headers: ctx().as('admin'), payload });
    expectProblem(response, 400, 'validation_failed', /\S/);
  });

  it('authenticates a new key through X-API-Key and through Authorization: Bearer, with its role', async () => {
    const viewer = await createKey(ctx().app, ctx().keys.admin, { name: unique('two-ways'), role: 'viewer' });
    expect(await probe(ctx().app, { 'x-api-key': viewer.secret })).toBe(200);
    expect(await probe(ctx().app, { authorization: `Bearer ${viewer.secret}` })).toBe(200);
    expect(await probe(ctx().app, { 'x-api-key': viewer.secret, authorization: `Bearer ${viewer.secret}` })).toBe(200);
    const write = await ctx().app.inject({ method: 'POST', url: '/api/v1/agents', headers: { authorization: `Bearer ${viewer.secret}` }, payload: { name: 'x', kind: 'llm_agent' } });
    expectProblem(write, 403, 'forbidden', 'this route needs a operator key; yours is viewer');
    const keys = await ctx().app.inject({ method: 'GET', url: '/api/v1/keys', headers: { 'x-api-key': viewer.secret } });
    expectProblem(keys, 403, 'forbidden', 'this route needs a admin key; yours is viewer');

    // An admin key made through the API can itself make keys; the new key records who created it.
    const admin = await createKey(ctx().app, ctx().keys.admin, { name: unique('second-admin'), role: 'admin' });
    const made = await createKey(ctx().app, admin.secret, { name: unique('by-second-admin'), role: 'ingest' });
    expect(made.key.created_by).toBe(admin.key.id);
    await ctx().container.modules.keys.service.revoke({ id: 'test-cleanup', correlationId: null }, admin.key.id);
  });

  it('revokes a key: 200 with status revoked, then 401 at once on this app (even though it was just cached)', async () => {
    const created = await createKey(ctx().app, ctx().keys.admin, { name: unique('revoked'), role: 'operator' });
    expect(await probe(ctx().app, { 'x-api-key': created.secret })).toBe(200);
    const revoked = await ctx().app.inject({ method: 'DELETE', url: `/api/v1/keys/${created.key.id}`, headers: ctx().as('admin') });
    expect(revoked.statusCode, revoked.body).toBe(200);
    const body = revoked.json() as KeyJson;
    expect(body).toEqual({ ...created.key, revoked_at: expect.stringMatching(ISO), status: 'revoked', last_used_at: expect.stringMatching(ISO) });
    for (const headers of [{ 'x-api-key': created.secret }, { authorization: `Bearer ${created.secret}` }]) {
      const response = await ctx().app.inject({ method: 'GET', url: '/api/v1/agents', headers });
      expectProblem(response, 401, 'unauthorized', 'the API key is invalid, expired or revoked');
      expect(response.headers['www-authenticate']).toBe('Bearer realm="orca"');
    }
    const listed = (await listAllRaw(ctx().app, ctx().keys.admin)).items.find((item) => item.id === created.key.id);
    expect(listed).toMatchObject({ status: 'revoked', revoked_at: body.revoked_at });
    expect((await row<{ revoked_at: Date }>(ctx().container, 'select revoked_at from api_key where id = $1', [created.key.id]))!.revoked_at.toISOString()).toBe(
      body.revoked_at,
    );
  });

  it('answers 409 to revoking twice, 404 to an unknown id, 400 to a malformed id, and writes no audit entry for them', async () => {
    const created = await createKey(ctx().app, ctx().keys.admin, { name: unique('twice'), role: 'viewer' });
    expect((await ctx().app.inject({ method: 'DELETE', url: `/api/v1/keys/${created.key.id}`, headers: ctx().as('admin') })).statusCode).toBe(200);
    const auditBefore = await auditCount(ctx().container);
    const again = await ctx().app.inject({ method: 'DELETE', url: `/api/v1/keys/${created.key.id}`, headers: ctx().as('admin') });
    expectProblem(again, 409, 'conflict', `api key ${created.key.id} is already revoked`);
    const unknownId = '0190a1b2-0000-7000-8000-000000000000';
    const unknown = await ctx().app.inject({ method: 'DELETE', url: `/api/v1/keys/${unknownId}`, headers: ctx().as('admin') });
    expectProblem(unknown, 404, 'not_found', `api key ${unknownId} was not found`);
    expectProblem(await ctx().app.inject({ method: 'GET', url: `/api/v1/keys/${unknownId}`, headers: ctx().as('admin') }), 404, 'not_found', `api key ${unknownId} was not found`);
    const malformed = await ctx().app.inject({ method: 'DELETE', url: '/api/v1/keys/not-a-uuid', headers: ctx().as('admin') });
    expectProblem(malformed, 400, 'validation_failed', /\S/);
    expect(await auditCount(ctx().container)).toBe(auditBefore);
  });

  it('refuses to revoke the last active admin key (409) and keeps it working; another admin can be revoked', async () => {
    // Other tests of this suite may have left admin keys active: revoke them so that test-admin is the only one.
    const others = (
      await ctx().container.db.query<{ id: string }>(
        "select id from api_key where role = 'admin' and revoked_at is null and (expires_at is null or expires_at > now()) and id <> $1",
        [adminId],
      )
    ).rows;
    for (const other of others) await ctx().container.modules.keys.service.revoke({ id: 'test-cleanup', correlationId: null }, other.id);

    const refused = await ctx().app.inject({ method: 'DELETE', url: `/api/v1/keys/${adminId}`, headers: ctx().as('admin') });
    expectProblem(refused, 409, 'conflict', 'this is the last active admin key; create another admin key before revoking it');
    expect(await probe(ctx().app, ctx().as('admin'))).toBe(200);
    expect((await row<{ revoked_at: Date | null }>(ctx().container, 'select revoked_at from api_key where id = $1', [adminId]))!.revoked_at).toBeNull();

    // With a second admin, either may go; an admin may revoke itself when it is not the last one.
    const second = await createKey(ctx().app, ctx().keys.admin, { name: unique('second-admin'), role: 'admin' });
    const self = await ctx().app.inject({ method: 'DELETE', url: `/api/v1/keys/${second.key.id}`, headers: { 'x-api-key': second.secret } });
    expect(self.statusCode, self.body).toBe(200);
    expect(await probe(ctx().app, { 'x-api-key': second.secret })).toBe(401);
    const stillLast = await ctx().app.inject({ method: 'DELETE', url: `/api/v1/keys/${adminId}`, headers: ctx().as('admin') });
    expect(stillLast.statusCode).toBe(409);
  });

  it('lists keys newest first with a working cursor', async () => {
    const made = [];
    for (let index = 0; index < 3; index += 1) made.push(await createKey(ctx().app, ctx().keys.admin, { name: unique(`page-${index}`), role: 'viewer' }));
    const { items } = await listAllRaw(ctx().app, ctx().keys.admin);
    const ids = items.map((item) => item.id as string);
    expect(new Set(ids).size).toBe(ids.length);
    const positions = made.map((created) => ids.indexOf(created.key.id));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => b - a));
    const total = Number((await row<{ count: number }>(ctx().container, 'select count(*)::int8 as count from api_key'))!.count);
    expect(ids).toHaveLength(total);
  });
});

/** A mutable clock injected into the container: expiry and last_used_at are tested without sleeping. */
function mutableClock(start: Date) {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    set(at: number) {
      current = at;
    },
    advance(ms: number) {
      current += ms;
    },
  };
}

interface OwnApp {
  app: FastifyInstance;
  container: Container;
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'orca-keys-'));
  tempDirs.push(dir);
  return dir;
}

/** The real app on a database the caller chose (the same one for several apps, or in turn across "restarts"). */
async function openApp(env: Record<string, string>, dataDir: string, options: ContainerOptions): Promise<OwnApp> {
  const config = loadConfig({ ORCA_DATA_DIR: dataDir, LOG_LEVEL: 'info', RATE_LIMIT_MAX: '1000000', ...env }, dataDir);
  const logs: Array<Record<string, unknown>> = [];
  const container = await createContainer(config, { logger: createLogger({ level: 'info', destination: captureStream(logs) }), ...options });
  const app = await buildApp(container);
  await app.ready();
  return {
    app,
    container,
    logs,
    async close() {
      await app.close();
      await container.close();
    },
  };
}

const SETUP = { id: 'test-setup', correlationId: null };

for (const target of databaseTargets) {
  describe(`API keys with an injected clock [${target.name}]`, () => {
    const clock = mutableClock(new Date());
    let own: OwnApp;
    let provisioned: ProvisionedDatabase;
    let root: Created;

    beforeAll(async () => {
      provisioned = await target.provision();
      own = await openApp(provisioned.url ? { DATABASE_URL: provisioned.url } : {}, tempDir(), { clock, inMemoryDatabase: true, databaseSnapshot: provisioned.snapshot });
      // No background flush: the test decides when last_used_at is written.
      await own.container.modules.keys.service.stop();
      root = await own.container.modules.keys.service.create(SETUP, { name: 'root', role: 'admin' });
    });
    afterAll(async () => {
      await own?.close();
      await provisioned?.drop();
    });

    it('stops accepting a key at its expiry instant (expiry is checked on every request, not cached)', async () => {
      const created = await createKey(own.app, root.secret, { name: 'expiring', role: 'viewer', expires_in: '1h' });
      const expiresAt = clock.now().getTime() + 3_600_000;
      expect(created.key.expires_at).toBe(new Date(expiresAt).toISOString());
      expect(await probe(own.app, { 'x-api-key': created.secret })).toBe(200);

      clock.set(expiresAt - 1);
      expect(await probe(own.app, { 'x-api-key': created.secret })).toBe(200);
      expect(await probe(own.app, { authorization: `Bearer ${created.secret}` })).toBe(200);

      clock.set(expiresAt);
      const refused = await own.app.inject({ method: 'GET', url: '/api/v1/agents', headers: { 'x-api-key': created.secret } });
      expectProblem(refused, 401, 'unauthorized', 'the API key is invalid, expired or revoked');
      expect(await probe(own.app, { authorization: `Bearer ${created.secret}` })).toBe(401);

      const listed = (await listAllRaw(own.app, root.secret)).items.find((item) => item.id === created.key.id);
      expect(listed).toMatchObject({ status: 'expired', revoked_at: null });
      // An expired key cannot be brought back by the clock going on; the root key (no expiry) still works.
      clock.advance(DAY_MS);
      expect(await probe(own.app, { 'x-api-key': created.secret })).toBe(401);
      expect(await probe(own.app, { 'x-api-key': root.secret })).toBe(200);
    });

    it('refuses an expires_at that the injected clock has passed, even if the wall clock has not', async () => {
      const future = new Date(Date.now() + 3 * DAY_MS);
      clock.set(future.getTime() + 1000);
      const response = await own.app.inject({
        method: 'POST',
        url: '/api/v1/keys',
        headers: { 'x-api-key': root.secret },
        payload: { name: 'late', role: 'viewer', expires_at: future.toISOString() },
      });
      expectProblem(response, 400, 'validation_failed', 'expires_at must be in the future');
    });

    it('keeps last_used_at in memory (no write per request) and writes every used key in one statement on flush', async () => {
      const first = await own.container.modules.keys.service.create(SETUP, { name: 'used-1', role: 'viewer' });
      const second = await own.container.modules.keys.service.create(SETUP, { name: 'used-2', role: 'operator' });
      await own.container.modules.keys.service.flushLastUsed();
      const versions = async () =>
        (
          await own.container.db.query<{ id: string; xmin: string; last_used_at: Date | null; updated_at: Date }>(
            'select id, xmin::text as xmin, last_used_at, updated_at from api_key where id in ($1, $2) order by name',
            [first.key.id, second.key.id],
          )
        ).rows;
      const untouched = await versions();
      expect(untouched.map((r) => r.last_used_at)).toEqual([null, null]);

      for (let index = 0; index < 10; index += 1) {
        clock.advance(1000);
        expect(await probe(own.app, { 'x-api-key': first.secret })).toBe(200);
        expect(await probe(own.app, { authorization: `Bearer ${second.secret}` })).toBe(200);
      }
      const lastUse = clock.now().toISOString();
      // Twenty authenticated requests later the rows are byte-for-byte the same versions (xmin unchanged).
      expect(await versions()).toEqual(untouched);
      // The API already shows the in-memory value.
      const listed = (await listAllRaw(own.app, root.secret)).items.filter((item) => item.id === first.key.id || item.id === second.key.id);
      expect(listed.map((item) => item.last_used_at)).toEqual([lastUse, lastUse]);

      await own.container.modules.keys.service.flushLastUsed();
      const flushed = await versions();
      expect(flushed.map((r) => r.last_used_at?.toISOString())).toEqual([lastUse, lastUse]);
      // Both rows were written by the same transaction: one statement for all keys.
      expect(flushed[0]!.xmin).toBe(flushed[1]!.xmin);
      expect(flushed[0]!.xmin).not.toBe(untouched[0]!.xmin);

      // A second flush with nothing pending writes nothing.
      await own.container.modules.keys.service.flushLastUsed();
      expect(await versions()).toEqual(flushed);
    });

    it('does not count an expired admin key as the admin that keeps revocation safe', async () => {
      const temporary = await createKey(own.app, root.secret, { name: 'temporary-admin', role: 'admin', expires_in: '1m' });
      expect(await probe(own.app, { 'x-api-key': temporary.secret })).toBe(200);
      clock.advance(60_000);
      expect(await probe(own.app, { 'x-api-key': temporary.secret })).toBe(401);
      const refused = await own.app.inject({ method: 'DELETE', url: `/api/v1/keys/${root.key.id}`, headers: { 'x-api-key': root.secret } });
      expectProblem(refused, 409, 'conflict', 'this is the last active admin key; create another admin key before revoking it');
    });

    it('never leaves zero active admins when the last two admins revoke each other at the same time', async () => {
      // The race is timing-dependent: run it for several rounds, each with two fresh admins as the only active ones.
      let survivor = root;
      for (let round = 0; round < 8; round += 1) {
        const x = await own.container.modules.keys.service.create(SETUP, { name: `admin-x-${round}`, role: 'admin' });
        const y = await own.container.modules.keys.service.create(SETUP, { name: `admin-y-${round}`, role: 'admin' });
        const dropSurvivor = await own.app.inject({ method: 'DELETE', url: `/api/v1/keys/${survivor.key.id}`, headers: { 'x-api-key': x.secret } });
        expect(dropSurvivor.statusCode, dropSurvivor.body).toBe(200);
        // Both keys are read (and cached) first, so that both requests reach the revocation at the same time.
        expect(await probe(own.app, { 'x-api-key': y.secret })).toBe(200);
        const [xRevokesY, yRevokesX] = await Promise.all([
          own.app.inject({ method: 'DELETE', url: `/api/v1/keys/${y.key.id}`, headers: { 'x-api-key': x.secret } }),
          own.app.inject({ method: 'DELETE', url: `/api/v1/keys/${x.key.id}`, headers: { 'x-api-key': y.secret } }),
        ]);
        // The loser is refused either as the last admin (409) or, when the winner committed before it authenticated,
        // as a revoked key (401). Never both 200.
        const statuses = [xRevokesY.statusCode, yRevokesX.statusCode].sort();
        expect({ round, winner: statuses[0], loserRefused: [401, 409].includes(statuses[1]!) }).toEqual({ round, winner: 200, loserRefused: true });
        const active = await own.container.db.query<{ id: string }>(
          "select id from api_key where role = 'admin' and revoked_at is null and (expires_at is null or expires_at > $1)",
          [clock.now().toISOString()],
        );
        expect(active.rows).toHaveLength(1);
        survivor = active.rows[0]!.id === x.key.id ? x : y;
        expect(await probe(own.app, { 'x-api-key': survivor.secret })).toBe(200);
      }
    });
  });

  describe(`API_KEYS bootstrap [${target.name}]`, () => {
    let provisioned: ProvisionedDatabase;
    let dataDir: string;
    const secret = `ci-${randomBytes(16).toString('hex')}`;
    const announced: string[] = [];
    const bootstrapKeys = { announce: (key: string) => void announced.push(key) };
    const env = (apiKeys: string) => ({ ...(provisioned.url ? { DATABASE_URL: provisioned.url } : {}), API_KEYS: apiKeys });

    beforeAll(async () => {
      provisioned = await target.provision();
      // On PGlite the database lives in this data dir, so it survives the "restarts" below.
      dataDir = tempDir();
    });
    afterAll(async () => {
      await provisioned?.drop();
    });

    it('refuses to start with a secret shorter than 24 characters, naming API_KEYS and not echoing the secret; stores nothing', async () => {
      const short = 'x'.repeat(23);
      const good = `good-${'g'.repeat(30)}`;
      const config = loadConfig({ ORCA_DATA_DIR: dataDir, ...env(`fine:operator:${good},ci:viewer:${short}`) }, dataDir);
      const failure = await createContainer(config, { logger: createLogger({ level: 'silent' }), bootstrapKeys }).then(
        async (container) => {
          await container.close();
          return undefined;
        },
        (error: unknown) => error as Error,
      );
      expect(failure).toBeInstanceOf(Error);
      expect(failure!.message).toBe('API_KEYS: the secret of "ci" must be at least 24 characters');
      expect(failure!.message).not.toContain(short);
      expect(announced).toEqual([]);

      // The whole bootstrap was one transaction: the valid entry before the bad one was not stored either.
      const check = await openApp(env(''), dataDir, {});
      try {
        expect(Number((await row<{ count: number }>(check.container, 'select count(*)::int8 as count from api_key'))!.count)).toBe(0);
        expect(await auditCount(check.container)).toBe(0);
      } finally {
        await check.close();
      }
    });

    it('makes an API_KEYS secret work with its role, stores only its hash, and is idempotent across restarts', async () => {
      const first = await openApp(env(`ci:viewer:${secret}`), dataDir, { bootstrapKeys });
      let keyId: string;
      try {
        expect(await probe(first.app, { 'x-api-key': secret })).toBe(200);
        expect(await probe(first.app, { authorization: `Bearer ${secret}` })).toBe(200);
        const forbidden = await first.app.inject({ method: 'POST', url: '/api/v1/agents', headers: { 'x-api-key': secret }, payload: { name: 'x', kind: 'llm_agent' } });
        expect(forbidden.statusCode).toBe(403);
        const stored = (await first.container.db.query<Record<string, unknown>>('select * from api_key')).rows;
        expect(stored).toHaveLength(1);
        expect(stored[0]).toMatchObject({
          name: 'ci',
          role: 'viewer',
          origin: 'env',
          hash: sha256(secret),
          prefix: `env-${sha256(secret).slice(0, 8)}`,
          created_by: 'env:API_KEYS',
          revoked_at: null,
          expires_at: null,
        });
        expect(JSON.stringify(stored)).not.toContain(secret);
        keyId = stored[0]!.id as string;
        const audit = (await first.container.db.query<{ actor: string; action: string; target: string }>('select actor, action, target from audit_entry')).rows;
        expect(audit).toEqual([{ actor: 'system', action: 'key.bootstrap_env', target: `api_key:${keyId}` }]);
        expect(JSON.stringify(first.logs)).not.toContain(secret);
      } finally {
        await first.close();
      }

      const second = await openApp(env(`ci:viewer:${secret}`), dataDir, { bootstrapKeys });
      try {
        expect(await probe(second.app, { 'x-api-key': secret })).toBe(200);
        const stored = (await second.container.db.query<{ id: string }>('select id from api_key')).rows;
        expect(stored).toEqual([{ id: keyId }]);
        expect(await auditCount(second.container)).toBe(1);
      } finally {
        await second.close();
      }
    });

    it('replaces the secret of an API_KEYS entry when it changes, keeping the same key id', async () => {
      const rotated = `rotated-${randomBytes(16).toString('hex')}`;
      const app = await openApp(env(`ci:viewer:${rotated}`), dataDir, { bootstrapKeys });
      try {
        expect(await probe(app.app, { 'x-api-key': rotated })).toBe(200);
        expect(await probe(app.app, { 'x-api-key': secret })).toBe(401);
        const stored = (await app.container.db.query<{ name: string; hash: string }>('select name, hash from api_key')).rows;
        expect(stored).toEqual([{ name: 'ci', hash: sha256(rotated) }]);
        const actions = (await app.container.db.query<{ action: string }>('select action from audit_entry order by seq')).rows.map((r) => r.action);
        expect(actions).toEqual(['key.bootstrap_env', 'key.bootstrap_env']);
      } finally {
        await app.close();
      }
    });

    it('keeps a revoked API_KEYS key revoked after another start with the same (or a changed) entry', async () => {
      const rotated = `again-${randomBytes(16).toString('hex')}`;
      const first = await openApp(env(`ci:viewer:${rotated}`), dataDir, { bootstrapKeys });
      try {
        const id = await keyIdOf(first.container, rotated);
        await first.container.modules.keys.service.revoke({ id: 'test-operator', correlationId: null }, id);
        expect(await probe(first.app, { 'x-api-key': rotated })).toBe(401);
      } finally {
        await first.close();
      }
      for (const entry of [`ci:viewer:${rotated}`, `ci:admin:${rotated}`, `ci:viewer:${secret}`]) {
        const again = await openApp(env(entry), dataDir, { bootstrapKeys });
        try {
          expect(await probe(again.app, { 'x-api-key': rotated })).toBe(401);
          expect(await probe(again.app, { 'x-api-key': secret })).toBe(401);
          const stored = (await again.container.db.query<{ revoked_at: Date | null }>("select revoked_at from api_key where name = 'ci'")).rows;
          expect(stored).toHaveLength(1);
          expect(stored[0]!.revoked_at).not.toBeNull();
        } finally {
          await again.close();
        }
      }
    });

    it('accepts a secret of exactly 24 characters', async () => {
      const exact = randomBytes(12).toString('hex');
      expect(exact).toHaveLength(24);
      const app = await openApp(env(`edge:operator:${exact}`), dataDir, { bootstrapKeys });
      try {
        expect(await probe(app.app, { 'x-api-key': exact })).toBe(200);
      } finally {
        await app.close();
      }
    });
  });
}

describe.skipIf(!serverUrl)(
  serverUrl
    ? 'revocation across replicas [postgres]'
    : 'revocation across replicas [postgres; skipped: ORCA_TEST_DATABASE_URL is unset, and PGlite is single-process]',
  () => {
    const postgres = databaseTargets.find((target) => target.name === 'postgres') as DatabaseTarget;
    let provisioned: ProvisionedDatabase;
    let a: OwnApp;
    let b: OwnApp;

    beforeAll(async () => {
      provisioned = await postgres.provision();
      const env = { DATABASE_URL: provisioned.url! };
      a = await openApp(env, tempDir(), {});
      b = await openApp(env, tempDir(), {});
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
      await provisioned?.drop();
    });

    it('a key revoked on replica A stops working on replica B within 1 s', async () => {
      const admin = await a.container.modules.keys.service.create(SETUP, { name: 'admin', role: 'admin' });
      await a.container.modules.keys.service.create(SETUP, { name: 'spare-admin', role: 'admin' });
      const victim = await createKey(a.app, admin.secret, { name: 'victim', role: 'operator' });
      // B has read (and cached) the key.
      expect(await probe(b.app, { 'x-api-key': victim.secret })).toBe(200);
      expect(await probe(b.app, { 'x-api-key': victim.secret })).toBe(200);

      const revoked = await a.app.inject({ method: 'DELETE', url: `/api/v1/keys/${victim.key.id}`, headers: { 'x-api-key': admin.secret } });
      expect(revoked.statusCode).toBe(200);
      const revokedAt = performance.now();
      expect(await probe(a.app, { 'x-api-key': victim.secret })).toBe(401);

      let flippedAfter: number | undefined;
      while (performance.now() - revokedAt < 3000) {
        if ((await probe(b.app, { 'x-api-key': victim.secret })) === 401) {
          flippedAfter = performance.now() - revokedAt;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(flippedAfter, 'B still accepted the revoked key 3 s after the revocation').toBeDefined();
      expect(flippedAfter!).toBeLessThan(1500);
      // And it stays refused.
      expect(await probe(b.app, { authorization: `Bearer ${victim.secret}` })).toBe(401);
    });

    it('a key created on replica A works on replica B at once', async () => {
      const made = await a.container.modules.keys.service.create(SETUP, { name: 'fresh', role: 'viewer' });
      expect(await probe(b.app, { 'x-api-key': made.secret })).toBe(200);
    });
  },
);

