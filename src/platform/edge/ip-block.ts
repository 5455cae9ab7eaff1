import { BlockList, isIP } from 'node:net';

/** `::ffff:203.0.113.7` is the IPv4 client 203.0.113.7 seen through a dual-stack socket: judge it as IPv4. */
export function normaliseAddress(address: string): string {
  // eslint-disable-next-line security/detect-unsafe-regex -- anchored, and no unbounded quantifier is nested in another: linear in the input
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/** Builds a matcher over BLOCKED_IPS entries (single addresses and CIDR ranges, IPv4 and IPv6). */
export function createIpBlocklist(entries: readonly string[]): (address: string | undefined) => boolean {
  if (entries.length === 0) return () => false;
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/');
    const normalised = normaliseAddress(address!);
    const family = isIP(normalised) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(normalised, family);
    else if (normalised !== address) {
      // An IPv4-mapped range (`::ffff:203.0.113.0/120`) passes config validation as IPv6; its prefix counts
      // 128 bits, so it must be shifted to the 32 bits of the IPv4 address it was turned into (otherwise
      // BlockList threw a RangeError and the app did not start). A shorter prefix reaches past ::ffff:0:0/96
      // and stays an IPv6 range.
      const bits = Number(prefix);
      if (bits >= 96) list.addSubnet(normalised, bits - 96, 'ipv4');
      else list.addSubnet(address!, bits, 'ipv6');
    } else list.addSubnet(normalised, Number(prefix), family);
  }
  return (address) => {
    if (!address) return false;
    const normalised = normaliseAddress(address);
    const family = isIP(normalised);
    if (family === 0) return false;
    return list.check(normalised, family === 6 ? 'ipv6' : 'ipv4');
  };
}
