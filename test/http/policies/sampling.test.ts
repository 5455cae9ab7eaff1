import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { evaluate, registerAgent } from './fixtures.js';

/** POLICY_ALLOW_SAMPLE_RATE=0: violation-free allows are not recorded; every violation still is. */
for (const target of databaseTargets) {
  describe(`policy decision sampling [${target.name}]`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(target, { POLICY_ALLOW_SAMPLE_RATE: '0' });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('records no clean allow, but every decision with a violation (monitor-mode allows included)', async () => {
      const agentId = await registerAgent(t, { role: 'analyst', classification: 'internal' });
      const clean = await evaluate(t, { agent_id: agentId, action: 'read', resource: 'x', classification: 'internal' });
      expect(clean.body).toMatchObject({ decision: 'allow', decision_id: null });
      const denied = await evaluate(t, { agent_id: agentId, action: 'read', resource: 'x', classification: 'restricted' });
      expect(denied.body.decision_id).toEqual(expect.any(String));
      const redacted = await evaluate(t, { agent_id: agentId, action: 'read', resource: 'x', classification: 'public', content: 'mail jane@acme.com' });
      expect(redacted.body).toMatchObject({ decision: 'redact', decision_id: expect.any(String) });
      const { rows } = await t.container.db.query<{ decision: string }>('select decision from decision where agent_id = $1 order by id', [agentId]);
      expect(rows.map((row) => row.decision)).toEqual(['deny', 'redact']);
    });

    it('with a quota, the allowed calls are counted but not recorded; the quota denials are', async () => {
      const agentId = await registerAgent(t, { role: 'analyst', classification: 'internal' });
      const current = (await t.app.inject({ method: 'GET', url: '/api/v1/policies', headers: t.as('viewer') })).json() as { document: Record<string, unknown> };
      const put = await t.app.inject({
        method: 'PUT',
        url: '/api/v1/policies',
        headers: t.as('operator'),
        payload: { ...current.document, quotas: { agents: { [agentId]: { calls: 3, window: '1h' } } } },
      });
      expect(put.statusCode).toBe(200);
      const request = { agent_id: agentId, action: 'read', resource: 'x', classification: 'internal' };
      const results = await Promise.all(Array.from({ length: 5 }, () => evaluate(t, request)));
      expect(results.map((result) => result.body.decision).sort()).toEqual(['allow', 'allow', 'allow', 'deny', 'deny']);
      expect(results.filter((result) => result.body.decision === 'allow').map((result) => result.body.decision_id)).toEqual([null, null, null]);
      const denied = results.filter((result) => result.body.decision === 'deny').map((result) => result.body.decision_id);
      const { rows } = await t.container.db.query<{ id: string; rule: string }>(
        "select d.id, v.rule from decision d join policy_violation v on v.decision_id = d.id where d.agent_id = $1",
        [agentId],
      );
      expect(rows.map((row) => row.id).sort()).toEqual([...denied].sort());
      expect(rows.map((row) => row.rule)).toEqual(['quota_calls', 'quota_calls']);
      const usage = await t.container.db.query<{ calls: number }>('select calls from policy_quota_usage where agent_id = $1', [agentId]);
      expect(usage.rows).toEqual([{ calls: 3 }]);
    });
  });
}
