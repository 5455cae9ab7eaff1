/**
 * Name resolution for outbound calls with the SSRF guard inside it. The guard judges the addresses the connection
 * will actually use: node's `http` connects to exactly what this lookup returns, so a name that resolves to a
 * public address when a receiver is created and to 127.0.0.1 later (DNS rebinding) is refused at connection time —
 * there is no second resolution between the check and the connect. A name with any refused address is refused
 * whole: a client may pick any address of a name.
 */
import { promises as dns, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import type { AddressGuard, AddressVerdict } from './address-guard.js';
import { OutboundError } from './outbound-error.js';

/** Every address a name resolves to (the system resolver by default; tests supply a fake DNS). */
export type ResolveHost = (hostname: string, family: 0 | 4 | 6) => Promise<LookupAddress[]>;

export const systemResolveHost: ResolveHost = (hostname, family) => dns.lookup(hostname, { all: true, family });

/** A URL's host as an IP address or a name (IPv6 literals lose their brackets). */
export function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/** The first refusal among a host's addresses, if any. */
export function refusalAmong(guard: AddressGuard, addresses: readonly LookupAddress[]): Extract<AddressVerdict, { allowed: false }> | undefined {
  for (const { address } of addresses) {
    const verdict = guard.check(address);
    if (!verdict.allowed) return verdict;
  }
  return undefined;
}

export function refusedHost(hostname: string, reason: string): OutboundError {
  return new OutboundError('refused', `refused by the SSRF guard: ${hostname} resolves to an address it refuses: ${reason}`);
}

/** The guard's verdict on a literal IP host, checked before connecting (node does not call `lookup` for those). */
export function refuseLiteralAddress(guard: AddressGuard, host: string): void {
  if (isIP(host) === 0) return;
  const verdict = guard.check(host);
  if (!verdict.allowed) throw new OutboundError('refused', `refused by the SSRF guard: ${verdict.reason}`);
}

export function createGuardedLookup(guard: AddressGuard, resolveHost: ResolveHost): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    const family = options.family === 4 || options.family === 6 ? options.family : 0;
    resolveHost(hostname, family).then(
      (addresses) => {
        const refusal = refusalAmong(guard, addresses);
        const first = addresses[0];
        if (refusal) callback(refusedHost(hostname, refusal.reason), '', 0);
        else if (!first) callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
        else if (options.all) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}
