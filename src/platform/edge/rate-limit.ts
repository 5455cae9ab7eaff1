import type { OrcaConfig } from '../config/schema.js';
import type { Role } from '../http/roles.js';
import type { RateLimitStore, WindowCount } from './rate-limit-store.js';

export interface RateLimitDecision {
  allowed: boolean;
  policy: string;
  limit: number;
  remaining: number;
  resetSeconds: number;
}

/** An API key; an anonymous client by IP; or a source whose webhook signature verified. */
export type RateLimitCaller = { keyId: string; role: Role } | { ip: string } | { sourceId: string };

/** A decision with its `RateLimit-Policy` value, which is the same for every request under one policy. */
export type LimiterDecision = RateLimitDecision & { policyHeader: string };

/**
 * The limit that applies to a caller: per API key (its role may have its own maximum), per client IP when
 * anonymous, per source for webhook deliveries whose signature verified. Returns what the IETF RateLimit headers
 * need (draft-ietf-httpapi-ratelimit-headers).
 *
 * `check` answers synchronously when the store does (the per-process store) and with a promise otherwise (Redis):
 * the edge calls it on every request, and an async function costs a promise and a microtask even when nothing waits.
 */
export function createRateLimiter(
  config: Pick<OrcaConfig, 'rateLimitMax' | 'rateLimitWindowMs' | 'rateLimitRoleMax' | 'rateLimitWebhookMax'>,
  store: RateLimitStore,
  now: () => number,
) {
  const windowMs = config.rateLimitWindowMs;
  const windowSeconds = Math.ceil(windowMs / 1000);
  // The RateLimit-Policy value depends only on the policy (and its limit): built once per policy, not per request.
  const policyHeaders = new Map<string, string>();
  const policyHeader = (policy: string, limit: number): string => {
    let header = policyHeaders.get(policy);
    if (header === undefined) {
      header = rateLimitPolicyHeader(policy, limit, windowSeconds);
      policyHeaders.set(policy, header);
    }
    return header;
  };
  const decide = (policy: string, limit: number, at: number, { count, resetAt }: WindowCount): LimiterDecision => ({
    allowed: count <= limit,
    policy,
    limit,
    remaining: Math.max(0, limit - count),
    resetSeconds: Math.max(0, Math.ceil((resetAt - at) / 1000)),
    policyHeader: policyHeader(policy, limit),
  });
  return {
    windowSeconds,
    check(caller: RateLimitCaller): LimiterDecision | Promise<LimiterDecision> {
      let bucket: string;
      let policy: string;
      let limit: number;
      if ('keyId' in caller) {
        bucket = `key:${caller.keyId}`;
        policy = caller.role;
        limit = config.rateLimitRoleMax[caller.role] ?? config.rateLimitMax;
      } else if ('sourceId' in caller) {
        bucket = `webhook:${caller.sourceId}`;
        policy = 'webhook';
        limit = config.rateLimitWebhookMax;
      } else {
        bucket = `ip:${caller.ip}`;
        policy = 'anonymous';
        limit = config.rateLimitMax;
      }
      const at = now();
      const counted = store.hit(bucket, windowMs, at);
      if (counted instanceof Promise) return counted.then((window) => decide(policy, limit, at, window));
      return decide(policy, limit, at, counted);
    },
  };
}

function rateLimitPolicyHeader(policy: string, limit: number, windowSeconds: number): string {
  return `"${policy}";q=${limit};w=${windowSeconds}`;
}

/** The `RateLimit` value: what is left of the caller's window and when it ends. */
export function rateLimitHeader(decision: Pick<RateLimitDecision, 'policy' | 'remaining' | 'resetSeconds'>): string {
  return `"${decision.policy}";r=${decision.remaining};t=${decision.resetSeconds}`;
}

export function rateLimitHeaders(decision: RateLimitDecision, windowSeconds: number): Record<string, string> {
  return {
    'ratelimit-policy': rateLimitPolicyHeader(decision.policy, decision.limit, windowSeconds),
    ratelimit: rateLimitHeader(decision),
  };
}
