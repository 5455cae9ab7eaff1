import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['15m', 900_000],
    ['6h', 21_600_000],
    ['30d', 2_592_000_000],
    ['250', 250],
    ['0', 0],
    ['0s', 0],
    [' 15m ', 900_000],
    ['1000ms', 1000],
  ])('parses %j as %d ms', (raw, expected) => {
    expect(parseDuration(raw)).toBe(expected);
  });

  it.each(['soon', '', '   ', '1.5h', '-5m', '15 m', '15M', '1w', 'm', '15mm', '1h30m', '15m!', '0x10', '1e3'])(
    'refuses %j',
    (raw) => {
      expect(parseDuration(raw)).toBeUndefined();
    },
  );
});
