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
  });
}
