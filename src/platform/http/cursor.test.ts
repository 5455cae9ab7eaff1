import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { decodeCursor, decodeSeqCursor, encodeCursor, encodeSeqCursor, pageOf } from './cursor.js';

const ID = '0190f3a2-7b1c-7d2e-8f3a-0123456789ab';
const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

function decodeError(cursor: string, decode: (cursor: string) => unknown = decodeCursor): AppError {
  try {
    decode(cursor);
  } catch (error) {
    return error as AppError;
  }
  throw new Error(`cursor accepted: ${JSON.stringify(cursor)}`);
}

function expectCursorError(error: AppError): void {
  expect(error).toBeInstanceOf(AppError);
  expect(error.code).toBe('validation_failed');
  expect(error.status).toBe(400);
  expect(error.message).toBe('cursor is not a value returned as next_cursor');
  expect(error.details.errors).toEqual([{ path: '/querystring/cursor', message: 'is not a valid cursor' }]);
}

describe('encodeCursor', () => {
  it('is base64url of {"after": id}, with no padding or URL-unsafe characters', () => {
    const cursor = encodeCursor(ID);
    expect(cursor).toBe(base64url(`{"after":"${ID}"}`));
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

describe('decodeCursor', () => {
  it('returns undefined when there is no cursor', () => {
    expect(decodeCursor(undefined)).toBeUndefined();
  });

  it('round-trips what encodeCursor produced', () => {
    expect(decodeCursor(encodeCursor(ID))).toBe(ID);
  });

  it('accepts an upper-case UUID and returns it lower-cased', () => {
    expect(decodeCursor(base64url(JSON.stringify({ after: ID.toUpperCase() })))).toBe(ID);
  });

  it('ignores extra keys next to after', () => {
    expect(decodeCursor(base64url(JSON.stringify({ after: ID, v: 2 })))).toBe(ID);
  });

  it.each([
    ['an empty string', ''],
    ['plain text', 'not-a-cursor'],
    ['base64 of text that is not JSON', base64url('after=x')],
    ['base64 of JSON null', base64url('null')],
    ['base64 of a JSON string', base64url('"0190f3a2-7b1c-7d2e-8f3a-0123456789ab"')],
    ['base64 of a JSON number', base64url('42')],
    ['base64 of an array', base64url(`["${ID}"]`)],
    ['base64 of an object without after', base64url('{}')],
    ['base64 of after that is a number', base64url('{"after":5}')],
    ['base64 of after that is not a UUID', base64url('{"after":"abc"}')],
    ['base64 of after that is a UUID with SQL appended', base64url(JSON.stringify({ after: `${ID}' or 1=1 --` }))],
    ['base64 of after that is a UUID with a newline appended', base64url(JSON.stringify({ after: `${ID}\n` }))],
  ])('rejects %s as a validation error on /querystring/cursor', (_case, cursor) => {
    expectCursorError(decodeError(cursor));
  });

  it('rejects a sequence cursor: the two keysets do not mix', () => {
    expectCursorError(decodeError(encodeSeqCursor(5)));
  });
});

describe('pageOf', () => {
  const rows = (count: number) => Array.from({ length: count }, (_, index) => ({ id: `id-${index}` }));

  it('has no next page when there are fewer rows than the limit', () => {
    expect(pageOf(rows(2), 3)).toEqual({ items: rows(2), next_cursor: null });
  });

  it('has no next page when there are exactly limit rows', () => {
    expect(pageOf(rows(3), 3)).toEqual({ items: rows(3), next_cursor: null });
  });

  it('has no next page and no items for an empty result', () => {
    expect(pageOf([], 3)).toEqual({ items: [], next_cursor: null });
  });

  it('drops the extra row and points the cursor at the last item shown', () => {
    const page = pageOf(rows(4), 3);
    expect(page.items).toEqual(rows(3));
    expect(page.next_cursor).toBe(encodeCursor('id-2'));
  });

  it('keeps items in the order given', () => {
    const given = [{ id: 'c' }, { id: 'a' }, { id: 'b' }];
    expect(pageOf(given, 2)).toEqual({ items: [{ id: 'c' }, { id: 'a' }], next_cursor: encodeCursor('a') });
  });
});

describe('encodeSeqCursor / decodeSeqCursor', () => {
  it('returns undefined when there is no cursor', () => {
    expect(decodeSeqCursor(undefined)).toBeUndefined();
  });

  it.each([1, 42, Number.MAX_SAFE_INTEGER])('round-trips %d through an opaque base64url cursor', (seq) => {
    const cursor = encodeSeqCursor(seq);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeSeqCursor(cursor)).toBe(seq);
  });

  it.each([
    ['an empty string', ''],
    ['plain text', 'not-a-cursor'],
    ['base64 of JSON null', base64url('null')],
    ['base64 of an object without before', base64url('{}')],
    ['before zero', base64url('{"before":0}')],
    ['a negative before', base64url('{"before":-3}')],
    ['a fractional before', base64url('{"before":1.5}')],
    ['a before beyond the safe integers', base64url('{"before":9007199254740993}')],
    ['before as a string', base64url('{"before":"5"}')],
    ['an id cursor', encodeCursor(ID)],
  ])('rejects %s as a validation error on /querystring/cursor', (_case, cursor) => {
    expectCursorError(decodeError(cursor, decodeSeqCursor));
  });
});
