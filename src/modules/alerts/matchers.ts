/**
 * Label matchers as Prometheus Alertmanager writes them: `name="value"`, `name!="value"`, `name=~"regex"`,
 * `name!~"regex"` (the value may also be written unquoted). Used by routes and silences alike.
 *
 * Regexes are operators' text run against every alert: they run under RE2 (re2-wasm), linear in the input whatever
 * the pattern, like the policy document's patterns; and they are anchored at both ends, as Alertmanager does.
 */
import { RE2 } from 're2-wasm';

export type MatchOperator = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  name: string;
  operator: MatchOperator;
  value: string;
  /** Set for `=~` and `!~`. */
  regex?: RE2;
}

const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/s;

/** Parses one matcher; throws an Error whose message says what is wrong (never echoing a long value). */
export function parseMatcher(text: string): Matcher {
  const parts = MATCHER.exec(text);
  if (!parts) throw new Error('is not a matcher: expected name="value", name!="value", name=~"regex" or name!~"regex"');
  const [, name, operator, rawValue] = parts as unknown as [string, string, MatchOperator, string];
  const value = unquote(rawValue);
  if (operator === '=~' || operator === '!~') {
    try {
      return { name, operator, value, regex: new RE2(`^(?:${value})$`, 'u') };
    } catch (error) {
      throw new Error(`has a regex RE2 does not accept (no backreferences or lookaround): ${(error as Error).message.slice(0, 200)}`);
    }
  }
  return { name, operator, value };
}

function unquote(raw: string): string {
  if (raw.startsWith('"')) {
    if (raw.length < 2 || !raw.endsWith('"')) throw new Error('has a quoted value without its closing quote');
    try {
      const value: unknown = JSON.parse(raw);
      if (typeof value === 'string') return value;
    } catch {
      // reported below
    }
    throw new Error('has a quoted value with an invalid escape');
  }
  if (/["{},]/.test(raw)) throw new Error('has an unquoted value with a quote, brace or comma: quote it');
  return raw;
}

/** A missing label matches as the empty string, as in Alertmanager (so `team!="x"` matches an alert without `team`). */
export function matches(matcher: Matcher, labels: Readonly<Record<string, string>>): boolean {
  const actual = labels[matcher.name] ?? '';
  switch (matcher.operator) {
    case '=':
      return actual === matcher.value;
    case '!=':
      return actual !== matcher.value;
    case '=~':
      return matcher.regex!.test(actual);
    case '!~':
      return !matcher.regex!.test(actual);
  }
}

export function matchesAll(matchers: readonly Matcher[], labels: Readonly<Record<string, string>>): boolean {
  return matchers.every((matcher) => matches(matcher, labels));
}

/** The canonical text of a matcher (what the API shows back). */
export function formatMatcher(matcher: Matcher): string {
  return `${matcher.name}${matcher.operator}${JSON.stringify(matcher.value)}`;
}
