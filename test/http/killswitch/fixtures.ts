import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets, type DatabaseTarget } from '../../helpers/db.js';
import { manualClock, type ManualClock } from '../sync/fixtures.js';

/** Shared by the kill switch suites. The app is shared within a suite: every test makes its own agents and tags. */

export const SETUP = { id: 'test-setup', correlationId: 'test-setup' };
export const unique = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;

export interface KillSwitchContext {
  t: TestApp;
  clock: ManualClock;
}

/** Like describeEachDatabase, with a clock the tests move (preview expiry, the 24 h and 1 h windows). */
export function describeKillSwitchSuite(name: string, start: string, suite: (ctx: () => KillSwitchContext, target: DatabaseTarget) => void): void {
  for (const target of databaseTargets) {
    describe(`${name} [${target.name}]`, () => {
      let context: KillSwitchContext | undefined;
      beforeAll(async () => {
        const clock = manualClock(start);
        const t = await createTestApp(target, {}, { clock });
        context = { t, clock };
      });
      afterAll(async () => {
        await context?.t.close();
      });
      suite(() => {
        if (!context) throw new Error('test app not built');
        return context;
      }, target);
    });
  }
}

export interface AgentSpec {
  tags?: string[];
  owner?: string;
  vendor?: string;
  model?: string;
  kind?: 'mcp_server' | 'llm_agent' | 'workflow' | 'pipeline' | 'function';
  status?: 'active' | 'suspended' | 'quarantined' | 'retired';
}

/** Registers an agent (role analyst of the default policy) and moves it to `status` along the lifecycle. */
export async function createAgent(t: TestApp, spec: AgentSpec = {}): Promise<string> {
  const agents = t.container.modules.agents.service;
  const agent = await agents.create(SETUP, {
    name: unique('ks-agent'),
    kind: spec.kind ?? 'llm_agent',
    classification: 'confidential',
    role: 'analyst',
    tags: spec.tags ?? [],
    owner: spec.owner ?? null,
    vendor: spec.vendor ?? null,
    model: spec.model ?? null,
  });
  if (spec.status === 'suspended') await agents.transition(SETUP, agent.id, 'suspend', 'set up suspended');
  if (spec.status === 'quarantined') await agents.transition(SETUP, agent.id, 'quarantine', 'set up quarantined');
  if (spec.status === 'retired') await agents.transition(SETUP, agent.id, 'retire', 'set up retired');
  return agent.id;
}

export async function agentStatus(t: TestApp, id: string): Promise<{ status: string; status_reason: string | null }> {
  const { rows } = await t.container.db.query<{ status: string; status_reason: string | null }>('select status, status_reason from agent where id = $1', [id]);
  return rows[0]!;
}

export function preview(t: TestApp, selector: Record<string, unknown>, role: 'operator' | 'admin' | 'viewer' | 'ingest' = 'operator') {
  return t.app.inject({ method: 'POST', url: '/api/v1/kill-switch/preview', headers: t.as(role), payload: { selector } });
}

/** A preview that must succeed; its token. */
export async function previewToken(t: TestApp, selector: Record<string, unknown>): Promise<string> {
  const response = await preview(t, selector);
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { preview_token: string }).preview_token;
}

export function execute(t: TestApp, token: string, reason = 'contain an incident', role: 'operator' | 'admin' = 'admin') {
  return t.app.inject({ method: 'POST', url: '/api/v1/kill-switch', headers: t.as(role), payload: { preview_token: token, reason } });
}

/** Previews and executes; the activation id. */
export async function activate(t: TestApp, selector: Record<string, unknown>, reason = 'contain an incident'): Promise<string> {
  const response = await execute(t, await previewToken(t, selector), reason);
  expect(response.statusCode, response.body).toBe(201);
  return (response.json() as { id: string }).id;
}

export function release(t: TestApp, id: string, reason = 'incident closed', role: 'operator' | 'admin' = 'admin') {
  return t.app.inject({ method: 'POST', url: `/api/v1/kill-switch/${id}/release`, headers: t.as(role), payload: { reason } });
}

export async function evaluateDecision(t: TestApp, agentId: string): Promise<{ decision: string; violations: Array<{ rule: string; detail: string }> }> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/policy/evaluate',
    headers: t.as('ingest'),
    payload: { agent_id: agentId, action: 'read', resource: 'crm', classification: 'internal' },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

export function problem(response: LightMyRequestResponse): { status: number; detail: string; errors?: Array<{ path: string; message: string }> } {
  expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  return response.json();
}
