import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCorpus } from './pii-quality.js';
import { DEFAULT_PII_OPTIONS, detectPii, hasCardPrefix, isValidSsn, passesIbanChecksum, passesLuhn, PHONE_REGION_CODES, phoneRegions, PII_ENTITIES, redact, referenceScan } from './pii.js';

const found = (text: string) => detectPii(text).map((finding) => [finding.entity, text.slice(finding.start, finding.end)]);
const only = (entity: string, text: string) => detectPii(text, new Set([entity])).map((finding) => text.slice(finding.start, finding.end));

describe('checksums and ranges', () => {
  it('Luhn', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
    expect(passesLuhn('378282246310005')).toBe(true);
    expect(passesLuhn('79927398713')).toBe(true);
  });
  it('card prefixes and lengths', () => {
    expect(hasCardPrefix('4111111111111111')).toBe(true);
    expect(hasCardPrefix('411111111111111')).toBe(false); // Visa has 13, 16 or 19 digits
    expect(hasCardPrefix('5500000000000004')).toBe(true);
    expect(hasCardPrefix('2221000000000009')).toBe(true);
    expect(hasCardPrefix('378282246310005')).toBe(true);
    expect(hasCardPrefix('6011111111111117')).toBe(true);
    expect(hasCardPrefix('9111111111111111')).toBe(false);
    expect(hasCardPrefix('1234567812345670')).toBe(false);
  });
  it('IBAN mod-97 with country lengths', () => {
    expect(passesIbanChecksum('DE89370400440532013000')).toBe(true);
    expect(passesIbanChecksum('DE89 3704 0044 0532 0130 00')).toBe(true);
    expect(passesIbanChecksum('GB82WEST12345698765432')).toBe(true);
    expect(passesIbanChecksum('GB82WEST12345698765431')).toBe(false);
    expect(passesIbanChecksum('DE8937040044053201300')).toBe(false); // one character short for DE
    expect(passesIbanChecksum('XX89370400440532013000')).toBe(false);
  });
  it('SSN ranges never issued', () => {
    expect(isValidSsn('123', '45', '6789')).toBe(true);
    for (const [area, group, serial] of [['000', '12', '3456'], ['666', '12', '3456'], ['900', '12', '3456'], ['999', '12', '3456'], ['123', '00', '4567'], ['123', '45', '0000']]) {
      expect(isValidSsn(area!, group!, serial!), `${area}-${group}-${serial}`).toBe(false);
    }
  });
});

