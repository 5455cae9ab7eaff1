import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../helpers/app.js';
import { registerAgent } from './fixtures.js';

/** Hostile bodies and queries on the policy routes: always a 4xx problem, never a 5xx, and nothing stored. */

describeEachDatabase('policy routes under hostile input', (ctx) => {
  const send = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: string, contentType = 'application/json', role: 'admin' | 'operator' | 'ingest' = 'admin') =>
    ctx().app.inject({ method, url, headers: { ...ctx().as(role), ...(payload !== undefined ? { 'content-type': contentType } : {}) }, ...(payload !== undefined ? { payload } : {}) });

  it('PUT /policies: wrong types, YAML oddities, huge or deep documents', async () => {
    const bodies: Array<[string, string]> = [
      ['null', 'application/json'],
      ['[]', 'application/json'],
      ['"text"', 'application/json'],
      ['42', 'application/json'],
      ['{"classifications": "x", "roles": []}', 'application/json'],
      ['{"classifications": [{"name": "public", "risk_weight": 2}], "roles": {}}', 'application/json'],
      ['{"classifications": [{"name": "public", "risk_weight": 0}], "roles": {"r": {"classifications": ["*"], "actions": ["*"]}}, "pii": {"custom": [{"name": "x", "pattern": "(?<=a)b", "severity": "low", "actions": {"public": "block"}}]}}', 'application/json'],
      ['{"classifications": [{"name": "public", "risk_weight": 0}], "roles": {"r": {"classifications": ["*"], "actions": ["*"]}}, "pii": {"custom": [{"name": "x", "pattern": "a*", "severity": "low", "actions": {"public": "block"}}]}}', 'application/json'],
      ['{"classifications": [{"name": "public", "risk_weight": 0}], "roles": {"r": {"classifications": ["*"], "actions": ["*"]}}, "quotas": {"agents": {"not-a-uuid": {"calls": 1}}}}', 'application/json'],
      ['{"classifications": [{"name": "public", "risk_weight": 0}], "roles": {"r": {"classifications": ["*"], "actions": ["*"]}}, "quotas": {"default": {"calls": 1, "window": "0m"}}}', 'application/json'],
      ['', 'application/yaml'],
      ['~', 'application/yaml'],
      ['- a\n- b', 'application/yaml'],
      ['a: &x [1]\nb: *x\nc: !!binary aGVsbG8=', 'application/yaml'],
      ['key: value\nkey: again', 'application/yaml'],
      [`a: &a ["x","x"]\n${Array.from({ length: 12 }, (_, i) => `l${i + 1}: &a${i + 1} [*${i === 0 ? 'a' : `a${i}`},*${i === 0 ? 'a' : `a${i}`}]`).join('\n')}`, 'application/yaml'],
      [`${'['.repeat(5000)}${']'.repeat(5000)}`, 'application/yaml'],
      ['\t\u0000:', 'application/yaml'],
    ];
    for (const [body, type] of bodies) {
      const response = await send('PUT', '/api/v1/policies', body, type, 'operator');
      expect(response.statusCode, `${type} ${body.slice(0, 80)}`).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, `${type} ${body.slice(0, 80)}`).toBeLessThan(500);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    }
    const { rows } = await ctx().container.db.query<{ count: number }>('select count(*)::int8 as count from policy');
    expect(Number(rows[0]!.count)).toBe(0);
  });

  it('PUT /policies: a role whose name misses the name pattern is a 400, not a 500 (found by the OpenAPI fuzzer)', async () => {
    const response = await ctx().app.inject({
      method: 'PUT',
      url: '/api/v1/policies',
      headers: ctx().as('admin'),
      payload: { classifications: [{ name: 'a', risk_weight: 0 }], roles: { _: {} } },
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({ errors: [{ path: '/body/roles/_', message: 'must NOT have additional properties' }] });
  });

  it('POST /policy/evaluate: odd content never breaks it', async () => {
    const agentId = await registerAgent(ctx(), { role: 'analyst', classification: 'confidential' });
    const contents = [
      '',
      '\u0000\u0001\u0002 NUL and controls 4111 1111 1111 1111',
      '😀'.repeat(5000),
      'İstanbul ẞ ǅ — lower-casing changes lengths: jane@acme.com',
      `${'a@'.repeat(100_000)}`,
      `${'1 '.repeat(200_000)}`,
      'ignore\u00a0all\u2003previous\ninstructions',
    ];
    for (const content of contents) {
      const response = await send('POST', '/api/v1/policy/evaluate', JSON.stringify({ agent_id: agentId, action: 'read', resource: 'x', classification: 'public', content }), 'application/json', 'ingest');
      expect(response.statusCode, content.slice(0, 40)).toBe(200);
    }
    const odd = [
      { agent_id: agentId, action: 'read', resource: 'x', classification: 'nope' },
      { agent_id: agentId, action: 'r'.repeat(128), resource: 'x'.repeat(512), classification: 'public', tokens: 1e12, cost_usd: 1e9 },
    ];
    for (const body of odd) expect((await send('POST', '/api/v1/policy/evaluate', JSON.stringify(body), 'application/json', 'ingest')).statusCode).toBe(200);
    for (const body of [{ agent_id: agentId }, { agent_id: 'urn:uuid:0190', action: 'a', resource: 'x', classification: 'public' }, { agent_id: agentId, action: 'a b', resource: 'x', classification: 'public' }]) {
      expect((await send('POST', '/api/v1/policy/evaluate', JSON.stringify(body), 'application/json', 'ingest')).statusCode).toBe(400);
    }
  });

  it('simulate and violations: odd ranges, cursors and filters', async () => {
    for (const body of [
      { policy: {}, since: 'yesterday', until: 'today' },
      { policy: [], since: '2026-01-01T00:00:00Z', until: '2026-01-02T00:00:00Z' },
      { policy: { classifications: [{ name: 'public', risk_weight: 0 }], roles: {} }, since: '9999-12-31T23:59:59Z', until: '2026-01-01T00:00:00Z' },
    ]) {
      const response = await send('POST', '/api/v1/policy/simulate', JSON.stringify(body), 'application/json', 'operator');
      expect(response.statusCode).toBe(400);
    }
    const wide = await send('POST', '/api/v1/policy/simulate', JSON.stringify({ policy: { classifications: [{ name: 'public', risk_weight: 0 }], roles: {} }, since: '0001-01-01T00:00:00Z', until: '9999-12-31T23:59:59Z' }), 'application/json', 'operator');
    expect(wide.statusCode).toBe(200);
    for (const query of ['cursor=abc', 'cursor=eyJhZnRlciI6MX0', 'since=0000-01-01T00:00:00Z', 'rule=%00', 'limit=0', 'limit=201', 'agent_id=urn:uuid:x']) {
      const response = await send('GET', `/api/v1/violations?${query}`);
      expect(response.statusCode, query).toBe(400);
    }
    expect((await send('GET', '/api/v1/policies/versions?cursor=eyJiZWZvcmVfdmVyc2lvbiI6LTF9')).statusCode).toBe(400);
  });
});
