import { expect } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { waitFor } from '../../helpers/jobs.js';

export type Json = Record<string, unknown>;

export interface Run {
  id: string;
  source_id: string;
  status: string;
  found: number;
  new: number;
  linked: number;
  changed: number;
  unchanged: number;
  missing: number;
  errors: Array<{ code: string; message: string; external_id?: string }>;
  [key: string]: unknown;
}

export async function createSource(t: TestApp, body: Json): Promise<Json & { id: string }> {
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/discovery/sources', headers: t.as('admin'), payload: body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as Json & { id: string };
}

/** Requests a run through the API (a job runs it) and waits for its outcome. */
export async function runSource(t: TestApp, sourceId: string, timeoutMs = 120_000): Promise<Run> {
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/discovery/runs', headers: t.as('operator'), payload: { source_id: sourceId } });
  expect(response.statusCode, response.body).toBe(202);
  const { id } = response.json() as Run;
  return waitFor(
    async () => (await t.app.inject({ method: 'GET', url: `/api/v1/discovery/runs/${id}`, headers: t.as('viewer') })).json() as Run,
    (run) => ['succeeded', 'partial', 'failed'].includes(run.status),
    timeoutMs,
  );
}

export interface AgentRow {
  id: string;
  name: string;
  kind: string;
  source: string;
  external_id: string;
  status: string;
  status_reason: string | null;
  fingerprint: string;
  model: string | null;
  prompt: string | null;
  tools: Array<Record<string, unknown>>;
  tags: string[];
  owner: string | null;
  metadata: Json;
  config: Json;
}

/** The agents a discovery source found, by external id of the source. */
export async function agentsOf(t: TestApp, sourceId: string): Promise<Map<string, AgentRow>> {
  const { rows } = await t.container.db.query<AgentRow & { identity_external_id: string }>(
    `select a.*, i.external_id as identity_external_id from agent_identities i join agent a on a.id = i.agent_id where i.discovery_source_id = $1`,
    [sourceId],
  );
  return new Map(rows.map((row) => [row.identity_external_id, row]));
}

/** Rows written since `since` (xmin-free: counted by the tables' own timestamps). */
export async function writesSince(t: TestApp, since: Date): Promise<Record<string, number>> {
  const count = async (sql: string) => (await t.container.db.query<{ count: number }>(sql, [since])).rows[0]!.count;
  return {
    agent: await count('select count(*)::int as count from agent where updated_at > $1'),
    agent_event: await count('select count(*)::int as count from agent_event where at > $1'),
    agent_identities: await count('select count(*)::int as count from agent_identities where updated_at > $1'),
    discovery_finding: await count('select count(*)::int as count from discovery_finding where detected_at > $1'),
    audit_entry: await count("select count(*)::int as count from audit_entry where at > $1 and action <> 'discovery.run.request'"),
  };
}

export async function history(t: TestApp, agentId: string): Promise<Json[]> {
  const response = await t.app.inject({ method: 'GET', url: `/api/v1/agents/${agentId}/history?limit=200`, headers: t.as('viewer') });
  expect(response.statusCode).toBe(200);
  return (response.json() as { items: Json[] }).items;
}

export async function transition(t: TestApp, agentId: string, action: string, reason = 'reviewed'): Promise<Json> {
  const response = await t.app.inject({ method: 'POST', url: `/api/v1/agents/${agentId}/${action}`, headers: t.as('operator'), payload: { reason } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Json;
}
