import { createHash, randomBytes } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, type TestApp } from '../helpers/app.js';

/**
 * The audit log (SPEC §3 audit entry, docs/SECURITY.md "Audit log"): every write by an operator or admin appends
 * exactly one entry in the same transaction, attributed to the key and the request's correlation id; failed
 * writes append nothing; the hash chain is verifiable, and tampering in SQL is reported precisely.
 */

interface AuditEntryJson {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
  correlation_id: string | null;
  prev_hash: string;
  hash: string;
}

interface VerifyJson {
  valid: boolean;
  entries_checked: number;
  head_seq: number;
  head_hash: string;
  problems: Array<{ seq: number; problem: string; detail: string }>;
}

const GENESIS = '0'.repeat(64);
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const canonical = canonicalize as unknown as (value: unknown) => string;
/** The chain hash, recomputed with the canonicalisation library directly (not through ORCA's code). */
const chainHash = (entry: AuditEntryJson) => {
  const { seq, at, actor, action, target, before, after, correlation_id } = entry;
  return sha256(`${entry.prev_hash}\n${canonical({ seq, at, actor, action, target, before, after, correlation_id })}`);
};

const unique = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;
const correlation = () => `audit-test-${randomBytes(8).toString('hex')}`;

async function headSeq(t: TestApp): Promise<number> {
  const { rows } = await t.container.db.query<{ seq: number | null }>('select max(seq) as seq from audit_entry');
  return Number(rows[0]?.seq ?? 0);
}

/** Entries after `seq`, oldest first, read through the API (newest first, paged). */
async function entriesAfter(t: TestApp, seq: number): Promise<AuditEntryJson[]> {
  const collected: AuditEntryJson[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 50; page += 1) {
    const response = await t.app.inject({ method: 'GET', url: `/api/v1/audit?limit=50${cursor ? `&cursor=${cursor}` : ''}`, headers: t.as('admin') });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json() as { items: AuditEntryJson[]; next_cursor: string | null };
    collected.push(...body.items.filter((entry) => entry.seq > seq));
    cursor = body.next_cursor;
    if (!cursor || body.items.some((entry) => entry.seq <= seq)) break;
  }
  return collected.reverse();
}

async function verify(t: TestApp): Promise<VerifyJson> {
  const response = await t.app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: t.as('admin') });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as VerifyJson;
}

async function keyId(t: TestApp, secret: string): Promise<string> {
  const { rows } = await t.container.db.query<{ id: string }>('select id from api_key where hash = $1', [sha256(secret)]);
  return rows[0]!.id;
}

