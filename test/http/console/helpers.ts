import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from '../../helpers/app.js';

export const SESSION_COOKIE_PATTERN = /^orca_session=([A-Za-z0-9_-]{43}); Path=\/; Max-Age=(\d+); HttpOnly; SameSite=Strict(; Secure)?$/;

export interface SignedIn {
  response: LightMyRequestResponse;
  token: string;
  csrf: string;
  /** Headers that make a request with this session's cookie (and, for writes, its CSRF token). */
  read: Record<string, string>;
  write: Record<string, string>;
}

export async function signIn(t: TestApp, apiKey: string, headers: Record<string, string> = {}): Promise<SignedIn> {
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { api_key: apiKey }, headers });
  if (response.statusCode !== 201) throw new Error(`sign-in answered ${response.statusCode}: ${response.body}`);
  const match = SESSION_COOKIE_PATTERN.exec(String(response.headers['set-cookie']));
  if (!match) throw new Error(`unexpected Set-Cookie: ${String(response.headers['set-cookie'])}`);
  const token = match[1]!;
  const csrf = (response.json() as { csrf_token: string }).csrf_token;
  const cookie = `orca_session=${token}`;
  return { response, token, csrf, read: { cookie }, write: { cookie, 'x-csrf-token': csrf } };
}

export const newAgent = (name: string) => ({ name, kind: 'llm_agent', source: 'manual' });
