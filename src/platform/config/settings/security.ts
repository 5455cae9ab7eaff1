/** Keys, the secret-encryption key, and what the edge lets in: CORS, blocked addresses, rate limits, proxies. */
import { apiKeys, corsOrigins, duration, integer, ipsOrCidrs, optional, roleLimits, secretKey, trustProxy, type Setting } from '../parsers.js';

export const SECURITY_SETTINGS = [
  { env: 'API_KEYS', key: 'apiKeys', default: undefined, description: 'bootstrap keys name:role:secret,… (hashed at start)', secret: true, parse: optional(apiKeys) },
  {
    env: 'ORCA_SECRET_KEY',
    key: 'secretKey',
    default: undefined,
    description: 'base64 32-byte key encrypting the secrets ORCA stores (source signing secrets, receiver URLs, secrets and tokens); unset → ORCA_DATA_DIR/secret.key, generated on first use (replicas sharing PostgreSQL must share it)',
    secret: true,
    parse: optional(secretKey),
  },
  { env: 'CORS_ORIGIN', key: 'corsOrigins', default: '', description: 'comma-separated exact origins allowed cross-origin access', parse: corsOrigins },
  { env: 'BLOCKED_IPS', key: 'blockedIps', default: '', description: 'comma-separated IPs and CIDR ranges (v4/v6) answered 403', parse: ipsOrCidrs },
  { env: 'RATE_LIMIT_MAX', key: 'rateLimitMax', default: '1000', description: 'requests per window per API key (per IP when anonymous)', parse: integer(1, 10_000_000) },
  { env: 'RATE_LIMIT_WINDOW', key: 'rateLimitWindowMs', default: '15m', description: 'rate-limit window', parse: duration },
  { env: 'RATE_LIMIT_ROLE_MAX', key: 'rateLimitRoleMax', default: '', description: 'per-role overrides of RATE_LIMIT_MAX, e.g. ingest:100000,viewer:2000', parse: roleLimits },
  {
    env: 'RATE_LIMIT_WEBHOOK_MAX',
    key: 'rateLimitWebhookMax',
    default: '100000',
    description:
      'webhook deliveries per window per source, counted once their signature verifies (a budget of their own: anonymous traffic from the same address cannot starve them)',
    parse: integer(1, 10_000_000),
  },
  { env: 'TRUST_PROXY', key: 'trustProxy', default: 'false', description: 'true, false, or the proxy IPs/CIDRs whose X-Forwarded-For is believed', parse: trustProxy },
] as const satisfies readonly Setting[];
