import { describe, expect, it } from 'vitest';
import { DEFAULT_PII_OPTIONS, detectPii, hasCardPrefix, IBAN_LENGTHS, passesIbanChecksum, PHONE_REGION_CODES, phoneRegions, redact, type PiiOptions } from './pii.js';

/** The formats each detector covers beyond the basics of pii.test.ts: lists, issuers, registries, regions. */

const only = (entity: string, text: string, options: PiiOptions = DEFAULT_PII_OPTIONS) =>
  detectPii(text, new Set([entity]), options).map((finding) => text.slice(finding.start, finding.end));
const regions = (...codes: string[]): PiiOptions => ({ phoneRegions: phoneRegions(codes) });

describe('credit cards', () => {
  it('every card of a list separated by spaces, commas or newlines, grouped or compact', () => {
    const spaced = 'cards 4111 1111 1111 1111 5500 0000 0000 0004 3782 822463 10005 done';
    expect(only('credit_card', spaced)).toEqual(['4111 1111 1111 1111', '5500 0000 0000 0004', '3782 822463 10005']);
    expect(redact(spaced, detectPii(spaced))).toBe('cards [REDACTED:credit_card] [REDACTED:credit_card] [REDACTED:credit_card] done');
    expect(only('credit_card', '4111111111111111 5500000000000004,6011111111111117\n3530111333300000, 378282246310005')).toEqual([
      '4111111111111111',
      '5500000000000004',
      '6011111111111117',
      '3530111333300000',
      '378282246310005',
    ]);
    expect(only('credit_card', '4111-1111-1111-1111 5500-0000-0000-0004')).toEqual(['4111-1111-1111-1111', '5500-0000-0000-0004']);
  });

  it('a number that fails Luhn in a list hides none of the others', () => {
    expect(only('credit_card', '4111 1111 1111 1112 5500 0000 0000 0004 6011 0000 0000 0000')).toEqual(['5500 0000 0000 0004']);
  });

  it('what follows a card in its run is card-sized or nothing: a Luhn-valid head of a longer number is no card', () => {
    // PL38 … fails mod-97; its first sixteen digits pass Luhn with a Mir prefix.
    expect(only('credit_card', 'Reference PL38 2202 4158 4530 2142 8279 4234')).toEqual([]);
    expect(only('credit_card', '4111 1111 1111 1111 123 and 5500 0000 0000 0004 0428')).toEqual([]);
    // A number before the card does not hide it (a list may open with anything).
    expect(only('credit_card', 'in 2024 4111 1111 1111 1111')).toEqual(['4111 1111 1111 1111']);
  });

  it('every issuer range in use, compact, in groups of four with spaces or dashes', () => {
    const cards = {
      uatp: '135452601815906',
      mir: '2201830166131865',
      borica: '2205957117777417',
      mastercard: '2720159013962450',
      diners: '30567127684266',
      chinaTUnion: '3132319487574911866',
      amex: '371421590109285',
      jcb: '3566846563212238',
      jcbLegacy: '213100000000001',
      visa19: '4252760189555979719',
      verve: '5061147104974650757',
      rupay: '6070291703423662',
      unionpay: '6212307924402685990',
      discover: '6445666176031373',
      maestro: '6759528907863',
      uzcard: '8600082462819488',
      troy: '9792091390996033',
      humo: '9860219935181905',
      gpn: '1946937865797540',
    };
    for (const [network, digits] of Object.entries(cards)) {
      expect(hasCardPrefix(digits), network).toBe(true);
      const spaced = digits.replace(/(\d{4})(?=\d)/g, '$1 ');
      const dashed = digits.replace(/(\d{4})(?=\d)/g, '$1-');
      expect(only('credit_card', `pay with ${digits}, ${spaced} or ${dashed}.`), network).toEqual([digits, spaced, dashed]);
    }
  });

  it('prefixes outside the issuer ranges, wrong lengths and dashed codes are not cards', () => {
    // 15 digits from 1 are UATP, 16 are not; RuPay's 81/82 are left out (telecom and health cards share the 8 digit).
    expect(hasCardPrefix('1234567812345670')).toBe(false);
    expect(hasCardPrefix('8102772019301427')).toBe(false);
    expect(hasCardPrefix('411111111111111')).toBe(false);
    expect(hasCardPrefix('378282246310005')).toBe(true);
    expect(hasCardPrefix('37828224631000')).toBe(false);
    for (const text of ['ID 12-4111111111111111', 'v1.4111111111111111', 'x4111111111111111', '4111111111111111.5', '4111 1111-1111 1111', '4111-1111-1111-1111-22']) {
      expect(only('credit_card', text), text).toEqual([]);
    }
  });
});

