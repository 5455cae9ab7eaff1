import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load.js';
import { SETTINGS } from './schema.js';

let cwd: string;

beforeEach(() => {
  // An empty folder: no orca.config.yaml unless a test writes one, whatever the repository holds.
  cwd = mkdtempSync(join(tmpdir(), 'orca-config-'));
});

afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

/** The problems loadConfig reports for `env`; fails the test when it does not throw a ConfigError. */
function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, cwd);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env, cwd);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

describe('loadConfig defaults', () => {
  it('gives every setting its documented default (docs/CONFIGURATION.md)', () => {
    const config = loadConfig({}, cwd);
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: './.orca',
      databasePoolMax: 10,
      databasePreparedStatements: true,
      corsOrigins: [],
      blockedIps: [],
      rateLimitMax: 1000,
      rateLimitWindowMs: 15 * 60_000,
      trustProxy: false,
      backupIntervalMs: 6 * 3_600_000,
      backupRetention: 28,
      awsRegion: 'us-east-1',
      logLevel: 'info',
      trustQuarantineBelow: 30,
      shutdownTimeoutMs: 10_000,
      bodyLimitBytes: 1024 * 1024,
      outboundTimeoutMs: 10_000,
      outboundRetries: 2,
      outboundMaxResponseBytes: 1024 * 1024,
      outboundAllowCidrs: [],
      outboundBreakerOpenMs: 60_000,
      deliveryRetries: 10,
      deliveryRetryDelayMs: 2000,
      deliveryConcurrency: 20,
    });
    // Unset by default: the embedded database, in-process limits, no receivers, no S3, no tracing, no ROI.
    for (const key of [
      'databaseUrl',
      'redisUrl',
      'apiKeys',
      'alertWebhookUrl',
      'alertWebhookSecret',
      'alertmanagerUrl',
      'backupDir',
      's3Bucket',
      's3Endpoint',
      'otelEndpoint',
      'platformCostUsdMonthly',
    ] as const) {
      expect(config[key], key).toBeUndefined();
    }
  });

  it('has a value (possibly undefined) for every setting in the table and nothing else', () => {
    expect(Object.keys(loadConfig({}, cwd)).sort()).toEqual(SETTINGS.map((setting) => setting.key).sort());
  });

  it('treats an empty value as unset', () => {
    const config = loadConfig({ PORT: '', LOG_LEVEL: '', DATABASE_URL: '' }, cwd);
    expect(config.port).toBe(3000);
    expect(config.logLevel).toBe('info');
    expect(config.databaseUrl).toBeUndefined();
  });

  it('ignores variables that are not ORCA settings', () => {
    expect(loadConfig({ HOME: '/root', NODE_OPTIONS: '--x' }, cwd).port).toBe(3000);
  });
});

