/**
 * Phone numbers written the national way (no `+`), for the regions a policy lists in `pii.phone_regions`. The `+`
 * international forms and the grouped North American forms are pii.ts's phone regex; this module knows what a
 * national number looks like in each supported region and scans for them. Pure; tested in pii.test.ts.
 */
import type { Span } from './pii-cards.js';

/**
 * A region's national numbers, as the digits are written (trunk prefix included): a whole-string pattern over the
 * digits only, whatever the grouping. North America's grouped forms are matched by pii.ts's own regex (it knows
 * their exact shapes), so for it only the compact form is scanned here.
 */
interface NationalFormat {
  digits: RegExp;
  grouped: boolean;
}

const NANP: NationalFormat = { digits: /^1?[2-9]\d{2}[2-9]\d{6}$/, grouped: false };
const national = (digits: RegExp): NationalFormat => ({ digits, grouped: true });

/**
 * Supported regions (ISO 3166-1 alpha-2) and their national formats. Trunk prefix 0 where the region dials one;
 * lengths from each national numbering plan, mobile and geographic numbers alike.
 */
const FORMATS: Readonly<Record<string, NationalFormat>> = {
  US: NANP,
  CA: NANP,
  GB: national(/^0[1235789]\d{8,9}$/), // 020 7946 0958, 07700 900123, 0161 496 0000
  IE: national(/^0[1-9]\d{6,8}$/), // 01 234 5678, 087 123 4567
  DE: national(/^0[1-9]\d{7,10}$/), // 030 12345678, 0170 1234567, 089/1234567, (0221) 1234567
  AT: national(/^0[1-9]\d{6,11}$/), // 01 5123456, 0664 1234567
  CH: national(/^0[1-9]\d{8}$/), // 044 668 18 00, 079 123 45 67
  FR: national(/^0[1-9]\d{8}$/), // 01 23 45 67 89, 06.12.34.56.78
  BE: national(/^0[1-9]\d{7,8}$/), // 02 123 45 67, 0470 12 34 56
  NL: national(/^0[1-9]\d{8}$/), // 020-123 4567, 06-12345678
  ES: national(/^[6-9]\d{8}$/), // 612 34 56 78, 91 123 45 67
  PT: national(/^[29]\d{8}$/), // 912 345 678, 21 123 4567
  IT: national(/^(?:0\d{5,10}|3\d{8,9})$/), // 02 1234 5678, 347 123 4567
  PL: national(/^[1-9]\d{8}$/), // 512 345 678, 22 123 45 67
  SE: national(/^0[1-9]\d{6,8}$/), // 08-123 456 78, 070-123 45 67
  NO: national(/^[2-9]\d{7}$/), // 22 12 34 56, 412 34 567
  DK: national(/^[2-9]\d{7}$/), // 32 12 34 56
  FI: national(/^0[1-9]\d{5,9}$/), // 09 1234 567, 040 123 4567
  AU: national(/^0[2-478]\d{8}$/), // (02) 9876 5432, 0412 345 678
  NZ: national(/^0[2-9]\d{6,8}$/), // 09 123 4567, 021 123 4567
  IN: national(/^(?:[6-9]\d{9}|0\d{10})$/), // 98765 43210, 011 2345 6789
  JP: national(/^0[1-9]\d{8,9}$/), // 03-1234-5678, 090-1234-5678
  BR: national(/^[1-9]{2}(?:9\d{8}|[2-5]\d{7})$/), // (11) 91234-5678, (21) 2345-6789
  MX: national(/^[1-9]\d{9}$/), // 55 1234 5678
  ZA: national(/^0[1-8]\d{8}$/), // 011 123 4567, 082 123 4567
};

export const PHONE_REGION_CODES: readonly string[] = Object.keys(FORMATS);

/** Regions scanned when a policy does not list any: North America, as before the setting existed. */
export const DEFAULT_PHONE_REGIONS: readonly string[] = ['US'];

/** The regions of a policy, compiled once with the policy. */
export interface PhoneRegions {
  /** Whether the North American grouped forms are detected (US or CA listed). */
  northAmerica: boolean;
  /** National formats whose grouped forms the scanner checks. */
  grouped: NationalFormat[];
  /** National formats whose compact form (digits only) counts after a phone keyword. */
  compact: NationalFormat[];
}

