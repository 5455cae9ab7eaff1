import { expect, it } from 'vitest';
import { jsonbParameter } from '../../src/platform/db/index.js';
import { describeEachDatabase } from '../helpers/app.js';

/**
 * Hot statements send their JSON rows as a binary `jsonb` parameter (`jsonbParameter`) instead of text: both
 * databases must read exactly the value the text would have given, multi-byte characters included.
 */
describeEachDatabase('binary jsonb parameters', (ctx) => {
  const value = {
    ascii: 'plain',
    accents: 'Zürich, Åland, façade',
    cjk: '東京の顧客',
    emoji: 'ship it 🚢',
    escaped: 'quote " backslash \\ newline \n tab \t nul-free',
    numbers: [0, -1.5, 1e21, 123456789012],
    nested: { empty: {}, list: [], flag: true, nothing: null },
  };

  it('read the same value as the text parameter, on its own and inside a transaction', async () => {
    const { db } = ctx().container;
    const json = JSON.stringify(value);
    const { rows } = await db.query<{ binary: unknown; text: unknown; same: boolean }>(
      'select $1::jsonb as binary, $2::jsonb as text, $1::jsonb = $2::jsonb as same',
      [jsonbParameter(json), json],
    );
    expect(rows).toEqual([{ binary: value, text: value, same: true }]);
    const inTransaction = await db.transaction(async (tx) => (await tx.query<{ v: unknown }>('select $1::jsonb as v', [jsonbParameter(json)])).rows[0]);
    expect(inTransaction).toEqual({ v: value });
  });

  it('feed jsonb_to_recordset row by row', async () => {
    const rows = [
      { id: 1, name: 'Ωmega', score: 2.5 },
      { id: 2, name: 'plain', score: null },
    ];
    const { rows: read } = await ctx().container.db.query<{ id: number; name: string; score: number | null }>(
      'select r.id, r.name, r.score from jsonb_to_recordset($1::jsonb) as r(id integer, name text, score numeric) order by r.id',
      [jsonbParameter(JSON.stringify(rows))],
    );
    expect(read).toEqual(rows);
  });

  it('are rejected, not misread, when the text is not JSON', async () => {
    await expect(ctx().container.db.query('select $1::jsonb as v', [jsonbParameter('{"unterminated": ')])).rejects.toThrow(/invalid input syntax for type json/);
  });
});
