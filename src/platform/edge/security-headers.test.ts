import { describe, expect, it } from 'vitest';
import { computeSecurityHeaders } from './security-headers.js';

describe('computeSecurityHeaders', () => {
  it('is the header set helmet produces for ORCA options, computed once', () => {
    expect(computeSecurityHeaders()).toEqual({
      'content-security-policy': "default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'",
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'origin-agent-cluster': '?1',
      'referrer-policy': 'no-referrer',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-content-type-options': 'nosniff',
      'x-dns-prefetch-control': 'off',
      'x-download-options': 'noopen',
      'x-frame-options': 'DENY',
      'x-permitted-cross-domain-policies': 'none',
      'x-xss-protection': '0',
    });
  });

  it('never sets X-Powered-By and returns a frozen object', () => {
    const headers = computeSecurityHeaders();
    expect(headers).not.toHaveProperty('x-powered-by');
    expect(Object.isFrozen(headers)).toBe(true);
  });
});