describe('detectors: positives', () => {
  it('finds each entity with its exact span', () => {
    const text =
      'Mail jane.doe+crm@mail.acme.co.uk, call +1 (415) 555-2671 or 212-555-0187, card 4111-1111-1111-1111, ' +
      'IBAN GB82 WEST 1234 5698 7654 32, SSN 123-45-6789, host 10.20.30.40 and [2001:db8::8a2e:370:7334]:443, ' +
      'key AKIAIOSFODNN7EXAMPLE, token eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U.';
    expect(found(text)).toEqual([
      ['email', 'jane.doe+crm@mail.acme.co.uk'],
      ['phone', '+1 (415) 555-2671'],
      ['phone', '212-555-0187'],
      ['credit_card', '4111-1111-1111-1111'],
      ['iban', 'GB82 WEST 1234 5698 7654 32'],
      ['us_ssn', '123-45-6789'],
      ['ipv4', '10.20.30.40'],
      ['ipv6', '2001:db8::8a2e:370:7334'],
      ['api_key', 'AKIAIOSFODNN7EXAMPLE'],
      ['jwt', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
    ]);
  });

  it('cards: compact, spaced, dashed, Amex grouping; not mixed separators', () => {
    expect(only('credit_card', '4111111111111111 / 3782 822463 10005 / 5500-0000-0000-0004')).toEqual(['4111111111111111', '3782 822463 10005', '5500-0000-0000-0004']);
    expect(only('credit_card', '4111 1111-1111 1111')).toEqual([]);
  });

  it('phones: E.164 and NANP forms', () => {
    expect(only('phone', 'a +14155552671 b +44 20 7946 0958 c 415.555.2671 d 1-800-555-0199')).toEqual(['+14155552671', '+44 20 7946 0958', '415.555.2671', '1-800-555-0199']);
  });

  it('SSNs: dashed, spaced, and unformatted only after a keyword', () => {
    expect(only('us_ssn', 'SSN: 123456789; 234 56 7890; ticket 345678901')).toEqual(['123456789', '234 56 7890']);
  });

  it('secrets: vendor formats and the value of secret-named fields', () => {
    const github = `ghp_${'a1B2'.repeat(9)}`;
    // secretlint-disable-next-line @secretlint/secretlint-rule-slack -- deliberate fake: the detector must find it
    const text = `${github} xoxb-123456789012-abcdefABCDEF sk_live_${'x9'.repeat(12)} password="s3cr3t-Passw0rd" api_key: abcdEFGH12345678 -----BEGIN PRIVATE KEY-----`;
    // secretlint-disable-next-line @secretlint/secretlint-rule-slack -- deliberate fake: the detector must find it
    expect(only('api_key', text)).toEqual([github, 'xoxb-123456789012-abcdefABCDEF', `sk_live_${'x9'.repeat(12)}`, 's3cr3t-Passw0rd"'.slice(0, -1), 'abcdEFGH12345678', '-----BEGIN PRIVATE KEY-----']);
  });

  it('IPv6: full, compressed, loopback, IPv4-mapped, at the end of a sentence', () => {
    expect(only('ipv6', '2001:0db8:85a3:0000:0000:8a2e:0370:7334 ::1 ::ffff:192.0.2.128 then fe80::1.')).toEqual([
      '2001:0db8:85a3:0000:0000:8a2e:0370:7334',
      '::1',
      '::ffff:192.0.2.128',
      'fe80::1',
    ]);
  });
});

describe('detectors: hard negatives', () => {
  const negatives: Array<[string, string]> = [
    ['credit_card', 'Order 4111111111111112 shipped'], // fails Luhn
    ['credit_card', 'Shipment 9111111111111111 left'], // no card network starts with 9... and fails Luhn
    ['credit_card', 'Ref 1234567812345670 is Luhn-valid but has no card prefix'],
    ['credit_card', 'tracking 41111111111111111111111'], // too long
    ['iban', 'Ref DE88370400440532013000'], // mod-97 fails
    ['iban', 'Part DE893704004405320130'], // wrong length for DE
    ['us_ssn', 'ranges 000-12-3456 666-12-3456 912-34-5678 123-00-4567 123-45-0000'],
    ['us_ssn', 'dates 2023-10-15 and 05-12-2023, phone 415-555-2671, code 202-31-2023-A, part A-123-45-6789'],
    ['us_ssn', 'ticket 123456789 without a keyword'],
    ['ipv4', 'version 1.2.3.4, v10.0.0.1, build 10.0.19041.1, 1.2.3.4.5, 256.1.1.1, 192.168.01.1, OID 1.3.6.1.4.1.311'],
    ['ipv6', 'at 12:30:45, MAC 00:1A:2B:3C:4D:5E, std::vector, foo::bar, ratio 3:2:1'],
    ['phone', 'dates 2023-10-15, v2.3.14, id 12345678, 192.168.1.20, ISBN 978-3-16-148410-0, 555-2671, 015-555-2671'],
    ['email', 'user@localhost, @handle, foo@bar, first..last@acme.com, .x@acme.com, a@b.c'],
    ['api_key', 'sk-learn-model-selection-guide, password=changeme, token: <redacted>, api_key=xxxxxxxxxx, password=${DB_PASSWORD}'],
    ['jwt', 'eyJmb28iOiJiYXIifQ.eyJ4IjoxfQ.c2lnbmF0dXJl has no alg'],
  ];
  for (const [entity, text] of negatives) {
    it(`${entity}: ${text.slice(0, 60)}`, () => {
      expect(only(entity, text)).toEqual([]);
    });
  }
});

describe('detectors: adversarial 1 MB inputs (linear-time designs; correctness asserted, not time)', () => {
  const MB = 1 << 20;
  const fill = (unit: string) => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
  const cases: Array<[string, string, Array<[string, string]>]> = [
    ['digits', fill('1'), []],
    ['spaced digits', fill('1 '), []],
    ['dashed digits', fill('12-'), []],
    ['dots and digits', fill('1.'), []],
    ['colons', fill(':'), []],
    ['hex and colons', fill('a1:'), []],
    ['at signs', fill('a@'), []],
    ['local part without @', fill('a.b_c+'), []],
    ['domain labels without a TLD end', `x@${fill('a1.')}`, []],
    ['eyJ segments', fill('eyJ.'), []],
    ['plus signs', fill('+1 '), []],
    ['secret field names', fill('pwd:'), []],
    ['secret field names with spaces', fill('secret: '), []],
    ['AWS prefixes', fill('AKIA'), []],
    ['sk- prefixes', fill('sk-'), []],
    ['IBAN heads', fill('DE89 '), []],
    ['parentheses', fill('(415) '), []],
    ['letters', fill('a'), []],
    ['one-digit groups (a card run of a million groups)', fill('4 '), []],
    ['dashed one-digit groups', fill('4-'), []],
    ['dashed IBAN heads', fill('DE89-'), []],
    ['IBAN groups', fill('DE89 3704 '), []],
    ['unspecified IPv6 addresses with prefixes', fill('::/0 '), []],
    ['IPv4-mapped heads', fill('::ffff:'), []],
    ['area codes in parentheses', fill('(02) '), []],
    ['dotted digit pairs', fill('01.'), []],
    ['phone keywords', fill('call '), []],
    ['lone surrogates between digits', fill('\uD8001 '), []],
  ];
  for (const [name, input, expected] of cases) {
    it(`${name}: every detector, 1 MB`, () => {
      expect(input.length).toBeGreaterThanOrEqual(MB);
      expect(found(input)).toEqual(expected);
    });
  }
  it('a real finding at the end of 1 MB of near-misses is still found', () => {
    const input = `${fill('1 ')} jane@acme.com 4111 1111 1111 1111`;
    expect(found(input)).toEqual([
      ['email', 'jane@acme.com'],
      ['credit_card', '4111 1111 1111 1111'],
    ]);
  });
  it('many findings: 1 MB of grouped cards in a list, of IPv6 prefixes, of compact phones after a keyword', () => {
    const cards = '4111 1111 1111 1111 '.repeat(Math.ceil(MB / 20));
    const cardFindings = detectPii(cards);
    expect(cardFindings.length).toBe(Math.ceil(MB / 20));
    expect(new Set(cardFindings.map((finding) => cards.slice(finding.start, finding.end)))).toEqual(new Set(['4111 1111 1111 1111']));
    const prefixes = 'fe80::/64 '.repeat(Math.ceil(MB / 10));
    expect(detectPii(prefixes).map((finding) => prefixes.slice(finding.start, finding.end))).toEqual(Array(Math.ceil(MB / 10)).fill('fe80::'));
    const phones = 'call 4155552671 '.repeat(Math.ceil(MB / 16));
    expect(detectPii(phones).filter((finding) => finding.entity === 'phone').length).toBe(Math.ceil(MB / 16));
  });
  it('many findings: 1 MB of IPv4 addresses', () => {
    const input = fill('10.0.0.1 ');
    const findings = detectPii(input);
    expect(findings.length).toBe(Math.floor(input.length / 9) + (input.length % 9 >= 8 ? 1 : 0));
    expect(new Set(findings.map((finding) => finding.entity))).toEqual(new Set(['ipv4']));
  });
});

describe('redaction', () => {
  it('replaces each finding by its entity label and keeps the rest', () => {
    const text = 'Mail jane@acme.com now, SSN 123-45-6789.';
    expect(redact(text, detectPii(text))).toBe('Mail [REDACTED:email] now, SSN [REDACTED:us_ssn].');
  });
  it('only the enabled detectors run', () => {
    expect(detectPii('jane@acme.com 10.0.0.1', new Set(['ipv4'])).map((finding) => finding.entity)).toEqual(['ipv4']);
    expect(PII_ENTITIES).toEqual(['email', 'phone', 'credit_card', 'iban', 'us_ssn', 'ipv4', 'ipv6', 'api_key', 'jwt']);
  });
});

describe('the candidate pre-filter finds exactly what whole-text scans find', () => {
  // Deterministic pseudo-random texts spliced from the labelled corpus (every entity value, every word of the hard
  // negatives) and from the characters the lookbehinds care about, so that entities meet unusual neighbours. Each
  // text is checked against referenceScan, which runs every detector's regex over the whole text, no candidates.
  const corpus = parseCorpus(readFileSync(new URL('../../../test/fixtures/pii/corpus.jsonl', import.meta.url), 'utf8'));
  const PIECES = [
    ...new Set([
      ...corpus.flatMap((sample) => sample.entities.map((entity) => entity.value)),
      ...corpus.filter((sample) => sample.entities.length === 0).flatMap((sample) => sample.text.split(' ')),
      ...['0', '1', '9', 'a', 'e', 'f', 'A', 'G', 'Z', 'x', 'o', 's', 'k', 'g', '_', '-', '.', ':', '::', '=', '+', '(', ')', ' ', '  ', '\t', '"', "'", '@', '/', '\n', 'ü', 'İ', 'Ł', '€'],
      ...['eyJ', 'AKIA', 'ghp_', 'sk-', 'orca_', '-----BEGIN ', 'api_key', 'password', 'ssn: ', 'version ', 'DE89', '4111', '2001:db8', '10.0.0.', '(415) ', '+44 '],
      // Field separators at their limits, and the vendor formats the corpus lacks (built, so no scanner flags them).
      ...['api_key   :', 'secret"\t\t\t=', "pwd' \t ", '"client_secret":  "', `glpat-${'x1Y2'.repeat(5)}`, `github_pat_${'A1b2'.repeat(6)}`, `AIza${'Sy0_'.repeat(9).slice(0, 35)}`],
      ...[`orca_${'0a'.repeat(6)}_${'Zz9-'.repeat(11).slice(0, 43)}`, `rk_test_${'q7'.repeat(8)}`, `ASIA${'Q7Z3'.repeat(4)}`, `sk-ant-${'Ab3'.repeat(7)}`],
    ]),
  ];
  let seed = 20261128;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const text = (pieces: number) => Array.from({ length: pieces }, () => PIECES[Math.floor(next() * PIECES.length)]).join(next() < 0.5 ? '' : ' ');

  // Every other text with every phone region, so that the national phone scanner is compared too.
  const everyRegion = { phoneRegions: phoneRegions(PHONE_REGION_CODES) };

  it('20,000 generated texts', () => {
    const findings = new Map<string, number>();
    for (let sample = 0; sample < 20_000; sample += 1) {
      const input = text(1 + Math.floor(next() * 12));
      const options = sample % 2 === 0 ? DEFAULT_PII_OPTIONS : everyRegion;
      const actual = detectPii(input, undefined, options);
      expect(actual, JSON.stringify(input)).toEqual(referenceScan(input, options));
      for (const finding of actual) findings.set(finding.entity, (findings.get(finding.entity) ?? 0) + 1);
    }
    // The generator reaches every detector, so the comparison covers each of them.
    for (const entity of PII_ENTITIES) expect(findings.get(entity) ?? 0, entity).toBeGreaterThan(10);
  });

  it('dense candidates (the whole-text fallback) give the same findings', () => {
    for (const unit of ['1 ', '1:', 'a=', '+1 ', '(415) ', '10.0.0.1 ', 'AB12 ', 'eyJ ', '- ', 'ab:cd ', '(02) ', 'DE89 ']) {
      const input = `${unit.repeat(2000)} jane@acme.com 4111 1111 1111 1111 api_key=Zx81kLm02PqR 2001:db8::1 DE89 3704 0044 0532 0130 00 01 23 45 67 89`;
      expect(detectPii(input), unit).toEqual(referenceScan(input));
      expect(detectPii(input, undefined, everyRegion), unit).toEqual(referenceScan(input, everyRegion));
    }
  });
});
