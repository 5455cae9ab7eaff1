import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { documentedAs, withDocumentedSchemas } from './documented.js';

describe('documentedAs', () => {
  const Real = Type.Object({ name: Type.String() }, { title: 'Real' });

  it('replaces the runtime schema by the documented one wherever it is nested, without touching the route schema', () => {
    const loose = documentedAs(Type.Object({}, { additionalProperties: true }), Real);
    const routeSchema = { body: Type.Object({ draft: loose, other: Type.String() }), response: { 200: Type.Array(loose) } };
    const documented = withDocumentedSchemas(routeSchema);
    expect(documented.body.properties.draft).toBe(Real);
    expect((documented.response[200] as unknown as { items: unknown }).items).toBe(Real);
    expect(documented.body.properties.other).toBe(routeSchema.body.properties.other);
    expect(routeSchema.body.properties.draft).toBe(loose);
  });

  it('returns the same object when nothing is documented differently', () => {
    const routeSchema = { body: Type.Object({ a: Type.String() }), tags: ['x'] };
    expect(withDocumentedSchemas(routeSchema)).toBe(routeSchema);
  });
});
