/**
 * Classifies errors raised by either driver so the HTTP layer can answer correctly:
 * - `unavailable`: the database cannot be reached or is shutting down → 503 with Retry-After (SPEC §4);
 * - `bad_value`: PostgreSQL refused a value the client sent (SQLSTATE class 22, e.g. a NUL character in text,
 *   a number out of range) → 400, since it is a client mistake the schema could not express;
 * - undefined: anything else, which is a bug → 500.
 */
export type DatabaseErrorKind = 'unavailable' | 'bad_value';

const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '53400']);
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);
const UNAVAILABLE_MESSAGES = [
  /timeout exceeded when trying to connect/i,
  /connection terminated/i,
  /connection (?:ended|closed)/i,
  /client has encountered a connection error/i,
  /cannot use a pool after calling end/i,
  // node-postgres on a client that was ended: PGlite's connection once the database is closed (shutdown).
  /client was closed and is not queryable/i,
  /query read timeout/i,
  /PGlite is closed/i,
];

export function classifyDatabaseError(error: unknown): DatabaseErrorKind | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (/^22[0-9A-Z]{3}$/.test(code)) return 'bad_value';
    if (code.startsWith('08') || UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_NODE_CODES.has(code)) return 'unavailable';
  }
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return 'unavailable';
  return undefined;
}