describe('loadConfig parsing', () => {
  it('parses valid values into typed settings', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        HOST: '0.0.0.0',
        DATABASE_URL: 'postgres://orca:pw@db:5432/orca',
        REDIS_URL: 'redis://:pw@cache:6379',
        API_KEYS: 'ci:admin:s3cret,bot:ingest:other',
        CORS_ORIGIN: 'https://a.example, https://b.example:8443',
        BLOCKED_IPS: '10.0.0.0/8, 192.168.1.1, 2001:db8::/32, ::1',
        RATE_LIMIT_MAX: '50',
        RATE_LIMIT_WINDOW: '30s',
        TRUST_PROXY: '10.0.0.1,10.1.0.0/16',
        LOG_LEVEL: 'DEBUG',
        PLATFORM_COST_USD_MONTHLY: '1250.50',
        BACKUP_INTERVAL: '1h',
        BODY_LIMIT: '2MiB',
        OUTBOUND_TIMEOUT: '2500ms',
        OUTBOUND_RETRIES: '0',
        OUTBOUND_MAX_RESPONSE_BYTES: '64KiB',
        OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8, 10.20.0.0/16, ::1',
        OUTBOUND_BREAKER_OPEN_DURATION: '5m',
      },
      cwd,
    );
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgres://orca:pw@db:5432/orca',
      redisUrl: 'redis://:pw@cache:6379',
      apiKeys: 'ci:admin:s3cret,bot:ingest:other',
      corsOrigins: ['https://a.example', 'https://b.example:8443'],
      blockedIps: ['10.0.0.0/8', '192.168.1.1', '2001:db8::/32', '::1'],
      rateLimitMax: 50,
      rateLimitWindowMs: 30_000,
      trustProxy: ['10.0.0.1', '10.1.0.0/16'],
      logLevel: 'debug',
      platformCostUsdMonthly: 1250.5,
      backupIntervalMs: 3_600_000,
      bodyLimitBytes: 2 * 1024 * 1024,
      outboundTimeoutMs: 2500,
      outboundRetries: 0,
      outboundMaxResponseBytes: 64 * 1024,
      outboundAllowCidrs: ['127.0.0.0/8', '10.20.0.0/16', '::1'],
      outboundBreakerOpenMs: 300_000,
    });
  });

  it.each([
    ['on', true],
    ['ON', true],
    ['true', true],
    ['off', false],
    ['false', false],
    ['0', false],
  ])('reads DATABASE_PREPARED_STATEMENTS=%s as %j', (raw, expected) => {
    expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: raw }, cwd).databasePreparedStatements).toBe(expected);
  });

  it.each([
    ['true', true],
    ['1', true],
    ['false', false],
    ['0', false],
  ])('reads TRUST_PROXY=%s as %j', (raw, expected) => {
    expect(loadConfig({ TRUST_PROXY: raw }, cwd).trustProxy).toBe(expected);
  });

  it('accepts postgresql:// as well as postgres://', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://h/db' }, cwd).databaseUrl).toBe('postgresql://h/db');
  });

  it('accepts the edges of the port range', () => {
    expect(loadConfig({ PORT: '0' }, cwd).port).toBe(0);
    expect(loadConfig({ PORT: '65535' }, cwd).port).toBe(65535);
  });
});

