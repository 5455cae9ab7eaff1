import { createHash, randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestApp } from '../../helpers/app.js';

/** Shared by the agent HTTP suites. The app is shared within a suite, so every test makes its own data unique. */

export type Json = Record<string, unknown>;

export interface AgentJson {
  id: string;
  name: string;
  kind: string;
  source: string;
  external_id: string | null;
  owner: string | null;
  vendor: string | null;
  model: string | null;
  version: string | null;
  description: string | null;
  prompt: string | null;
  config: Json;
  tools: Array<{ name: string; description: string | null; input_schema_hash: string | null }>;
  fingerprint: string;
  status: 'active' | 'suspended' | 'quarantined' | 'retired';
  status_reason: string | null;
  classification: string;
  role: string | null;
  targets: string[];
  tags: string[];
  metadata: Json;
  created_at: string;
  updated_at: string;
}

export interface AgentEventJson {
  id: string;
  agent_id: string;
  action: string;
  from_status: string | null;
  to_status: string;
  reason: string | null;
  actor: string;
  fingerprint: string | null;
  correlation_id: string | null;
  at: string;
}

export const PROBLEM_JSON = 'application/problem+json; charset=utf-8';
export const JSON_TYPE = 'application/json; charset=utf-8';
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** Computed in the test with node:crypto over a canonical string written by hand, never with product code. */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Fingerprint of a definition without tools; prompt, model and config JSON must already be canonical. */
export function fingerprintOfCanonical(parts: { config?: string; model?: string | null; prompt?: string | null; tools?: string }): string {
  const text = (value: string | null | undefined) => (value === null || value === undefined ? 'null' : JSON.stringify(value));
  return sha256(`{"config":${parts.config ?? '{}'},"model":${text(parts.model)},"prompt":${text(parts.prompt)},"tools":${parts.tools ?? '[]'}}`);
}

export function withCorrelation(headers: Record<string, string>, correlationId: string): Record<string, string> {
  return { ...headers, 'x-correlation-id': correlationId };
}

export async function createAgent(t: TestApp, body: Json, headers: Record<string, string> = {}): Promise<AgentJson> {
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/agents', headers: { ...t.as('operator'), ...headers }, payload: body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as AgentJson;
}

export async function act(
  t: TestApp,
  id: string,
  action: string,
  reason: string,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/agents/${id}/${action}`,
    headers: { ...t.as('operator'), ...headers },
    payload: { reason },
  });
}

export async function getAgent(t: TestApp, id: string): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'GET', url: `/api/v1/agents/${id}`, headers: t.as('viewer') });
}

/** Query string with every value percent-encoded, so `%` and `_` reach the API as the characters themselves. */
function searchOf(query: Record<string, string | number>): string {
  const search = new URLSearchParams(Object.entries(query).map(([key, value]): [string, string] => [key, String(value)])).toString();
  return search === '' ? '' : `?${search}`;
}

export async function listAgents(t: TestApp, query: Record<string, string | number>): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'GET', url: `/api/v1/agents${searchOf(query)}`, headers: t.as('viewer') });
}

export async function history(t: TestApp, id: string, query: Record<string, string | number> = {}): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'GET', url: `/api/v1/agents/${id}/history${searchOf(query)}`, headers: t.as('viewer') });
}

const TITLES: Record<string, string> = {
  bad_request: 'Bad Request',
  validation_failed: 'Validation Failed',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  not_found: 'Not Found',
  conflict: 'Conflict',
  unsupported_media_type: 'Unsupported Media Type',
};

export type ProblemJson = Json & { detail: string; errors?: Array<{ path: string; message: string }> };

/** Asserts an RFC 9457 body with exactly the members docs/errors.md lists, and returns it for further checks. */
export function expectProblem(response: LightMyRequestResponse, status: number, code: string, instance: string): ProblemJson {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toBe(PROBLEM_JSON);
  const body = response.json() as ProblemJson;
  const { errors, ...rest } = body;
  expect(rest).toEqual({
    type: `urn:orca:problem:${code}`,
    title: TITLES[code],
    status,
    detail: expect.stringMatching(/\S/),
    instance,
    correlation_id: response.headers['x-correlation-id'],
  });
  if (errors !== undefined) expect(code).toBe('validation_failed');
  return body;
}

/** A 400 whose errors[] all name `path` (docs/errors.md: wrong types → 400 with the field path). */
export function expectValidationError(response: LightMyRequestResponse, instance: string, path: string): ProblemJson {
  const body = expectProblem(response, 400, 'validation_failed', instance);
  expect(body.errors, 'errors[] present').toBeDefined();
  expect(body.errors!.length).toBeGreaterThan(0);
  for (const error of body.errors!) expect(error).toEqual({ path, message: expect.stringMatching(/\S/) });
  return body;
}

/** `orca_agents{status}` as exposed on /metrics. */
export async function agentGauge(t: TestApp): Promise<Record<string, number>> {
  const response = await t.app.inject({ method: 'GET', url: '/metrics' });
  expect(response.statusCode).toBe(200);
  const counts: Record<string, number> = {};
  for (const match of response.body.matchAll(/^orca_agents\{status="(\w+)"\} (\d+)$/gm)) counts[match[1]!] = Number(match[2]);
  return counts;
}
