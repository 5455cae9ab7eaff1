/**
 * The single table of ORCA settings (docs/CONFIGURATION.md). Each entry names its environment variable, its default,
 * what it means and how a raw string becomes a typed value. `orca start --help` and docs/CONFIGURATION.md
 * are generated from this table, so the documentation cannot drift from the parser.
 */
import { isIP } from 'node:net';
import { parseDuration } from './duration.js';

export type ProcessRole = 'api' | 'worker' | 'all';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface OrcaConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolMax: number;
  databasePreparedStatements: boolean;
  databaseStatementTimeoutMs: number;
  databaseHeavyStatementTimeoutMs: number;
  redisUrl: string | undefined;
  apiKeys: string | undefined;
  secretKey: string | undefined;
  corsOrigins: string[];
  blockedIps: string[];
  rateLimitMax: number;
  rateLimitWindowMs: number;
  rateLimitRoleMax: Partial<Record<'admin' | 'operator' | 'viewer' | 'ingest', number>>;
  rateLimitWebhookMax: number;
  trustProxy: boolean | string[];
  alertWebhookUrl: string | undefined;
  alertWebhookSecret: string | undefined;
  alertmanagerUrl: string | undefined;
  deliveryRetries: number;
  deliveryRetryDelayMs: number;
  deliveryConcurrency: number;
  backupDir: string | undefined;
  backupIntervalMs: number;
  backupRetention: number;
  s3Bucket: string | undefined;
  s3Endpoint: string | undefined;
  awsRegion: string;
  otelEndpoint: string | undefined;
  logLevel: LogLevel;
  platformCostUsdMonthly: number | undefined;
  trustQuarantineBelow: number;
  trustSnapshotIntervalMs: number;
  shutdownTimeoutMs: number;
  bodyLimitBytes: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  handlerTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxHeaderSizeBytes: number;
  policyAllowSampleRate: number;
  syncSweepIntervalMs: number;
  alertsEnabled: boolean;
  alertsEvaluationIntervalMs: number;
  outboundTimeoutMs: number;
  outboundRetries: number;
  outboundMaxResponseBytes: number;
  outboundAllowCidrs: string[];
  outboundBreakerOpenMs: number;
  jobsConcurrency: number;
  jobsSchema: string | undefined;
  jobsPollIntervalMs: number;
}

/** Thrown by a parser with a human sentence saying what is wrong (the variable name is added by the loader). */
export class InvalidSetting extends Error {}

interface Setting<K extends keyof OrcaConfig> {
  env: string;
  key: K;
  default: string | undefined;
  description: string;
  /** Marks values that must never be echoed (in errors, `--help` or logs). */
  secret?: boolean;
  /**
   * The feature that will read this setting, for settings nothing reads yet: they are validated already (so a
   * deployment's whole configuration is checked), and `--help` and docs/CONFIGURATION.md mark them as planned.
   */
  planned?: string;
  parse: (raw: string) => OrcaConfig[K];
}

function integer(min: number, max: number) {
  return (raw: string): number => {
    if (!/^-?\d+$/.test(raw.trim())) throw new InvalidSetting(`must be an integer between ${min} and ${max}`);
    const value = Number(raw);
    if (value < min || value > max) throw new InvalidSetting(`must be an integer between ${min} and ${max}`);
    return value;
  };
}

function positiveNumber(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0) throw new InvalidSetting('must be a non-negative number');
  return value;
}

function fraction(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) throw new InvalidSetting('must be a number between 0 and 1');
  return value;
}

function duration(raw: string): number {
  const ms = parseDuration(raw);
  if (ms === undefined || ms <= 0) throw new InvalidSetting('must be a duration such as 500ms, 30s, 15m, 6h or 30d');
  return ms;
}

/** A duration that timers can hold (Node's setTimeout fires at once beyond 2^31 − 1 ms, about 24.8 days). */
function durationUpTo(maxMs: number, maxLabel: string) {
  return (raw: string): number => {
    const ms = duration(raw);
    if (ms > maxMs) throw new InvalidSetting(`must be at most ${maxLabel}`);
    return ms;
  };
}

function durationBetween(minMs: number, minLabel: string, maxMs: number, maxLabel: string) {
  return (raw: string): number => {
    const ms = duration(raw);
    if (ms < minMs || ms > maxMs) throw new InvalidSetting(`must be between ${minLabel} and ${maxLabel}`);
    return ms;
  };
}

