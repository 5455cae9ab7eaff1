/**
 * The served OpenAPI document with every local `$ref` (`#/components/…`) replaced by what it points at, for tests
 * that read schemas and responses directly. The document has no recursive schemas; a cycle would throw.
 */
export function dereference<T>(document: T): T {
  const root = document as unknown;
  const resolve = (pointer: string): unknown => {
    if (!pointer.startsWith('#/')) throw new Error(`only local references are resolved, not ${pointer}`);
    return pointer
      .slice(2)
      .split('/')
      .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, token) => {
        const next = (node as Record<string, unknown> | undefined)?.[token];
        if (next === undefined) throw new Error(`unresolvable reference ${pointer}`);
        return next;
      }, root);
  };
  const visit = (value: unknown, seen: readonly string[]): unknown => {
    if (Array.isArray(value)) return value.map((item) => visit(item, seen));
    if (value === null || typeof value !== 'object') return value;
    const { $ref, ...rest } = value as Record<string, unknown>;
    if (typeof $ref === 'string') {
      if (seen.includes($ref)) throw new Error(`recursive reference ${$ref}`);
      return visit(resolve($ref), [...seen, $ref]);
    }
    return Object.fromEntries(Object.entries(rest).map(([key, inner]) => [key, visit(inner, seen)]));
  };
  return visit(root, []) as T;
}
