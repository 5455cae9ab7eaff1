import { describe, expect, it } from 'vitest';
import { readAll } from './read-all.js';

/** Reads that record how many of them were running at once. */
function tracked() {
  let running = 0;
  let most = 0;
  const order: string[] = [];
  const read = (name: string, value: unknown) => async () => {
    running += 1;
    most = Math.max(most, running);
    order.push(`start ${name}`);
    await new Promise<void>((resolve) => setImmediate(resolve));
    order.push(`end ${name}`);
    running -= 1;
    return value;
  };
  return { read, most: () => most, order };
}

describe('readAll', () => {
  it('on a transaction, starts each read only after the previous one finished, and keeps the results in order', async () => {
    const { read, most, order } = tracked();
    const results = await readAll(false, [read('a', 1), read('b', 'two'), () => 3]);
    expect(results).toEqual([1, 'two', 3]);
    expect(most()).toBe(1);
    expect(order).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('on the pool, runs the reads side by side', async () => {
    const { read, most } = tracked();
    expect(await readAll(true, [read('a', 1), read('b', 2), read('c', 3)])).toEqual([1, 2, 3]);
    expect(most()).toBe(3);
  });

  it('stops at the first failing read on a transaction (the transaction is aborted anyway)', async () => {
    const { read, order } = tracked();
    const failing = async () => {
      throw new Error('boom');
    };
    await expect(readAll(false, [read('a', 1), failing, read('c', 3)])).rejects.toThrow('boom');
    expect(order).toEqual(['start a', 'end a']);
  });
});
