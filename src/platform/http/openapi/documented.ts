import type { TSchema } from '@sinclair/typebox';

const documentation = new WeakMap<object, TSchema>();

/**
 * Validates (or serialises) with `runtime` but publishes `documented` in the OpenAPI document. For a value that a
 * dedicated parser checks with errors of its own (a policy document: every problem with its path): declaring the
 * full schema on the route would make Fastify refuse the body first, with different errors, so the route keeps the
 * permissive schema and generated clients still learn the real shape. Keyed by identity: pass the returned schema on.
 */
export function documentedAs<T extends TSchema>(runtime: T, documented: TSchema): T {
  documentation.set(runtime, documented);
  return runtime;
}

/** A copy of a route schema with every `documentedAs` part replaced by its documented schema (the input is shared). */
export function withDocumentedSchemas<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  const documented = documentation.get(value);
  if (documented !== undefined) return documented as T;
  if (Array.isArray(value)) {
    const items = (value as unknown[]).map((item: unknown) => withDocumentedSchemas(item));
    return (items.some((item, index) => item !== value[index]) ? items : value) as T;
  }
  let copy: Record<string, unknown> | undefined;
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    const replaced = withDocumentedSchemas(inner);
    if (replaced !== inner) (copy ??= { ...(value as Record<string, unknown>) })[key] = replaced;
  }
  return (copy ?? value) as T;
}