describeEachDatabase('audit log', (ctx) => {
  let operatorId = '';
  let adminId = '';
  beforeAll(async () => {
    operatorId = await keyId(ctx(), ctx().keys.operator);
    adminId = await keyId(ctx(), ctx().keys.admin);
  });

  /** Performs one write and returns the response and the single entry it appended (asserting it is single). */
  async function auditedWrite(
    request: { method: 'POST' | 'PATCH' | 'DELETE'; url: string; payload?: unknown; role: 'operator' | 'admin' },
  ): Promise<{ response: LightMyRequestResponse; entry: AuditEntryJson; correlationId: string; previous: AuditEntryJson | undefined }> {
    const before = await headSeq(ctx());
    const previous = before === 0 ? undefined : (await entriesAfter(ctx(), before - 1))[0];
    const correlationId = correlation();
    const response = await ctx().app.inject({
      method: request.method,
      url: request.url,
      headers: { ...ctx().as(request.role), 'x-correlation-id': correlationId },
      ...(request.payload !== undefined ? { payload: request.payload as Record<string, unknown> } : {}),
    });
    expect(response.statusCode, response.body).toBeLessThan(300);
    expect(response.headers['x-correlation-id']).toBe(correlationId);
    const appended = await entriesAfter(ctx(), before);
    expect(appended, `${request.method} ${request.url} appended ${appended.length} entries`).toHaveLength(1);
    const entry = appended[0]!;
    expect(entry.seq).toBe(before + 1);
    expect(entry.prev_hash).toBe(previous?.hash ?? GENESIS);
    expect(entry.hash).toBe(chainHash(entry));
    expect(entry.correlation_id).toBe(correlationId);
    return { response, entry, correlationId, previous };
  }

  it('records agent create, update and every lifecycle transition: one entry each, with actor, action, target, before/after and correlation id', async () => {
    const created = await auditedWrite({ method: 'POST', url: '/api/v1/agents', role: 'operator', payload: { name: unique('audited'), kind: 'llm_agent', tags: ['a'] } });
    expect(created.response.statusCode).toBe(201);
    let agent = created.response.json() as Record<string, unknown>;
    const id = agent.id as string;
    expect(created.entry).toMatchObject({ actor: operatorId, action: 'agent.create', target: `agent:${id}`, before: null, after: agent });

    const updated = await auditedWrite({ method: 'PATCH', url: `/api/v1/agents/${id}`, role: 'operator', payload: { owner: 'team-audit', tags: ['a', 'b'] } });
    expect(updated.response.statusCode).toBe(200);
    expect(updated.entry).toMatchObject({ actor: operatorId, action: 'agent.update', target: `agent:${id}`, before: agent, after: updated.response.json() });
    agent = updated.response.json() as Record<string, unknown>;
    expect(agent).toMatchObject({ owner: 'team-audit', tags: ['a', 'b'] });

    const steps: Array<[string, string]> = [
      ['suspend', 'suspended'],
      ['resume', 'active'],
      ['quarantine', 'quarantined'],
      ['approve', 'active'],
      ['retire', 'retired'],
    ];
    for (const [action, status] of steps) {
      const step = await auditedWrite({ method: 'POST', url: `/api/v1/agents/${id}/${action}`, role: 'admin', payload: { reason: `because ${action}` } });
      const after = step.response.json() as Record<string, unknown>;
      expect(after).toMatchObject({ status, status_reason: `because ${action}` });
      expect(step.entry).toMatchObject({ actor: adminId, action: `agent.${action}`, target: `agent:${id}`, before: agent, after });
      agent = after;
    }

    // DELETE is the soft retire: audited as agent.retire.
    const other = (await ctx().app.inject({ method: 'POST', url: '/api/v1/agents', headers: ctx().as('operator'), payload: { name: unique('deleted'), kind: 'workflow' } })).json() as Record<string, unknown>;
    const deleted = await auditedWrite({ method: 'DELETE', url: `/api/v1/agents/${other.id as string}?reason=gone`, role: 'operator' });
    expect(deleted.entry).toMatchObject({ actor: operatorId, action: 'agent.retire', target: `agent:${other.id as string}`, before: other, after: deleted.response.json() });
    expect((deleted.entry.after as { status: string }).status).toBe('retired');
  });

  it('records key create and revoke: one entry each, attributed to the admin key, without the secret or its hash', async () => {
    const created = await auditedWrite({ method: 'POST', url: '/api/v1/keys', role: 'admin', payload: { name: unique('audited-key'), role: 'viewer' } });
    const { key, secret } = created.response.json() as { key: Record<string, unknown>; secret: string };
    expect(created.entry).toMatchObject({ actor: adminId, action: 'key.create', target: `api_key:${key.id as string}`, before: null, after: key });

    const revoked = await auditedWrite({ method: 'DELETE', url: `/api/v1/keys/${key.id as string}`, role: 'admin' });
    expect(revoked.entry).toMatchObject({ actor: adminId, action: 'key.revoke', target: `api_key:${key.id as string}`, before: key, after: revoked.response.json() });
    expect((revoked.entry.after as { status: string }).status).toBe('revoked');

    for (const entry of [created.entry, revoked.entry]) {
      const text = JSON.stringify(entry);
      expect(text).not.toContain(secret);
      expect(text).not.toContain(sha256(secret));
    }
  });

  it('appends nothing when a write fails (409, 404, 400, 403, 401)', async () => {
    const agent = (await ctx().app.inject({ method: 'POST', url: '/api/v1/agents', headers: ctx().as('operator'), payload: { name: unique('unchanged'), kind: 'llm_agent', source: 'mcp', external_id: unique('ext') } })).json() as { id: string; external_id: string };
    const before = await headSeq(ctx());
    const failures: Array<[number, { method: 'POST' | 'PATCH' | 'DELETE'; url: string; payload?: Record<string, unknown>; headers: Record<string, string> }]> = [
      [409, { method: 'POST', url: `/api/v1/agents/${agent.id}/resume`, payload: { reason: 'not suspended' }, headers: ctx().as('operator') }],
      [409, { method: 'POST', url: `/api/v1/agents/${agent.id}/approve`, payload: { reason: 'not quarantined' }, headers: ctx().as('operator') }],
      [409, { method: 'POST', url: '/api/v1/agents', payload: { name: 'dup', kind: 'llm_agent', source: 'mcp', external_id: agent.external_id }, headers: ctx().as('operator') }],
      [404, { method: 'POST', url: '/api/v1/agents/0190a1b2-0000-7000-8000-000000000000/suspend', payload: { reason: 'x' }, headers: ctx().as('operator') }],
      [404, { method: 'DELETE', url: '/api/v1/keys/0190a1b2-0000-7000-8000-000000000000', headers: ctx().as('admin') }],
      [400, { method: 'PATCH', url: `/api/v1/agents/${agent.id}`, payload: { kind: 'not-a-kind' }, headers: ctx().as('operator') }],
      [400, { method: 'POST', url: '/api/v1/keys', payload: { name: 'x', role: 'viewer', expires_at: '2001-01-01T00:00:00Z' }, headers: ctx().as('admin') }],
      [403, { method: 'POST', url: `/api/v1/agents/${agent.id}/suspend`, payload: { reason: 'x' }, headers: ctx().as('viewer') }],
      [403, { method: 'POST', url: '/api/v1/keys', payload: { name: 'x', role: 'admin' }, headers: ctx().as('operator') }],
      [401, { method: 'POST', url: `/api/v1/agents/${agent.id}/suspend`, payload: { reason: 'x' }, headers: {} }],
    ];
    for (const [status, request] of failures) {
      const response = await ctx().app.inject({ method: request.method, url: request.url, headers: request.headers, ...(request.payload ? { payload: request.payload } : {}) });
      expect({ url: request.url, status: response.statusCode }).toEqual({ url: request.url, status });
    }
    // The last-admin refusal is a failed write too.
    const lastAdmin = await ctx().app.inject({ method: 'DELETE', url: `/api/v1/keys/${adminId}`, headers: ctx().as('admin') });
    expect(lastAdmin.statusCode).toBe(409);
    expect(await headSeq(ctx())).toBe(before);
    expect(await entriesAfter(ctx(), before)).toEqual([]);
  });

  it('filters by actor, action and target, newest first, with cursor pagination that neither skips nor repeats', async () => {
    const agent = (await ctx().app.inject({ method: 'POST', url: '/api/v1/agents', headers: ctx().as('operator'), payload: { name: unique('filtered'), kind: 'llm_agent' } })).json() as { id: string };
    for (let round = 0; round < 3; round += 1) {
      for (const action of ['suspend', 'resume']) {
        const response = await ctx().app.inject({ method: 'POST', url: `/api/v1/agents/${agent.id}/${action}`, headers: ctx().as(round === 1 ? 'admin' : 'operator'), payload: { reason: 'r' } });
        expect(response.statusCode).toBe(200);
      }
    }
    const target = `agent:${agent.id}`;
    const list = async (query: string) => {
      const response = await ctx().app.inject({ method: 'GET', url: `/api/v1/audit?${query}`, headers: ctx().as('admin') });
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as { items: AuditEntryJson[]; next_cursor: string | null };
    };

    const byTarget = await list(`target=${encodeURIComponent(target)}`);
    expect(byTarget.next_cursor).toBeNull();
    expect(byTarget.items.map((entry) => entry.action)).toEqual([
      'agent.resume', 'agent.suspend', 'agent.resume', 'agent.suspend', 'agent.resume', 'agent.suspend', 'agent.create',
    ]);
    const seqs = byTarget.items.map((entry) => entry.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));

    const suspends = await list(`target=${encodeURIComponent(target)}&action=agent.suspend`);
    expect(suspends.items).toHaveLength(3);
    expect(suspends.items.every((entry) => entry.action === 'agent.suspend' && entry.target === target)).toBe(true);

    const byAdmin = await list(`target=${encodeURIComponent(target)}&actor=${adminId}`);
    expect(byAdmin.items.map((entry) => [entry.actor, entry.action])).toEqual([
      [adminId, 'agent.resume'],
      [adminId, 'agent.suspend'],
    ]);
    const byOperator = await list(`actor=${operatorId}&action=agent.resume&target=${encodeURIComponent(target)}`);
    expect(byOperator.items).toHaveLength(2);
    expect((await list(`actor=nobody&target=${encodeURIComponent(target)}`)).items).toEqual([]);

    // Pages of 2 over the target's 7 entries: 2 + 2 + 2 + 1, in order, no overlap.
    const paged: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(`target=${encodeURIComponent(target)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...page.items.map((entry) => entry.seq));
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(4);
    expect(paged).toEqual(seqs);

    for (const query of ['cursor=not-a-cursor', 'limit=0', 'limit=201', 'unknown=1', 'actor=']) {
      const response = await ctx().app.inject({ method: 'GET', url: `/api/v1/audit?${query}`, headers: ctx().as('admin') });
      expect({ query, status: response.statusCode }).toEqual({ query, status: 400 });
    }
  });

  it('keeps a gap-free, valid chain under 20 concurrent agent creations', async () => {
    const before = await headSeq(ctx());
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        ctx().app.inject({
          method: 'POST',
          url: '/api/v1/agents',
          headers: { ...ctx().as('operator'), 'x-correlation-id': `concurrent-${index}` },
          payload: { name: unique(`concurrent-${index}`), kind: 'function' },
        }),
      ),
    );
    expect(responses.map((response) => response.statusCode)).toEqual(new Array(20).fill(201));
    const appended = await entriesAfter(ctx(), before);
    expect(appended.map((entry) => entry.seq)).toEqual(Array.from({ length: 20 }, (_, index) => before + 1 + index));
    expect(new Set(appended.map((entry) => entry.target))).toEqual(new Set(responses.map((response) => `agent:${(response.json() as { id: string }).id}`)));
    expect(appended.map((entry) => entry.correlation_id).sort()).toEqual(Array.from({ length: 20 }, (_, index) => `concurrent-${index}`).sort());
    for (let index = 1; index < appended.length; index += 1) expect(appended[index]!.prev_hash).toBe(appended[index - 1]!.hash);
    for (const entry of appended) expect(entry.hash).toBe(chainHash(entry));
    const report = await verify(ctx());
    expect(report).toMatchObject({ valid: true, problems: [], head_seq: before + 20, head_hash: appended[19]!.hash });
  });

  it('verifies the whole chain: valid, every entry checked, head = newest entry', async () => {
    const { rows } = await ctx().container.db.query<{ count: number; seq: number }>('select count(*)::int8 as count, max(seq) as seq from audit_entry');
    const head = (await entriesAfter(ctx(), Number(rows[0]!.seq) - 1))[0]!;
    expect(await verify(ctx())).toEqual({ valid: true, entries_checked: Number(rows[0]!.count), head_seq: Number(rows[0]!.seq), head_hash: head.hash, problems: [] });
    expect(Number(rows[0]!.count)).toBe(Number(rows[0]!.seq));
  });

  /** Tampering in SQL, then checking the report, then restoring the original so that the next case starts valid. */
  async function middleEntry(): Promise<{ seq: number; head: number }> {
    const head = await headSeq(ctx());
    expect(head).toBeGreaterThan(10);
    return { seq: Math.floor(head / 2), head };
  }

  it('reports an entry whose after was changed in SQL as hash_mismatch at that seq', async () => {
    const { seq, head } = await middleEntry();
    const { rows } = await ctx().container.db.query<{ after: unknown }>('select after from audit_entry where seq = $1', [seq]);
    await ctx().container.db.query(`update audit_entry set after = '{"forged": true}'::jsonb where seq = $1`, [seq]);
    expect(await verify(ctx())).toMatchObject({
      valid: false,
      entries_checked: head,
      head_seq: head,
      problems: [{ seq, problem: 'hash_mismatch', detail: 'the entry was modified after it was written' }],
    });
    await ctx().container.db.query('update audit_entry set after = $2::jsonb where seq = $1', [seq, JSON.stringify(rows[0]!.after)]);
    expect((await verify(ctx())).valid).toBe(true);
  });

  it('detects a change of 999 µs to an entry\'s time: the column stores exactly the milliseconds that are hashed', async () => {
    const { seq, head } = await middleEntry();
    const { rows } = await ctx().container.db.query<{ at: Date }>('select at from audit_entry where seq = $1', [seq]);
    await ctx().container.db.query(`update audit_entry set at = at + interval '999 microseconds' where seq = $1`, [seq]);
    // Stored as timestamptz(3): the shifted value is rounded to the next millisecond, which the hash does not cover.
    const { rows: shifted } = await ctx().container.db.query<{ at: Date }>('select at from audit_entry where seq = $1', [seq]);
    expect(shifted[0]!.at.getTime() - rows[0]!.at.getTime()).toBe(1);
    expect(await verify(ctx())).toMatchObject({
      valid: false,
      entries_checked: head,
      problems: [{ seq, problem: 'hash_mismatch', detail: 'the entry was modified after it was written' }],
    });
    await ctx().container.db.query('update audit_entry set at = $2 where seq = $1', [seq, rows[0]!.at]);
    expect((await verify(ctx())).valid).toBe(true);
  });

  it('exports the chain head as metrics: the newest seq, and its hash as the one series of an info gauge', async () => {
    const report = await verify(ctx());
    const metrics = await ctx().app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain(`\norca_audit_chain_head_seq ${report.head_seq}\n`);
    expect(metrics.body.match(/^orca_audit_chain_head_info\{.*$/gm)).toEqual([`orca_audit_chain_head_info{hash="${report.head_hash}"} 1`]);
    // One more audited write moves the head; the old hash's series is gone.
    const created = await ctx().app.inject({ method: 'POST', url: '/api/v1/agents', headers: ctx().as('operator'), payload: { name: `head-${Date.now()}`, kind: 'llm_agent' } });
    expect(created.statusCode).toBe(201);
    const after = await verify(ctx());
    expect(after.head_seq).toBe(report.head_seq + 1);
    const next = (await ctx().app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(next).toContain(`\norca_audit_chain_head_seq ${after.head_seq}\n`);
    expect(next.match(/^orca_audit_chain_head_info\{.*$/gm)).toEqual([`orca_audit_chain_head_info{hash="${after.head_hash}"} 1`]);
  });

  it('reports a changed actor even when the tamperer recomputes that entry\'s hash: the next link breaks', async () => {
    const { seq } = await middleEntry();
    const entry = (await entriesAfter(ctx(), seq - 1))[0]!;
    const forged = { ...entry, actor: 'someone-else' };
    await ctx().container.db.query('update audit_entry set actor = $2, hash = $3 where seq = $1', [seq, forged.actor, chainHash(forged)]);
    expect((await verify(ctx())).problems).toEqual([{ seq: seq + 1, problem: 'prev_hash_mismatch', detail: 'prev_hash does not match the previous entry' }]);
    await ctx().container.db.query('update audit_entry set actor = $2, hash = $3 where seq = $1', [seq, entry.actor, entry.hash]);
    expect((await verify(ctx())).valid).toBe(true);
  });

  it('reports a deleted middle entry as missing_entries and a broken link at the next seq', async () => {
    const { seq, head } = await middleEntry();
    const { rows } = await ctx().container.db.query<Record<string, unknown>>('select * from audit_entry where seq = $1', [seq]);
    await ctx().container.db.query('delete from audit_entry where seq = $1', [seq]);
    expect(await verify(ctx())).toMatchObject({
      valid: false,
      entries_checked: head - 1,
      head_seq: head,
      problems: [
        { seq: seq + 1, problem: 'missing_entries', detail: `entries ${seq}..${seq} are missing` },
        { seq: seq + 1, problem: 'prev_hash_mismatch', detail: 'prev_hash does not match the previous entry' },
      ],
    });
    const original = rows[0]!;
    await ctx().container.db.query(
      `insert into audit_entry (seq, at, actor, action, target, before, after, correlation_id, prev_hash, hash)
       values ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9, $10)`,
      [
        original.seq,
        original.at,
        original.actor,
        original.action,
        original.target,
        original.before === null ? null : JSON.stringify(original.before),
        original.after === null ? null : JSON.stringify(original.after),
        original.correlation_id,
        original.prev_hash,
        original.hash,
      ],
    );
    expect((await verify(ctx())).valid).toBe(true);
  });

  it('reports a changed prev_hash as prev_hash_mismatch and hash_mismatch at that seq', async () => {
    const { seq } = await middleEntry();
    const { rows } = await ctx().container.db.query<{ prev_hash: string }>('select prev_hash from audit_entry where seq = $1', [seq]);
    await ctx().container.db.query('update audit_entry set prev_hash = $2 where seq = $1', [seq, sha256('not the previous entry')]);
    expect((await verify(ctx())).problems).toEqual([
      { seq, problem: 'prev_hash_mismatch', detail: 'prev_hash does not match the previous entry' },
      { seq, problem: 'hash_mismatch', detail: 'the entry was modified after it was written' },
    ]);
    await ctx().container.db.query('update audit_entry set prev_hash = $2 where seq = $1', [seq, rows[0]!.prev_hash]);
    expect((await verify(ctx())).valid).toBe(true);
  });

  it('is admin-only: GET /audit and /audit/verify answer 403 to other roles and 401 without a key', async () => {
    for (const url of ['/api/v1/audit', '/api/v1/audit/verify']) {
      for (const role of ['viewer', 'operator', 'ingest'] as const) {
        expect((await ctx().app.inject({ method: 'GET', url, headers: ctx().as(role) })).statusCode).toBe(403);
      }
      expect((await ctx().app.inject({ method: 'GET', url })).statusCode).toBe(401);
    }
  });
});
