import { describe, expect, it } from 'vitest';
import { CARD_REDACTED, EMAIL_REDACTED, PHONE_REDACTED } from './redact-pii.js';
import { REDACTED } from './redact-secrets.js';
import { isSecretKey, redactQueryValues, redactValue, scrubString } from './redact.js';

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
