import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CARD_REDACTED, EMAIL_REDACTED, PHONE_REDACTED, passesLuhn } from './redact-pii.js';
import { scrubString } from './redact.js';

/**
 * PII in logs (issue "Security at the edge", item 8): emails, phone numbers and payment card numbers never reach a
 * log line, whatever field they hide in; order numbers and other digits that are not PII stay readable. (JWTs and
 * the hostile-megabyte inputs are in redact.test.ts, the logger's own pass in logger.test.ts.)
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
});
