/**
 * International bank account numbers (ISO 13616): the registered length of each country, the mod-97 check, and the
 * scanner that reads an IBAN compact or printed in groups. Pure; used by pii.ts, tested in pii.test.ts.
 */
import type { Span } from './pii-cards.js';

/**
 * IBAN length per country, as published in the SWIFT IBAN registry (the ISO 13616 registration authority's list;
 * release of 2024). Territories that use their parent's code (e.g. French overseas departments under FR, Åland
 * under FI, Jersey, Guernsey and the Isle of Man under GB) have no entry of their own.
 */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28, CH: 21, CR: 22,
  CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FK: 18, FO: 18, FR: 27, GB: 22,
  GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HN: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30,
  KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20,
  MR: 27, MT: 31, MU: 30, NI: 28, NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22,
  RU: 33, SA: 24, SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26,
  UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
};

/** ISO 7064 mod 97-10 over the rearranged IBAN (spaces and dashes ignored), computed digit by digit: no bignum, linear. */
export function passesIbanChecksum(iban: string): boolean {
  const compact = iban.replace(/[ -]/g, '').toUpperCase();
  if (IBAN_LENGTHS[compact.slice(0, 2)] !== compact.length) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (let index = 0; index < rearranged.length; index += 1) {
    const code = rearranged.charCodeAt(index);
    if (code >= 48 && code <= 57) remainder = (remainder * 10 + (code - 48)) % 97;
    else if (code >= 65 && code <= 90) remainder = (remainder * 100 + (code - 55)) % 97;
    else return false;
  }
  return remainder === 1;
}

/** IBAN_LENGTHS by the two letters' codes ((first - 65) * 26 + second - 65), 0 where none: no string per candidate. */
const LENGTH_BY_CODE = new Uint8Array(26 * 26);
for (const [country, length] of Object.entries(IBAN_LENGTHS)) LENGTH_BY_CODE[(country.charCodeAt(0) - 65) * 26 + country.charCodeAt(1) - 65] = length;

const isDigit = (code: number) => code >= 48 && code <= 57;
const isUpper = (code: number) => code >= 65 && code <= 90;
const isAlphanumeric = (code: number) => isDigit(code) || isUpper(code) || (code >= 97 && code <= 122);

/** Where an IBAN may start: two capitals and two digits, not inside a word or a number. */
export function mayStartIban(content: string, position: number): boolean {
  return (
    isUpper(content.charCodeAt(position)) &&
    isUpper(content.charCodeAt(position + 1)) &&
    isDigit(content.charCodeAt(position + 2)) &&
    isDigit(content.charCodeAt(position + 3)) &&
    (position === 0 || !isAlphanumeric(content.charCodeAt(position - 1)))
  );
}

/**
 * Adds the IBAN starting at `position` to `found` and returns its end, or returns -1 if none starts there. A failed
 * candidate skips nothing: the next candidate may be an IBAN after a false start. The country code fixes the length, so exactly that many characters are
 * read — compact, or in groups joined by one kind of separator (one space or one dash) — and the IBAN must end
 * where a group ends: a token printed after it (`… 8741 EUR`, `… 00 BIC …`) is never read as part of it, and a
 * longer string is no IBAN. Every group but the last has at least three characters (printed IBANs use groups of four,
 * some national forms five or more). Upper-case only: lower-case letters make ordinary words candidates.
 *
 * Bounded: at most twice the longest registered length is read from each start.
 */
export function scanIban(content: string, position: number, found: Span[]): number {
  if (!mayStartIban(content, position)) return -1;
  const length = LENGTH_BY_CODE[(content.charCodeAt(position) - 65) * 26 + content.charCodeAt(position + 1) - 65]!;
  if (length === 0) return -1;
  let index = position;
  let read = 0;
  let group = 0;
  let separator = 0;
  // ISO 7064 mod 97-10 of the BBAN (characters 5 onwards), computed as they are read; the country code and check
  // digits are folded in at the end (they go last in the rearranged IBAN).
  let remainder = 0;
  while (read < length) {
    const code = content.charCodeAt(index);
    if (isDigit(code) || isUpper(code)) {
      if (read >= 4) remainder = isDigit(code) ? (remainder * 10 + (code - 48)) % 97 : (remainder * 100 + (code - 55)) % 97;
      read += 1;
      group += 1;
      index += 1;
      continue;
    }
    if (code !== 32 && code !== 45) return -1;
    if (group < 3 || (separator !== 0 && code !== separator)) return -1;
    separator = code;
    group = 0;
    index += 1;
  }
  if (isAlphanumeric(content.charCodeAt(index))) return -1;
  for (let head = position; head < position + 4; head += 1) {
    const code = content.charCodeAt(head);
    remainder = isDigit(code) ? (remainder * 10 + (code - 48)) % 97 : (remainder * 100 + (code - 55)) % 97;
  }
  if (remainder !== 1) return -1;
  found.push({ start: position, end: index });
  return index;
}
