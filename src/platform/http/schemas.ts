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
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.String(),
    correlation_id: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  },
  { description: 'RFC 9457 problem details', additionalProperties: true },
);

/** Error responses a route can produce, always as problem+json. 400/404/413/415 come from the edge for every route. */
export function problems(...statuses: number[]): Record<number, typeof Problem> {
  const all = new Set([400, 413, 415, 500, 503, ...statuses]);
  return Object.fromEntries([...all].map((status) => [status, Problem]));
}

export const PaginationQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'page size' })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'next_cursor of the previous page' })),
};

export function Page<T extends TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'null on the last page' }),
  });
}
