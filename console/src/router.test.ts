import { describe, expect, it } from 'vitest';
import { href, matchPath, safeNext, signInUrl } from './router.ts';

describe('safeNext: where the sign-in page may send the browser', () => {
  it('keeps a console page with its query', () => {
    expect(safeNext('/console/agents?status=quarantined')).toBe('/console/agents?status=quarantined');
    expect(safeNext('/console/sync/gaps')).toBe('/console/sync/gaps');
  });

  it('refuses anything that is not a console page of this origin (no open redirect), and the sign-in page itself', () => {
    for (const next of [null, '', 'https://evil.example/console/', '//evil.example/console/', '/console\\@evil.example', '/consolex', '/api/v1/keys', '/console/sign-in?next=/console/']) {
      expect(safeNext(next), String(next)).toBe('/console/');
    }
  });

  it('round-trips through the sign-in URL', () => {
    const url = new URL(signInUrl('/console/agents?tag=a&b=c'), 'http://orca.test');
    expect(url.pathname).toBe('/console/sign-in');
    expect(safeNext(url.searchParams.get('next'))).toBe('/console/agents?tag=a&b=c');
  });
});

describe('matchPath and href', () => {
  it('matches patterns with parameters, decoded, and nothing longer or shorter', () => {
    expect(matchPath('/agents/:id', '/agents/0190a1b2-0000-7000-8000-000000000001')).toEqual({ id: '0190a1b2-0000-7000-8000-000000000001' });
    expect(matchPath('/agents/:id', '/agents/a%20b')).toEqual({ id: 'a b' });
    expect(matchPath('/agents/:id', '/agents')).toBeUndefined();
    expect(matchPath('/agents', '/agents/x')).toBeUndefined();
    expect(matchPath('/', '/')).toEqual({});
    expect(matchPath('/sync/gaps', '/sync/gaps/')).toEqual({});
  });

  it('builds console URLs, dropping empty query values', () => {
    expect(href('/')).toBe('/console/');
    expect(href('/sync/gaps', { status: 'open', type: undefined, contract: '' })).toBe('/console/sync/gaps?status=open');
    expect(href('/agents', { q: 'a&b' })).toBe('/console/agents?q=a%26b');
  });
});