describe('IBAN', () => {
  /** The check digits of a country code and BBAN, computed independently of the detector (bignum mod 97). */
  const withCheckDigits = (country: string, bban: string) => {
    const numeric = [...`${bban}${country}00`].map((char) => parseInt(char, 36).toString()).join('');
    return `${country}${String(98 - Number(BigInt(numeric) % 97n)).padStart(2, '0')}${bban}`;
  };

  it('knows the registered length of each country of the registry', () => {
    expect(Object.keys(IBAN_LENGTHS).length).toBe(89);
    const spotChecks = { NO: 15, BE: 16, DE: 22, GB: 22, FR: 27, MT: 31, LC: 32, RU: 33, BI: 27, DJ: 27, FK: 18, HN: 28, LY: 25, MN: 20, NI: 28, OM: 23, SD: 18, SO: 23, YE: 30 };
    for (const [country, length] of Object.entries(spotChecks)) expect(IBAN_LENGTHS[country], country).toBe(length);
  });

  it('every country, compact, in groups of four with spaces, or with dashes', () => {
    for (const [country, length] of Object.entries(IBAN_LENGTHS)) {
      const iban = withCheckDigits(country, '0123456789'.repeat(4).slice(0, length - 4));
      expect(passesIbanChecksum(iban), iban).toBe(true);
      const spaced = iban.replace(/(.{4})(?=.)/g, '$1 ');
      const dashed = iban.replace(/(.{4})(?=.)/g, '$1-');
      expect(only('iban', `to ${iban}, ${spaced}; ${dashed}.`), country).toEqual([iban, spaced, dashed]);
      // One character more or less is another country's length, or none.
      expect(only('iban', `to ${iban}7 or ${iban.slice(0, -1)}`), country).toEqual([]);
    }
  });

  it('a token after the IBAN is never read as its last group', () => {
    const text = 'Pay AL47 2121 1009 0000 0002 3569 8741 EUR to DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX, GB82 WEST 1234 5698 7654 32 USD 12';
    expect(only('iban', text)).toEqual(['AL47 2121 1009 0000 0002 3569 8741', 'DE89 3704 0044 0532 0130 00', 'GB82 WEST 1234 5698 7654 32']);
    expect(only('iban', 'FR14 2004 1010 0505 0001 3M02 606 1234')).toEqual(['FR14 2004 1010 0505 0001 3M02 606']);
    expect(only('iban', 'national grouping FR76 30006 00001 12345678901 89')).toEqual(['FR76 30006 00001 12345678901 89']);
  });

  it('not: glued tokens, mixed separators, lower case, tiny groups, failing checksums', () => {
    for (const text of [
      'DE89370400440532013000EUR',
      'DE89 3704 0044 0532 0130 0012',
      'DE89 3704-0044 0532 0130 00',
      'de89 3704 0044 0532 0130 00',
      'DE89 37 04 00 44 05 32 01 30 00',
      'DE88 3704 0044 0532 0130 00',
      'XDE89 3704 0044 0532 0130 00',
    ]) {
      expect(only('iban', text), text).toEqual([]);
    }
  });
});

describe('email', () => {
  it('internationalised top-level domains in punycode', () => {
    expect(only('email', 'write to ivan@example.xn--p1ai, mei@shop.xn--fiqs8s or ana@correo.xn--80asehdb.')).toEqual([
      'ivan@example.xn--p1ai',
      'mei@shop.xn--fiqs8s',
      'ana@correo.xn--80asehdb',
    ]);
  });
  it('not: a top-level domain alone, a punycode label with a character no label has', () => {
    expect(only('email', 'e@xn--p1ai and a@b.xn--p1_ai')).toEqual([]);
  });
});

describe('IPv6', () => {
  it('RFC 4291 and 5952 forms, embedded IPv4 included', () => {
    const forms = [
      'ABCD:EF01:2345:6789:ABCD:EF01:2345:6789',
      '2001:DB8:0:0:8:800:200C:417A',
      '2001:db8::8:800:200c:417a',
      'FF01::101',
      '::1',
      '0:0:0:0:0:0:13.1.68.3',
      '0:0:0:0:0:FFFF:129.144.52.38',
      '::13.1.68.3',
      '::ffff:129.144.52.38',
      '64:ff9b::192.0.2.33',
      '0000:0000:0000:0000:0000:ffff:255.255.255.255',
      '2001:db8::',
      'fe80::',
      '1::',
    ];
    for (const form of forms.filter((value) => value !== '1::')) expect(only('ipv6', `host ${form} up`), form).toEqual([form]);
    // One group alone needs three hex digits with a decimal digit ("fe80::", "2001::"); "1::" reads like a scope.
    expect(only('ipv6', 'host 1:: up')).toEqual([]);
  });

  it('a prefix length is not part of the finding, and does not change whether the address is found', () => {
    expect(only('ipv6', '2001:db8::/32, 2001:db8:abcd:12::/64, fe80::1/64, fe80::/10, 2001:0DB8:0000:CD30:0000:0000:0000:0000/60.')).toEqual([
      '2001:db8::',
      '2001:db8:abcd:12::',
      'fe80::1',
      'fe80::',
      '2001:0DB8:0000:CD30:0000:0000:0000:0000',
    ]);
    expect(only('ipv6', 'a::/16 and a:: alike')).toEqual([]);
  });

  it('the unspecified address is not personal data, in any form', () => {
    expect(only('ipv6', ':: and ::/0, [::]:8080, 0:0:0:0:0:0:0:0, ::0.0.0.0')).toEqual([]);
  });

  it('punctuation after the address is not part of it', () => {
    expect(only('ipv6', 'from fe80::1: timeout. Then 2001:db8::1.')).toEqual(['fe80::1', '2001:db8::1']);
  });
});

