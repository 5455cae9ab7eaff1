import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from '../../../test/generated/orca-api.ts';

/**
 * The console's only way to ORCA: a client typed by the types generated from ORCA's OpenAPI document
 * (`npm run openapi:client`), so that a route or schema the console uses cannot change without the console failing to
 * type-check. Same origin; the session cookie goes along by itself (HttpOnly: this code never sees it).
 */
export type Schemas = components['schemas'];
export type Problem = Schemas['Problem'];

/** A refused or failed call, with the problem document ORCA answered (docs/errors.md). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
  ) {
    super(problem?.detail ?? `ORCA answered ${status}`);
    this.name = 'ApiError';
  }
}

let csrfToken: string | undefined;
let onSessionEnded: (() => void) | undefined;

/** The session's synchronizer token, sent as X-CSRF-Token on every write (docs/console.md "CSRF"). */
export function useCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when ORCA answers 401 to a call made with the session: it expired, was signed out or its key revoked. */
export function whenSessionEnds(handler: () => void): void {
  onSessionEnded = handler;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session each request was sent under (its CSRF token stands for it). */
const sentUnder = new WeakMap<Request, string | undefined>();

const sessionMiddleware: Middleware = {
  onRequest({ request }) {
    if (!SAFE_METHODS.has(request.method) && csrfToken !== undefined) request.headers.set('x-csrf-token', csrfToken);
    sentUnder.set(request, csrfToken);
    return request;
  },
  onResponse({ response, schemaPath, request }) {
    // A refused sign-in is the sign-in form's own answer, not the end of a session; and a 401 to a request sent under
    // a session that already ended (answered after the user signed in again) says nothing about the new one.
    const signingIn = schemaPath === '/api/v1/session' && request.method === 'POST';
    if (response.status === 401 && !signingIn && sentUnder.get(request) === csrfToken) onSessionEnded?.();
    return response;
  },
};

// Paths are relative: the browser resolves them against the page's own origin (and nothing runs at import time).
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(sessionMiddleware);

/** The data of a call, or an ApiError carrying ORCA's problem document. */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const problem = error && typeof error === 'object' && 'status' in error ? (error as Problem) : undefined;
  throw new ApiError(response.status, problem);
}
