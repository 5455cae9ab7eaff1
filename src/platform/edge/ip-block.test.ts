import { describe, expect, it } from 'vitest';
import { createIpBlocklist, normaliseAddress } from './ip-block.js';

describe('normaliseAddress', () => {
  it.each([
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['::FFFF:203.0.113.7', '203.0.113.7'],
    ['10.1.2.3', '10.1.2.3'],
    ['2001:db8::1', '2001:db8::1'],
    // Not an IPv4-mapped address: left alone.
    ['::1', '::1'],
    ['::ffff:10.1.2', '::ffff:10.1.2'],
    ['x::ffff:10.1.2.3', 'x::ffff:10.1.2.3'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseAddress(input)).toBe(expected);
  });
});

describe('createIpBlocklist', () => {
  it('with no entries blocks nothing', () => {
    const isBlocked = createIpBlocklist([]);
    for (const address of ['0.0.0.0', '203.0.113.5', '::1', '::ffff:203.0.113.5', undefined]) expect(isBlocked(address)).toBe(false);
  });

  describe('IPv4', () => {
    it('a single address matches only itself', () => {
      const isBlocked = createIpBlocklist(['198.51.100.7']);
      expect(isBlocked('198.51.100.7')).toBe(true);
      expect(isBlocked('198.51.100.6')).toBe(false);
      expect(isBlocked('198.51.100.8')).toBe(false);
      expect(isBlocked('198.51.101.7')).toBe(false);
    });

    it('a /24 range matches its first and last address and nothing outside', () => {
      const isBlocked = createIpBlocklist(['203.0.113.0/24']);
      expect(isBlocked('203.0.113.0')).toBe(true);
      expect(isBlocked('203.0.113.128')).toBe(true);
      expect(isBlocked('203.0.113.255')).toBe(true);
      expect(isBlocked('203.0.112.255')).toBe(false);
      expect(isBlocked('203.0.114.0')).toBe(false);
    });

    it('a range written with host bits set covers the whole network (10.1.2.3/8 = 10.0.0.0/8)', () => {
      const isBlocked = createIpBlocklist(['10.1.2.3/8']);
      expect(isBlocked('10.0.0.0')).toBe(true);
      expect(isBlocked('10.255.255.255')).toBe(true);
      expect(isBlocked('11.0.0.0')).toBe(false);
      expect(isBlocked('9.255.255.255')).toBe(false);
    });

    it('/32 is exactly one address', () => {
      const isBlocked = createIpBlocklist(['203.0.113.9/32']);
      expect(isBlocked('203.0.113.9')).toBe(true);
      expect(isBlocked('203.0.113.8')).toBe(false);
      expect(isBlocked('203.0.113.10')).toBe(false);
    });

    it('/0 is every IPv4 address (including IPv4-mapped peers) and no IPv6 address', () => {
      const isBlocked = createIpBlocklist(['0.0.0.0/0']);
      expect(isBlocked('0.0.0.0')).toBe(true);
      expect(isBlocked('127.0.0.1')).toBe(true);
      expect(isBlocked('255.255.255.255')).toBe(true);
      expect(isBlocked('::ffff:8.8.8.8')).toBe(true);
      expect(isBlocked('2001:db8::1')).toBe(false);
      expect(isBlocked('::1')).toBe(false);
    });
  });

  describe('IPv6', () => {
    it('a single address matches itself in any spelling, and nothing else', () => {
      const isBlocked = createIpBlocklist(['2001:db8::42']);
      expect(isBlocked('2001:db8::42')).toBe(true);
      expect(isBlocked('2001:0db8:0000:0000:0000:0000:0000:0042')).toBe(true);
      expect(isBlocked('2001:DB8::42')).toBe(true);
      expect(isBlocked('2001:db8::43')).toBe(false);
      expect(isBlocked('2001:db8::41')).toBe(false);
    });

    it('a /32 range matches its first and last address and nothing outside', () => {
      const isBlocked = createIpBlocklist(['2001:db8::/32']);
      expect(isBlocked('2001:db8::')).toBe(true);
      expect(isBlocked('2001:db8::1')).toBe(true);
      expect(isBlocked('2001:db8:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(true);
      expect(isBlocked('2001:db7:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(false);
      expect(isBlocked('2001:db9::')).toBe(false);
    });

    it('/128 is exactly one address', () => {
      const isBlocked = createIpBlocklist(['2001:db8::7/128']);
      expect(isBlocked('2001:db8::7')).toBe(true);
      expect(isBlocked('2001:db8::6')).toBe(false);
      expect(isBlocked('2001:db8::8')).toBe(false);
    });

    it('an IPv6 range matches an IPv4 client only when it covers the client’s mapped form (::ffff:0:0/96)', () => {
      const globalUnicast = createIpBlocklist(['2000::/3']);
      expect(globalUnicast('2001:db8::1')).toBe(true);
      expect(globalUnicast('203.0.113.5')).toBe(false);
      expect(globalUnicast('::ffff:203.0.113.5')).toBe(false);
      // ::/0 and ::ffff:0:0/96 contain every IPv4-mapped address, so they also hold every IPv4 client.
      expect(createIpBlocklist(['::/0'])('203.0.113.5')).toBe(true);
      const allMapped = createIpBlocklist(['::ffff:0:0/96']);
      expect(allMapped('0.0.0.0')).toBe(true);
      expect(allMapped('255.255.255.255')).toBe(true);
      expect(allMapped('2001:db8::1')).toBe(false);
    });

    it('a range written in IPv4-mapped form counts its prefix in 128 bits (::ffff:203.0.113.0/120 = 203.0.113.0/24)', () => {
      // Accepted by config validation as an IPv6 range; it used to throw a RangeError when the edge was built.
      const isBlocked = createIpBlocklist(['::ffff:203.0.113.0/120']);
      expect(isBlocked('203.0.113.0')).toBe(true);
      expect(isBlocked('203.0.113.255')).toBe(true);
      expect(isBlocked('::ffff:203.0.113.5')).toBe(true);
      expect(isBlocked('203.0.112.255')).toBe(false);
      expect(isBlocked('203.0.114.0')).toBe(false);
      const single = createIpBlocklist(['::ffff:198.51.100.7/128']);
      expect(single('198.51.100.7')).toBe(true);
      expect(single('198.51.100.8')).toBe(false);
      // A prefix shorter than 96 reaches beyond the mapped block: it stays an IPv6 range (::/64 here).
      const wide = createIpBlocklist(['::ffff:1.2.3.4/64']);
      expect(wide('::1')).toBe(true);
      expect(wide('8.8.8.8')).toBe(true);
      expect(wide('2001:db8::1')).toBe(false);
    });
  });

  describe('IPv4-mapped IPv6 peers (dual-stack sockets)', () => {
    it('::ffff:10.1.2.3 is matched by a v4 range and a v4 address rule', () => {
      expect(createIpBlocklist(['10.0.0.0/8'])('::ffff:10.1.2.3')).toBe(true);
      expect(createIpBlocklist(['10.1.2.3'])('::ffff:10.1.2.3')).toBe(true);
      expect(createIpBlocklist(['10.1.2.3/32'])('::FFFF:10.1.2.3')).toBe(true);
    });

    it('the hexadecimal spelling of the same mapped address is matched too', () => {
      // ::ffff:a01:203 is ::ffff:10.1.2.3; a forwarded header may carry either spelling.
      expect(createIpBlocklist(['10.0.0.0/8'])('::ffff:a01:203')).toBe(true);
    });

    it('a mapped address outside the v4 rule is not blocked', () => {
      expect(createIpBlocklist(['10.0.0.0/8'])('::ffff:11.1.2.3')).toBe(false);
      expect(createIpBlocklist(['10.1.2.3'])('::ffff:10.1.2.4')).toBe(false);
    });

    it('a rule written as a mapped address blocks the plain IPv4 client', () => {
      const isBlocked = createIpBlocklist(['::ffff:198.51.100.7']);
      expect(isBlocked('198.51.100.7')).toBe(true);
      expect(isBlocked('::ffff:198.51.100.7')).toBe(true);
      expect(isBlocked('198.51.100.8')).toBe(false);
    });
  });

  describe('input that is not an IP address', () => {
    const isBlocked = createIpBlocklist(['0.0.0.0/0', '::/0']);
    it.each([[undefined], [''], ['not-an-ip'], ['203.0.113'], ['203.0.113.5:8080'], ['203.0.113.256'], ['[::1]'], ['2001:db8::1/64'], ['unix:/tmp/socket']])(
      '%j is never reported as blocked (and does not throw)',
      (address) => {
        expect(isBlocked(address)).toBe(false);
      },
    );
  });

  it('combines several entries of both families', () => {
    const isBlocked = createIpBlocklist(['203.0.113.0/24', '2001:db8::/32', '198.51.100.7']);
    expect(isBlocked('203.0.113.77')).toBe(true);
    expect(isBlocked('2001:db8:1::5')).toBe(true);
    expect(isBlocked('198.51.100.7')).toBe(true);
    expect(isBlocked('::ffff:203.0.113.77')).toBe(true);
    expect(isBlocked('198.51.100.70')).toBe(false);
    expect(isBlocked('2001:db80::1')).toBe(false);
    expect(isBlocked('192.0.2.1')).toBe(false);
  });
});
