import { randomBytes } from 'node:crypto';
import type { TestApp } from '../../helpers/app.js';

/** Shared by the policy HTTP suites. The app is shared within a suite, so every test registers its own agents. */

export const SETUP = { id: 'test-setup', correlationId: 'test-setup' };

export const unique = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;

export interface EvaluateJson {
  decision: 'allow' | 'deny' | 'redact' | 'require_approval';
  violations: Array<{ rule: string; severity: string; detail: string; score?: number; signals?: string[] }>;
  redacted_content?: string;
  policy_version: number;
  mode: 'enforce' | 'monitor';
  decision_id: string | null;
}

export async function registerAgent(
  t: TestApp,
  values: { role?: string | null; classification?: 'public' | 'internal' | 'confidential' | 'restricted' | 'critical'; status?: 'active' | 'suspended' | 'quarantined' | 'retired' } = {},
): Promise<string> {
  const agents = t.container.modules.agents.service;
  const agent = await agents.create(SETUP, {
    name: unique('policy-agent'),
    kind: 'llm_agent',
    classification: values.classification ?? 'confidential',
    role: values.role === undefined ? 'analyst' : values.role,
  } as never);
  if (values.status === 'suspended') await agents.transition(SETUP, agent.id, 'suspend', 'test');
  if (values.status === 'quarantined') await agents.transition(SETUP, agent.id, 'quarantine', 'test');
  if (values.status === 'retired') await agents.transition(SETUP, agent.id, 'retire', 'test');
  return agent.id;
}

export async function evaluate(t: TestApp, body: Record<string, unknown>, role: 'ingest' | 'admin' = 'ingest') {
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/policy/evaluate', headers: t.as(role), payload: body });
  return { status: response.statusCode, body: response.json() as EvaluateJson };
}
