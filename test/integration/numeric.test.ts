import { expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/app.js';

/**
 * docs/ARCHITECTURE.md "Things to avoid": `DECIMAL` values must not leak as strings and be summed into NaN. Both drivers (PGlite and
 * node-postgres) parse numeric and int8 into JS numbers, inside and outside transactions.
 */
describeEachDatabase('numeric and bigint columns', (ctx) => {
  it('arrive as JS numbers, not strings', async () => {
    const { rows } = await ctx().container.db.query<{ n: unknown; b: unknown }>('select 12.34::numeric as n, 9007199254740991::int8 as b');
    expect(rows).toEqual([{ n: 12.34, b: 9007199254740991 }]);
    expect(typeof rows[0]?.n).toBe('number');
    expect(typeof rows[0]?.b).toBe('number');
  });

  it('covers aggregates, negatives, scale and null', async () => {
    const { rows } = await ctx().container.db.query<Record<string, unknown>>(
      `select count(*) as count_all, sum(x) as total, avg(x) as mean, min(x) as lowest,
              (-0.5)::numeric(10, 2) as negative, 1234567.891::numeric(12, 3) as scaled,
              null::numeric as nothing, 0::numeric as zero
         from (values (1.10::numeric), (2.20::numeric), (3.30::numeric)) as v(x)`,
    );
    expect(rows[0]).toEqual({
      count_all: 3,
      total: 6.6,
      mean: 2.2,
      lowest: 1.1,
      negative: -0.5,
      scaled: 1234567.891,
      nothing: null,
      zero: 0,
    });
  });

  it('behave the same inside a transaction', async () => {
    const row = await ctx().container.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ n: unknown; b: unknown }>('select $1::numeric as n, $2::int8 as b', ['99.95', '42']);
      return rows[0];
    });
    expect(row).toEqual({ n: 99.95, b: 42 });
  });

  it('sum money without NaN or string concatenation', async () => {
    // One transaction, so that the temporary table lives on the one pooled connection that uses it.
    await ctx().container.db.transaction(async (tx) => {
      await tx.query('create temporary table money_numeric_test (amount numeric(12, 2) not null) on commit drop');
      for (const amount of ['1500.00', '5000.00', '0.10', '0.20', '19.99']) await tx.query('insert into money_numeric_test (amount) values ($1)', [amount]);
      const { rows } = await tx.query<{ amount: number }>('select amount from money_numeric_test order by amount');
      const total = rows.reduce((sum, row) => sum + row.amount, 0);
      expect(Number.isNaN(total)).toBe(false);
      expect(total).toBeCloseTo(6520.29, 10);
      const { rows: summed } = await tx.query<{ total: number }>('select sum(amount) as total from money_numeric_test');
      expect(summed[0]?.total).toBe(6520.29);
    });
  });
});
