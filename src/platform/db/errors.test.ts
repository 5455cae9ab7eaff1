import { describe, expect, it } from 'vitest';
import { classifyDatabaseError, isUniqueViolation } from './errors.js';

describe('classifyDatabaseError', () => {
  it.each([
    [{ code: '22021', message: 'invalid byte sequence for encoding "UTF8": 0x00' }, 'bad_value'],
    [{ code: '22P02', message: 'invalid input syntax for type uuid' }, 'bad_value'],
    [{ code: '22003', message: 'numeric field overflow' }, 'bad_value'],
    [{ code: '08006', message: 'connection failure' }, 'unavailable'],
    [{ code: '57P01', message: 'terminating connection due to administrator command' }, 'unavailable'],
    [{ code: '53300', message: 'too many connections' }, 'unavailable'],
    [{ code: '57014', message: 'canceling statement due to statement timeout' }, 'unavailable'],
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }, 'unavailable'],
    [new Error('timeout exceeded when trying to connect'), 'unavailable'],
    [new Error('Connection terminated unexpectedly'), 'unavailable'],
    [new Error('Query read timeout'), 'unavailable'],
    [new Error('Client was closed and is not queryable'), 'unavailable'],
  ])('classifies %o as %s', (error, kind) => {
    expect(classifyDatabaseError(error)).toBe(kind);
  });

  it.each([
    [{ code: '23505', message: 'duplicate key value violates unique constraint' }],
    [{ code: '42P01', message: 'relation "agent" does not exist' }],
    [new TypeError('cannot read properties of undefined')],
    ['a string'],
    [null],
  ])('leaves %o to the generic 500 path', (error) => {
    expect(classifyDatabaseError(error)).toBeUndefined();
  });
});

describe('isUniqueViolation', () => {
  it('recognises 23505 of the named constraint, from the constraint field (node-postgres) or the message (PGlite)', () => {
    expect(isUniqueViolation({ code: '23505', constraint: 'source_name_key' }, 'source_name_key')).toBe(true);
    expect(isUniqueViolation({ code: '23505', message: 'duplicate key value violates unique constraint "source_name_key"' }, 'source_name_key')).toBe(true);
  });

  it('is false for another constraint, another SQLSTATE, or what is not a database error', () => {
    expect(isUniqueViolation({ code: '23505', constraint: 'agent_source_external_id_key', message: 'duplicate key value violates unique constraint "agent_source_external_id_key"' }, 'source_name_key')).toBe(false);
    expect(isUniqueViolation({ code: '23503', constraint: 'source_name_key' }, 'source_name_key')).toBe(false);
    expect(isUniqueViolation({ code: '23505' }, 'source_name_key')).toBe(false);
    for (const error of [null, undefined, 'source_name_key', 23505, new Error('source_name_key')]) expect(isUniqueViolation(error, 'source_name_key')).toBe(false);
  });
});
