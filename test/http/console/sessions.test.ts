import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { manualClock, type ManualClock } from '../sync/fixtures.js';
import { newAgent, signIn } from './helpers.js';

/**
 * Console sessions through the whole app (docs/console.md "Sign-in and sessions"): an API key exchanged once for an
 * HttpOnly, SameSite=Strict cookie; the key's role on every request; a CSRF synchronizer token on every write; the
 * same answer for every key that is refused; sign-out, expiry and key revocation ending the session at once.
 */

const START = '2026-05-01T10:00:00.000Z';
const HOUR = 3_600_000;
const EIGHT_HOURS_S = 8 * 3600;
const PROBLEM_JSON = 'application/problem+json; charset=utf-8';
const SETUP = { id: 'test-setup', correlationId: null };
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface SessionRow {
  id: string;
  token_hash: string;
  key_id: string;
  csrf_token: string;
  expires_at: Date;
  revoked_at: Date | null;
}

for (const target of databaseTargets) {
  describe(`console sessions [${target.name}]`, () => {
    let t: TestApp;
    let clock: ManualClock;

    beforeAll(async () => {
      clock = manualClock(START);
      t = await createTestApp(target, {}, { clock });
    });
    afterAll(async () => {
      await t?.close();
    });

    const sessionRows = async (keyId: string) =>
      (await t.container.db.query<SessionRow>('select * from console_session where key_id = $1 order by id', [keyId])).rows;
    const keyIdOf = async (secret: string) => (await t.container.modules.keys.service.authenticate(secret))!.id;
    const createKey = async (name: string, role: 'viewer' | 'operator' | 'admin' | 'ingest', expiresIn?: string) =>
      t.container.modules.keys.service.create(SETUP, { name, role, ...(expiresIn ? { expiresIn } : {}) });

    it('exchanges a key for an HttpOnly, SameSite=Strict cookie with an expiry, and stores only the digest of its token', async () => {
      const { key, secret } = await createKey('console-reader', 'viewer');
      const signedIn = await signIn(t, secret);
      const { response, token, csrf } = signedIn;
      expect(response.headers['set-cookie']).toBe(`orca_session=${token}; Path=/; Max-Age=${EIGHT_HOURS_S}; HttpOnly; SameSite=Strict`);
      expect(response.headers['cache-control']).toBe('no-store');
      const body = response.json() as { id: string };
      expect(body).toEqual({
        id: expect.any(String),
        key: { id: key.id, name: 'console-reader', role: 'viewer' },
        expires_at: '2026-05-01T18:00:00.000Z',
        csrf_token: csrf,
      });
      expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(csrf).not.toBe(token);

      const rows = await sessionRows(key.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ id: body.id, token_hash: sha256(token), key_id: key.id, csrf_token: csrf, revoked_at: null });
      expect(rows[0]!.expires_at.toISOString()).toBe('2026-05-01T18:00:00.000Z');
      // The key itself is in no column of any session.
      const dump = JSON.stringify((await t.container.db.query('select * from console_session')).rows);
      expect(dump).not.toContain(secret);
      expect(dump).not.toContain(token);

      const audit = await t.app.inject({ method: 'GET', url: '/api/v1/audit?limit=200', headers: t.as('admin') });
      const entry = (audit.json() as { items: Array<{ action: string; actor: string; target: string; after: unknown }> }).items.find(
        (item) => item.target === `console_session:${body.id}`,
      );
      expect(entry).toMatchObject({ action: 'session.create', actor: key.id, after: { key_id: key.id, role: 'viewer', expires_at: '2026-05-01T18:00:00.000Z' } });
    });

    it('answers GET /session with the session of the cookie, and lets the cookie read what the key may read', async () => {
      const { secret, key } = await createKey('console-reader-2', 'viewer');
      const { read, csrf, response } = await signIn(t, secret);
      const current = await t.app.inject({ method: 'GET', url: '/api/v1/session', headers: read });
      expect(current.statusCode).toBe(200);
      expect(current.headers['cache-control']).toBe('no-store');
      expect(current.json()).toEqual(response.json());
      expect((current.json() as { csrf_token: string }).csrf_token).toBe(csrf);

      const agents = await t.app.inject({ method: 'GET', url: '/api/v1/agents', headers: read });
      expect(agents.statusCode).toBe(200);
      expect(agents.headers['ratelimit-policy']).toMatch(/^"viewer";q=\d+;w=\d+$/);

      // A request authenticated by a key header has no session to describe.
      const byKey = await t.app.inject({ method: 'GET', url: '/api/v1/session', headers: t.as('viewer') });
      expect(byKey.statusCode).toBe(404);
      expect((await sessionRows(key.id)).length).toBe(1);
    });

    it('refuses a write made with the session unless it echoes that session’s CSRF token: 403 and nothing written', async () => {
      const { secret } = await createKey('console-operator', 'operator');
      const mine = await signIn(t, secret);
      const other = await signIn(t, (await createKey('console-operator-2', 'operator')).secret);
      const count = async () => (await t.container.db.query<{ count: number }>('select count(*)::int as count from agent')).rows[0]!.count;
      const before = await count();
      for (const headers of [mine.read, { ...mine.read, 'x-csrf-token': other.csrf }, { ...mine.read, 'x-csrf-token': `${mine.csrf}x` }, { ...mine.read, 'x-csrf-token': '' }]) {
        const refused = await t.app.inject({ method: 'POST', url: '/api/v1/agents', headers, payload: newAgent('forged') });
        expect(refused.statusCode).toBe(403);
        expect(refused.headers['content-type']).toBe(PROBLEM_JSON);
        expect((refused.json() as { detail: string }).detail).toBe('a write made with a console session needs the X-CSRF-Token header of that session');
      }
      // Sign-out is a write too.
      const signOut = await t.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: mine.read });
      expect(signOut.statusCode).toBe(403);
      expect(await count()).toBe(before);

      const created = await t.app.inject({ method: 'POST', url: '/api/v1/agents', headers: mine.write, payload: newAgent('made in the console') });
      expect(created.statusCode).toBe(201);
      expect(await count()).toBe(before + 1);
      const keyId = await keyIdOf(secret);
      const history = await t.app.inject({ method: 'GET', url: `/api/v1/agents/${(created.json() as { id: string }).id}/history`, headers: mine.read });
      expect((history.json() as { items: Array<{ actor: string }> }).items[0]!.actor).toBe(keyId);
    });

    it('applies the key’s role to the session: a viewer session is refused operator writes and admin reads, with a valid CSRF token', async () => {
      const viewer = await signIn(t, (await createKey('console-viewer', 'viewer')).secret);
      const write = await t.app.inject({ method: 'POST', url: '/api/v1/agents', headers: viewer.write, payload: newAgent('not allowed') });
      expect(write.statusCode).toBe(403);
      expect((write.json() as { detail: string }).detail).toBe('this route needs a operator key; yours is viewer');
      const keys = await t.app.inject({ method: 'GET', url: '/api/v1/keys', headers: viewer.read });
      expect(keys.statusCode).toBe(403);
    });

    it('answers every key it refuses with the same 401, and an ingest key with 403, setting no cookie and storing nothing', async () => {
      const revoked = await createKey('console-revoked', 'viewer');
      await t.container.modules.keys.service.revoke(SETUP, revoked.key.id);
      const expiring = await createKey('console-expiring', 'viewer', '1h');
      const ingest = await createKey('console-ingest', 'ingest');
      const wellFormedUnknown = `${t.keys.viewer.slice(0, -4)}${t.keys.viewer.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
      const countAll = async () => (await t.container.db.query<{ count: number }>('select count(*)::int as count from console_session')).rows[0]!.count;
      const before = await countAll();

      clock.advance(2 * HOUR);
      const answers = [];
      for (const apiKey of [wellFormedUnknown, revoked.secret, expiring.secret, 'orca_not-a-key', 'x']) {
        const response = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { api_key: apiKey } });
        expect(response.headers['set-cookie']).toBeUndefined();
        const body = response.json() as Record<string, unknown>;
        answers.push({ status: response.statusCode, type: body.type, title: body.title, detail: body.detail });
      }
      clock.advance(-2 * HOUR);
      expect(answers).toEqual(
        Array.from({ length: 5 }, () => ({ status: 401, type: 'urn:orca:problem:unauthorized', title: 'Unauthorized', detail: 'this API key was not accepted' })),
      );

      const refusedIngest = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { api_key: ingest.secret } });
      expect(refusedIngest.statusCode).toBe(403);
      expect((refusedIngest.json() as { detail: string }).detail).toBe('ingest keys only push data in; sign in with a viewer, operator or admin key');
      expect(refusedIngest.headers['set-cookie']).toBeUndefined();

      const malformed = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { api_key: '' } });
      expect(malformed.statusCode).toBe(400);
      expect(await countAll()).toBe(before);
    });

    it('signs out: the session ends at once, its cookie is cleared, and the sign-out is audited', async () => {
      const { secret, key } = await createKey('console-leaver', 'admin');
      const session = await signIn(t, secret);
      const out = await t.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: session.write });
      expect(out.statusCode).toBe(204);
      expect(out.body).toBe('');
      expect(out.headers['set-cookie']).toBe('orca_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict');
      const [row] = await sessionRows(key.id);
      expect(row!.revoked_at).not.toBeNull();

      for (const request of [
        { method: 'GET' as const, url: '/api/v1/session', headers: session.read },
        { method: 'GET' as const, url: '/api/v1/agents', headers: session.read },
        { method: 'DELETE' as const, url: '/api/v1/session', headers: session.write },
      ]) {
        const after = await t.app.inject(request);
        expect(after.statusCode).toBe(401);
        expect(after.headers['www-authenticate']).toBe('Bearer realm="orca"');
        expect((after.json() as { detail: string }).detail).toBe('the console session has ended (expired, signed out or its key revoked); sign in again');
      }
      const audit = await t.app.inject({ method: 'GET', url: '/api/v1/audit?limit=200', headers: t.as('admin') });
      const actions = (audit.json() as { items: Array<{ action: string; target: string }> }).items.filter((item) => item.target === `console_session:${row!.id}`).map((item) => item.action);
      expect(actions.sort()).toEqual(['session.create', 'session.revoke']);
    });

    it('ends a session at its expiry, never later than its key’s, and the moment its key is revoked', async () => {
      const shortKey = await createKey('console-short-key', 'viewer', '1h');
      const short = await signIn(t, shortKey.secret);
      expect(short.response.headers['set-cookie']).toContain('; Max-Age=3600;');
      expect((short.response.json() as { expires_at: string }).expires_at).toBe(shortKey.key.expires_at);

      const long = await signIn(t, (await createKey('console-long', 'viewer')).secret);
      clock.advance(HOUR);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/session', headers: short.read })).statusCode).toBe(401);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/session', headers: long.read })).statusCode).toBe(200);
      clock.advance(7 * HOUR - 1);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/session', headers: long.read })).statusCode).toBe(200);
      clock.advance(1);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/session', headers: long.read })).statusCode).toBe(401);
      clock.set(START);

      const revocable = await createKey('console-revocable', 'operator');
      const session = await signIn(t, revocable.secret);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/agents', headers: session.read })).statusCode).toBe(200);
      await t.app.inject({ method: 'DELETE', url: `/api/v1/keys/${revocable.key.id}`, headers: t.as('admin') });
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/agents', headers: session.read })).statusCode).toBe(401);
    });

    it('prefers a key header over the cookie, ignores a malformed cookie, and signs in whatever cookie the browser still holds', async () => {
      const viewer = await signIn(t, (await createKey('console-both', 'viewer')).secret);
      const withKey = await t.app.inject({ method: 'GET', url: '/api/v1/keys', headers: { ...viewer.read, ...t.as('admin') } });
      expect(withKey.statusCode).toBe(200);
      const malformed = await t.app.inject({ method: 'GET', url: '/api/v1/agents', headers: { cookie: 'orca_session=abc; other=1' } });
      expect(malformed.statusCode).toBe(401);
      expect((malformed.json() as { detail: string }).detail).toBe('an API key is required (X-API-Key or Authorization: Bearer)');
      const unknown = await t.app.inject({ method: 'GET', url: '/api/v1/agents', headers: { cookie: `theme=dark; orca_session=${'A'.repeat(43)}` } });
      expect(unknown.statusCode).toBe(401);
      expect((unknown.json() as { detail: string }).detail).toBe('the console session has ended (expired, signed out or its key revoked); sign in again');
      // A sign-in over a dead cookie: the cookie is not looked at on the sign-in route.
      const again = await t.app.inject({ method: 'POST', url: '/api/v1/session', headers: { cookie: `orca_session=${'A'.repeat(43)}` }, payload: { api_key: t.keys.viewer } });
      expect(again.statusCode).toBe(201);
      // Public routes ignore it too.
      expect((await t.app.inject({ method: 'GET', url: '/livez', headers: { cookie: `orca_session=${'A'.repeat(43)}` } })).statusCode).toBe(200);
    });

    it('purges sessions a day after they ended, and only those', async () => {
      const { secret, key } = await createKey('console-purge', 'viewer');
      const ended = await signIn(t, secret);
      await t.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: ended.write });
      const live = await signIn(t, secret);
      // Sign-out was stamped at START; the live session lasts until START + 8 h.
      clock.advance(24 * HOUR + 1);
      expect(await t.container.modules.sessions.service.purge()).toBeGreaterThanOrEqual(1);
      clock.set(START);
      const rows = await sessionRows(key.id);
      expect(rows.map((row) => row.token_hash)).toEqual([sha256(live.token)]);
    });
  });

  describe(`console sign-in behind a TLS proxy, with a small rate limit [${target.name}]`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(target, { TRUST_PROXY: 'true', RATE_LIMIT_MAX: '4' });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('marks the cookie Secure when the browser reached ORCA over HTTPS, and only then', async () => {
      const overTls = await signIn(t, t.keys.viewer, { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.10' });
      expect(overTls.response.headers['set-cookie']).toBe(`orca_session=${overTls.token}; Path=/; Max-Age=${EIGHT_HOURS_S}; HttpOnly; SameSite=Strict; Secure`);
      const out = await t.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { ...overTls.write, 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.10' } });
      expect(out.headers['set-cookie']).toBe('orca_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure');
      const plain = await signIn(t, t.keys.viewer, { 'x-forwarded-for': '203.0.113.11' });
      expect(plain.response.headers['set-cookie']).not.toContain('Secure');
    });

    it('counts every sign-in attempt against the address before looking at the key: beyond the budget even a valid key gets 429', async () => {
      const from = { 'x-forwarded-for': '198.51.100.7' };
      const statuses: number[] = [];
      for (const apiKey of ['orca_wrong_1', 'orca_wrong_2', 'orca_wrong_3', 'orca_wrong_4', t.keys.admin]) {
        const response = await t.app.inject({ method: 'POST', url: '/api/v1/session', headers: from, payload: { api_key: apiKey } });
        statuses.push(response.statusCode);
        expect(response.headers['ratelimit-policy']).toMatch(/^"anonymous";q=4;w=\d+$/);
        if (response.statusCode === 429) expect(response.headers['set-cookie']).toBeUndefined();
      }
      expect(statuses).toEqual([401, 401, 401, 401, 429]);
      // Another address has its own budget.
      const elsewhere = await t.app.inject({ method: 'POST', url: '/api/v1/session', headers: { 'x-forwarded-for': '198.51.100.8' }, payload: { api_key: t.keys.admin } });
      expect(elsewhere.statusCode).toBe(201);
    });
  });
}
