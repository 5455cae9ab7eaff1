import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { startTestReceiver, type TestReceiver } from '../../helpers/http-receiver.js';
import { waitFor } from '../../helpers/jobs.js';
import { DAY, testClock } from '../trust/fixtures.js';
import {
  agentTrust,
  APPROVALS_ENV,
  askTransfer,
  auditOf,
  callbackReaching,
  decideApproval,
  keyIdOf,
  kpis,
  readApproval,
  registerPayer,
  TRANSFER,
} from './fixtures.js';

/**
 * The story of docs/approvals.md on each database: an agent asks to transfer funds and is held for approval; it
 * long-polls; an operator approves; the callback arrives signed (verified with the reference Standard Webhooks
 * library); the agent proceeds once and is refused the second time; another request is denied, another expires.
 * Every step is in the audit log, and the KPIs are checked against hand-computed values at each checkpoint.
 */
for (const target of databaseTargets) {
  describe(`approvals end to end [${target.name}]`, () => {
    const clock = testClock();
    let t: TestApp;
    let callbacks: TestReceiver;
    let agent: string;
    let ingestKey: string;
    let operatorKey: string;
    /** The secret the callback of the first approval is signed with (returned once by the evaluation). */
    let callbackSecret = '';
    const verified: unknown[] = [];

    beforeAll(async () => {
      callbacks = await startTestReceiver();
      callbacks.respond((request, response) => {
        try {
          verified.push(new Webhook(callbackSecret).verify(request.body, request.headers as Record<string, string>));
          response.writeHead(204).end();
        } catch {
          response.writeHead(401).end('bad signature');
        }
      });
      t = await createTestApp(target, APPROVALS_ENV, { clock });
      agent = await registerPayer(t);
      ingestKey = await keyIdOf(t, 'ingest');
      operatorKey = await keyIdOf(t, 'operator');
    });
    afterAll(async () => {
      await t?.close();
      await callbacks?.close();
    });

    const waiters = async () => {
      const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
      return Number(/^orca_approval_waiters (\d+)/m.exec(text)?.[1] ?? NaN);
    };

    let first = '';

    it('before anything: no decisions, nothing avoided', async () => {
      const before = await kpis(t);
      expect(before.compliance_sla).toMatchObject({ value: null, numerator: 0, denominator: 0 });
      expect(before.risk_avoided).toMatchObject({ value: 0, inputs: { approvals_denied_or_expired: 0, approvals_denied_or_expired_usd: 0 } });
    });

    it('holds transfer_funds for approval: a pending approval, its callback secret shown once; asking is not a violation', async () => {
      const asked = await askTransfer(t, agent, { callback_url: callbacks.url('/approvals') });
      expect(asked.status).toBe(200);
      expect(asked.body).toMatchObject({
        decision: 'require_approval',
        violations: [{ rule: 'approval_required', severity: 'high', detail: 'transfer_funds needs a human approval' }],
        approval: { status: 'pending', expires_at: new Date(clock.now().getTime() + DAY).toISOString() },
      });
      first = asked.body.approval!.id;
      callbackSecret = asked.body.approval!.callback_secret!;
      expect(callbackSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

      const { body } = await readApproval(t, first);
      expect(body).toMatchObject({
        id: first,
        status: 'pending',
        agent_id: agent,
        action: 'transfer_funds',
        resource: TRANSFER.resource,
        classification: 'internal',
        rule: 'approval_required',
        decision_id: asked.body.decision_id,
        requested_by: ingestKey,
        approvals_required: 1,
        approvals: [],
        risk_cost_usd: 20000,
        callback: { status: 'waiting', attempts: 0, last_status: null, last_error: null },
      });
      // The content is bound by its digest and never stored.
      expect(body.content_digest).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(body)).not.toContain('INV-2291');
      expect(JSON.stringify(body)).not.toContain('whsec_');

      // One decision, compliant (asking is not a violation); RA$ counts nothing while it is pending.
      const checkpoint = await kpis(t);
      expect(checkpoint.compliance_sla).toMatchObject({ value: 100, numerator: 1, denominator: 1 });
      expect(checkpoint.risk_avoided).toMatchObject({ value: 0 });
      expect((await agentTrust(t, agent)).components.policy_adherence).toBe(1);
    });

    it('an approval_requested alert fires with a link to the approval', async () => {
      await t.container.modules.alerts.evaluate('approvals-test');
      const response = await t.app.inject({ method: 'GET', url: '/api/v1/alerts?status=firing', headers: t.as('viewer') });
      const alert = (response.json() as { items: Array<{ rule: string; labels: Record<string, string>; annotations: Record<string, string> }> }).items.find(
        (item) => item.labels.approval_id === first,
      );
      expect(alert).toMatchObject({ rule: 'approval-requested', labels: { approval_id: first, agent_id: agent, action: 'transfer_funds' } });
      expect(alert!.annotations.approval_url).toMatch(new RegExp(`/api/v1/approvals/${first}$`));
    });

    it('the agent long-polls; an operator approves; the poll answers at once and the signed callback arrives', async () => {
      const poll = readApproval(t, first, t.as('ingest'), '?wait=25s');
      await waitFor(waiters, (count) => count === 1);
      const approved = await decideApproval(t, first, 'approve', t.as('operator'), 'invoice INV-2291 checked with finance');
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({
        status: 'approved',
        decided_by: operatorKey,
        reason: 'invoice INV-2291 checked with finance',
        approvals: [{ approver: operatorKey, via: 'api', reason: 'invoice INV-2291 checked with finance', at: clock.now().toISOString() }],
      });
      const polled = await poll;
      expect(polled.status).toBe(200);
      expect(polled.body).toMatchObject({ id: first, status: 'approved' });
      expect(await waiters()).toBe(0);

      const delivered = await callbackReaching(t, first, 'delivered');
      expect(delivered.callback).toEqual({ status: 'delivered', attempts: 1, last_status: 204, last_error: null });
      expect(callbacks.requests).toHaveLength(1);
      expect(callbacks.requests[0]!.headers['webhook-id']).toBe(`approval_${first}`);
      expect(verified).toEqual([{ type: 'approval.decided', timestamp: clock.now().toISOString(), data: expect.objectContaining({ id: first, status: 'approved', decided_by: operatorKey }) }]);
      expect(JSON.stringify(verified)).not.toContain('callback');

      // Deciding again is a conflict; the alert resolves.
      expect((await decideApproval(t, first, 'deny')).status).toBe(409);
      await t.container.modules.alerts.evaluate('approvals-test');
      const alerts = await t.app.inject({ method: 'GET', url: '/api/v1/alerts', headers: t.as('viewer') });
      expect((alerts.json() as { items: Array<{ status: string; labels: Record<string, string> }> }).items.find((item) => item.labels.approval_id === first)?.status).toBe('resolved');
    });

    it('proceeds once with the approval; the second time is denied with the reason', async () => {
      const proceed = await askTransfer(t, agent, { approval_id: first });
      expect(proceed.body).toMatchObject({ decision: 'allow', violations: [] });
      expect(proceed.body.approval).toBeUndefined();
      const used = (await readApproval(t, first)).body;
      expect(used.used_at).toBe(clock.now().toISOString());

      const again = await askTransfer(t, agent, { approval_id: first });
      expect(again.body.decision).toBe('deny');
      expect(again.body.violations).toEqual([
        { rule: 'approval_required', severity: 'high', detail: 'transfer_funds needs a human approval' },
        { rule: 'approval_invalid', severity: 'medium', detail: `approval ${first} was already used at ${clock.now().toISOString()}` },
      ]);
      expect(again.body.approval).toBeUndefined();

      // The audit log holds each step: asked by the ingest key, approved by the operator, used by the ingest key.
      expect((await auditOf(t, first)).map(({ actor, action }) => ({ actor, action }))).toEqual([
        { actor: ingestKey, action: 'approval.request' },
        { actor: operatorKey, action: 'approval.approve' },
        { actor: ingestKey, action: 'approval.use' },
      ]);
      // 3 decisions: held (compliant), allowed (compliant), refused for a used approval (medium: not compliant).
      // The approval was approved: RA$ still counts nothing.
      const checkpoint = await kpis(t);
      expect(checkpoint.compliance_sla).toMatchObject({ value: 66.67, numerator: 2, denominator: 3 });
      expect(checkpoint.risk_avoided).toMatchObject({ value: 0, inputs: { approvals_denied_or_expired: 0 } });
      expect((await agentTrust(t, agent)).inputs).toMatchObject({ decisions: 3, compliant_decisions: 2 });
    });

    let expiring = '';

    it('a denied approval counts in RA$ and refuses its use', async () => {
      const asked = await askTransfer(t, agent);
      const id = asked.body.approval!.id;
      const denied = await decideApproval(t, id, 'deny', t.as('operator'), 'not in this quarter');
      expect(denied.body).toMatchObject({ status: 'denied', decided_by: operatorKey, reason: 'not in this quarter', approvals: [] });
      const proceed = await askTransfer(t, agent, { approval_id: id });
      expect(proceed.body.decision).toBe('deny');
      expect(proceed.body.violations.at(-1)).toEqual({ rule: 'approval_invalid', severity: 'medium', detail: `approval ${id} was denied: not in this quarter` });

      expiring = (await askTransfer(t, agent)).body.approval!.id;
      // 6 decisions, 4 compliant (two held, one allowed, one more held); one approval denied: $20,000.
      const checkpoint = await kpis(t);
      expect(checkpoint.compliance_sla).toMatchObject({ numerator: 4, denominator: 6 });
      expect(checkpoint.risk_avoided).toMatchObject({ value: 20000, inputs: { approvals_denied_or_expired: 1, approvals_denied_or_expired_usd: 20000 } });
    });

    it('another request expires: denied when used, the same whether a read or the sweep records it, counted in RA$', async () => {
      clock.advance(DAY + 1000);
      // Past its expiry and not yet recorded by anyone: RA$ counts it already.
      expect((await kpis(t)).risk_avoided).toMatchObject({ value: 40000, inputs: { approvals_denied_or_expired: 2 } });

      const refused = await askTransfer(t, agent, { approval_id: expiring });
      const expiresAt = new Date(clock.now().getTime() - 1000).toISOString();
      expect(refused.body.violations.at(-1)).toEqual({ rule: 'approval_invalid', severity: 'medium', detail: `approval ${expiring} expired at ${expiresAt}` });

      // A read records the expiry (lazily), at its expires_at, by system:approvals.
      const read = (await readApproval(t, expiring, t.as('ingest'))).body;
      expect(read).toMatchObject({ status: 'expired', decided_by: 'system:approvals', decided_at: expiresAt, reason: 'no decision before it expired' });
      expect((await decideApproval(t, expiring, 'approve')).status).toBe(409);

      // The sweep records another the same way.
      const swept = (await askTransfer(t, agent)).body.approval!.id;
      clock.advance(DAY + 1000);
      expect(await t.container.modules.approvals.service.expireDue(clock.now())).toBe(1);
      const sweptRecord = (await readApproval(t, swept)).body;
      expect(sweptRecord).toMatchObject({ status: 'expired', decided_by: 'system:approvals', reason: 'no decision before it expired', decided_at: new Date(clock.now().getTime() - 1000).toISOString() });
      expect((await auditOf(t, swept)).map(({ actor, action }) => ({ actor, action }))).toEqual([
        { actor: ingestKey, action: 'approval.request' },
        { actor: 'system:approvals', action: 'approval.expire' },
      ]);
      expect((await auditOf(t, expiring)).map(({ action }) => action)).toEqual(['approval.request', 'approval.expire']);

      // Decisions: 6 before, the refused use (not compliant), the held request (compliant): 8, 5 compliant.
      // Approvals ended without going ahead: denied, expired, expired: 3 × $20,000.
      const after = await kpis(t);
      expect(after.compliance_sla).toMatchObject({ value: 62.5, numerator: 5, denominator: 8 });
      expect(after.risk_avoided).toMatchObject({ value: 60000, numerator: 60000, inputs: { approvals_denied_or_expired: 3, approvals_denied_or_expired_usd: 60000, blocked_violations_usd: 0 } });
    });
  });
}
