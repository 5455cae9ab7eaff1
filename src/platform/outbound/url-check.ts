/**
 * The SSRF guard at the door: a route that stores a URL ORCA will call later (a receiver, a callback) checks it
 * when it is created, so the mistake is a 400 to the person making it rather than a failed delivery at 3 a.m.
 * The connection-time check (guarded-lookup.ts) still runs on every call: DNS may change in between.
 */
import { isIP } from 'node:net';
import { AppError } from '../errors.js';
import type { AddressGuard } from './address-guard.js';
import { hostOf, refusalAmong, type ResolveHost } from './guarded-lookup.js';

/** getaddrinfo's answers for a name that does not exist (as opposed to a resolver that cannot answer now). */
const NO_SUCH_NAME = new Set(['ENOTFOUND', 'ENODATA', 'EAI_NONAME', 'EAI_NODATA']);

export async function assertAllowedUrl(raw: string, options: { guard: AddressGuard; resolveHost: ResolveHost; path?: string }): Promise<void> {
  const path = options.path ?? '/body/url';
  const invalid = (message: string) => new AppError('validation_failed', `${path.split('/').pop()} ${message}`, { errors: [{ path, message }] });
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(`must be an http or https URL (got ${url.protocol.slice(0, -1)})`);
  const host = hostOf(url);
  if (isIP(host) !== 0) {
    const verdict = options.guard.check(host);
    if (!verdict.allowed) throw invalid(`is refused by the SSRF guard: ${verdict.reason}`);
    return;
  }
  let addresses;
  try {
    addresses = await options.resolveHost(host, 0);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (NO_SUCH_NAME.has(code)) throw invalid(`names a host that does not resolve (${host})`);
    throw new AppError('unavailable', `could not resolve ${host} to check it (${code || 'DNS error'}); try again`, { retryAfterSeconds: 5 });
  }
  const refusal = refusalAmong(options.guard, addresses);
  if (refusal) throw invalid(`is refused by the SSRF guard: ${host} resolves to an address it refuses: ${refusal.reason}`);
}
