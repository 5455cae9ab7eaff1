import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { createLogger, isoTimeOncePerMillisecond } from './logger.js';
import { CARD_REDACTED, EMAIL_REDACTED, PHONE_REDACTED, REDACTED, isSecretKey, passesLuhn, redactQueryValues, redactValue, scrubString } from './redact.js';

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
    'svix-signature',
    'credentials',
    'private_key',
    'session',
    'x-orca-webhook-key',
  ])('treats %j as secret', (key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  it.each(['name', 'owner', 'status', 'author', 'kind', 'url', 'message', 'correlation_id', 'fingerprint'])(
    'leaves %j alone',
    (key) => {
      expect(isSecretKey(key)).toBe(false);
    },
  );

  it('answers the same once a name is remembered (names are remembered after scrubbing found them clean)', () => {
    for (const [key, secret] of [['db_password', true], ['x-api-key', true], ['correlation_id', false], ['owner', false]] as const) {
      expect(scrubString(key)).toBe(key);
      for (let round = 0; round < 3; round += 1) expect(isSecretKey(key)).toBe(secret);
      expect(redactValue({ [key]: 'value' })).toEqual({ [key]: secret ? REDACTED : 'value' });
    }
  });
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
    // secretlint-disable-next-line @secretlint/secretlint-rule-database-connection-string -- deliberate fake: the test plants it and checks it is redacted
    const input = { password: 'p', nested: { url: 'postgres://u:hunter2@h/db' } };
    redactValue(input);
    // secretlint-disable-next-line @secretlint/secretlint-rule-database-connection-string -- deliberate fake: the test plants it and checks it is redacted
    expect(input).toEqual({ password: 'p', nested: { url: 'postgres://u:hunter2@h/db' } });
  });

  it('scrubs strings anywhere in the structure', () => {
    // secretlint-disable-next-line @secretlint/secretlint-rule-database-connection-string -- deliberate fake: the test plants it and checks it is redacted
    expect(redactValue({ a: [{ b: 'see postgres://u:hunter2@h/db' }] })).toEqual({ a: [{ b: `see postgres://u:${REDACTED}@h/db` }] });
  });

  it('serialises errors with their (scrubbed) message and stack', () => {
    // secretlint-disable-next-line @secretlint/secretlint-rule-database-connection-string -- deliberate fake: the test plants it and checks it is redacted
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
    // secretlint-disable-next-line @secretlint/secretlint-rule-database-connection-string -- deliberate fake: the test plants it and checks it is redacted
    ['postgres://u:hunter2@h/db', `postgres://u:${REDACTED}@h/db`, 'hunter2'],
    ['redis://default:s3cr3t@cache:6379/0', `redis://default:${REDACTED}@cache:6379/0`, 's3cr3t'],
    ['REDIS_URL=redis://:s3cr3t@cache:6379', `REDIS_URL=redis://:${REDACTED}@cache:6379`, 's3cr3t'],
    // secretlint-disable-next-line @secretlint/secretlint-rule-basicauth -- deliberate fake: the test plants it and checks it is redacted
    ['https://user:pa55word@example.com/x', `https://user:${REDACTED}@example.com/x`, 'pa55word'],
    ['Authorization: Bearer abcdefgh12345', `Authorization: Bearer ${REDACTED}`, 'abcdefgh12345'],
    ['basic dXNlcjpwYXNzd29yZA==', `basic ${REDACTED}`, 'dXNlcjpwYXNzd29yZA'],
    ['key orca_ab12cd34_0123456789abcdefXYZ used', `key ${REDACTED} used`, '0123456789abcdefXYZ'],
    ['GET /x?api_key=abc123&limit=5', `GET /x?api_key=${REDACTED}&limit=5`, 'abc123'],
    ['POST /api/v1/ingest/s1?code=dAtAvErSeKeY&x=1', `POST /api/v1/ingest/s1?code=${REDACTED}&x=1`, 'dAtAvErSeKeY'],
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

  it('passes a bare UUID through, in either case, but still scrubs 36 characters that only look similar', () => {
    for (const uuid of ['550e8400-e29b-41d4-a716-446655440000', '550E8400-E29B-41D4-A716-446655440000']) expect(scrubString(uuid)).toBe(uuid);
    // Same length and dash positions, not hex: a phone number and an email must not take the UUID shortcut.
    expect(scrubString('call 415-555-2671 or 415-555-2672 now')).not.toContain('555');
    expect(scrubString('jane.doe@mail.com-0000-0000-00000000')).not.toContain('jane.doe');
  });

  it('gives the same answer every time: strings found clean are remembered, strings with secrets are scrubbed again', () => {
    const secret = 'GET /x?api_key=abc123&limit=5';
    const clean = 'GET /api/v1/agents/550e8400-e29b-41d4-a716-446655440000';
    for (let round = 0; round < 3; round += 1) {
      expect(scrubString(secret)).toBe(`GET /x?api_key=${REDACTED}&limit=5`);
      expect(scrubString(clean)).toBe(clean);
    }
    // More distinct clean strings than the memory holds (it starts over when full): answers stay right.
    for (let index = 0; index < 10_000; index += 1) expect(scrubString(`GET /api/v1/things/${index}x`)).toBe(`GET /api/v1/things/${index}x`);
    expect(scrubString(secret)).toBe(`GET /x?api_key=${REDACTED}&limit=5`);
    expect(scrubString('+1 415 555 2671')).toBe(PHONE_REDACTED);
    expect(scrubString('+1 415 555 2671')).toBe(PHONE_REDACTED);
  });
});

