import { expect, it } from 'vitest';
import { formatFraction, formatJson, formatRelative, formatSeconds, formatTime, formatValue } from './format.ts';

it('formats times in UTC to the minute, and absent ones as a dash', () => {
  expect(formatTime('2026-03-04T05:06:07.890Z')).toBe('2026-03-04 05:06 UTC');
  expect(formatTime(null)).toBe('—');
  expect(formatTime('not a date')).toBe('not a date');
});

it('formats durations and relative times', () => {
  expect(formatSeconds(42)).toBe('42 s');
  expect(formatSeconds(90)).toBe('2 min');
  expect(formatSeconds(5400)).toBe('1.5 h');
  expect(formatSeconds(7200)).toBe('2 h');
  expect(formatSeconds(3 * 86_400)).toBe('3 d');
  const now = Date.parse('2026-01-01T12:00:00Z');
  expect(formatRelative('2026-01-01T11:55:00Z', now)).toBe('5 min ago');
  expect(formatRelative('2026-01-01T14:00:00Z', now)).toBe('in 2 h');
});

it('formats KPI values in their unit', () => {
  expect(formatValue(84.26, 'score')).toBe('84.3');
  expect(formatValue(99.5, 'percent')).toBe('99.5 %');
  expect(formatValue(0.5, 'ratio')).toBe('0.50');
  expect(formatValue(12500.4, 'usd')).toBe('$12,500');
  expect(formatValue(null, 'usd')).toBe('—');
  expect(formatFraction(0.875)).toBe('87.5 %');
});

it('shows stored JSON as indented text, markup included verbatim', () => {
  expect(formatJson({ name: '<img src=x onerror=alert(1)>' })).toBe('{\n  "name": "<img src=x onerror=alert(1)>"\n}');
});
