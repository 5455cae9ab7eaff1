import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { APPROVALS_ENV, askTransfer, createKey, decideApproval, evaluate, keyIdOf, readApproval, registerPayer, TRANSFER } from './fixtures.js';

/**
 * Who may decide what, and every way a request, a decision or a use can be wrong: each is a clear 4xx or a deny with
 * its reason, never a 5xx, never an allow, never a partial write.
 */
for (const target of databaseTargets) {
  describe(`approval decisions and bad input [${target.name}]`, () => {
    let t: TestApp;
    let agent: string;
    beforeAll(async () => {
      t = await createTestApp(target, APPROVALS_ENV);
      agent = await registerPayer(t);
    });
    afterAll(async () => {
      await t?.close();
    });

    const count = async (table: 'decision' | 'approval') => Number((await t.container.db.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0]!.n);
    const ask = async (extra: Record<string, unknown> = {}, headers?: Record<string, string>) => (await askTransfer(t, agent, extra, headers)).body.approval!.id;

    it('unknown approvals are 404 to read and to decide', async () => {
      const unknown = randomUUID();
      expect((await readApproval(t, unknown)).status).toBe(404);
      expect((await decideApproval(t, unknown, 'approve')).status).toBe(404);
      expect((await decideApproval(t, unknown, 'deny')).status).toBe(404);
      expect((await readApproval(t, 'not-a-uuid')).status).toBe(400);
    });

    it('decided once: a second decision is 409 and changes nothing', async () => {
      const id = await ask();
      expect((await decideApproval(t, id, 'approve')).status).toBe(200);
      const second = await decideApproval(t, id, 'deny', t.as('admin'));
      expect(second.status).toBe(409);
      expect(second.body.detail).toMatch(new RegExp(`^approval ${id} was already approved at `));
      expect((await readApproval(t, id)).body).toMatchObject({ status: 'approved' });
      expect((await decideApproval(t, id, 'approve', t.as('admin'))).status).toBe(409);
    });

    it('the key that asked can never decide its own request', async () => {
      // Admin keys may evaluate (and decide): one that asked is still refused.
      const id = await ask({}, t.as('admin'));
      for (const verdict of ['approve', 'deny'] as const) {
        const refused = await decideApproval(t, id, verdict, t.as('admin'));
        expect(refused.status).toBe(403);
        expect(refused.body.detail).toBe(`the API key that asked for approval ${id} cannot decide it`);
      }
      expect((await readApproval(t, id)).body).toMatchObject({ status: 'pending', approvals: [] });
    });

    it('only operators and admins decide; a reason is required', async () => {
      const id = await ask();
      expect((await decideApproval(t, id, 'approve', t.as('viewer'))).status).toBe(403);
      expect((await decideApproval(t, id, 'approve', t.as('ingest'))).status).toBe(403);
      const noReason = await t.app.inject({ method: 'POST', url: `/api/v1/approvals/${id}/approve`, headers: t.as('operator'), payload: {} });
      expect(noReason.statusCode).toBe(400);
      expect((await readApproval(t, id)).body).toMatchObject({ status: 'pending' });
    });

    it('with approval.approvers: 2, two distinct keys must approve', async () => {
      const policy = await t.app.inject({ method: 'GET', url: '/api/v1/policies', headers: t.as('viewer') });
      const document = (policy.json() as { document: Record<string, unknown> }).document;
      const put = await t.app.inject({
        method: 'PUT',
        url: '/api/v1/policies',
        headers: t.as('operator'),
        payload: { ...document, approval: { actions: ['transfer_funds'], approvers: 2, expires_after: '2h' } },
      });
      expect(put.statusCode).toBe(200);
      try {
        const asked = await askTransfer(t, agent);
        const id = asked.body.approval!.id;
        expect(new Date(asked.body.approval!.expires_at).getTime() - Date.now()).toBeGreaterThan(2 * 3_600_000 - 60_000);
        const first = await decideApproval(t, id, 'approve');
        expect(first.body).toMatchObject({ status: 'pending', approvals_required: 2, decided_by: null });
        expect(first.body.approvals).toHaveLength(1);
        const again = await decideApproval(t, id, 'approve');
        expect(again.status).toBe(409);
        expect(again.body.detail).toBe(`this API key has already approved approval ${id}, which needs 2 distinct approvers`);
        // Not usable until the second approver.
        expect((await askTransfer(t, agent, { approval_id: id })).body.violations.at(-1)?.detail).toBe(`approval ${id} is still pending (1 of 2 approvals)`);
        const second = await createKey(t, 'operator');
        const done = await decideApproval(t, id, 'approve', second.headers, 'second pair of eyes');
        expect(done.body).toMatchObject({ status: 'approved', decided_by: second.id, approvals: [{ approver: await keyIdOf(t, 'operator') }, { approver: second.id }] });
        expect((await askTransfer(t, agent, { approval_id: id })).body.decision).toBe('allow');
        // One deny decides at once.
        const deniedId = (await askTransfer(t, agent)).body.approval!.id;
        expect((await decideApproval(t, deniedId, 'deny')).body).toMatchObject({ status: 'denied' });
      } finally {
        await t.app.inject({ method: 'PUT', url: '/api/v1/policies', headers: t.as('operator'), payload: document });
      }
    });

    it('refuses a bad approval setting in the policy document with its path', async () => {
      const policy = await t.app.inject({ method: 'GET', url: '/api/v1/policies', headers: t.as('viewer') });
      const document = (policy.json() as { document: Record<string, unknown> }).document;
      for (const [approval, path] of [
        [{ actions: ['transfer_funds'], approvers: 3 }, '/body/approval/approvers'],
        [{ actions: ['transfer_funds'], expires_after: '31d' }, '/body/approval/expires_after'],
        [{ actions: ['transfer_funds'], expires_after: '10s' }, '/body/approval/expires_after'],
      ] as const) {
        const response = await t.app.inject({ method: 'PUT', url: '/api/v1/policies', headers: t.as('operator'), payload: { ...document, approval } });
        expect(response.statusCode).toBe(400);
        expect((response.json() as { errors: Array<{ path: string }> }).errors.map((error) => error.path)).toContain(path);
      }
    });

    it('a callback_url the SSRF guard refuses is a 400 at evaluation, and nothing is written', async () => {
      const decisions = await count('decision');
      const approvals = await count('approval');
      for (const url of ['http://169.254.169.254/latest/meta-data', 'http://10.0.0.7/hook', 'ftp://127.0.0.1/x', 'not a url']) {
        const response = await askTransfer(t, agent, { callback_url: url });
        expect(response.status, url).toBe(400);
        expect((response.body as unknown as { errors: Array<{ path: string }> }).errors[0]!.path).toBe('/body/callback_url');
      }
      const orphanSecret = await askTransfer(t, agent, { callback_secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}` });
      expect(orphanSecret.status).toBe(400);
      const badSecret = await askTransfer(t, agent, { callback_url: 'http://127.0.0.1:9/hook', callback_secret: 'plain' });
      expect(badSecret.status).toBe(400);
      expect(await count('decision')).toBe(decisions);
      expect(await count('approval')).toBe(approvals);
    });

    it('a caller-given callback secret is kept (never shown); none is generated then', async () => {
      const asked = await askTransfer(t, agent, { callback_url: 'http://127.0.0.1:9/hook', callback_secret: `whsec_${Buffer.alloc(32, 9).toString('base64')}` });
      expect(asked.body.approval).toMatchObject({ status: 'pending' });
      expect(asked.body.approval!.callback_secret).toBeUndefined();
      const { rows } = await t.container.db.query<{ url: string; secret: string }>('select callback_url_sealed as url, callback_secret_sealed as secret from approval where id = $1', [asked.body.approval!.id]);
      expect(rows[0]!.url).toMatch(/^v1\./);
      expect(rows[0]!.url).not.toContain('127.0.0.1');
      expect(rows[0]!.secret).not.toContain('whsec_');
    });

    it('an approval_id for another agent, action, resource, classification or content is a deny with its reason, never an allow', async () => {
      const id = await ask();
      expect((await decideApproval(t, id, 'approve')).status).toBe(200);
      const other = await registerPayer(t);
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ agent_id: other }, 'was asked for another agent'],
        [{ action: 'delete_data' }, 'was asked for another action'],
        [{ resource: 'bank:acct-9999' }, 'was asked for another resource'],
        [{ classification: 'confidential' }, 'was asked for another classification'],
        [{ content: `${TRANSFER.content} and 50,000 EUR more` }, 'was asked for other content'],
        [{ content: undefined }, 'was asked for other content'],
      ];
      for (const [change, reason] of cases) {
        const response = await evaluate(t, { agent_id: agent, ...TRANSFER, ...change, approval_id: id });
        expect(response.body.decision, reason).toBe('deny');
        expect(response.body.violations.at(-1), reason).toEqual({ rule: 'approval_invalid', severity: 'medium', detail: `approval ${id} ${reason}` });
      }
      const unknown = randomUUID();
      expect((await askTransfer(t, agent, { approval_id: unknown })).body.violations.at(-1)?.detail).toBe(`approval ${unknown} does not exist`);
      const pending = await ask();
      expect((await askTransfer(t, agent, { approval_id: pending })).body.violations.at(-1)?.detail).toBe(`approval ${pending} is still pending (0 of 1 approvals)`);
      // The refused calls left the approval unused: the exact call still proceeds.
      expect((await askTransfer(t, agent, { approval_id: id })).body.decision).toBe('allow');
    });

    it('single use even when several calls race with the same approval', async () => {
      const id = await ask();
      await decideApproval(t, id, 'approve');
      const results = await Promise.all(Array.from({ length: 6 }, () => askTransfer(t, agent, { approval_id: id })));
      const decisions = results.map((result) => result.body.decision).sort();
      expect(decisions).toEqual(['allow', 'deny', 'deny', 'deny', 'deny', 'deny']);
      const { rows } = await t.container.db.query<{ n: number }>(`select count(*)::int as n from audit_entry where target = $1 and action = 'approval.use'`, [`approval:${id}`]);
      expect(rows[0]!.n).toBe(1);
    });

    it('lists with filters (viewer); an ingest key reads only the approvals it asked for, and may not list', async () => {
      const mine = await ask();
      const list = await t.app.inject({ method: 'GET', url: `/api/v1/approvals?status=pending&agent_id=${agent}&limit=200`, headers: t.as('viewer') });
      expect(list.statusCode).toBe(200);
      const items = (list.json() as { items: Array<{ id: string; status: string; agent_id: string }> }).items;
      expect(items.map((item) => item.id)).toContain(mine);
      expect(items.every((item) => item.status === 'pending' && item.agent_id === agent)).toBe(true);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/approvals', headers: t.as('ingest') })).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/approvals?status=maybe', headers: t.as('viewer') })).statusCode).toBe(400);

      expect((await readApproval(t, mine, t.as('ingest'))).status).toBe(200);
      const stranger = await createKey(t, 'ingest');
      expect((await readApproval(t, mine, stranger.headers)).status).toBe(404);
      expect((await readApproval(t, mine, t.as('admin'))).status).toBe(200);
    });

    it('refuses a wait that is not a duration or is longer than APPROVALS_MAX_WAIT; wait=0 answers at once', async () => {
      const id = await ask();
      expect((await readApproval(t, id, t.as('viewer'), '?wait=forever')).status).toBe(400);
      const tooLong = await readApproval(t, id, t.as('viewer'), '?wait=31s');
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.detail).toBe('wait is longer than 30 s (APPROVALS_MAX_WAIT)');
      expect((await readApproval(t, id, t.as('viewer'), '?wait=0s')).body).toMatchObject({ status: 'pending' });
      // A short wait that nobody ends answers pending when it is over.
      expect((await readApproval(t, id, t.as('viewer'), '?wait=200ms')).body).toMatchObject({ status: 'pending' });
    });
  });
}