describe('loadConfig refuses invalid values, naming the variable', () => {
  it.each([
    [{ PORT: 'abc' }, 'PORT: must be an integer between 0 and 65535 (got "abc")'],
    [{ PORT: '70000' }, 'PORT: must be an integer between 0 and 65535 (got "70000")'],
    [{ PORT: '-1' }, 'PORT: must be an integer between 0 and 65535 (got "-1")'],
    [{ PORT: '80.5' }, 'PORT: must be an integer between 0 and 65535 (got "80.5")'],
    [{ RATE_LIMIT_WINDOW: 'soon' }, 'RATE_LIMIT_WINDOW: must be a duration such as 500ms, 30s, 15m, 6h or 30d (got "soon")'],
    [{ RATE_LIMIT_WINDOW: '0s' }, 'RATE_LIMIT_WINDOW: must be a duration such as 500ms, 30s, 15m, 6h or 30d (got "0s")'],
    [{ RATE_LIMIT_MAX: '0' }, 'RATE_LIMIT_MAX: must be an integer between 1 and 10000000 (got "0")'],
    [{ BLOCKED_IPS: '10.0.0.0/33' }, 'BLOCKED_IPS: not an IP address or CIDR range: 10.0.0.0/33 (got "10.0.0.0/33")'],
    [{ BLOCKED_IPS: '10.0.0.1, 300.1.1.1, ::1/129' }, 'BLOCKED_IPS: not an IP address or CIDR range: 300.1.1.1, ::1/129 (got "10.0.0.1, 300.1.1.1, ::1/129")'],
    [{ BLOCKED_IPS: '10.0.0.0/8/1' }, 'BLOCKED_IPS: not an IP address or CIDR range: 10.0.0.0/8/1 (got "10.0.0.0/8/1")'],
    [{ BLOCKED_IPS: 'example.com' }, 'BLOCKED_IPS: not an IP address or CIDR range: example.com (got "example.com")'],
    [{ CORS_ORIGIN: '*' }, 'CORS_ORIGIN: "*" is refused: list the exact origins allowed (credentials are sent) (got "*")'],
    [{ CORS_ORIGIN: 'https://a.example,*' }, 'CORS_ORIGIN: "*" is refused: list the exact origins allowed (credentials are sent) (got "https://a.example,*")'],
    [{ CORS_ORIGIN: 'https://*.example.com' }, 'CORS_ORIGIN: wildcards are not supported: list each origin exactly (got https://*.example.com) (got "https://*.example.com")'],
    [{ CORS_ORIGIN: 'https://a.example/app' }, 'CORS_ORIGIN: not an exact origin (scheme://host[:port]): https://a.example/app (got "https://a.example/app")'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY: not an IP address or CIDR range: maybe (got "maybe")'],
    [{ PLATFORM_COST_USD_MONTHLY: '-5' }, 'PLATFORM_COST_USD_MONTHLY: must be a non-negative number (got "-5")'],
    [{ BODY_LIMIT: 'huge' }, 'BODY_LIMIT: must be a size such as 1048576, 512KiB or 1MiB (got "huge")'],
    [{ HOST: '   ' }, 'HOST: must not be empty (got "   ")'],
    [{ DATABASE_PREPARED_STATEMENTS: 'sometimes' }, 'DATABASE_PREPARED_STATEMENTS: must be on or off (got "sometimes")'],
    [{ ALERTMANAGER_URL: 'ftp://am' }, 'ALERTMANAGER_URL: must use one of the schemes http, https (got "ftp://am")'],
    [{ OUTBOUND_TIMEOUT: '0s' }, 'OUTBOUND_TIMEOUT: must be a duration such as 500ms, 30s, 15m, 6h or 30d (got "0s")'],
    [{ OUTBOUND_TIMEOUT: '1h' }, 'OUTBOUND_TIMEOUT: must be at most 10m (got "1h")'],
    [{ OUTBOUND_RETRIES: '11' }, 'OUTBOUND_RETRIES: must be an integer between 0 and 10 (got "11")'],
    [{ OUTBOUND_MAX_RESPONSE_BYTES: 'lots' }, 'OUTBOUND_MAX_RESPONSE_BYTES: must be a size such as 1048576, 512KiB or 1MiB (got "lots")'],
    [{ OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8, localhost' }, 'OUTBOUND_ALLOW_CIDRS: not an IP address or CIDR range: localhost (got "127.0.0.0/8, localhost")'],
    [{ OUTBOUND_BREAKER_OPEN_DURATION: '2d' }, 'OUTBOUND_BREAKER_OPEN_DURATION: must be at most 1d (got "2d")'],
  ])('%j → %s', (env, expected) => {
    expect(problemsOf(env)).toEqual([expected]);
  });

  it('names the variable in the thrown message too, so the CLI can print it as is', () => {
    expect(errorOf({ PORT: 'abc' }).message).toBe('invalid configuration:\n  - PORT: must be an integer between 0 and 65535 (got "abc")');
  });

  it('cuts a long invalid value short in the message', () => {
    const [problem] = problemsOf({ LOG_LEVEL: 'x'.repeat(200) });
    expect(problem).toBe(`LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "${'x'.repeat(80)}…")`);
  });

  it('reports every problem at once, in table order', () => {
    expect(problemsOf({ LOG_LEVEL: 'loud', PORT: 'abc', RATE_LIMIT_WINDOW: 'soon', DATABASE_URL: 'mysql://x' })).toEqual([
      'PORT: must be an integer between 0 and 65535 (got "abc")',
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
      'DATABASE_URL: must use one of the schemes postgres, postgresql',
      'RATE_LIMIT_WINDOW: must be a duration such as 500ms, 30s, 15m, 6h or 30d (got "soon")',
    ]);
  });
});

describe('loadConfig never echoes secret values', () => {
  it.each([
    // secretlint-disable-next-line @secretlint/secretlint-rule-database-connection-string -- deliberate fake: the test checks it is never echoed
    [{ DATABASE_URL: 'mysql://root:hunter2@db/orca' }, 'DATABASE_URL: must use one of the schemes postgres, postgresql', 'hunter2'],
    [{ DATABASE_URL: 'not a url hunter2' }, 'DATABASE_URL: must be a URL (postgres, postgresql)', 'hunter2'],
    [{ REDIS_URL: 'http://:hunter2@cache' }, 'REDIS_URL: must use one of the schemes redis, rediss', 'hunter2'],
    [{ API_KEYS: 'ci-admin-hunter2' }, 'API_KEYS: each entry must be name:role:secret', 'hunter2'],
    [{ API_KEYS: 'ok:admin:s1,ci:root:hunter2' }, 'API_KEYS: role must be admin, operator, viewer or ingest (entry "ci")', 'hunter2'],
    [{ ALERT_WEBHOOK_URL: 'hooks.slack.com/services/T0/B0/hunter2' }, 'ALERT_WEBHOOK_URL: must be a URL (http, https)', 'hunter2'],
  ])('%j', (env, expected, secret) => {
    const error = errorOf(env);
    expect(error.problems).toEqual([expected]);
    expect(error.message).not.toContain(secret);
    expect(error.message).not.toContain(Object.values(env)[0]);
  });

  it('does not echo a secret read from the YAML file either', () => {
    // secretlint-disable-next-line @secretlint/secretlint-rule-database-connection-string -- deliberate fake: the test checks it is never echoed
    writeFileSync(join(cwd, 'orca.config.yaml'), 'DATABASE_URL: "mysql://root:hunter2@db/orca"\n');
    const error = errorOf({});
    expect(error.problems).toEqual(['DATABASE_URL: must use one of the schemes postgres, postgresql']);
    expect(error.message).not.toContain('hunter2');
  });
});

describe('orca.config.yaml', () => {
  it('is read from the given working directory', () => {
    writeFileSync(join(cwd, 'orca.config.yaml'), 'PORT: 4000\nLOG_LEVEL: debug\nBLOCKED_IPS: "10.0.0.0/8"\n');
    const config = loadConfig({}, cwd);
    expect(config.port).toBe(4000);
    expect(config.logLevel).toBe('debug');
    expect(config.blockedIps).toEqual(['10.0.0.0/8']);
  });

  it('loses to the environment, setting by setting', () => {
    writeFileSync(join(cwd, 'orca.config.yaml'), 'PORT: 4000\nLOG_LEVEL: debug\n');
    const config = loadConfig({ PORT: '5000' }, cwd);
    expect(config.port).toBe(5000);
    expect(config.logLevel).toBe('debug');
  });

  it('is not hidden by an empty variable, which counts as unset', () => {
    writeFileSync(join(cwd, 'orca.config.yaml'), 'PORT: 4000\n');
    expect(loadConfig({ PORT: '' }, cwd).port).toBe(4000);
    expect(loadConfig({ LOG_LEVEL: '' }, cwd).logLevel).toBe('info');
  });

  it('is not read from anywhere but the given directory', () => {
    const other = mkdtempSync(join(tmpdir(), 'orca-config-other-'));
    try {
      writeFileSync(join(other, 'orca.config.yaml'), 'PORT: 4000\n');
      expect(loadConfig({}, cwd).port).toBe(3000);
      expect(loadConfig({}, other).port).toBe(4000);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('validates file values like environment values, naming the variable', () => {
    writeFileSync(join(cwd, 'orca.config.yaml'), 'PORT: 70000\nLOG_LEVEL: loud\n');
    expect(problemsOf({})).toEqual([
      'PORT: must be an integer between 0 and 65535 (got "70000")',
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
    ]);
  });

  it('refuses unknown keys, all of them', () => {
    const path = join(cwd, 'orca.config.yaml');
    writeFileSync(path, 'PORT: 4000\nPROT: 1\nlog_level: info\n');
    expect(problemsOf({})).toEqual([`${path}: unknown setting PROT`, `${path}: unknown setting log_level`]);
  });

  it('refuses a document that is not a mapping', () => {
    const path = join(cwd, 'orca.config.yaml');
    writeFileSync(path, '- PORT\n- 4000\n');
    expect(problemsOf({})).toEqual([`${path}: must be a mapping of VARIABLE: value`]);
  });

  it('refuses invalid YAML', () => {
    const path = join(cwd, 'orca.config.yaml');
    writeFileSync(path, 'PORT: [4000\n');
    const [problem, ...rest] = problemsOf({});
    expect(rest).toEqual([]);
    expect(problem).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not valid YAML \\(.+\\)$`));
  });

  it('accepts an empty file', () => {
    writeFileSync(join(cwd, 'orca.config.yaml'), '');
    expect(loadConfig({}, cwd).port).toBe(3000);
  });

  it('may be named by ORCA_CONFIG_FILE, which must then exist', () => {
    writeFileSync(join(cwd, 'custom.yaml'), 'PORT: 4100\n');
    expect(loadConfig({ ORCA_CONFIG_FILE: 'custom.yaml' }, cwd).port).toBe(4100);
    expect(problemsOf({ ORCA_CONFIG_FILE: 'missing.yaml' })).toEqual([`ORCA_CONFIG_FILE: file not found: ${join(cwd, 'missing.yaml')}`]);
  });
});

describe('the loaded config', () => {
  it('is frozen', () => {
    const config = loadConfig({}, cwd);
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(config.port).toBe(3000);
  });
});
