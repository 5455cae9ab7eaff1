import { Type, type TSchema } from '@sinclair/typebox';

/** Shared building blocks for route schemas (docs/ARCHITECTURE.md "HTTP API conventions"). */
/**
 * ajv's `uuid` format also accepts `urn:uuid:<uuid>`, which PostgreSQL's uuid type rejects: such an id would reach
 * a query and fail with a 5xx. The pattern keeps ids to the plain form, so a malformed id is a 400 everywhere.
 */
export const Uuid = Type.String({
  format: 'uuid',
  pattern: '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$',
  description: 'UUID',
});
export const Timestamp = Type.String({ format: 'date-time' });

/**
 * A string that is one of `values`, typed as their union: published as one `enum` (a union of literals would be an
 * `anyOf` of one-value schemas, which generated clients read less well).
 */
export const literalUnion = <T extends readonly string[]>(values: T, options: { description?: string; title?: string } = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

/**
 * A schema with a `title` is published in the OpenAPI document as `components.schemas[title]` and referenced
 * wherever it is used (platform/http/openapi/components.ts): titles are PascalCase and name one schema each.
 */
export const FieldError = Type.Object(
  {
    path: Type.String({ description: 'JSON Pointer into the request part that failed: /body/…, /querystring/…, /params/…, /headers/…' }),
    message: Type.String(),
  },
  { title: 'FieldError' },
);

export const Problem = Type.Object(
  {
    type: Type.String({ description: 'urn:orca:problem:<code>; the codes are listed in docs/errors.md' }),
    title: Type.String(),
    status: Type.Integer({ description: 'the HTTP status' }),
    detail: Type.String(),
    instance: Type.String({ description: 'the request path, without its query string' }),
    correlation_id: Type.String({ description: 'the X-Correlation-ID of the request; quote it when reporting a problem' }),
    errors: Type.Optional(Type.Array(FieldError, { description: 'one entry per field that failed (validation errors only)' })),
  },
  { title: 'Problem', description: 'RFC 9457 problem details', additionalProperties: true },
);

/** What every error is sent as (platform/http/problem.ts sends it with `; charset=utf-8`). */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

const PROBLEM_RESPONSE = { description: 'a problem document', content: { [PROBLEM_MEDIA_TYPE]: { schema: Problem } } } as const;

/**
 * The error responses particular to a route: a 409 or 422 its service answers, a 404 that no path id explains.
 * The errors every route shares (400, 401, 403, 404 for a path id, 413, 415, 429, 500, 503) follow from its access and
 * its inputs, and are added to the document for all routes at once (platform/http/openapi/error-responses.ts).
 */
export function problems<S extends number>(...statuses: S[]): Record<S, typeof PROBLEM_RESPONSE> {
  return Object.fromEntries(statuses.map((status) => [status, PROBLEM_RESPONSE])) as Record<S, typeof PROBLEM_RESPONSE>;
}

export const PaginationQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'page size' })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'next_cursor of the previous page' })),
};

/** One page of a list; `title` names it in the OpenAPI document (e.g. AgentPage). */
export function Page<T extends TSchema>(item: T, title: string) {
  return Type.Object(
    {
      items: Type.Array(item),
      next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'null on the last page' }),
    },
    { title },
  );
}
