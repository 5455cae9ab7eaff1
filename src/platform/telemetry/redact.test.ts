import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { REDACTED, isSecretKey, redactValue, scrubString } from './redact.js';

function capture(): { lines: Array<Record<string, unknown>>; raw: string[]; destination: Writable } {
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      callback();
    },
  });
  return { lines, raw, destination };
}

describe('isSecretKey', () => {
  it.each([
    'authorization',
    'Authorization',
    'proxy-authorization',
    'cookie',
    'set-cookie',
    'x-api-key',
    'X-API-Key',
    'api_key',
    'apiKeys',
    'password',
    'db_password',
    'passwd',
    'token',
    'access_token',
    'refreshToken',
    'client_secret',
    'secrets',
    'webhook-signature',
    'credentials',
    'private_key',
    'session',
  ])('treats %j as secret', (key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  it.each(['name', 'owner', 'status', 'author', 'kind', 'url', 'message', 'correlation_id', 'fingerprint'])(
    'leaves %j alone',
    (key) => {
      expect(isSecretKey(key)).toBe(false);
    },
  );
});

describe('redactValue', () => {
  it('redacts secret-named fields at any depth, in objects and arrays', () => {
    const input = {
      req: { headers: { authorization: 'Bearer abcdefgh12345', 'x-api-key': 'k', cookie: 'sid=1', accept: 'application/json' } },
      body: { user: { password: 'p', profile: { settings: { api_token: 't', theme: 'dark' } } } },
      list: [{ client_secret: 's', id: 1 }, [{ password: 'q' }]],
    };
    expect(redactValue(input)).toEqual({
      req: { headers: { authorization: REDACTED, 'x-api-key': REDACTED, cookie: REDACTED, accept: 'application/json' } },
      body: { user: { password: REDACTED, profile: { settings: { api_token: REDACTED, theme: 'dark' } } } },
      list: [{ client_secret: REDACTED, id: 1 }, [{ password: REDACTED }]],
    });
  });

  it('redacts a secret-named field whatever its value type, but keeps null and undefined visible', () => {
    expect(redactValue({ token: 12345, secret: { nested: 'x' }, password: null, api_key: undefined })).toEqual({
      token: REDACTED,
      secret: REDACTED,
      password: null,
      api_key: undefined,
    });
  });

  it('does not modify its input', () => {
    const input = { password: 'p', nested: { url: 'postgres://u:hunter2@h/db' } };
    redactValue(input);
    expect(input).toEqual({ password: 'p', nested: { url: 'postgres://u:hunter2@h/db' } });
  });

  it('scrubs strings anywhere in the structure', () => {
    expect(redactValue({ a: [{ b: 'see postgres://u:hunter2@h/db' }] })).toEqual({ a: [{ b: `see postgres://u:${REDACTED}@h/db` }] });
  });

  it('serialises errors with their (scrubbed) message and stack', () => {
    const error = Object.assign(new TypeError('connect postgres://u:hunter2@h/db failed'), { code: 'ECONNREFUSED', password: 'p' });
    const result = redactValue({ err: error }) as { err: Record<string, unknown> };
    expect(result.err.type).toBe('TypeError');
    expect(result.err.message).toBe(`connect postgres://u:${REDACTED}@h/db failed`);
    expect(result.err.code).toBe('ECONNREFUSED');
    expect(result.err.password).toBe(REDACTED);
    expect(String(result.err.stack)).toContain(`TypeError: connect postgres://u:${REDACTED}@h/db failed`);
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });

  it('truncates absurdly deep structures instead of walking them', () => {
    let deep: unknown = 'bottom';
    for (let level = 0; level < 20; level += 1) deep = { level: deep };
    expect(JSON.stringify(redactValue(deep))).toContain('[Truncated]');
    expect(JSON.stringify(redactValue(deep))).not.toContain('bottom');
  });
});

describe('scrubString', () => {
  it.each([
    ['postgres://u:hunter2@h/db', `postgres://u:${REDACTED}@h/db`, 'hunter2'],
    ['redis://default:s3cr3t@cache:6379/0', `redis://default:${REDACTED}@cache:6379/0`, 's3cr3t'],
    ['REDIS_URL=redis://:s3cr3t@cache:6379', `REDIS_URL=redis://:${REDACTED}@cache:6379`, 's3cr3t'],
    ['https://user:pa55word@example.com/x', `https://user:${REDACTED}@example.com/x`, 'pa55word'],
    ['Authorization: Bearer abcdefgh12345', `Authorization: Bearer ${REDACTED}`, 'abcdefgh12345'],
    ['basic dXNlcjpwYXNzd29yZA==', `basic ${REDACTED}`, 'dXNlcjpwYXNzd29yZA'],
    ['key orca_ab12cd34_0123456789abcdefXYZ used', `key ${REDACTED} used`, '0123456789abcdefXYZ'],
    ['GET /x?api_key=abc123&limit=5', `GET /x?api_key=${REDACTED}&limit=5`, 'abc123'],
    ['GET /x?limit=5&token=t0k3n#frag', `GET /x?limit=5&token=${REDACTED}#frag`, 't0k3n'],
  ])('scrubs %j', (input, expected, secret) => {
    const output = scrubString(input);
    expect(output).toBe(expected);
    expect(output).not.toContain(secret);
  });

  it('leaves ordinary text untouched', () => {
    for (const text of ['agent a1 suspended', 'https://example.com/path?limit=5', 'bearer of bad news', 'orca_agents gauge', 'a@b.example']) {
      expect(scrubString(text)).toBe(text);
    }
  });
});

describe('createLogger', () => {
  it('writes no header secret and no URL credential', () => {
    const { lines, raw, destination } = capture();
    const logger = createLogger({ level: 'info', destination });
    logger.info({ req: { headers: { authorization: 'Bearer abcdefgh12345' } } }, 'connecting to postgres://u:hunter2@h/db');
    expect(raw).toHaveLength(1);
    expect(raw[0]).not.toContain('abcdefgh12345');
    expect(raw[0]).not.toContain('hunter2');
    expect(lines[0]).toMatchObject({
      level: 'info',
      service: 'orca',
      req: { headers: { authorization: REDACTED } },
      msg: `connecting to postgres://u:${REDACTED}@h/db`,
    });
  });

  it('scrubs format arguments as well as the message', () => {
    const { lines, raw, destination } = capture();
    const logger = createLogger({ level: 'info', destination });
    logger.info('database %s unreachable', 'postgres://u:hunter2@h/db');
    expect(raw[0]).not.toContain('hunter2');
    expect(lines[0]?.msg).toBe(`database postgres://u:${REDACTED}@h/db unreachable`);
  });

  it('logs an error with its type, scrubbed message and stack', () => {
    const { lines, raw, destination } = capture();
    const logger = createLogger({ level: 'info', destination });
    logger.error({ err: new RangeError('pool for postgres://u:hunter2@h/db exhausted') }, 'request failed');
    expect(raw[0]).not.toContain('hunter2');
    const err = lines[0]?.err as Record<string, unknown>;
    expect(err.type).toBe('RangeError');
    expect(err.message).toBe(`pool for postgres://u:${REDACTED}@h/db exhausted`);
    expect(String(err.stack)).toMatch(/^RangeError: pool for postgres:\/\/u:\[REDACTED\]@h\/db exhausted\n\s+at /);
  });

  it('scrubs the message pino takes from an error when none is given', () => {
    const { lines, raw, destination } = capture();
    const logger = createLogger({ level: 'info', destination });
    logger.error(new Error('cannot reach postgres://u:hunter2@h/db'));
    logger.error({ err: new Error('cannot reach redis://:s3cr3tpw@r:6379') });
    expect(raw).toHaveLength(2);
    for (const line of raw) {
      expect(line).not.toContain('hunter2');
      expect(line).not.toContain('s3cr3tpw');
    }
    expect(lines[0]?.msg).toBe(`cannot reach postgres://u:${REDACTED}@h/db`);
    expect(lines[1]?.msg).toBe(`cannot reach redis://:${REDACTED}@r:6379`);
  });

  it('redacts the bindings of child loggers, including grandchildren', () => {
    const { lines, raw, destination } = capture();
    const logger = createLogger({ level: 'info', destination });
    const child = logger.child({ headers: { 'x-api-key': 'orca_ab12cd34_0123456789abcdefXYZ' }, correlation_id: 'c-1' });
    child.child({ dsn: 'postgres://u:hunter2@h/db' }).info('grandchild');
    expect(raw[0]).not.toContain('0123456789abcdefXYZ');
    expect(raw[0]).not.toContain('hunter2');
    expect(lines[0]).toMatchObject({ headers: { 'x-api-key': REDACTED }, correlation_id: 'c-1', dsn: `postgres://u:${REDACTED}@h/db`, msg: 'grandchild' });
  });

  it('honours the level', () => {
    const { raw, destination } = capture();
    const logger = createLogger({ level: 'warn', destination });
    logger.info('hidden');
    logger.warn('shown');
    expect(raw).toHaveLength(1);
    expect(JSON.parse(raw[0] ?? '{}')).toMatchObject({ level: 'warn', msg: 'shown' });
  });
});