/** Compiles region codes (already validated against PHONE_REGION_CODES; unknown ones are ignored). */
export function phoneRegions(codes: readonly string[]): PhoneRegions {
  const formats = [...new Set(codes.map((code) => FORMATS[code]).filter((format) => format !== undefined))];
  return { northAmerica: formats.includes(NANP), grouped: formats.filter((format) => format.grouped), compact: formats };
}

const isDigit = (code: number) => code >= 48 && code <= 57;
const isWordChar = (code: number) => isDigit(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
const SPACE = 32;
const DASH = 45;
const DOT = 46;
const SLASH = 47;
const OPEN = 40;
const CLOSE = 41;
const isSeparator = (code: number) => code === SPACE || code === DASH || code === DOT || code === SLASH;

/** Where a national number may start: a digit or `(` not inside a word, a number or a `+` number ([\w+.-] before). */
export function mayStartNationalPhone(content: string, position: number): boolean {
  const code = content.charCodeAt(position);
  if (!isDigit(code) && code !== OPEN) return false;
  if (position === 0) return true;
  const before = content.charCodeAt(position - 1);
  return !isWordChar(before) && before !== 43 && before !== DOT && before !== DASH;
}

/**
 * Words that announce a phone number, for compact numbers (digits only, no grouping): "call me at 0612345678",
 * "Tel: 4155552671". Up to three short words may sit between the keyword and the number.
 */
// eslint-disable-next-line security/detect-unsafe-regex -- every repetition is bounded ({0,3} of {1,12}) and anchored at $: at most a few hundred steps per position; pii.test.ts runs 1 MB adversarial inputs
const PHONE_CONTEXT = /\b(?:phone|telephone|tel|mobile|cell|call|fax|contact|whatsapp|sms|text|mob|tlf|telefon|telefono|telefone|handy|portable|cellulare|celular|movil)\b(?:\W{1,3}[A-Za-z]{1,12}){0,3}\W{1,3}$/i;

/**
 * Adds the national phone number starting at `position` to `found`, if there is one, and returns the end of the run
 * of digit groups read (groups of digits joined by one space, dash, dot or slash; the first group may be in
 * parentheses, as an area code), or -1 if no run starts there. A run is read once and its candidates skipped, so
 * the scan is linear. Grouped runs are checked against `regions.grouped`; a compact run (one group) counts only after
 * a phone keyword. Shapes of other things are refused before any region is asked: dates (`01.02.2023`,
 * `2023-10-15`), decimals (`0.12345678`), dotted thousands (`12.345.678`) and dotted quads (`010.020.030.040`);
 * groups of one digit do not occur in national formats.
 */
export function scanNationalPhone(content: string, position: number, regions: PhoneRegions, found: Span[]): number {
  if (!mayStartNationalPhone(content, position)) return -1;
  const end = runEnd(content, position);
  // No plan has national numbers of fewer than 6 digits or more than 15 (E.164). Every separator is followed by a
  // digit, so a run longer than 33 characters has more than 15 digits. Most runs in prose (years, counts, 1:2) stop
  // here, before anything is allocated or copied.
  if (end - position < 6 || end - position > 33) return end;
  const after = content.charCodeAt(end);
  if (isWordChar(after) || (after === DOT && isDigit(content.charCodeAt(end + 1)))) return end;
  let national: boolean;
  if (readDigits(content, position) === end) {
    // Compact: digits only.
    const digits = content.slice(position, end);
    national =
      end - position <= 15 &&
      regions.compact.some((format) => format.digits.test(digits)) &&
      PHONE_CONTEXT.test(content.slice(Math.max(0, position - 40), position));
  } else {
    // Grouped: only regions other than North America (pii.ts's regex) read these; by default there are none.
    if (regions.grouped.length === 0) return end;
    const shape = readShape(content, position, end);
    national =
      shape !== undefined &&
      shape.digits >= 6 &&
      shape.digits <= 15 &&
      shape.plausible() &&
      regions.grouped.some((format) => format.digits.test(content.slice(position, end).replace(/\D/g, '')));
  }
  if (national) found.push({ start: position, end });
  return end;
}

/** Where the run from `position` ends: an optional parenthesised area code, then digit groups joined by one separator. */
function runEnd(content: string, position: number): number {
  let index = position;
  if (content.charCodeAt(index) === OPEN) {
    index = readDigits(content, index + 1);
    if (content.charCodeAt(index) !== CLOSE) return index;
    index += 1;
    const next = content.charCodeAt(index);
    if ((next === SPACE || next === DASH) && isDigit(content.charCodeAt(index + 1))) index += 1;
    else if (!isDigit(next)) return index;
  }
  for (;;) {
    index = readDigits(content, index);
    if (!isSeparator(content.charCodeAt(index)) || !isDigit(content.charCodeAt(index + 1))) return index;
    index += 1;
  }
}

/** The shape of the run [position, end) that runEnd delimited; undefined if its area code is malformed. */
function readShape(content: string, position: number, end: number): RunShape | undefined {
  const shape = new RunShape();
  let index = position;
  if (content.charCodeAt(index) === OPEN) {
    index = readDigits(content, index + 1);
    const area = index - position - 1;
    // "(020)" alone, or an area code of one digit or more than five, is no number.
    if (content.charCodeAt(index) !== CLOSE || area < 2 || area > 5 || index + 1 >= end) return undefined;
    shape.group(area);
    shape.parenthesised = true;
    index += 1;
    const next = content.charCodeAt(index);
    shape.separator(isDigit(next) ? 0 : next);
    if (!isDigit(next)) index += 1;
  }
  for (;;) {
    const start = index;
    index = readDigits(content, index);
    shape.group(index - start);
    if (index >= end) return shape;
    shape.separator(content.charCodeAt(index));
    index += 1;
  }
}

function readDigits(content: string, from: number): number {
  let index = from;
  while (isDigit(content.charCodeAt(index))) index += 1;
  return index;
}

/** What the plausibility rules need to know of a run of digit groups, gathered as it is read (no arrays). */
class RunShape {
  groups = 0;
  digits = 0;
  parenthesised = false;
  private shortest = Infinity;
  private firstGroup = 0;
  private secondGroup = 0;
  private thirdGroup = 0;
  private laterAllThree = true;
  private allAtMostThree = true;
  private first = -1;
  private rest = -1;
  private mixedRest = false;
  private dotted = false;

  group(digits: number): void {
    if (this.groups === 0) this.firstGroup = digits;
    else if (this.groups === 1) this.secondGroup = digits;
    else if (this.groups === 2) this.thirdGroup = digits;
    if (this.groups > 0 && digits !== 3) this.laterAllThree = false;
    if (digits > 3) this.allAtMostThree = false;
    this.shortest = Math.min(this.shortest, digits);
    this.digits += digits;
    this.groups += 1;
  }

  /** The separator before the next group (0: none, after a parenthesised area code). */
  separator(code: number): void {
    if (code === DOT) this.dotted = true;
    if (this.first === -1) this.first = code;
    else if (this.rest === -1) this.rest = code;
    else if (code !== this.rest) this.mixedRest = true;
  }

  /**
   * Refuses shapes of other things: groups of one digit (no national format has them), mixed separators after the
   * first ("08-123 456 78" and "(02) 9876 5432" are fine), decimals, dotted thousands, dotted quads and dates.
   */
  plausible(): boolean {
    if (this.groups < 2 || this.shortest < 2 || this.mixedRest) return false;
    if (this.dotted && (this.groups === 2 || this.laterAllThree || (this.groups === 4 && this.allAtMostThree))) return false;
    const [a, b, c] = [this.firstGroup, this.secondGroup, this.thirdGroup];
    const uniform = this.rest === -1 || this.rest === this.first;
    const dateSeparators = uniform && this.first !== SPACE && this.first !== 0;
    if (this.groups === 3 && dateSeparators && ((a <= 2 && b <= 2 && (c === 2 || c === 4)) || (a === 4 && b <= 2 && c <= 2))) return false;
    return true;
  }
}
