import { describe, expect, it } from 'vitest';
import { whereClause } from './where.js';

describe('whereClause', () => {
  it('is empty text and no values without a condition', () => {
    expect(whereClause().build()).toEqual({ text: '', values: [] });
  });

  it('joins conditions with and, binding each value as the next positional parameter', () => {
    const filter = whereClause()
      .add((p) => `status = ${p}`, 'active')
      .addFixed('resolved_at is null')
      .add((p) => `tags @> array[${p}::text]`, 'prod');
    expect(filter.build()).toEqual({ text: 'where status = $1 and resolved_at is null and tags @> array[$2::text]', values: ['active', 'prod'] });
  });

  it('lets a condition use its placeholder twice with one value', () => {
    expect(whereClause().add((p) => `created_at <= ${p} and updated_at <= ${p}`, 7).build()).toEqual({
      text: 'where created_at <= $1 and updated_at <= $1',
      values: [7],
    });
  });

  it('numbers a value bound outside the conditions (a limit) after them', () => {
    const filter = whereClause().add((p) => `kind = ${p}`, 'x');
    const limit = filter.bind(50);
    expect(limit).toBe('$2');
    expect(filter.build()).toEqual({ text: 'where kind = $1', values: ['x', 50] });
    expect(whereClause().bind(10)).toBe('$1');
  });

  it('binds values as they are, never in the text', () => {
    const hostile = "x' or '1'='1";
    expect(whereClause().add((p) => `name = ${p}`, hostile).build()).toEqual({ text: 'where name = $1', values: [hostile] });
  });

  it('returns a copy of the values: building twice, or binding later, does not change an earlier result', () => {
    const filter = whereClause().add((p) => `a = ${p}`, 1);
    const first = filter.build();
    filter.bind(2);
    expect(first.values).toEqual([1]);
    expect(filter.build().values).toEqual([1, 2]);
  });
});
