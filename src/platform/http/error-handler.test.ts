import { Type, type TSchema } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { fieldErrorOf } from './error-handler.js';
import { validatorCompiler } from './validation.js';

interface CompiledValidator {
  (data: unknown): boolean;
  errors?: Array<{ instancePath: string; keyword: string; message?: string; params: Record<string, unknown> }> | null;
}

/** The first error ajv reports for `data`, exactly as the route validators produce it. */
function firstError(schema: TSchema, data: unknown, httpPart: 'body' | 'querystring' | 'params' = 'body') {
  const validate = validatorCompiler({ schema, httpPart, method: 'POST', url: '/test' }) as CompiledValidator;
  expect(validate(data)).toBe(false);
  const error = validate.errors?.[0];
  if (!error) throw new Error('validator reported no error');
  return error;
}

const Body = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    kind: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: ['a', 'b'] })),
    tools: Type.Optional(Type.Array(Type.Object({ name: Type.String() }, { additionalProperties: false }))),
    nested: Type.Optional(Type.Object({ inner: Type.Object({ id: Type.String({ format: 'uuid' }) }) })),
  },
  { additionalProperties: false },
);

describe('fieldErrorOf', () => {
  it('points a missing property at the property itself, not its parent', () => {
    expect(fieldErrorOf('body', firstError(Body, {}))).toEqual({ path: '/body/name', message: "must have required property 'name'" });
    expect(fieldErrorOf('body', firstError(Body, { name: 'x', nested: { inner: {} } }))).toEqual({
      path: '/body/nested/inner/id',
      message: "must have required property 'id'",
    });
  });

  it('points an unknown property at that property', () => {
    expect(fieldErrorOf('body', firstError(Body, { name: 'x', extra: 1 }))).toEqual({ path: '/body/extra', message: 'is not an allowed property' });
    expect(fieldErrorOf('body', firstError(Body, { name: 'x', tools: [{ name: 't', oops: true }] }))).toEqual({
      path: '/body/tools/0/oops',
      message: 'is not an allowed property',
    });
  });

  it('lists the allowed values of an enum', () => {
    expect(fieldErrorOf('body', firstError(Body, { name: 'x', kind: 'c' }))).toEqual({ path: '/body/kind', message: 'must be one of a, b' });
  });

  it('keeps ajv wording for type, length and format errors, with array indexes in the pointer', () => {
    expect(fieldErrorOf('body', firstError(Body, { name: 5 }))).toEqual({ path: '/body/name', message: 'must be string' });
    expect(fieldErrorOf('body', firstError(Body, { name: '' }))).toEqual({ path: '/body/name', message: 'must NOT have fewer than 1 characters' });
    expect(fieldErrorOf('body', firstError(Body, { name: 'x', tools: [{ name: 't' }, { name: 3 }] }))).toEqual({
      path: '/body/tools/1/name',
      message: 'must be string',
    });
    expect(fieldErrorOf('body', firstError(Body, { name: 'x', nested: { inner: { id: 'nope' } } }))).toEqual({
      path: '/body/nested/inner/id',
      message: 'must match format "uuid"',
    });
  });

  it('prefixes the request part the error came from', () => {
    const Query = Type.Object({ limit: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
    expect(fieldErrorOf('querystring', firstError(Query, { limit: 'abc' }, 'querystring'))).toEqual({
      path: '/querystring/limit',
      message: 'must be integer',
    });
    expect(fieldErrorOf('querystring', firstError(Query, { limit: '0' }, 'querystring'))).toEqual({
      path: '/querystring/limit',
      message: 'must be >= 1',
    });
    const Params = Type.Object({ id: Type.String({ format: 'uuid' }) });
    expect(fieldErrorOf('params', firstError(Params, { id: 'x' }, 'params'))).toEqual({ path: '/params/id', message: 'must match format "uuid"' });
  });

  it('points a wrong root type at the part itself', () => {
    expect(fieldErrorOf('body', firstError(Body, 'text'))).toEqual({ path: '/body', message: 'must be object' });
  });

  it('falls back to "is invalid" when ajv gives no message', () => {
    expect(fieldErrorOf('headers', { instancePath: '/x-thing', keyword: 'custom', params: {} })).toEqual({
      path: '/headers/x-thing',
      message: 'is invalid',
    });
  });
});
