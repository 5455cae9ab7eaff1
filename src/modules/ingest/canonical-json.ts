import canonicalize from 'canonicalize';
import type { CanonicalFields } from './adapters/types.js';

/** Any UTF-16 surrogate: such documents take the reference implementation's path (it refuses lone ones). */
const SURROGATE = /[\uD800-\uDFFF]/;
/** What JSON.stringify would escape, or a surrogate: text without any is written between quotes as it is. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON must escape
const SPECIAL = /["\\\u0000-\u001F\uD800-\uDFFF]/;

function quoted(text: string): string {
  if (!SPECIAL.test(text)) return `"${text}"`;
  if (SURROGATE.test(text)) throw NEEDS_REFERENCE;
  return JSON.stringify(text);
}

/** Thrown inside the fast path when a value needs the reference implementation; never escapes this module. */
const NEEDS_REFERENCE = Symbol('needs the reference implementation');

function write(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return quoted(value);
    case 'number':
      // ECMAScript's Number-to-String (what JSON.stringify writes for a finite number; -0 becomes "0") is the
      // serialisation RFC 8785 §3.2.2.3 prescribes.
      if (!Number.isFinite(value)) throw NEEDS_REFERENCE;
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let index = 0; index < value.length; index += 1) {
          const item: unknown = value[index];
          if (index > 0) out += ',';
          out += item === undefined || typeof item === 'symbol' ? 'null' : write(item);
        }
        return `${out}]`;
      }
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') throw NEEDS_REFERENCE;
      const record = value as Record<string, unknown>;
      // Default sort compares UTF-16 code units: the order RFC 8785 §3.2.3 requires.
      const keys = Object.keys(record);
      if (keys.length > 1) keys.sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const item = record[key];
        if (item === undefined || typeof item === 'symbol') continue;
        out += `${first ? '' : ','}${quoted(key)}:${write(item)}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      throw NEEDS_REFERENCE;
  }
}

/**
 * RFC 8785 canonical JSON of a parsed JSON document, text for text what the `canonicalize` package produces (stored
 * payload hashes and content-derived idempotency keys depend on that), several times faster: one pass building the
 * string, without the package's per-value checks, which only documents that are not plain parsed JSON need
 * (surrogates, toJSON, non-finite numbers, undefined at the top). Those take the package's own path.
 */
export function canonicalJson(value: unknown): string | undefined {
  try {
    return write(value);
  } catch (error) {
    if (error !== NEEDS_REFERENCE) throw error;
    return (canonicalize as unknown as (input: unknown) => string | undefined)(value);
  }
}

/**
 * The canonical fields of a `/events` item whose hash is its payload hash (prepare-event.ts): an adapter's fields,
 * with the correlation under the name a `/events` item gives it, and the payload.
 */
export type CanonicalEventContent = Omit<CanonicalFields, 'correlation_key'> & { correlation_id: string | null; payload: unknown };

const nullable = (value: string | null) => (value === null ? 'null' : quoted(value));

/**
 * `canonicalJson(content)`, text for text, written field by field in RFC 8785's key order, which is fixed here: no
 * object to build, no keys to sort for each of a batch's thousands of events. Anything the fast path cannot write
 * takes the reference implementation's path with the whole object, as canonicalJson does.
 */
export function canonicalEventContent(content: CanonicalEventContent): string {
  try {
    // An absent payload is a key the reference leaves out; a non-finite number is not JSON.
    if (content.payload === undefined || (content.sequence !== null && !Number.isFinite(content.sequence))) throw NEEDS_REFERENCE;
    return (
      `{"agent_id":${nullable(content.agent_id)},"correlation_id":${nullable(content.correlation_id)},"entity_id":${quoted(content.entity_id)}` +
      `,"entity_type":${quoted(content.entity_type)},"event_type":${quoted(content.event_type)},"occurred_at":${quoted(content.occurred_at)}` +
      `,"payload":${write(content.payload)},"sequence":${content.sequence === null ? 'null' : String(content.sequence)}}`
    );
  } catch (error) {
    if (error !== NEEDS_REFERENCE) throw error;
    return canonicalJson({ ...content }) ?? 'null';
  }
}
