import { describe, expect, it } from 'vitest';
import { createAddressGuard, type RefusedRange } from './address-guard.js';

const guard = createAddressGuard([]);

function rangeOf(address: string): RefusedRange | 'allowed' {
  const verdict = guard.check(address);
  return verdict.allowed ? 'allowed' : verdict.range;
}

describe('the SSRF address guard', () => {
  it.each<[string, RefusedRange]>([
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'shared_cgnat'],
    ['100.127.255.255', 'shared_cgnat'],
    ['169.254.169.254', 'link_local'],
    ['169.254.0.1', 'link_local'],
    ['fe80::1', 'link_local'],
    ['febf::1', 'link_local'],
    ['fc00::1', 'unique_local'],
    ['fd12:3456:789a::1', 'unique_local'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['192.0.0.170', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['fec0::1', 'reserved'],
    // IPv4 inside IPv6: mapped (dotted and hex), IPv4-compatible, and NAT64 forms of refused addresses.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['0:0:0:0:0:ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link_local'],
    ['::ffff:a9fe:a9fe', 'link_local'],
    ['::ffff:10.1.2.3', 'private'],
    ['::127.0.0.1', 'reserved'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'link_local'],
    ['64:ff9b::c0a8:101', 'private'],
  ])('refuses %s as %s', (address, range) => {
    expect(rangeOf(address)).toBe(range);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '172.15.255.255', '100.128.0.1', '100.63.255.255', '169.253.255.255', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])(
    'allows the public address %s',
    (address) => {
      expect(guard.check(address)).toEqual({ allowed: true });
    },
  );

  it('names the address, the range and the setting in its reason', () => {
    expect(guard.check('169.254.169.254')).toEqual({
      allowed: false,
      range: 'link_local',
      reason: '169.254.169.254 is a link-local address (this includes cloud metadata services such as 169.254.169.254); OUTBOUND_ALLOW_CIDRS can allow it',
    });
  });

  it('refuses what is not an IP address', () => {
    expect(guard.check('localhost')).toMatchObject({ allowed: false, range: 'reserved' });
  });

  it('lets OUTBOUND_ALLOW_CIDRS exempt exactly the ranges it names (IPv4 entries cover the mapped forms)', () => {
    const allowing = createAddressGuard(['127.0.0.0/8', '10.1.0.0/16', '::1', 'fd00::/8']);
    for (const address of ['127.0.0.1', '127.9.9.9', '::ffff:127.0.0.1', '::ffff:7f00:1', '10.1.2.3', '::1', 'fd00::5']) {
      expect(allowing.check(address), address).toEqual({ allowed: true });
    }
    for (const address of ['10.2.0.1', '169.254.169.254', '192.168.0.1', 'fc00::1', '::']) {
      expect(allowing.check(address).allowed, address).toBe(false);
    }
  });

  it('allows a single address given without a prefix', () => {
    const allowing = createAddressGuard(['169.254.169.254']);
    expect(allowing.check('169.254.169.254')).toEqual({ allowed: true });
    expect(allowing.check('169.254.169.253').allowed).toBe(false);
  });
});
