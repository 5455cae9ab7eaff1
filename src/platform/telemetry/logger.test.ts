import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createLogger, isoTimeOncePerMillisecond } from './logger.js';
import { CARD_REDACTED, EMAIL_REDACTED, PHONE_REDACTED } from './redact-pii.js';
import { REDACTED } from './redact-secrets.js';

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
