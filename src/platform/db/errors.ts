/**
 * Classifies errors raised by either driver so the HTTP layer can answer correctly:
 * - `unavailable`: the database cannot be reached, did not answer in time or is shutting down → 503 with Retry-After (docs/errors.md);
 * - `bad_value`: PostgreSQL refused a value the client sent (SQLSTATE class 22, e.g. a NUL character in text,
 *   a number out of range) → 400, since it is a client mistake the schema could not express;
 * - undefined: anything else, which is a bug → 500.
 */
export type DatabaseErrorKind = 'unavailable' | 'bad_value';

// 57014: cancelled, by statement_timeout (DATABASE_STATEMENT_TIMEOUT) or an operator: the database did not answer in time.
const UNAVAILABLE_SQLSTATES = new Set(['57014', '57P01', '57P02', '57P03', '53300', '53400']);
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

/**
 * Whether `error` is PostgreSQL's unique_violation (SQLSTATE 23505) of the named constraint. node-postgres reports the
 * constraint in its own field; PGlite may carry it in the message only, so both are read.
 */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, constraint: violated, message } = error as { code?: unknown; constraint?: unknown; message?: unknown };
  return code === '23505' && (violated === constraint || (typeof message === 'string' && message.includes(constraint)));
}
