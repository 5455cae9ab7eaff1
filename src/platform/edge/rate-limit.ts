import type { OrcaConfig } from '../config/schema.js';
import type { Role } from '../http/roles.js';
import type { RateLimitStore } from './rate-limit-store.js';

export interface RateLimitDecision {
  allowed: boolean;
  policy: string;
  limit: number;
  remaining: number;
  resetSeconds: number;
}

/**
 * The limit that applies to a caller: per API key (its role may have its own maximum), per client IP when
 * anonymous. Returns what the IETF RateLimit headers need (draft-ietf-httpapi-ratelimit-headers).
 */
export function createRateLimiter(
  config: Pick<OrcaConfig, 'rateLimitMax' | 'rateLimitWindowMs' | 'rateLimitRoleMax'>,
  store: RateLimitStore,
  now: () => number,
) {
  const windowMs = config.rateLimitWindowMs;
  return {
    windowSeconds: Math.ceil(windowMs / 1000),
    async check(caller: { keyId: string; role: Role } | { ip: string }): Promise<RateLimitDecision> {
      const [bucket, policy, limit] =
        'keyId' in caller
          ? [`key:${caller.keyId}`, caller.role, config.rateLimitRoleMax[caller.role] ?? config.rateLimitMax]
          : [`ip:${caller.ip}`, 'anonymous', config.rateLimitMax];
      const at = now();
      const { count, resetAt } = await store.hit(bucket, windowMs, at);
      return {
        allowed: count <= limit,
        policy,
        limit,
        remaining: Math.max(0, limit - count),
        resetSeconds: Math.max(0, Math.ceil((resetAt - at) / 1000)),
      };
    },
  };
}

export function rateLimitHeaders(decision: RateLimitDecision, windowSeconds: number): Record<string, string> {
  return {
    'ratelimit-policy': `"${decision.policy}";q=${decision.limit};w=${windowSeconds}`,
    ratelimit: `"${decision.policy}";r=${decision.remaining};t=${decision.resetSeconds}`,
  };
}
