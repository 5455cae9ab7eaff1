import { describe, expect, it } from 'vitest';
import { formatMatcher, matches, matchesAll, parseMatcher } from './matchers.js';

describe('label matchers', () => {
  const labels = { alertname: 'injection-attempts', severity: 'critical', team: 'security' };

  it('parses the four operators, quoted or not', () => {
    expect(formatMatcher(parseMatcher('severity="critical"'))).toBe('severity="critical"');
    expect(formatMatcher(parseMatcher(' team != security '))).toBe('team!="security"');
    expect(formatMatcher(parseMatcher('alertname=~"inj.*"'))).toBe('alertname=~"inj.*"');
    expect(formatMatcher(parseMatcher('alertname!~"x|y"'))).toBe('alertname!~"x|y"');
    expect(parseMatcher('note="a \\"quoted\\" word"').value).toBe('a "quoted" word');
  });

  it('matches equality, inequality and anchored regexes; a missing label is the empty string', () => {
    expect(matches(parseMatcher('severity="critical"'), labels)).toBe(true);
    expect(matches(parseMatcher('severity!="critical"'), labels)).toBe(false);
    expect(matches(parseMatcher('alertname=~"injection"'), labels)).toBe(false);
    expect(matches(parseMatcher('alertname=~"injection.*"'), labels)).toBe(true);
    expect(matches(parseMatcher('alertname!~"inj.*"'), labels)).toBe(false);
    expect(matches(parseMatcher('owner=""'), labels)).toBe(true);
    expect(matches(parseMatcher('owner!="x"'), labels)).toBe(true);
    expect(matchesAll([parseMatcher('team="security"'), parseMatcher('severity=~"high|critical"')], labels)).toBe(true);
    expect(matchesAll([parseMatcher('team="security"'), parseMatcher('severity="low"')], labels)).toBe(false);
  });

  it('refuses what does not parse, with a reason', () => {
    expect(() => parseMatcher('severity')).toThrow(/is not a matcher/);
    expect(() => parseMatcher('9x="a"')).toThrow(/is not a matcher/);
    expect(() => parseMatcher('a="open')).toThrow(/closing quote/);
    expect(() => parseMatcher('a="\\q"')).toThrow(/invalid escape/);
    expect(() => parseMatcher('a=b,c')).toThrow(/quote it/);
    expect(() => parseMatcher(String.raw`a=~"(x)\\1"`)).toThrow(/RE2/);
  });
});
