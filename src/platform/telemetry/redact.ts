/**
 * Log redaction. pino's path-based `redact` only covers paths we can name in advance; secrets and personal data
 * also hide in fields we cannot predict (a vendor payload, an error message holding a connection string, a query
 * string, a client's X-Correlation-ID). So every log object is walked: values under secret-like keys are replaced,
 * and every string (and object key) is scrubbed of credentials (redact-secrets.ts) and PII (redact-pii.ts)
 * (docs/OPERATIONS.md "Logs").
 *
 * This runs on every log line, so it must stay cheap and can never be a denial-of-service lever: each pattern is
 * guarded by a cheap precheck, every regular expression is linear in its input, and strings found clean are
 * remembered, so a hostile 1 MB string costs one pass, not a quadratic or exponential search (redact.test.ts
 * feeds them).
 */
import pino from 'pino';
import { CARD_REDACTED, DIGIT_SCRUBBER, EMAIL_SCRUBBER, isCardNumber, uuidAt } from './redact-pii.js';
import { REDACTED, SECRET_KEY, SECRET_SCRUBBERS, type Scrubber } from './redact-secrets.js';

const ALL: Scrubber[] = [...SECRET_SCRUBBERS, EMAIL_SCRUBBER, DIGIT_SCRUBBER];

export function isSecretKey(key: string): boolean {
  let secret = secretKeys.get(key);
  // eslint-disable-next-line security/detect-possible-timing-attacks -- compares a cache entry with undefined, not a secret's value
  if (secret !== undefined) return secret;
  secret = SECRET_KEY.test(key);
  // Field names repeat on every line (`correlation_id` on all of them); only names found clean are remembered.
  if (knownClean.has(key)) {
    if (secretKeys.size >= KNOWN_CLEAN_MAX_ENTRIES) secretKeys.clear();
    secretKeys.set(key, secret);
  }
  return secret;
}

const secretKeys = new Map<string, boolean>();

function scrubPlain(value: string): string {
  let result = value;
  for (const { applies, pattern, replace } of ALL) {
    if (applies(result)) result = result.replace(pattern, replace as (match: string) => string);
  }
  return result;
}

// eslint-disable-next-line security/detect-unsafe-regex -- each step is exactly '%' and two hex digits: one way to match, linear
const PERCENT_ESCAPES = /(?:%[0-9A-Fa-f]{2})+/g;

/** Lenient percent-decoding (malformed UTF-8 becomes U+FFFD instead of throwing like decodeURIComponent). */
function percentDecode(value: string): string {
  return value.replace(PERCENT_ESCAPES, (escapes) => Buffer.from(escapes.replace(/%/g, ''), 'hex').toString('utf8'));
}

const HAS_ESCAPE = /%[0-9A-Fa-f]{2}/;

/**
 * Strings that scrubbing left unchanged, so that the next time they are logged they are not scanned again. Log
 * messages, field names and most URLs repeat from line to line; scrubbing is deterministic, so a string found clean
 * once is clean every time. Only clean strings are kept (a secret never is), short ones, and a bounded number: when
 * full, the set starts over (an LRU would cost more per lookup than it saves).
 */
const knownClean = new Set<string>();
const KNOWN_CLEAN_MAX_LENGTH = 256;
const KNOWN_CLEAN_MAX_ENTRIES = 4096;

function rememberClean(value: string): void {
  if (knownClean.size >= KNOWN_CLEAN_MAX_ENTRIES) knownClean.clear();
  knownClean.add(value);
}

/**
 * Scrubs credentials and PII out of one string. URLs (the request line is logged) carry data percent-encoded
 * (`jane%40mail.com`, `%2B14155552671`, `4111%201111…`, `+` for a space), which the patterns would not see:
 * when the string holds escapes or `+`, its decoded form is scrubbed too and, if that found anything, the decoded
 * and scrubbed text is what gets logged. Decoding repeats (up to 3 times) so double encoding does not hide data.
 */
export function scrubString(value: string): string {
  // A bare UUID (every correlation id ORCA generates, ids bound to loggers) cannot match any pattern: hex
  // digits and dashes only, no digit run outside the UUID, no escape. Nearly every log line carries one.
  if (value.length === 36 && uuidAt(value, 0)) return value;
  if (knownClean.has(value)) return value;
  const result = scrubUncached(value);
  if (result === value && value.length <= KNOWN_CLEAN_MAX_LENGTH) rememberClean(value);
  return result;
}

function scrubUncached(value: string): string {
  const result = scrubPlain(value);
  if (!HAS_ESCAPE.test(result) && !result.includes('+')) return result;
  let decoded = percentDecode(result.replace(/\+/g, ' '));
  for (let round = 1; round < 3 && HAS_ESCAPE.test(decoded); round += 1) {
    const next = percentDecode(decoded);
    if (next === decoded) break;
    decoded = next;
  }
  if (decoded === result) return result;
  const scrubbed = scrubPlain(decoded);
  return scrubbed === decoded ? result : scrubbed;
}

/**
 * The request URL with the value of every query parameter replaced by `[REDACTED]` (names kept). For URLs whose
 * query string may carry a credential under a name that only configuration knows — a webhook source may take its
 * secret from any parameter it declares (a Salesforce source's `token_param`), which no list of secret-like names
 * can anticipate — and for URLs no route claimed, whose parameters nothing declares.
 */
export function redactQueryValues(url: string): string {
  const start = url.indexOf('?');
  if (start < 0 || start === url.length - 1) return url;
  const parts = url.slice(start + 1).split('&');
  for (let index = 0; index < parts.length; index += 1) {
    const part = parts[index]!;
    const equals = part.indexOf('=');
    // A bare `?value` is a value too: a sender may be configured to put its key there.
    if (equals < 0) parts[index] = part === '' ? part : REDACTED;
    else if (equals < part.length - 1) parts[index] = `${part.slice(0, equals)}=${REDACTED}`;
  }
  return `${url.slice(0, start + 1)}${parts.join('&')}`;
}

const MAX_DEPTH = 8;

export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (typeof value === 'number' || typeof value === 'bigint') return isCardNumber(value) ? CARD_REDACTED : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[Truncated]';
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  if (value instanceof Date) return value;
  // An Error's message and stack are not enumerable: walked as a plain object it became `{}` and the log of a
  // 500 lost its cause (found by test/http/errors.test.ts). Serialise it the way pino does, then scrub that.
  if (value instanceof Error) return redactValue({ ...pino.stdSerializers.err(value) }, depth);
  const output: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    // Keys are scrubbed too: a client-chosen key (`{"jane@mail.com": …}`) is data like any value.
    output[scrubString(key)] = isSecretKey(key) && inner !== undefined && inner !== null ? REDACTED : redactValue(inner, depth + 1);
  }
  return output;
}
