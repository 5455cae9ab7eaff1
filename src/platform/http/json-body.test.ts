import { describe, expect, it } from 'vitest';
import { exceedsDepth, MAX_JSON_DEPTH } from './json-body.js';

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
