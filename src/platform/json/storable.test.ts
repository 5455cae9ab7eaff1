import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { assertStorableJson, exceedsDepth, hasLoneSurrogate, MAX_JSON_DEPTH } from './storable.js';

/** `levels` nested containers: nestedArrays(1) is `[]`, nestedArrays(2) is `[[]]`. */
function nestedArrays(levels: number): unknown {
  let value: unknown = [];
  for (let level = 1; level < levels; level += 1) value = [value];
  return value;
}

function nestedObjects(levels: number, leaf: unknown = 'leaf'): unknown {
  let value: unknown = { leaf };
  for (let level = 1; level < levels; level += 1) value = { child: value };
  return value;
}

describe('exceedsDepth', () => {
  it('limits request bodies to 32 levels', () => {
    expect(MAX_JSON_DEPTH).toBe(32);
  });

  it('never counts scalars as a level', () => {
    for (const scalar of [null, 0, 1.5, '', 'text', true, false, undefined]) {
      expect(exceedsDepth(scalar, 0)).toBe(false);
      expect(exceedsDepth(scalar, 1)).toBe(false);
    }
  });

  it('accepts exactly maxDepth nested containers and refuses one more', () => {
    expect(exceedsDepth(nestedArrays(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(exceedsDepth(nestedArrays(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
    expect(exceedsDepth(nestedObjects(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(exceedsDepth(nestedObjects(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
  });

  it('counts levels through mixed arrays and objects', () => {
    const value = { a: [{ b: [{ c: 1 }] }] }; // object → array → object → array → object: 5 levels
    expect(exceedsDepth(value, 5)).toBe(false);
    expect(exceedsDepth(value, 4)).toBe(true);
  });

  it('follows the deepest branch, not the first or the last', () => {
    const value = { shallow: 1, deep: nestedArrays(10), other: [1, 2, 3] }; // 1 + 10 levels
    expect(exceedsDepth(value, 11)).toBe(false);
    expect(exceedsDepth(value, 10)).toBe(true);
    const deepInMiddle = [[], nestedObjects(6), []]; // 1 + 6 levels
    expect(exceedsDepth(deepInMiddle, 7)).toBe(false);
    expect(exceedsDepth(deepInMiddle, 6)).toBe(true);
  });

  it('treats an empty container as a level of its own', () => {
    expect(exceedsDepth([], 1)).toBe(false);
    expect(exceedsDepth({}, 1)).toBe(false);
    expect(exceedsDepth([], 0)).toBe(true);
    expect(exceedsDepth({ a: {} }, 1)).toBe(true);
  });

  it('measures a 500,000-level document without overflowing the stack', () => {
    const hostile = JSON.parse(`${'['.repeat(500_000)}${']'.repeat(500_000)}`) as unknown;
    expect(exceedsDepth(hostile, MAX_JSON_DEPTH)).toBe(true);
  });

  it('is not fooled by width: 100,000 siblings at one level pass', () => {
    const wide = { items: Array.from({ length: 100_000 }, (_, index) => ({ index })) }; // 3 levels
    expect(exceedsDepth(wide, 3)).toBe(false);
    expect(exceedsDepth(wide, 2)).toBe(true);
  });
});

describe('hasLoneSurrogate', () => {
  it('finds a lone high or low surrogate in a string, a key or deep inside', () => {
    expect(hasLoneSurrogate('\ud800')).toBe(true);
    expect(hasLoneSurrogate('a\udc00b')).toBe(true);
    expect(hasLoneSurrogate({ ['\ud83d']: 1 })).toBe(true);
    expect(hasLoneSurrogate([1, { a: [null, 'x\ud800'] }])).toBe(true);
  });

  it('accepts paired surrogates, reversed pairs aside, and every other value', () => {
    expect(hasLoneSurrogate('\ud83d\ude00 emoji')).toBe(false);
    expect(hasLoneSurrogate('\ude00\ud83d')).toBe(true);
    for (const value of [null, true, 0, '', 'text', [], {}, { a: ['é', '€'] }]) expect(hasLoneSurrogate(value)).toBe(false);
  });

  it('walks a 500,000-element array without overflowing the argument limit', () => {
    const wide = Array.from({ length: 500_000 }, () => 'x');
    wide.push('\udfff');
    expect(hasLoneSurrogate(wide)).toBe(true);
  });
});

describe('assertStorableJson', () => {
  const refusal = (value: unknown, options?: Parameters<typeof assertStorableJson>[1]) => {
    try {
      assertStorableJson(value, options);
    } catch (error) {
      return error instanceof AppError ? { code: error.code, status: error.status, message: error.message } : error;
    }
    return undefined;
  };

  it('accepts a document at the depth limit holding paired surrogates', () => {
    expect(refusal({ a: nestedObjects(MAX_JSON_DEPTH - 1, '\ud83d\ude00') })).toBeUndefined();
  });

  it('refuses one level deeper with a 400 bad_request naming the subject', () => {
    expect(refusal(nestedArrays(MAX_JSON_DEPTH + 1))).toEqual({ code: 'bad_request', status: 400, message: 'the request body nests deeper than 32 levels' });
    expect(refusal(nestedArrays(MAX_JSON_DEPTH + 1), { subject: 'the event' })).toEqual({ code: 'bad_request', status: 400, message: 'the event nests deeper than 32 levels' });
  });

  it('refuses a lone surrogate with a 400 bad_request', () => {
    expect(refusal({ name: '\ud800' })).toEqual({
      code: 'bad_request',
      status: 400,
      message: 'the request body contains a lone UTF-16 surrogate escape, which is not Unicode text',
    });
  });

  it('reports depth first when both limits are broken', () => {
    expect(refusal({ lone: '\ud800', deep: nestedArrays(40) })).toMatchObject({ message: 'the request body nests deeper than 32 levels' });
  });

  it('skips the surrogate walk only for JSON text without a \\u escape', () => {
    // The value below cannot come from this text; the shortcut trusts the text, which is the point of passing it.
    expect(refusal({ name: '\ud800' }, { jsonText: '{"name":"x"}' })).toBeUndefined();
    expect(refusal({ name: '\ud800' }, { jsonText: '{"name":"\\ud800"}' })).toMatchObject({ code: 'bad_request' });
  });
});
