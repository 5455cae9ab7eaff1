import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDatabase, type TestApp } from '../../helpers/app.js';
import { createSource } from './helpers.js';

/**
 * Migration 0008: every event names an existing source, checked per statement by triggers instead of a per-row
 * foreign key. The same guarantees as the foreign key, on both databases.
 */

const insertEvents = (t: TestApp, sourceIds: string[]) =>
  t.container.db.query(
    `insert into event (id, source_id, idempotency_key, payload_hash, event_type, entity_type, entity_id, occurred_at, received_at, payload)
     select gen_random_uuid(), s.id::uuid, gen_random_uuid()::text, 'h', 't', 'e', 'i', now(), now(), '{}'
     from jsonb_array_elements_text($1::jsonb) as s(id)`,
    [JSON.stringify(sourceIds)],
  );

async function sqlstate(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

const count = async (t: TestApp, sourceId: string) =>
  (await t.container.db.query<{ n: number }>('select count(*)::int as n from event where source_id = $1', [sourceId])).rows[0]!.n;

describeEachDatabase('events reference existing sources', (ctx) => {
  it('stores events of existing sources, several sources in one statement', async () => {
    const t = ctx();
    const [a, b] = [await createSource(t, 'generic'), await createSource(t, 'generic')];
    await insertEvents(t, [a.id, b.id, a.id]);
    expect([await count(t, a.id), await count(t, b.id)]).toEqual([2, 1]);
  });

  it('refuses a statement in which any row names a missing source (23503), storing none of its rows', async () => {
    const t = ctx();
    const { id } = await createSource(t, 'generic');
    expect(await sqlstate(insertEvents(t, [id, randomUUID()]))).toBe('23503');
    expect(await count(t, id)).toBe(0);
    await insertEvents(t, [id]);
    expect(await sqlstate(t.container.db.query('update event set source_id = $2 where source_id = $1', [id, randomUUID()]))).toBe('23503');
    expect(await count(t, id)).toBe(1);
  });

  it('refuses to delete or renumber a source that events name, and allows it for one no event names', async () => {
    const t = ctx();
    const [named, unnamed] = [await createSource(t, 'generic'), await createSource(t, 'generic')];
    await insertEvents(t, [named.id]);
    expect(await sqlstate(t.container.db.query('delete from source where id = $1', [named.id]))).toBe('23503');
    expect(await sqlstate(t.container.db.query('update source set id = $2 where id = $1', [named.id, randomUUID()]))).toBe('23503');
    expect(await sqlstate(t.container.db.query('update source set name = $2 where id = $1', [named.id, `renamed-${randomUUID()}`]))).toBeUndefined();
    expect(await sqlstate(t.container.db.query('delete from source where id = $1', [unnamed.id]))).toBeUndefined();
    expect(await count(t, named.id)).toBe(1);
  });
});