describe('US SSN', () => {
  it('with dots, as with dashes and spaces', () => {
    expect(only('us_ssn', 'SSN 123.45.6789, 234-56-7890, 345 67 8901')).toEqual(['123.45.6789', '234-56-7890', '345 67 8901']);
  });
  it('not: mixed separators, never-issued ranges, longer dotted numbers', () => {
    expect(only('us_ssn', '123.45-6789 000.12.3456 666.12.3456 123.45.6789.1 1.123.45.6789 v123.45.6789')).toEqual([]);
  });
});

describe('phones', () => {
  it('North America (the default): extensions, a 1- or 001- prefix, compact numbers after a phone keyword', () => {
    expect(only('phone', 'at 555-555-5555x123, (212)555-0187 ext. 44, 001-541-754-3010, +1-541-754-3010x123')).toEqual([
      '555-555-5555x123',
      '(212)555-0187 ext. 44',
      '001-541-754-3010',
      '+1-541-754-3010x123',
    ]);
    expect(only('phone', 'Phone: 4155552671. Call me at 14155552671 or text 2125550187')).toEqual(['4155552671', '14155552671', '2125550187']);
    expect(only('phone', 'order 4155552671, invoice 2125550187, ref 0612345678, 01 23 45 67 89')).toEqual([]);
  });

  it('`+` international numbers whatever the regions, national formats only for the regions listed', () => {
    const text = '+44 20 7946 0958 and 415-555-2671';
    expect(only('phone', text, regions())).toEqual(['+44 20 7946 0958']);
    expect(only('phone', text, regions('GB'))).toEqual(['+44 20 7946 0958']);
    expect(only('phone', text, regions('CA'))).toEqual(['+44 20 7946 0958', '415-555-2671']);
  });

  it('each supported region: its national formats, found only when the region is listed', () => {
    const examples: Record<string, string[]> = {
      GB: ['020 7946 0958', '07700 900123', '0161 496 0000'],
      IE: ['01 234 5678', '087 123 4567'],
      DE: ['030 12345678', '0170 1234567', '089/1234567', '(0221) 1234567'],
      AT: ['01 5123456', '0664 1234567'],
      CH: ['044 668 18 00', '079 123 45 67'],
      FR: ['01 23 45 67 89', '06.12.34.56.78', '01-23-45-67-89'],
      BE: ['02 123 45 67', '0470 12 34 56'],
      NL: ['020-123 4567', '06-12345678'],
      ES: ['612 34 56 78', '91 123 45 67'],
      PT: ['912 345 678', '21 123 4567'],
      IT: ['02 1234 5678', '347 123 4567'],
      PL: ['512 345 678', '22 123 45 67'],
      SE: ['08-123 456 78', '070-123 45 67'],
      NO: ['22 12 34 56', '412 34 567'],
      DK: ['32 12 34 56'],
      FI: ['09 1234 567', '040 123 4567'],
      AU: ['(02) 9876 5432', '0412 345 678'],
      NZ: ['09 123 4567', '021 123 4567'],
      IN: ['98765 43210', '011 2345 6789'],
      JP: ['03-1234-5678', '090-1234-5678'],
      BR: ['(11) 91234-5678', '(21) 2345-6789'],
      MX: ['55 1234 5678'],
      ZA: ['011 123 4567', '082 123 4567'],
    };
    expect(Object.keys(examples).sort()).toEqual(PHONE_REGION_CODES.filter((code) => code !== 'US' && code !== 'CA').sort());
    for (const [region, numbers] of Object.entries(examples)) {
      const text = `Reach us on ${numbers.join(', or ')}.`;
      expect(only('phone', text, regions(region)), region).toEqual(numbers);
      expect(only('phone', text), `${region} with the default regions`).toEqual([]);
    }
    expect(only('phone', 'Tel: 0612345678', regions('FR'))).toEqual(['0612345678']);
    expect(only('phone', 'Ref 0612345678', regions('FR'))).toEqual([]);
  });

  it('with every region listed, dates, decimals, amounts, addresses and codes are still not phones', () => {
    const everything = regions(...PHONE_REGION_CODES);
    const text =
      'on 01.02.2023, 2023-10-15 and 01/02/2023 at 12:30:45; ratio 0.123456789; EUR 12.345.678 or 1 234 567; ' +
      'host 010.020.030.040; ISBN 978-3-16-148410-0; code 1-2-3-4-5-6; version 10.0.19041.1; ticket 12345678; (020)';
    expect(only('phone', text, everything)).toEqual([]);
  });
});
