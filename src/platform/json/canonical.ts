/**
 * RFC 8785 canonical JSON (JCS): object members sorted by the UTF-16 code units of their names, no whitespace,
 * numbers in ECMAScript's shortest round-trip form, strings escaped as JSON.stringify escapes them. Stored hashes
 * (agent fingerprints, input schema hashes, audit chain hashes, event payload hashes) are sha256 over this text, so
 * its output for JSON data must never change (src/platform/json/canonical.test.ts pins it).
 *
 * Beyond JSON data it follows JSON.stringify where that is unambiguous: `toJSON()` is honoured (a Date becomes its
 * ISO string), a member whose value is undefined, a function or a symbol is left out, and such an array item is
 * written `null`. What has no JSON form is refused with a TypeError: undefined, a function or a symbol as the whole
 * value, a bigint, NaN or an infinity, a string or member name holding a lone UTF-16 surrogate, and a value nested
 * deeper than MAX_CANONICAL_DEPTH (a circular one included).
 */

/** Far beyond what ORCA accepts (32 levels, MAX_JSON_DEPTH): the bound exists to refuse cycles, not documents. */
export const MAX_CANONICAL_DEPTH = 1000;

/** What JSON.stringify escapes, or a surrogate: text without any is written between quotes as it is. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON must escape
const NEEDS_ESCAPING = /["\\\u0000-\u001F\uD800-\uDFFF]/;
/** In a `u` regex a paired surrogate is one code point, so `\p{Cs}` matches only a lone surrogate. */
const LONE_SURROGATE = /\p{Cs}/u;

/** A JSON string literal, as RFC 8785 §3.2.2.2 writes it; throws on a lone surrogate, which is not Unicode text. */
export function canonicalString(text: string): string {
  if (!NEEDS_ESCAPING.test(text)) return `"${text}"`;
  if (LONE_SURROGATE.test(text)) throw new TypeError('canonical JSON cannot hold a lone UTF-16 surrogate');
  return JSON.stringify(text);
}

/** A JSON number, as RFC 8785 §3.2.2.3 writes it (ECMAScript's Number::toString; -0 is "0"); throws on NaN and ±∞. */
export function canonicalNumber(value: number): string {
  if (!Number.isFinite(value)) throw new TypeError(`canonical JSON cannot hold ${value}`);
  return String(value);
}

const isOmitted = (value: unknown) => value === undefined || typeof value === 'function' || typeof value === 'symbol';

function write(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string':
      return canonicalString(value);
    case 'number':
      return canonicalNumber(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (depth >= MAX_CANONICAL_DEPTH) throw new TypeError(`canonical JSON refuses values nested deeper than ${MAX_CANONICAL_DEPTH} levels (or circular)`);
      if (Array.isArray(value)) {
        let out = '[';
        for (let index = 0; index < value.length; index += 1) {
          const item: unknown = value[index];
          if (index > 0) out += ',';
          out += isOmitted(item) ? 'null' : write(item, depth + 1);
        }
        return `${out}]`;
      }
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return write(toJSON.call(value), depth + 1);
      const record = value as Record<string, unknown>;
      // The default sort compares UTF-16 code units: the order RFC 8785 §3.2.3 requires.
      const keys = Object.keys(record);
      if (keys.length > 1) keys.sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const item = record[key];
        if (isOmitted(item)) continue;
        out += `${first ? '' : ','}${canonicalString(key)}:${write(item, depth + 1)}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
  }
}

/** The RFC 8785 canonical JSON text of `value`; a TypeError for what JSON cannot represent (see above). */
export function canonicalJson(value: unknown): string {
  return write(value, 0);
}
