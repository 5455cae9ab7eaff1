import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/platform/errors.js';
import { OutboundError, type ResolveHost } from '../../src/platform/outbound/index.js';
import { startTestReceiver, type TestReceiver } from '../helpers/http-receiver.js';
import { createTestOutbound } from '../helpers/outbound.js';

const target = { kind: 'callback' as const, id: 'ssrf' };

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await rejection(promise);
  if (!(error instanceof OutboundError)) throw error;
  expect(error.reason).toBe('refused');
  return error.message;
}

/** A fake DNS (the outside world): names map to address lists, answered in turn when a name has several lists. */
function fakeDns(records: Record<string, Array<Array<[string, 4 | 6]>>>): ResolveHost & { lookups: string[] } {
  const lookups: string[] = [];
  const resolve = async (hostname: string): Promise<LookupAddress[]> => {
    const answers = records[hostname];
    const seen = lookups.filter((name) => name === hostname).length;
    lookups.push(hostname);
    if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    const answer = answers[Math.min(seen, answers.length - 1)]!;
    return answer.map(([address, family]) => ({ address, family }));
  };
  return Object.assign(resolve, { lookups });
}

describe('the SSRF guard on outbound calls', () => {
  let receiver: TestReceiver;
  beforeAll(async () => {
    receiver = await startTestReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  describe('without OUTBOUND_ALLOW_CIDRS', () => {
    const { client, sample } = createTestOutbound({ settings: { outboundAllowCidrs: [] } });
    afterAll(() => client.close());

    it.each([
      ['loopback', () => receiver.url(), '127.0.0.1 is a loopback address'],
      ['a private address', () => 'http://10.1.2.3/hook', '10.1.2.3 is a private address (RFC 1918)'],
      ['the cloud metadata service', () => 'http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a link-local address'],
      ['IPv6 loopback', () => `http://[::1]:${receiver.port}/`, '::1 is a loopback address'],
      ['IPv4-mapped loopback', () => `http://[::ffff:127.0.0.1]:${receiver.port}/`, '::ffff:7f00:1 is a loopback address'],
      ['a decimal IPv4 loopback', () => `http://2130706433:${receiver.port}/`, '127.0.0.1 is a loopback address'],
      ['a name resolving to loopback', () => `http://localhost:${receiver.port}/`, 'localhost resolves to an address it refuses: 127.0.0.1 is a loopback address'],
    ])('refuses %s, sending nothing', async (_name, url, reason) => {
      const before = receiver.requests.length;
      const message = await refusal(client.request(target, { url: url() }));
      expect(message).toContain(`refused by the SSRF guard: `);
      expect(message).toContain(reason);
      expect(message).toContain('OUTBOUND_ALLOW_CIDRS can allow it');
      expect(receiver.requests).toHaveLength(before);
    });

    it.each(['ftp://example.com/file', 'file:///etc/passwd', 'gopher://127.0.0.1:70/', 'not a url'])('refuses %s: only http and https leave the process', async (url) => {
      expect(await refusal(client.request(target, { url }))).toMatch(/only http and https URLs are called|not a valid URL/);
    });

    it('counts refusals as one outcome per call, never as a breaker failure', async () => {
      const before = await sample('orca_outbound_requests_total', { target_kind: 'callback', outcome: 'refused' });
      for (let index = 0; index < 6; index += 1) await refusal(client.request(target, { url: receiver.url() }));
      expect(await sample('orca_outbound_requests_total', { target_kind: 'callback', outcome: 'refused' })).toBe(before + 6);
      expect(client.breakers().find((breaker) => breaker.target === target.id)).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    });
  });

  describe('with OUTBOUND_ALLOW_CIDRS', () => {
    const { client } = createTestOutbound({ settings: { outboundAllowCidrs: ['127.0.0.0/8', '::1'] } });
    afterAll(() => client.close());

    it.each([
      ['127.0.0.1', () => receiver.url('/allowed')],
      ['the IPv4-mapped form', () => `http://[::ffff:127.0.0.1]:${receiver.port}/allowed`],
      ['localhost', () => `http://localhost:${receiver.port}/allowed`],
    ])('calls %s once its range is allowed', async (_name, url) => {
      const before = receiver.requests.length;
      const answer = await client.request(target, { url: url() });
      expect(answer.status).toBe(200);
      expect(receiver.requests).toHaveLength(before + 1);
    });

    it('still refuses the ranges it does not name', async () => {
      expect(await refusal(client.request(target, { url: 'http://169.254.169.254/' }))).toContain('169.254.169.254 is a link-local address');
      expect(await refusal(client.request(target, { url: 'http://192.168.0.10/' }))).toContain('192.168.0.10 is a private address');
    });
  });

  describe('on the resolved address (fake DNS)', () => {
    it('refuses a name when any of its addresses is refused', async () => {
      const dns = fakeDns({ 'mixed.example': [[['93.184.215.14', 4], ['10.0.0.7', 4]]] });
      const { client } = createTestOutbound({ settings: { outboundAllowCidrs: [] }, resolveHost: dns });
      expect(await refusal(client.request(target, { url: 'http://mixed.example/' }))).toContain('mixed.example resolves to an address it refuses: 10.0.0.7 is a private address');
      client.close();
    });

    it('connects to the address it checked: the request reaches what the guarded lookup returned', async () => {
      const dns = fakeDns({ 'receiver.example': [[['127.0.0.1', 4]]] });
      const { client } = createTestOutbound({ settings: { outboundAllowCidrs: ['127.0.0.0/8'] }, resolveHost: dns });
      const answer = await client.request(target, { url: `http://receiver.example:${receiver.port}/pinned` });
      expect(answer.status).toBe(200);
      const request = receiver.requests.at(-1)!;
      expect([request.url, request.headers.host]).toEqual(['/pinned', `receiver.example:${receiver.port}`]);
      client.close();
    });

    it('leaves no DNS-rebinding window: a name that was public at creation and is loopback at call time is refused', async () => {
      const dns = fakeDns({ 'rebind.example': [[['93.184.215.14', 4]], [['127.0.0.1', 4]]] });
      const { client } = createTestOutbound({ settings: { outboundAllowCidrs: [] }, resolveHost: dns });
      await client.assertAllowedUrl(`http://rebind.example:${receiver.port}/`);
      const before = receiver.requests.length;
      expect(await refusal(client.request(target, { url: `http://rebind.example:${receiver.port}/` }))).toContain('127.0.0.1 is a loopback address');
      expect(dns.lookups).toEqual(['rebind.example', 'rebind.example']);
      expect(receiver.requests).toHaveLength(before);
      client.close();
    });
  });
});

describe('assertAllowedUrl (creation-time check)', () => {
  const dns = fakeDns({
    'public.example': [[['93.184.215.14', 4], ['2606:2800:21f:cb07:6820:80da:af6b:8b2c', 6]]],
    'internal.example': [[['10.0.0.8', 4]]],
  });
  const { client } = createTestOutbound({ settings: { outboundAllowCidrs: [] }, resolveHost: dns });
  afterAll(() => client.close());

  async function appError(url: string, path?: string): Promise<AppError> {
    const error = await rejection(client.assertAllowedUrl(url, path));
    if (!(error instanceof AppError)) throw error;
    return error;
  }

  it('accepts a public address or a name resolving only to public addresses', async () => {
    await expect(client.assertAllowedUrl('https://93.184.215.14/hook')).resolves.toBeUndefined();
    await expect(client.assertAllowedUrl('https://public.example/services/T000/B000/XXXX')).resolves.toBeUndefined();
  });

  it.each([
    ['http://127.0.0.1:9093/', 'url is refused by the SSRF guard: 127.0.0.1 is a loopback address; OUTBOUND_ALLOW_CIDRS can allow it'],
    ['http://169.254.169.254/', 'url is refused by the SSRF guard: 169.254.169.254 is a link-local address (this includes cloud metadata services such as 169.254.169.254); OUTBOUND_ALLOW_CIDRS can allow it'],
    ['http://[::1]/', 'url is refused by the SSRF guard: ::1 is a loopback address; OUTBOUND_ALLOW_CIDRS can allow it'],
    ['http://[::ffff:127.0.0.1]/', 'url is refused by the SSRF guard: ::ffff:7f00:1 is a loopback address; OUTBOUND_ALLOW_CIDRS can allow it'],
    ['http://100.64.1.1/', 'url is refused by the SSRF guard: 100.64.1.1 is a carrier-grade NAT address (100.64.0.0/10); OUTBOUND_ALLOW_CIDRS can allow it'],
    ['http://internal.example/', 'url is refused by the SSRF guard: internal.example resolves to an address it refuses: 10.0.0.8 is a private address (RFC 1918); OUTBOUND_ALLOW_CIDRS can allow it'],
    ['http://missing.example/', 'url names a host that does not resolve (missing.example)'],
    ['ftp://public.example/', 'url must be an http or https URL (got ftp)'],
    ['public.example/hook', 'url must be an absolute http or https URL'],
  ])('answers 400 for %s, naming the field and the reason', async (url, message) => {
    const error = await appError(url);
    expect({ status: error.status, code: error.code, message: error.message, errors: error.details.errors }).toEqual({
      status: 400,
      code: 'validation_failed',
      message,
      errors: [{ path: '/body/url', message: message.replace(/^url /, '') }],
    });
  });

  it('names the field the route gives', async () => {
    const error = await appError('http://10.0.0.1/', '/body/config/webhook_url');
    expect(error.message).toBe('webhook_url is refused by the SSRF guard: 10.0.0.1 is a private address (RFC 1918); OUTBOUND_ALLOW_CIDRS can allow it');
    expect(error.details.errors).toEqual([{ path: '/body/config/webhook_url', message: 'is refused by the SSRF guard: 10.0.0.1 is a private address (RFC 1918); OUTBOUND_ALLOW_CIDRS can allow it' }]);
  });

  it('answers 503 when DNS cannot answer now (not the URL\'s fault)', async () => {
    const failing: ResolveHost = async () => {
      throw Object.assign(new Error('getaddrinfo EAI_AGAIN flaky.example'), { code: 'EAI_AGAIN' });
    };
    const outbound = createTestOutbound({ resolveHost: failing });
    const error = await rejection(outbound.client.assertAllowedUrl('https://flaky.example/'));
    expect(error).toBeInstanceOf(AppError);
    expect({ status: (error as AppError).status, retryAfter: (error as AppError).details.retryAfterSeconds }).toEqual({ status: 503, retryAfter: 5 });
    outbound.client.close();
  });

  it('allows what OUTBOUND_ALLOW_CIDRS allows, names included', async () => {
    const outbound = createTestOutbound({ settings: { outboundAllowCidrs: ['127.0.0.0/8', '::1'] } });
    await expect(outbound.client.assertAllowedUrl('http://127.0.0.1:9093/')).resolves.toBeUndefined();
    await expect(outbound.client.assertAllowedUrl('http://localhost:9093/')).resolves.toBeUndefined();
    await expect(outbound.client.assertAllowedUrl('http://10.0.0.1/')).rejects.toBeInstanceOf(AppError);
    outbound.client.close();
  });
});
