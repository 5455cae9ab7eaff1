import { afterEach, describe, expect, it, vi } from 'vitest';
import { slotSecondsOf, startScheduleTicker } from './schedule-ticker.js';

describe('schedule slots', () => {
  it('are whole seconds, rounded up, at least one', () => {
    expect([slotSecondsOf(30_000), slotSecondsOf(1500), slotSecondsOf(500), slotSecondsOf(900_000)]).toEqual([30, 2, 1, 900]);
  });
});

describe('schedule ticker', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('ticks one slot after start, then every half slot, never overlapping itself; stop waits for the tick in flight', async () => {
    vi.useFakeTimers();
    const ticks: number[] = [];
    let release: (() => void) | undefined;
    const ticker = startScheduleTicker(10, async () => {
      ticks.push(Date.now());
      // The third tick hangs across two periods.
      if (ticks.length === 3) await new Promise<void>((resolve) => (release = resolve));
    });
    const started = Date.now();
    await vi.advanceTimersByTimeAsync(9_999);
    expect(ticks).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await vi.advanceTimersByTimeAsync(5_000);
    await vi.advanceTimersByTimeAsync(5_000);
    await vi.advanceTimersByTimeAsync(10_000); // two periods while the third tick hangs: no tick meanwhile
    expect(ticks.map((at) => at - started)).toEqual([10_000, 15_000, 20_000]);
    let stopped = false;
    const stopping = ticker.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    release!();
    await stopping;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(ticks).toHaveLength(3);
  });
});
