import type { IncomingHttpHeaders } from 'node:http';

/** Longer values are not keys: refuse them before hashing anything. */
const MAX_CREDENTIAL_LENGTH = 256;

/**
 * The API key a request presents, from `X-API-Key` or `Authorization: Bearer`. Returns `invalid` for a
 * malformed or conflicting presentation (two different keys), `none` when there is none.
 */
export function presentedCredential(headers: IncomingHttpHeaders): { kind: 'key'; value: string } | { kind: 'none' } | { kind: 'invalid' } {
  const apiKey = headers['x-api-key'];
  const authorization = headers.authorization;
  let fromHeader: string | undefined;
  if (apiKey !== undefined) {
    if (typeof apiKey !== 'string') return { kind: 'invalid' };
    fromHeader = apiKey.trim();
  }
  let fromBearer: string | undefined;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) return { kind: 'invalid' };
    fromBearer = match[1];
  }
  if (fromHeader !== undefined && fromBearer !== undefined && fromHeader !== fromBearer) return { kind: 'invalid' };
  const value = fromHeader ?? fromBearer;
  if (value === undefined) return { kind: 'none' };
  if (value === '' || value.length > MAX_CREDENTIAL_LENGTH) return { kind: 'invalid' };
  return { kind: 'key', value };
}