function url(protocols: string[]) {
  return (raw: string): string => {
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new InvalidSetting(`must be a URL (${protocols.join(', ')})`);
    }
    if (!protocols.includes(parsed.protocol.replace(/:$/, ''))) {
      throw new InvalidSetting(`must use one of the schemes ${protocols.join(', ')}`);
    }
    return raw;
  };
}

function text(raw: string): string {
  if (raw.trim() === '') throw new InvalidSetting('must not be empty');
  return raw.trim();
}

function onOff(raw: string): boolean {
  const value = raw.trim().toLowerCase();
  if (value === 'on' || value === 'true' || value === '1') return true;
  if (value === 'off' || value === 'false' || value === '0') return false;
  throw new InvalidSetting('must be on or off');
}

function list(raw: string): string[] {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function ipOrCidr(value: string): boolean {
  const [address, prefix, extra] = value.split('/');
  if (extra !== undefined || address === undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d+$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

function ipsOrCidrs(raw: string): string[] {
  const entries = list(raw);
  const bad = entries.filter((entry) => !ipOrCidr(entry));
  if (bad.length > 0) throw new InvalidSetting(`not an IP address or CIDR range: ${bad.join(', ')}`);
  return entries;
}

function corsOrigins(raw: string): string[] {
  const entries = list(raw);
  for (const entry of entries) {
    if (entry === '*') throw new InvalidSetting('"*" is refused: list the exact origins allowed (credentials are sent)');
    if (entry.includes('*')) throw new InvalidSetting(`wildcards are not supported: list each origin exactly (got ${entry})`);
    let parsed: URL;
    try {
      parsed = new URL(entry);
    } catch {
      throw new InvalidSetting(`not an origin: ${entry}`);
    }
    if (parsed.origin !== entry) throw new InvalidSetting(`not an exact origin (scheme://host[:port]): ${entry}`);
  }
  return entries;
}

function trustProxy(raw: string): boolean | string[] {
  const value = raw.trim().toLowerCase();
  if (value === 'false' || value === '0' || value === '') return false;
  if (value === 'true' || value === '1') return true;
  return ipsOrCidrs(raw);
}

function logLevel(raw: string): LogLevel {
  const levels: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  const value = raw.trim().toLowerCase() as LogLevel;
  if (!levels.includes(value)) throw new InvalidSetting(`must be one of ${levels.join(', ')}`);
  return value;
}

function apiKeys(raw: string): string {
  for (const entry of list(raw)) {
    const parts = entry.split(':');
    if (parts.length !== 3 || parts.some((part) => part === '')) {
      // The entry itself is a secret: name only its position.
      throw new InvalidSetting('each entry must be name:role:secret');
    }
    if (!['admin', 'operator', 'viewer', 'ingest'].includes(parts[1] ?? '')) {
      throw new InvalidSetting(`role must be admin, operator, viewer or ingest (entry "${parts[0]}")`);
    }
  }
  return raw;
}

function roleLimits(raw: string): OrcaConfig['rateLimitRoleMax'] {
  const limits: OrcaConfig['rateLimitRoleMax'] = {};
  for (const entry of list(raw)) {
    const [role, max, extra] = entry.split(':');
    if (extra !== undefined || !['admin', 'operator', 'viewer', 'ingest'].includes(role ?? '') || !/^\d+$/.test(max ?? '') || Number(max) < 1) {
      throw new InvalidSetting(`each entry must be role:max with role admin, operator, viewer or ingest (got "${entry}")`);
    }
    limits[role as keyof OrcaConfig['rateLimitRoleMax']] = Number(max);
  }
  return limits;
}

function bytes(raw: string): number {
  const match = /^(\d+)\s*(b|kib|kb|mib|mb)?$/i.exec(raw.trim());
  if (!match) throw new InvalidSetting('must be a size such as 1048576, 512KiB or 1MiB');
  const unit = (match[2] ?? 'b').toLowerCase();
  const factor = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 * 1024 : 1;
  return Number(match[1]) * factor;
}

function webhookSecret(raw: string): string {
  const value = raw.trim();
  // The value is a secret: the message names only what is expected.
  const bytes = /^whsec_[A-Za-z0-9+/]+={0,2}$/.test(value) ? Buffer.from(value.slice('whsec_'.length), 'base64').length : 0;
  if (bytes < 24 || bytes > 64) throw new InvalidSetting('must be whsec_ followed by 24 to 64 random bytes in base64 (e.g. `echo whsec_$(openssl rand -base64 32)`)');
  return value;
}

function secretKey(raw: string): string {
  const value = raw.trim();
  // The value is a secret: the message names only what is expected.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || Buffer.from(value, 'base64').length !== 32) {
    throw new InvalidSetting('must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`)');
  }
  return value;
}

function schemaName(raw: string): string {
  const value = raw.trim();
  // pg-boss accepts word characters only, at most 50, not starting with a digit (the name is spliced into its SQL).
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,49}$/.test(value)) throw new InvalidSetting('must be a PostgreSQL schema name: letters, digits and _, at most 50, not starting with a digit');
  return value;
}

