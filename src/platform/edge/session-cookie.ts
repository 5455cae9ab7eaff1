import type { IncomingHttpHeaders } from 'node:http';
import { timingSafeEqual } from 'node:crypto';

/**
 * The web console's session cookie and CSRF header (docs/console.md "Sign-in and sessions"). The cookie is the only
 * credential a browser holds: HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), Secure
 * when the request came over TLS, Path=/ and an expiry. Writes made with it must also echo the session's
 * synchronizer token in CSRF_HEADER, which a cross-site page can neither read nor send.
 */
export const SESSION_COOKIE = 'orca_session';
export const CSRF_HEADER = 'x-csrf-token';

/** Session tokens are 32 random bytes in base64url (43 characters); anything else is not one of ours. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Methods that change nothing (RFC 9110 "safe"): the only ones a session may use without the CSRF token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method);
}

/**
 * The session token of a Cookie header, or undefined when there is none or it is malformed. Hand-parsed because only
 * one name is read: RFC 6265 §5.4 pairs separated by `;`, names compared exactly; the first matching pair wins.
 */
export function sessionTokenOf(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.cookie;
  if (header === undefined || header === '') return undefined;
  for (const pair of header.split(';')) {
    const separator = pair.indexOf('=');
    if (separator < 0) continue;
    if (pair.slice(0, separator).trim() !== SESSION_COOKIE) continue;
    const value = pair.slice(separator + 1).trim();
    return TOKEN_PATTERN.test(value) ? value : undefined;
  }
  return undefined;
}

/** The CSRF token a request presents, or undefined. */
export function presentedCsrfToken(headers: IncomingHttpHeaders): string | undefined {
  const value = headers[CSRF_HEADER];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Set-Cookie for a new session: expires with it (Max-Age in whole seconds). */
export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** Set-Cookie that makes the browser drop the session cookie (sign-out). */
export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** Whether the request echoes the session's CSRF token; compared in constant time. */
export function csrfTokenMatches(headers: IncomingHttpHeaders, expected: string): boolean {
  const presented = presentedCsrfToken(headers);
  if (presented === undefined) return false;
  const a = Buffer.from(presented, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
