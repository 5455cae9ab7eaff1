import type { IncomingHttpHeaders } from 'node:http';

/** Longer values are not keys: refuse them before hashing anything. */
const MAX_CREDENTIAL_LENGTH = 256;

export type PresentedCredential = { kind: 'key'; value: string } | { kind: 'none' } | { kind: 'invalid' };

// Shared answers: the edge asks on every request, and these carry nothing request-specific.
const NONE: PresentedCredential = Object.freeze({ kind: 'none' });
const INVALID: PresentedCredential = Object.freeze({ kind: 'invalid' });

/**
 * The API key a request presents, from `X-API-Key` or `Authorization: Bearer`. Returns `invalid` for a
 * malformed or conflicting presentation (two different keys), `none` when there is none.
 */
export function presentedCredential(headers: IncomingHttpHeaders): PresentedCredential {
  const apiKey = headers['x-api-key'];
  const authorization = headers.authorization;
  let fromHeader: string | undefined;
  // eslint-disable-next-line security/detect-possible-timing-attacks -- compares with undefined (is the header present?), not a key's value; keys are compared by hash lookup
  if (apiKey !== undefined) {
    if (typeof apiKey !== 'string') return INVALID;
    fromHeader = apiKey.trim();
  }
  let fromBearer: string | undefined;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) return INVALID;
    fromBearer = match[1];
  }
  if (fromHeader !== undefined && fromBearer !== undefined && fromHeader !== fromBearer) return INVALID;
  const value = fromHeader ?? fromBearer;
  if (value === undefined) return NONE;
  if (value === '' || value.length > MAX_CREDENTIAL_LENGTH) return INVALID;
  return { kind: 'key', value };
}
