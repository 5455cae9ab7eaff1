/**
 * The SSRF guard's judgement of one IP address: may ORCA open a connection to it? Calls leave the process to
 * addresses that configuration (receivers, callbacks, discovery sources) or API clients chose, so a URL pointing at
 * the host itself, the local network or a cloud metadata service (169.254.169.254) would turn ORCA into a proxy
 * into places its callers cannot reach. Those ranges are refused unless OUTBOUND_ALLOW_CIDRS names them.
 *
 * `net.BlockList` does the matching; it treats an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`, `::ffff:7f00:1`)
 * as the IPv4 address it carries, so the mapped forms fall under the IPv4 ranges (and under IPv4 allow entries).
 */
import { BlockList, isIP } from 'node:net';

export type RefusedRange =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared_cgnat'
  | 'link_local'
  | 'unique_local'
  | 'multicast'
  | 'reserved';

const DESCRIPTIONS: Record<RefusedRange, string> = {
  unspecified: 'an unspecified ("this host") address',
  loopback: 'a loopback address',
  private: 'a private address (RFC 1918)',
  shared_cgnat: 'a carrier-grade NAT address (100.64.0.0/10)',
  link_local: 'a link-local address (this includes cloud metadata services such as 169.254.169.254)',
  unique_local: 'a unique-local IPv6 address (fc00::/7)',
  multicast: 'a multicast address',
  reserved: 'a reserved address',
};

type Range = readonly [network: string, prefix: number];

const IPV4_RANGES: ReadonlyArray<readonly [RefusedRange, Range]> = [
  ['unspecified', ['0.0.0.0', 8]],
  ['loopback', ['127.0.0.0', 8]],
  ['private', ['10.0.0.0', 8]],
  ['private', ['172.16.0.0', 12]],
  ['private', ['192.168.0.0', 16]],
  ['shared_cgnat', ['100.64.0.0', 10]],
  ['link_local', ['169.254.0.0', 16]],
  ['multicast', ['224.0.0.0', 4]],
  // IETF protocol assignments, benchmarking, and 240/4 with the limited broadcast 255.255.255.255: never a receiver.
  ['reserved', ['192.0.0.0', 24]],
  ['reserved', ['198.18.0.0', 15]],
  ['reserved', ['240.0.0.0', 4]],
];

const IPV6_RANGES: ReadonlyArray<readonly [RefusedRange, Range]> = [
  ['unspecified', ['::', 128]],
  ['loopback', ['::1', 128]],
  ['unique_local', ['fc00::', 7]],
  ['link_local', ['fe80::', 10]],
  ['multicast', ['ff00::', 8]],
  // Deprecated site-local and IPv4-compatible addresses (`::a.b.c.d`): no public service answers on them.
  ['reserved', ['fec0::', 10]],
  ['reserved', ['::', 96]],
];

/** The NAT64 well-known prefix (RFC 6052) carries an IPv4 address in its last 32 bits: 64:ff9b::7f00:1 is 127.0.0.1. */
function nat64(network: string, prefix: number): Range {
  const [a = 0, b = 0, c = 0, d = 0] = network.split('.').map(Number);
  const high = ((a << 8) | b).toString(16);
  const low = ((c << 8) | d).toString(16);
  return [`64:ff9b::${high}:${low}`, 96 + prefix];
}

/** One BlockList per refused range, checked in order: the reason a refusal names is the first that matches. */
const REFUSED: ReadonlyArray<readonly [RefusedRange, BlockList]> = (() => {
  const lists = new Map<RefusedRange, BlockList>();
  const listFor = (range: RefusedRange) => {
    let list = lists.get(range);
    if (!list) lists.set(range, (list = new BlockList()));
    return list;
  };
  for (const [range, [network, prefix]] of IPV4_RANGES) {
    listFor(range).addSubnet(network, prefix, 'ipv4');
    const [translated, translatedPrefix] = nat64(network, prefix);
    listFor(range).addSubnet(translated, translatedPrefix, 'ipv6');
  }
  for (const [range, [network, prefix]] of IPV6_RANGES) listFor(range).addSubnet(network, prefix, 'ipv6');
  return [...lists];
})();

export type AddressVerdict = { allowed: true } | { allowed: false; range: RefusedRange; reason: string };

export interface AddressGuard {
  /** Judges one IP address (v4 or v6, without brackets). A string that is not an IP address is refused. */
  check(address: string): AddressVerdict;
}

/**
 * `allowCidrs` are OUTBOUND_ALLOW_CIDRS entries (an address or a CIDR range, v4 or v6, validated by the config
 * parser): they exempt refused ranges, e.g. `127.0.0.0/8` for a receiver on the same host or `10.0.0.0/8` for
 * an Alertmanager inside the cluster.
 */
export function createAddressGuard(allowCidrs: readonly string[]): AddressGuard {
  const allowed = new BlockList();
  for (const entry of allowCidrs) {
    const [network = '', prefix] = entry.split('/');
    const family = isIP(network) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) allowed.addAddress(network, family);
    else allowed.addSubnet(network, Number(prefix), family);
  }
  return {
    check(address) {
      const family = isIP(address);
      if (family === 0) return { allowed: false, range: 'reserved', reason: `${address} is not an IP address` };
      const type = family === 6 ? 'ipv6' : 'ipv4';
      if (allowed.check(address, type)) return { allowed: true };
      for (const [range, list] of REFUSED) {
        if (list.check(address, type)) {
          return { allowed: false, range, reason: `${address} is ${DESCRIPTIONS[range]}; OUTBOUND_ALLOW_CIDRS can allow it` };
        }
      }
      return { allowed: true };
    },
  };
}
