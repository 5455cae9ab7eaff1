import type { RouteAccess } from '../roles.js';
import { PROBLEM_MEDIA_TYPE, Problem } from '../schemas.js';
import type { OpenApiDocument, OpenApiOperation, OpenApiResponse } from './document.js';

interface ErrorResponse {
  name: string;
  description: string;
  headers?: Record<string, { description: string; schema: { type: 'string' | 'integer' } }>;
}

const RETRY_AFTER = { description: 'seconds to wait before retrying', schema: { type: 'integer' as const } };

/**
 * The error answers every route shares, published once under `components.responses`. Each is a problem document
 * (platform/http/problem.ts); the codes behind each status are listed in docs/errors.md.
 */
export const ERROR_RESPONSES: Readonly<Record<number, ErrorResponse>> = {
  400: { name: 'BadRequest', description: 'The request is malformed or does not match the schema; `errors[]` points at each field (JSON Pointer).' },
  401: {
    name: 'Unauthorized',
    description: 'No valid API key (missing, invalid, expired or revoked); on a webhook, a signature that does not verify.',
    headers: { 'WWW-Authenticate': { description: '`Bearer realm="orca"` when the API key is the problem', schema: { type: 'string' } } },
  },
  403: {
    name: 'Forbidden',
    description:
      "The key's role may not call this operation (docs/SECURITY.md), a write made with a console session lacks that session's " +
      'X-CSRF-Token, or the client address is blocked (BLOCKED_IPS).',
  },
  404: { name: 'NotFound', description: 'The resource named in the path does not exist.' },
  409: { name: 'Conflict', description: 'The change is not allowed in the current state, or would break a uniqueness rule.' },
  413: { name: 'PayloadTooLarge', description: 'The body is larger than this operation accepts (BODY_LIMIT, 1 MiB by default; 10 MiB for event and run batches).' },
  415: { name: 'UnsupportedMediaType', description: 'The body is in a media type this operation does not accept.' },
  422: { name: 'UnprocessableContent', description: 'The request is well-formed but refers to something that does not exist or cannot be stored; `errors[]` says where.' },
  429: {
    name: 'TooManyRequests',
    description: 'The rate limit of the API key (or, without a key, of the client address) is spent for this window.',
    headers: {
      'Retry-After': RETRY_AFTER,
      RateLimit: { description: 'remaining quota and reset time (IETF RateLimit header fields)', schema: { type: 'string' } },
      'RateLimit-Policy': { description: 'the quota policy that applies', schema: { type: 'string' } },
    },
  },
  500: { name: 'InternalServerError', description: 'A bug. The body says nothing internal; quote its correlation_id when reporting it.' },
  503: { name: 'ServiceUnavailable', description: 'The database is unavailable, the server is shutting down, or (for a body of 256 KiB or more) it is short of memory (`insufficient_memory`); retry after Retry-After.', headers: { 'Retry-After': RETRY_AFTER } },
};

/**
 * The 403 of a route without a key role (public, signed): the edge refuses blocked addresses on every route. A keyless
 * route that declares a 403 of its own (the console sign-in refusing an ingest key) gets `Forbidden` instead.
 */
const ADDRESS_BLOCKED: ErrorResponse = { name: 'AddressBlocked', description: 'The client address is blocked (BLOCKED_IPS).' };

/** What the standard errors of an operation follow from: who may call it and what it reads. */
export interface OperationFacts {
  method: string;
  access: RouteAccess;
  hasPathParameters: boolean;
  hasQueryParameters: boolean;
  /** The media types its documented request body accepts; `*\/*` when the body is read raw, whatever its type. */
  bodyMediaTypes: readonly string[];
}

/** Fastify parses a body for these methods whenever a request carries one, documented or not (DELETE included). */
const BODY_METHODS = new Set(['post', 'put', 'patch', 'delete']);