const optional = <T>(parse: (raw: string) => T) => parse as (raw: string) => T | undefined;

/** How a setting is described in `--help` and docs/CONFIGURATION.md: planned settings say so first. */
export function describeSetting(setting: { description: string; planned?: string }): string {
  return setting.planned ? `planned (${setting.planned}; not read yet): ${setting.description}` : setting.description;
}

export const SETTINGS = [
  { env: 'PORT', key: 'port', default: '3000', description: 'TCP port to listen on', parse: integer(0, 65535) },
  { env: 'HOST', key: 'host', default: '127.0.0.1', description: 'address to listen on', parse: text },
  { env: 'ORCA_DATA_DIR', key: 'dataDir', default: './.orca', description: 'embedded database (pgdata/), the first admin key (admin.key) and the source-secret key (secret.key)', parse: text },
  {
    env: 'DATABASE_URL',
    key: 'databaseUrl',
    default: undefined,
    description: 'PostgreSQL server (postgres://…); unset → embedded PGlite in ORCA_DATA_DIR',
    secret: true,
    parse: optional(url(['postgres', 'postgresql'])),
  },
  { env: 'DATABASE_POOL_MAX', key: 'databasePoolMax', default: '10', description: 'PostgreSQL connection pool size per process', parse: integer(1, 500) },
  {
    env: 'DATABASE_PREPARED_STATEMENTS',
    key: 'databasePreparedStatements',
    default: 'on',
    description: 'keep the hottest statements prepared per PostgreSQL connection (off behind a pooler in transaction mode without prepared-statement support, e.g. PgBouncer before 1.21)',
    parse: onOff,
  },
  {
    env: 'DATABASE_STATEMENT_TIMEOUT',
    key: 'databaseStatementTimeoutMs',
    default: '5s',
    description:
      'longest a PostgreSQL statement may run: the server cancels it (statement_timeout) and the client stops waiting shortly after (a frozen server); the request answers 503 with Retry-After',
    parse: durationUpTo(3_600_000, '1h'),
  },
  {
    env: 'DATABASE_HEAVY_STATEMENT_TIMEOUT',
    key: 'databaseHeavyStatementTimeoutMs',
    default: '30s',
    description: 'the same bound for reads known to be long: trust scores and KPIs over their window, and the trust/KPI snapshots',
    parse: durationUpTo(3_600_000, '1h'),
  },
  { env: 'REDIS_URL', key: 'redisUrl', default: undefined, description: 'Redis sharing rate-limit counters across replicas; unset or down → each process counts on its own (cache invalidation does not use Redis: it goes through PostgreSQL LISTEN/NOTIFY)', secret: true, parse: optional(url(['redis', 'rediss'])) },
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
  {
    env: 'ALERT_WEBHOOK_URL',
    key: 'alertWebhookUrl',
    default: undefined,
    description:
      'creates (or updates) at start-up the receiver named `webhook`: a Slack incoming webhook when the host is hooks.slack.com, else JSON signed with Standard Webhooks (docs/receivers.md)',
    secret: true,
    parse: optional(url(['http', 'https'])),
  },
  {
    env: 'ALERT_WEBHOOK_SECRET',
    key: 'alertWebhookSecret',
    default: undefined,
    description: 'the Standard Webhooks signing secret (whsec_ + base64 of 24–64 bytes) of the `webhook` receiver; unset → one is generated (set a known one with PATCH /api/v1/receivers/{id})',
    secret: true,
    parse: optional(webhookSecret),
  },
  {
    env: 'ALERTMANAGER_URL',
    key: 'alertmanagerUrl',
    default: undefined,
    description: 'creates (or updates) at start-up the receiver named `alertmanager`: a Prometheus Alertmanager (API v2), by its base URL (docs/receivers.md)',
    parse: optional(url(['http', 'https'])),
  },
  {
    env: 'DELIVERY_RETRIES',
    key: 'deliveryRetries',
    default: '10',
    description: 'retries of a notification delivery after its first attempt (5xx, 408, 429, timeouts, network errors, open breaker) before it is dead-lettered',
    parse: integer(0, 25),
  },
  {
    env: 'DELIVERY_RETRY_DELAY',
    key: 'deliveryRetryDelayMs',
    default: '2s',
    description: 'backoff base d of delivery retries (whole seconds): retry n waits d·2^(n−1) to d·2^n, so the default 10 retries span about 35 to 70 minutes',
    parse: durationBetween(1000, '1s', 3_600_000, '1h'),
  },
  {
    env: 'DELIVERY_CONCURRENCY',
    key: 'deliveryConcurrency',
    default: '20',
    description: 'notification deliveries a worker process sends at once (they mostly wait on receivers); always 1 on the embedded database',
    parse: integer(1, 200),
  },
  { env: 'BACKUP_DIR', key: 'backupDir', default: undefined, description: 'backup folder (default $ORCA_DATA_DIR/backups); see docs/backups.md', parse: optional(text) },
  { env: 'BACKUP_INTERVAL', key: 'backupIntervalMs', default: '6h', description: 'time between scheduled backups (run by a worker process)', parse: duration },
  { env: 'BACKUP_RETENTION', key: 'backupRetention', default: '28', description: 'how many backups to keep in BACKUP_DIR: the newest N (28 = a week at the default interval)', parse: integer(1, 100_000) },
  { env: 'S3_BUCKET', key: 's3Bucket', default: undefined, description: 'copy each backup to this S3-compatible bucket (credentials: the standard AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY… variables)', parse: optional(text) },
  { env: 'S3_ENDPOINT', key: 's3Endpoint', default: undefined, description: 'S3-compatible endpoint URL (unset → AWS S3); path-style addressing when set', parse: optional(url(['http', 'https'])) },
  { env: 'AWS_REGION', key: 'awsRegion', default: 'us-east-1', description: 'region of S3_BUCKET', parse: text },
  { env: 'OTEL_EXPORTER_OTLP_ENDPOINT', key: 'otelEndpoint', default: undefined, description: 'OpenTelemetry OTLP endpoint for traces (optional)', planned: 'tracing', parse: optional(url(['http', 'https'])) },
  { env: 'LOG_LEVEL', key: 'logLevel', default: 'info', description: 'pino log level', parse: logLevel },
  { env: 'PLATFORM_COST_USD_MONTHLY', key: 'platformCostUsdMonthly', default: undefined, description: 'platform cost, the denominator of ROI', parse: optional(positiveNumber) },
  { env: 'TRUST_QUARANTINE_BELOW', key: 'trustQuarantineBelow', default: '30', description: 'trust score under which an agent is quarantined', parse: integer(0, 100) },
  {
    env: 'TRUST_SNAPSHOT_INTERVAL',
    key: 'trustSnapshotIntervalMs',
    default: '15m',
    description: 'time between trust/KPI snapshots (history, gauges, auto-quarantine); whole seconds (rounded up), at most 7d',
    parse: durationUpTo(7 * 86_400_000, '7d'),
  },
  { env: 'SHUTDOWN_TIMEOUT', key: 'shutdownTimeoutMs', default: '10s', description: 'longest graceful shutdown before the process exits anyway', parse: duration },
  { env: 'BODY_LIMIT', key: 'bodyLimitBytes', default: '1MiB', description: 'largest accepted request body', parse: bytes },
  { env: 'HEADERS_TIMEOUT', key: 'headersTimeoutMs', default: '10s', description: 'time a client has to send complete request headers (slow-loris defence)', parse: duration },
  { env: 'REQUEST_TIMEOUT', key: 'requestTimeoutMs', default: '30s', description: 'time a client has to send a complete request', parse: duration },
  {
    env: 'HANDLER_TIMEOUT',
    key: 'handlerTimeoutMs',
    default: '45s',
    description: 'longest ORCA works on one request, from routing to the answer, before answering 503 with Retry-After (keep it above DATABASE_HEAVY_STATEMENT_TIMEOUT)',
    parse: durationUpTo(3_600_000, '1h'),
  },
  { env: 'KEEP_ALIVE_TIMEOUT', key: 'keepAliveTimeoutMs', default: '5s', description: 'idle time before a keep-alive connection is closed', parse: duration },
  { env: 'MAX_HEADER_SIZE', key: 'maxHeaderSizeBytes', default: '16KiB', description: 'largest accepted request header block (431 beyond)', parse: bytes },
  { env: 'POLICY_ALLOW_SAMPLE_RATE', key: 'policyAllowSampleRate', default: '1', description: 'share (0–1) of policy allow decisions without violations that are recorded; every violation is always recorded', parse: fraction },
  {
    env: 'OUTBOUND_TIMEOUT',
    key: 'outboundTimeoutMs',
    default: '10s',
    description: 'longest one attempt of an outbound HTTP call (alert receivers, callbacks, discovery) may take, from connecting to the end of the answer',
    parse: durationUpTo(600_000, '10m'),
  },
  {
    env: 'OUTBOUND_RETRIES',
    key: 'outboundRetries',
    default: '2',
    description: 'retries after the first attempt of an outbound call, on network errors, timeouts, 5xx, 408 and 429 (jittered exponential backoff honouring Retry-After); calls made by jobs retry through the job queue instead',
    parse: integer(0, 10),
  },
  { env: 'OUTBOUND_MAX_RESPONSE_BYTES', key: 'outboundMaxResponseBytes', default: '1MiB', description: 'largest answer body an outbound call reads; a larger one fails the call (too_large)', parse: bytes },
  {
    env: 'OUTBOUND_ALLOW_CIDRS',
    key: 'outboundAllowCidrs',
    default: '',
    description:
      'comma-separated IPs and CIDR ranges (v4/v6) that outbound calls may reach although the SSRF guard refuses them (loopback, private, link-local, unique-local, CGNAT, multicast), e.g. 127.0.0.0/8 for a receiver on the same host',
    parse: ipsOrCidrs,
  },
  {
    env: 'OUTBOUND_BREAKER_OPEN_DURATION',
    key: 'outboundBreakerOpenMs',
    default: '60s',
    description: "how long an outbound target's circuit breaker stays open (calls fail at once, nothing is sent) after 5 consecutive failures, before it is probed",
    parse: durationUpTo(86_400_000, '1d'),
  },
  {
    env: 'SYNC_SWEEP_INTERVAL',
    key: 'syncSweepIntervalMs',
    default: '30s',
    description: 'time between sweeps of the sync analyzer for time-based rules (stale streams, follow-up deadlines); whole seconds (rounded up), at most 7d',
    parse: durationUpTo(7 * 86_400_000, '7d'),
  },
  {
    env: 'ALERTS_ENABLED',
    key: 'alertsEnabled',
    default: 'true',
    description:
      'false: alert rules are never evaluated (no prompt or scheduled evaluation, no alert signals recorded), so no alert fires and nothing is notified; for measuring what evaluation costs, or a replica set that must stay silent (docs/alerts.md)',
    parse: onOff,
  },
  {
    env: 'ALERTS_EVALUATION_INTERVAL',
    key: 'alertsEvaluationIntervalMs',
    default: '15s',
    description:
      'time between scheduled evaluations of the alert rules (docs/alerts.md); writes that can change an alert also ask for one at once, so this bounds time-based rules (agent_silent, windows closing); whole seconds (rounded up), at most 1h',
    parse: durationUpTo(3_600_000, '1h'),
  },
  {
    env: 'JOBS_CONCURRENCY',
    key: 'jobsConcurrency',
    default: '5',
    description: 'jobs of one queue that a worker process runs at once (a queue may set its own); always 1 on the embedded database',
    parse: integer(1, 100),
  },
  {
    env: 'JOBS_SCHEMA',
    key: 'jobsSchema',
    default: undefined,
    description:
      'PostgreSQL schema holding the job queue (pg-boss tables); unset → pgboss, or <schema>_pgboss when ORCA\'s own tables live in a schema other than public (search_path), so that two installations sharing a database never share a queue',
    parse: optional(schemaName),
  },
  {
    env: 'JOBS_POLL_INTERVAL',
    key: 'jobsPollIntervalMs',
    default: '2s',
    description: 'how often an idle worker looks for due jobs (retries, delayed jobs); new jobs wake workers at once through LISTEN/NOTIFY',
    parse: durationBetween(100, '100ms', 300_000, '5m'),
  },
] as const satisfies readonly Setting<keyof OrcaConfig>[];
