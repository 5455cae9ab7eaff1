/** Shared by the approvals suites: an app whose outbound calls may reach loopback, agents, evaluations, reads. */
import { randomBytes } from 'node:crypto';
import type { TestApp } from '../../helpers/app.js';
import { waitFor } from '../../helpers/jobs.js';

type Json = Record<string, unknown>;

export const SETUP = { id: 'test-setup', correlationId: 'test-setup' };

/** Callbacks and Slack's response_url go to local test servers; retries come quickly. */
export const APPROVALS_ENV = {
  OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8',
  APPROVALS_CALLBACK_RETRIES: '2',
  APPROVALS_CALLBACK_RETRY_DELAY: '1s',
  JOBS_POLL_INTERVAL: '200ms',
};

/** The transfer every story asks for: one resource, a payment reference as content (no PII). */
export const TRANSFER = { action: 'transfer_funds', resource: 'bank:acct-4242', classification: 'internal', content: 'Pay invoice INV-2291 of 1,200 EUR to Northwind' };

export interface EvaluateJson {
  decision: 'allow' | 'deny' | 'redact' | 'require_approval';
  violations: Array<{ rule: string; severity: string; detail: string }>;
  decision_id: string | null;
  approval?: { id: string; status: 'pending'; expires_at: string; callback_secret?: string };
}

/** An active agent whose role may transfer funds (the default policy's `operator` role) up to restricted data. */
export async function registerPayer(t: TestApp): Promise<string> {
  const agent = await t.container.modules.agents.service.create(SETUP, {
    name: `payer-${randomBytes(4).toString('hex')}`,
    kind: 'llm_agent',
    classification: 'restricted',
    role: 'operator',
  } as never);
  return agent.id;
}

export async function evaluate(t: TestApp, body: Json, headers: Record<string, string> = t.as('ingest')): Promise<{ status: number; body: EvaluateJson & Json }> {
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/policy/evaluate', headers, payload: body });
  return { status: response.statusCode, body: response.json() as EvaluateJson & Json };
}

export async function askTransfer(t: TestApp, agentId: string, extra: Json = {}, headers?: Record<string, string>) {
  return evaluate(t, { agent_id: agentId, ...TRANSFER, ...extra }, headers);
}

export async function readApproval(t: TestApp, id: string, headers: Record<string, string> = t.as('viewer'), query = '') {
  const response = await t.app.inject({ method: 'GET', url: `/api/v1/approvals/${id}${query}`, headers });
  return { status: response.statusCode, body: response.json() as Json };
}

export async function decideApproval(t: TestApp, id: string, verdict: 'approve' | 'deny', headers: Record<string, string> = t.as('operator'), reason = 'checked the invoice') {
  const response = await t.app.inject({ method: 'POST', url: `/api/v1/approvals/${id}/${verdict}`, headers, payload: { reason } });
  return { status: response.statusCode, body: response.json() as Json };
}

/** Another key of `role`: a second operator (two approvers), or an ingest key other than the one that asked. */
export async function createKey(t: TestApp, role: 'operator' | 'ingest' | 'viewer' | 'admin'): Promise<{ id: string; headers: Record<string, string> }> {
  const created = await t.container.modules.keys.service.create(SETUP, { name: `key-${randomBytes(4).toString('hex')}`, role });
  return { id: created.key.id, headers: { 'x-api-key': created.secret } };
}

/** The id of the key behind `t.as(role)`. */
export async function keyIdOf(t: TestApp, role: 'operator' | 'ingest' | 'viewer' | 'admin'): Promise<string> {
  const principal = await t.container.modules.keys.service.authenticate(t.keys[role]);
  return principal!.id;
}

/** The audit entries of one approval, oldest first. */
export async function auditOf(t: TestApp, approvalId: string): Promise<Array<{ actor: string; action: string; after: Json | null }>> {
  const response = await t.app.inject({ method: 'GET', url: `/api/v1/audit?target=approval:${approvalId}&limit=200`, headers: t.as('admin') });
  const items = (response.json() as { items: Array<{ actor: string; action: string; after: Json | null; seq: number }> }).items;
  return [...items].sort((a, b) => a.seq - b.seq).map(({ actor, action, after }) => ({ actor, action, after }));
}

/** The approval once its callback has reached `status` (the job runs on the app's own worker). */
export async function callbackReaching(t: TestApp, id: string, status: string, timeoutMs = 30_000): Promise<Json> {
  return waitFor(
    async () => (await readApproval(t, id)).body,
    (approval) => (approval.callback as { status?: string } | null)?.status === status,
    timeoutMs,
  );
}

export async function kpis(t: TestApp): Promise<Record<string, { value: number | null; numerator: number; denominator: number | null; inputs: Record<string, number | null> }>> {
  const response = await t.app.inject({ method: 'GET', url: '/api/v1/kpis?window=30d', headers: t.as('viewer') });
  return (response.json() as { kpis: never }).kpis;
}

export async function agentTrust(t: TestApp, agentId: string): Promise<{ score: number; components: { policy_adherence: number }; inputs: Record<string, number> }> {
  const response = await t.app.inject({ method: 'GET', url: `/api/v1/agents/${agentId}/trust?window=30d`, headers: t.as('viewer') });
  return response.json() as never;
}
