import type { IRetryBackoffContext } from 'cockatiel';
import { describe, expect, it } from 'vitest';
import { parseRetryAfter, retryBackoff } from './retry-backoff.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');

describe('parseRetryAfter', () => {
  it.each<[string | undefined, number | undefined]>([
    ['0', 0],
    ['3', 3000],
    [' 120 ', 120_000],
    ['Sun, 01 Mar 2026 12:00:05 GMT', 5000],
    ['Sunday, 01-Mar-26 12:00:05 GMT', 5000],
    ['Sun, 01 Mar 2026 11:59:00 GMT', 0],
    [undefined, undefined],
    ['', undefined],
    ['-1', undefined],
    ['1.5', undefined],
    ['soon', undefined],
    ['2026-03-01T12:00:05Z', undefined],
  ])('%j → %j ms', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });
});

function failedWith(headers: Record<string, string>, attempt: number): IRetryBackoffContext<unknown> {
  return { attempt, signal: new AbortController().signal, result: { value: { status: 503, headers, body: '' } } };
}

describe('retryBackoff', () => {
  const options = { initialDelayMs: 100, maxDelayMs: 10_000, now: () => NOW };

  it('grows exponentially with jitter, within the maximum', () => {
    const samples = Array.from({ length: 200 }, () => {
      const first = retryBackoff(options).next(failedWith({}, 1));
      const second = first.next(failedWith({}, 2));
      const third = second.next(failedWith({}, 3));
      return [first.duration, second.duration, third.duration];
    });
    for (const delays of samples) for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(0);
    const mean = (index: number) => samples.reduce((sum, delays) => sum + delays[index]!, 0) / samples.length;
    // Jitter: the first delays are not all equal. Growth: later attempts wait longer on average.
    expect(new Set(samples.map((delays) => delays[0])).size).toBeGreaterThan(100);
    expect(mean(1)).toBeGreaterThan(mean(0));
    expect(mean(2)).toBeGreaterThan(mean(1));
    const capped = { ...options, maxDelayMs: 150 };
    let backoff = retryBackoff(capped).next(failedWith({}, 1));
    for (let attempt = 2; attempt < 20; attempt += 1) {
      expect(backoff.duration).toBeLessThanOrEqual(150);
      backoff = backoff.next(failedWith({}, attempt));
    }
  });

  it('waits at least as long as Retry-After asks, in seconds or as a date', () => {
    expect(retryBackoff(options).next(failedWith({ 'retry-after': '4' }, 1)).duration).toBe(4000);
    const first = retryBackoff(options).next(failedWith({}, 1));
    expect(first.next(failedWith({ 'retry-after': 'Sun, 01 Mar 2026 12:00:07 GMT' }, 2)).duration).toBe(7000);
  });

  it('never waits longer than the maximum, whatever Retry-After says', () => {
    expect(retryBackoff(options).next(failedWith({ 'retry-after': '3600' }, 1)).duration).toBe(10_000);
  });

  it('ignores Retry-After on a thrown error (no answer)', () => {
    const context: IRetryBackoffContext<unknown> = { attempt: 1, signal: new AbortController().signal, result: { error: new Error('reset') } };
    expect(retryBackoff({ ...options, maxDelayMs: 1000 }).next(context).duration).toBeLessThanOrEqual(1000);
  });
});
