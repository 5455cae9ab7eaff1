/**
 * Log redaction. pino's path-based `redact` only covers paths we can name in advance; secrets also hide in
 * fields we cannot predict (a vendor payload, an error message holding a connection string). So every log
 * object is walked: values under secret-like keys are replaced, and strings are scrubbed of credentials.
 */
import pino from 'pino';

export const REDACTED = '[REDACTED]';

const SECRET_KEY =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api[-_]?keys?|.*(password|passwd|secret|token|signature|credential|private[-_]?key|session)s?.*)$/i;

const STRING_SECRETS: Array<[RegExp, string]> = [
  // credentials inside URLs: scheme://user:password@host; the user may be empty (redis://:password@host is
  // the usual Redis form, which the first version of this pattern let through in clear)
  [/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi, `$1${REDACTED}@`],
  // bearer / basic credentials
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  // ORCA API keys: orca_<prefix>_<secret>
  [/\borca_[A-Za-z0-9]+_[A-Za-z0-9_-]{16,}/g, REDACTED],
  // secret-like query parameters
  [/([?&](?:api[-_]?key|key|token|secret|signature|password|access_token)=)[^&\s#]+/gi, `$1${REDACTED}`],
];

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

export function scrubString(value: string): string {
  let result = value;
  for (const [pattern, replacement] of STRING_SECRETS) result = result.replace(pattern, replacement);
  return result;
}

const MAX_DEPTH = 8;

export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[Truncated]';
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  if (value instanceof Date) return value;
  // An Error's message and stack are not enumerable: walked as a plain object it became `{}` and the log of a
  // 500 lost its cause (found by test/http/errors.test.ts). Serialise it the way pino does, then scrub that.
  if (value instanceof Error) return redactValue({ ...pino.stdSerializers.err(value) }, depth);
  const output: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    output[key] = isSecretKey(key) && inner !== undefined && inner !== null ? REDACTED : redactValue(inner, depth + 1);
  }
  return output;
}