/**
 * The statuses the edge and the framework can answer an operation with, whatever its handler does (the order of the
 * edge: blocked address → rate limit → API key → role; then parsing and validation):
 * - 403 everywhere (a blocked address); on routes that need a key role, also a role the matrix does not allow;
 * - 401, 429 and 503 on every route but the public ones (which skip the rate limit and authentication; the key
 *   lookup, like any handler, may meet an unavailable database) — webhooks included: a presented key is checked,
 *   the signature is verified, and anonymous senders are limited per address;
 * - 400 when there is anything to validate (path, query, body), 404 when the path names a resource;
 * - 413 and 415 when the method carries a body (415 unless any media type is read raw);
 * - 500 everywhere.
 * Errors particular to a route (409, 422, a 404 not tied to a path id) are declared by the route itself.
 */
export function standardErrorStatuses(facts: OperationFacts): number[] {
  const statuses = new Set<number>([403, 500]);
  const readsBody = BODY_METHODS.has(facts.method.toLowerCase());
  if (facts.hasPathParameters || facts.hasQueryParameters || readsBody) statuses.add(400);
  if (facts.access !== 'public') {
    statuses.add(401);
    statuses.add(429);
    statuses.add(503);
  }
  if (facts.hasPathParameters) statuses.add(404);
  if (readsBody) {
    statuses.add(413);
    if (!facts.bodyMediaTypes.includes('*/*')) statuses.add(415);
  }
  return [...statuses].sort((a, b) => a - b);
}

function factsOf(method: string, operation: OpenApiOperation): OperationFacts {
  const parameters = operation.parameters ?? [];
  return {
    method,
    access: (operation['x-orca-role'] ?? 'public') as RouteAccess,
    hasPathParameters: parameters.some((parameter) => parameter.in === 'path'),
    hasQueryParameters: parameters.some((parameter) => parameter.in === 'query'),
    bodyMediaTypes: Object.keys(operation.requestBody?.content ?? {}),
  };
}

/** A response declared by a route with `problems()`: a problem document and nothing else, so the shared one fits. */
function isPlainProblem(response: OpenApiResponse): boolean {
  const content = Object.entries(response.content ?? {});
  const only = content[0];
  return content.length === 1 && only !== undefined && only[0] === PROBLEM_MEDIA_TYPE && only[1].schema?.title === Problem.title && response.headers === undefined;
}

function responseObject(response: ErrorResponse): OpenApiResponse {
  // A plain JSON copy: the TypeBox schema carries symbols; hoisting later turns it into a $ref like every other use.
  const schema = JSON.parse(JSON.stringify(Problem)) as Record<string, unknown>;
  return { description: response.description, ...(response.headers ? { headers: response.headers } : {}), content: { [PROBLEM_MEDIA_TYPE]: { schema } } };
}

/**
 * Declares the standard errors of every operation as references to `components.responses`, and turns the
 * problem responses routes declared themselves into the same references. Mutates the document it is given.
 */
export function addStandardErrorResponses(document: OpenApiDocument): void {
  const used = new Map<string, ErrorResponse>();
  const referenceTo = (response: ErrorResponse): OpenApiResponse => {
    used.set(response.name, response);
    return { $ref: `#/components/responses/${response.name}` };
  };
  for (const item of Object.values(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      const facts = factsOf(method, operation);
      const responses = (operation.responses ??= {});
      for (const status of standardErrorStatuses(facts)) {
        const keyless = facts.access === 'public' || facts.access === 'signed';
        const declared = responses[status];
        const standard = status === 403 && keyless && declared === undefined ? ADDRESS_BLOCKED : ERROR_RESPONSES[status]!;
        if (declared === undefined || isPlainProblem(declared)) responses[status] = referenceTo(standard);
      }
      for (const [status, declared] of Object.entries(responses)) {
        const standard = ERROR_RESPONSES[Number(status)];
        if (standard && isPlainProblem(declared)) responses[status] = referenceTo(standard);
      }
      operation.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
    }
  }
  const components = (document.components ??= {});
  const shared = (components.responses ??= {});
  for (const [name, response] of [...used].sort(([a], [b]) => a.localeCompare(b))) shared[name] = responseObject(response);
}