describe('redactQueryValues', () => {
  it.each([
    ['/api/v1/ingest/s1?t=0123456789abcdef', `/api/v1/ingest/s1?t=${REDACTED}`],
    ['/api/v1/ingest/s1?a=1&t=s3cr3t&b=', `/api/v1/ingest/s1?a=${REDACTED}&t=${REDACTED}&b=`],
    ['/api/v1/ingest/s1?s3cr3t', `/api/v1/ingest/s1?${REDACTED}`],
    ['/api/v1/ingest/s1?t=a=b;c&&x', `/api/v1/ingest/s1?t=${REDACTED}&&${REDACTED}`],
    ['/api/v1/ingest/s1?', '/api/v1/ingest/s1?'],
    ['/api/v1/ingest/s1', '/api/v1/ingest/s1'],
  ])('keeps only the parameter names of %j', (input, expected) => {
    expect(redactQueryValues(input)).toBe(expected);
  });
});

describe('isoTimeOncePerMillisecond', () => {
  it('writes exactly what pino.stdTimeFunctions.isoTime writes, and follows the clock', () => {
    let now = Date.UTC(2025, 0, 1, 12, 0, 0, 7);
    const time = isoTimeOncePerMillisecond(() => now);
    const realNow = Date.now;
    try {
      Date.now = () => now;
      expect(time()).toBe(pino.stdTimeFunctions.isoTime());
      expect(time()).toBe(',"time":"2025-01-01T12:00:00.007Z"');
      now += 1;
      expect(time()).toBe(pino.stdTimeFunctions.isoTime());
      expect(time()).toBe(',"time":"2025-01-01T12:00:00.008Z"');
      now -= 5;
      expect(time()).toBe(',"time":"2025-01-01T12:00:00.003Z"');
    } finally {
      Date.now = realNow;
    }
  });
});

describe('createLogger', () => {
  it('writes no header secret and no URL credential', () => {
    const { lines, raw, destination } = capture();
    const logger = createLogger({ level: 'info', destination });
    // secretlint-disable-next-line @secretlint/secretlint-rule-database-connection-string -- deliberate fake: the test plants it and checks it is redacted
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
    // secretlint-disable-next-line @secretlint/secretlint-rule-database-connection-string -- deliberate fake: the test plants it and checks it is redacted
    logger.info('database %s unreachable', 'postgres://u:hunter2@h/db');
    expect(raw[0]).not.toContain('hunter2');
    expect(lines[0]?.msg).toBe(`database postgres://u:${REDACTED}@h/db unreachable`);
  });

  it('logs an error with its type, scrubbed message and stack', () => {
    const { lines, raw, destination } = capture();
    const logger = createLogger({ level: 'info', destination });
    // secretlint-disable-next-line @secretlint/secretlint-rule-database-connection-string -- deliberate fake: the test plants it and checks it is redacted
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
    // secretlint-disable-next-line @secretlint/secretlint-rule-database-connection-string -- deliberate fake: the test plants it and checks it is redacted
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
    // secretlint-disable-next-line @secretlint/secretlint-rule-database-connection-string -- deliberate fake: the test plants it and checks it is redacted
    child.child({ dsn: 'postgres://u:hunter2@h/db' }).info('grandchild');
    expect(raw[0]).not.toContain('0123456789abcdefXYZ');
    expect(raw[0]).not.toContain('hunter2');
    expect(lines[0]).toMatchObject({ headers: { 'x-api-key': REDACTED }, correlation_id: 'c-1', dsn: `postgres://u:${REDACTED}@h/db`, msg: 'grandchild' });
  });

  it('redacts child bindings the same way when options are given (Fastify passes {} for every request) and keeps the options', () => {
    const { lines, raw, destination } = capture();
    const logger = createLogger({ level: 'info', destination });
    logger.child({ correlation_id: 'orca_ab12cd34_0123456789abcdefXYZ' }, {}).info('empty options');
    const quiet = logger.child({ correlation_id: '550e8400-e29b-41d4-a716-446655440000' }, { level: 'warn' });
    quiet.info('dropped by the child level');
    quiet.warn('kept');
    expect(raw).toHaveLength(2);
    expect(raw[0]).not.toContain('0123456789abcdefXYZ');
    expect(lines[0]).toMatchObject({ correlation_id: REDACTED, msg: 'empty options' });
    expect(lines[1]).toMatchObject({ correlation_id: '550e8400-e29b-41d4-a716-446655440000', level: 'warn', msg: 'kept' });
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

/**
 * PII in logs (issue "Security at the edge", item 8): emails, phone numbers, payment card numbers and JWTs never
 * reach a log line, whatever field they hide in; order numbers and other digits that are not PII stay readable;
 * every pattern is linear, so a hostile megabyte costs one pass.
 */
describe('PII scrubbing', () => {
  const luhnComplete = (body: string): string => {
    for (let check = 0; check <= 9; check += 1) if (passesLuhn(`${body}${check}`)) return `${body}${check}`;
    throw new Error('unreachable');
  };

  describe('passesLuhn', () => {
    it.each(['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '4222222222222', '79927398713'])(
      'accepts %s',
      (digits) => expect(passesLuhn(digits)).toBe(true),
    );
    it.each(['4111111111111112', '1234567890123456', '79927398710'])('refuses %s', (digits) => expect(passesLuhn(digits)).toBe(false));
  });

  describe('emails', () => {
    it.each([
      ['contact jane.doe@gmail.com today', `contact ${EMAIL_REDACTED} today`],
      ['JANE_DOE+billing@Mail.Example-Corp.co.uk', EMAIL_REDACTED],
      ['"owner":"ops.team@acme.io"', `"owner":"${EMAIL_REDACTED}"`],
      ['/api/v1/agents?q=jane@gmail.com&limit=5', `/api/v1/agents?q=${EMAIL_REDACTED}&limit=5`],
      ['mailto:a@b.io,c@d.io', `mailto:${EMAIL_REDACTED},${EMAIL_REDACTED}`],
    ])('scrubs %j', (input, expected) => {
      expect(scrubString(input)).toBe(expected);
    });

    it('scrubs percent-encoded and double-encoded addresses in URLs', () => {
      expect(scrubString('/api/v1/agents?q=jane%40gmail.com&limit=5')).toBe(`/api/v1/agents?q=${EMAIL_REDACTED}&limit=5`);
      expect(scrubString('/api/v1/agents?q=jane%2540gmail.com')).toBe(`/api/v1/agents?q=${EMAIL_REDACTED}`);
      expect(scrubString('/x?q=jane%40gmail.com')).not.toContain('jane');
    });

    it('leaves addresses in RFC 2606 reserved domains and things that are not addresses', () => {
      for (const text of ['ops@orca.example', 'a@b.test', 'root@localhost', 'fastify@5.1.0', 'user@host', '@scope/package', 'a @ b.com']) {
        expect(scrubString(text)).toBe(text);
      }
    });
  });

  describe('phone numbers', () => {
    it.each([
      '+14155552671',
      '+1 415 555 2671',
      '+1 (415) 555-2671',
      '+1-415-555-2671',
      '+44 20 7946 0958',
      '+33 6 12 34 56 78',
      '+49 30 12345678',
      '(415) 555-2671',
      '415-555-2671',
      '415.555.2671',
      '415 555 2671',
      '1-415-555-2671',
      '020 7946 0958',
      '06 12 34 56 78',
      '030 12345678',
      '0612-345678',
    ])('scrubs %s wherever it appears', (phone) => {
      for (const template of ['%', 'call %', 'call % now', 'tel:%', '"phone":"%"', '/agents?q=%&x=1']) {
        const input = template.replace('%', phone);
        const output = scrubString(input);
        expect(output, input).toBe(template.replace('%', PHONE_REDACTED));
      }
    });

    it('still finds a number among UUIDs, which alone are skipped without a digit scan', () => {
      const agent = '019ac6a2-1b2c-7d3e-8f40-123456789012';
      const correlation = '550E8400-E29B-41D4-A716-446655440000';
      expect(scrubString(`/api/v1/agents/${agent}`)).toBe(`/api/v1/agents/${agent}`);
      expect(scrubString(`${correlation} ${agent}`)).toBe(`${correlation} ${agent}`);
      expect(scrubString(`/api/v1/agents/${agent}?q=+14155552671`)).toBe(`/api/v1/agents/${agent}?q=${PHONE_REDACTED}`);
      expect(scrubString(`${agent} call 415-555-2671 ${correlation}`)).toBe(`${agent} call ${PHONE_REDACTED} ${correlation}`);
      // Seven digits in all, but four of them inside the UUID: too few outside it to be a phone number.
      expect(scrubString(`${agent}-555`)).toBe(`${agent}-555`);
    });

    it('scrubs percent-encoded and form-encoded numbers in URLs', () => {
      expect(scrubString('/x?q=%2B14155552671')).toBe(`/x?q=${PHONE_REDACTED}`);
      expect(scrubString('/x?q=%2B1%20415%20555%202671&limit=2')).toBe(`/x?q=${PHONE_REDACTED}&limit=2`);
      expect(scrubString('/x?q=call+415-555-2671')).toBe(`/x?q=call${PHONE_REDACTED}`);
    });

    it('scrubs several numbers written side by side', () => {
      expect(scrubString('415-555-2671 415-555-2672')).toBe(`${PHONE_REDACTED} ${PHONE_REDACTED}`);
      expect(scrubString('+1 415 555 2671 +1 415 555 2672')).toBe(`${PHONE_REDACTED} ${PHONE_REDACTED}`);
    });

    it.each([
      'at 2024-01-01T10:00:00.000Z',
      'on 01.02.2024',
      'from 192.168.100.200',
      'version 1.22.333',
      'years 2019-2024',
      'took 1234567 ms',
      'count 12345678',
      'pi 3.14159265358979',
      'id 0190f3a2-7b1c-7d2e-8123-123456789012',
      'id 12345678-1234-7abc-8123-123456789012',
      'digest 0123456789012345678abcdef',
      'order ORD-2024-000123-77',
      'seq 1+4155552671',
    ])('leaves %j alone', (text) => {
      expect(scrubString(text)).toBe(text);
    });
  });

  describe('payment card numbers', () => {
    it.each([
      ['4111111111111111', 'Visa'],
      ['4111 1111 1111 1111', 'Visa, spaced'],
      ['4111-1111-1111-1111', 'Visa, dashed'],
      ['5555 5555 5555 4444', 'Mastercard'],
      ['3782 822463 10005', 'Amex 4-6-5'],
      ['378282246310005', 'Amex'],
      ['6011111111111117', 'Discover'],
      ['4222222222222', 'Visa, 13 digits'],
      ['6304 0000 0000 0000 018', 'Maestro, 19 digits'],
    ])('scrubs %s (%s) wherever it appears', (card) => {
      for (const template of ['%', 'card %', 'card: %.', 'card-%', '"pan":"%"', '/agents?q=%', 'x=%&y=1']) {
        const input = template.replace('%', card);
        expect(scrubString(input), input).toBe(template.replace('%', CARD_REDACTED));
      }
    });

    it('scrubs percent- and form-encoded card numbers in URLs', () => {
      expect(scrubString('/x?q=4111%201111%201111%201111')).toBe(`/x?q=${CARD_REDACTED}`);
      expect(scrubString('/x?q=4111+1111+1111+1111')).toBe(`/x?q=${CARD_REDACTED}`);
    });

    it('scrubs two cards written side by side', () => {
      expect(scrubString('4111 1111 1111 1111 5555 5555 5555 4444')).toBe(`${CARD_REDACTED} ${CARD_REDACTED}`);
    });

    // Found by the idempotence property: "2 4160 6397 7967" passes the Luhn check by chance, and a first-match scan
    // took it, left the card's last groups in clear, and a second scrub then read "0100 01 2" as a phone number.
    it('redacts the whole card when a stray number before it makes a Luhn-valid window by chance', () => {
      expect(passesLuhn('2416063977967')).toBe(true);
      expect(passesLuhn('416063977967010001')).toBe(true);
      const once = scrubString('2 4160 6397 7967 0100 01 2');
      expect(once).toBe(`2 ${CARD_REDACTED} 2`);
      expect(scrubString(once)).toBe(once);
    });

    it('judges the numbers left between redacted ones as a second scrub would (scrubbing is idempotent)', () => {
      // 021 555 0147 is a phone number on its own (three short groups); the cut only finds the card after it.
      const once = scrubString('021 555 0147 4111 1111 1111 1111');
      expect(once).toBe(`${PHONE_REDACTED} ${CARD_REDACTED}`);
      expect(scrubString(once)).toBe(once);
    });

    it('leaves numbers of card length that fail the Luhn check (order numbers, invoice numbers)', () => {
      for (const text of ['order 4111111111111112', 'order 1234-5678-9012-3456', 'invoice 1234 5678 9012 3456', 'ref 12345678901234567']) {
        expect(scrubString(text)).toBe(text);
      }
    });

    it('leaves digit runs longer than any card number', () => {
      const long = `${'4111111111111111'}${'0'.repeat(8)}`;
      expect(scrubString(`n ${long}`)).toBe(`n ${long}`);
    });
  });

  describe('JSON Web Tokens', () => {
    const jwt =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwiZW1haWwiOiJqYW5lQGdtYWlsLmNvbSJ9.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
    it.each([
      [`token ${jwt} expired`, `token ${REDACTED} expired`],
      [`"id_token":"${jwt}"`, `"id_token":"${REDACTED}"`],
      [`/cb?state=1&jwt=${jwt}`, `/cb?state=1&jwt=${REDACTED}`],
      ['unsigned eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0. end', `unsigned ${REDACTED} end`],
    ])('scrubs %j', (input, expected) => {
      expect(scrubString(input)).toBe(expected);
    });

    it('leaves words that merely start with eyJ', () => {
      expect(scrubString('eyJ is base64 for {"')).toBe('eyJ is base64 for {"');
    });
  });

  describe('secrets beyond the existing patterns', () => {
    it.each([
      ['host=db user=orca password=hunter2 dbname=orca', `host=db user=orca password=${REDACTED} dbname=orca`],
      ['password: "hunter 2"', `password: ${REDACTED}`],
      ['postgres://u:p@ss@h/db', `postgres://u:${REDACTED}@h/db`],
      ['/x?client_secret=abc&sig=def&session_id=ghi&limit=1', `/x?client_secret=${REDACTED}&sig=${REDACTED}&session_id=${REDACTED}&limit=1`],
      ['/x?note=Bearer%20abcdefgh12345', `/x?note=Bearer ${REDACTED}`],
    ])('scrubs %j', (input, expected) => {
      expect(scrubString(input)).toBe(expected);
    });
  });

  describe('redactValue', () => {
    it('scrubs PII in values and in keys, at any depth', () => {
      const output = redactValue({ owner: 'jane@gmail.com', contacts: { 'bob@acme.io': ['+14155552671'] }, note: 'card 4111 1111 1111 1111' });
      expect(output).toEqual({ owner: EMAIL_REDACTED, contacts: { [EMAIL_REDACTED]: [PHONE_REDACTED] }, note: `card ${CARD_REDACTED}` });
    });

    it('scrubs a card number sent as a JSON number, but no other number', () => {
      expect(redactValue({ pan: 4111111111111111, order: 4111111111111112, count: 42, ms: 12.5, big: 5555555555554444n })).toEqual({
        pan: CARD_REDACTED,
        order: 4111111111111112,
        count: 42,
        ms: 12.5,
        big: CARD_REDACTED,
      });
    });
  });

  describe('through the logger', () => {
    it('writes no PII in the message, format arguments, fields, bindings or errors', () => {
      const { raw, destination } = capture();
      const logger = createLogger({ level: 'info', destination });
      const child = logger.child({ correlation_id: '+14155552671', user: 'jane@gmail.com' });
      child.info({ url: '/api/v1/agents?q=4111%201111%201111%201111', owner: 'bob@acme.io' }, 'created by %s', 'carol@corp.io');
      child.error({ err: new Error('charge of 4111-1111-1111-1111 for dave@shop.io failed') }, 'request failed');
      logger.error(new Error('cannot text +44 20 7946 0958'));
      expect(raw).toHaveLength(3);
      const text = raw.join('\n');
      for (const pii of ['4155552671', 'jane@', 'bob@', 'carol@', 'dave@', '4111', '7946']) expect(text).not.toContain(pii);
      expect(text).toContain(EMAIL_REDACTED);
      expect(text).toContain(PHONE_REDACTED);
      expect(text).toContain(CARD_REDACTED);
    });
  });

  describe('properties', () => {
    const word = fc.stringMatching(/^[a-z]{1,8}$/);
    const sentence = fc.array(word, { maxLength: 6 }).map((words) => words.join(' '));
    const card = fc
      .tuple(fc.constantFrom('4', '51', '37', '6011', '35'), fc.integer({ min: 13, max: 19 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 19, maxLength: 19 }), fc.constantFrom('', ' ', '-'))
      .map(([prefix, length, digits, separator]) => {
        const full = luhnComplete(`${prefix}${digits.join('')}`.slice(0, length - 1));
        return separator === '' ? full : (full.match(/.{1,4}/g) ?? []).join(separator);
      });
    const phone = fc
      .tuple(fc.integer({ min: 1, max: 9 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 7, maxLength: 13 }), fc.constantFrom('', ' ', '-'))
      .map(([country, digits, separator]) => `+${country}${separator}${digits.slice(0, 3).join('')}${separator}${digits.slice(3).join('')}`);
    const email = fc
      .tuple(fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,20}$/), fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,15}$/), fc.constantFrom('com', 'io', 'org', 'de', 'co.uk', 'dev'))
      .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);
    const pii = fc.oneof(card, phone, email);

    it('never lets a planted email, phone or card number through, in clear or URL-encoded', () => {
      fc.assert(
        fc.property(sentence, pii, sentence, fc.boolean(), (before, value, after, encode) => {
          const planted = encode ? encodeURIComponent(value) : value;
          const output = scrubString(`${before} ${planted} ${after}`);
          expect(output).not.toContain(value);
          expect(output).not.toContain(planted);
          expect(output).toContain(before);
          expect(output.endsWith(after)).toBe(true);
        }),
        { numRuns: 2000 },
      );
    });

    it('leaves numbers of card length that fail the Luhn check', () => {
      const orderNumber = fc
        .array(fc.integer({ min: 0, max: 9 }), { minLength: 13, maxLength: 19 })
        .map((digits) => digits.join(''))
        .filter((digits) => !passesLuhn(digits));
      fc.assert(
        fc.property(sentence, orderNumber, (before, digits) => {
          const text = `${before} order ${digits}`;
          expect(scrubString(text)).toBe(text);
        }),
        { numRuns: 1000 },
      );
    });

    it('is idempotent: scrubbing scrubbed text changes nothing', () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 200 }), pii, (text, value) => {
          const once = scrubString(`${text} ${value} ${text}`);
          expect(scrubString(once)).toBe(once);
        }),
        { numRuns: 1000 },
      );
    });
  });

  /**
   * Hostile megabytes: each input once made a backtracking pattern quadratic (or worse). These complete in a
   * single pass; what is asserted is the result, not the time (a catastrophic pattern would simply not finish).
   */
  describe('1 MB adversarial inputs', () => {
    const MB = 1_000_000;
    // A megabyte in an assertion diff would drown the report: compare, and show only the start on failure.
    const same = (actual: string, expected: string) => {
      if (actual !== expected) expect.fail(`output differs (length ${actual.length}, expected ${expected.length}): ${JSON.stringify(actual.slice(0, 120))}`);
    };
    it.each([
      ['a local part with no domain', 'a'.repeat(MB) + '@', (out: string, input: string) => same(out, input)],
      ['a domain that never ends in a TLD', 'x@' + 'a1.'.repeat(MB / 3), (out: string, input: string) => same(out, input)],
      ['a megabyte local part that is an address', 'a'.repeat(MB) + '@gmail.com', (out: string) => same(out, EMAIL_REDACTED)],
      ['"a@" repeated', 'a@'.repeat(MB / 2), (out: string, input: string) => same(out, input)],
      ['one long digit run', '7'.repeat(MB), (out: string, input: string) => same(out, input)],
      ['digits with dash separators', '12-'.repeat(MB / 3), (out: string, input: string) => same(out, input)],
      ['digits with dot separators', '1.'.repeat(MB / 2), (out: string, input: string) => same(out, input)],
      ['digits with space separators, then a card', '9 '.repeat(MB / 2) + 'x 4111 1111 1111 1111', (out: string) => expect(out.endsWith(`x ${CARD_REDACTED}`)).toBe(true)],
      ['unclosed parentheses', '(' + '1'.repeat(MB), (out: string, input: string) => same(out, input)],
      ['"(1)" repeated', '(1)'.repeat(MB / 3), (out: string, input: string) => same(out, input)],
      ['"+1 " repeated', '+1 '.repeat(MB / 3), (out: string, input: string) => same(out, input)],
      ['a word then "://"', 'a'.repeat(MB) + '://', (out: string, input: string) => same(out, input)],
      ['a URL password without a host', 'redis://:' + 'p'.repeat(MB), (out: string, input: string) => same(out, input)],
      ['"eyJ-" repeated', 'eyJ-'.repeat(MB / 4), (out: string, input: string) => same(out, input)],
      ['bearer and whitespace', 'Bearer' + ' '.repeat(MB), (out: string, input: string) => same(out, input)],
      ['an unterminated quoted password', 'password="' + 'x'.repeat(MB), (out: string) => same(out, `password=${REDACTED}`)],
      ['percent escapes', '%41'.repeat(MB / 3), (out: string, input: string) => same(out, input)],
      ['"+" only', '+'.repeat(MB), (out: string, input: string) => same(out, input)],
      ['emails side by side', 'jane@gmail.com '.repeat(MB / 15), (out: string) => same(out, `${EMAIL_REDACTED} `.repeat(MB / 15))],
      ['phones side by side', '415-555-2671 '.repeat(MB / 13), (out: string) => expect(out.split(PHONE_REDACTED)).toHaveLength(Math.floor(MB / 13) + 1)],
    ])('%s', (_name, input, check) => {
      check(scrubString(input), input);
    });
  });
});
