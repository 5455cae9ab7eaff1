/**
 * The personal-data patterns of log redaction (redact.ts runs them after the credential patterns): email addresses
 * and the digit runs that are payment card or phone numbers. Whether a run of digits is PII is decided in code
 * (classifyDigits), not by a regex; UUIDs, dates, IP addresses and order numbers stay readable.
 *
 * Every regular expression here is linear in its input (see the comment on each; redact.test.ts feeds them
 * hostile megabytes).
 */
import type { Scrubber } from './redact-secrets.js';

export const EMAIL_REDACTED = '[EMAIL]';
export const PHONE_REDACTED = '[PHONE]';
export const CARD_REDACTED = '[CARD]';

/**
 * Top-level domains reserved by RFC 2606 §2: no mailbox can exist there, so `ops@orca.example` in a message is
 * documentation, not personal data, and stays readable.
 */
const RESERVED_TLDS = new Set(['example', 'invalid', 'test', 'localhost']);

export const EMAIL_SCRUBBER: Scrubber = {
  applies: (value) => value.includes('@'),
  // The local part must start a run of local-part characters (lookbehind): a string of a million `a` followed by
  // `@` is then scanned once, not once per starting position. Labels cannot contain `.`, so the domain splits
  // into labels one way only.
  // eslint-disable-next-line security/detect-unsafe-regex -- labels cannot contain '.', so the domain splits one way only (see above); redact.test.ts runs 1 MB adversarial inputs
  pattern: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+([A-Za-z]{2,63})/g,
  replace: (match: string, tld: string) => (RESERVED_TLDS.has(tld.toLowerCase()) ? match : EMAIL_REDACTED),
};

/**
 * A maximal run of digit groups joined by one separator (space, dot, dash), with at most a leading `+` and
 * parenthesised groups: `+1 (415) 555-2671`, `4111 1111 1111 1111`, `2024-01-01`. Whether a run is a card number,
 * a phone number or neither is decided in code (classifyDigits), which is both clearer and safer than a regex.
 * The lookbehinds forbid starting inside a run (after a digit, a `)`, or a digit/`)` and a separator), so each run
 * is matched from its first character only; the steps of the repetition begin with disjoint characters
 * (separator, `(`, digit-after-`)`), so the greedy match never backtracks.
 */
const DIGIT_RUN =
  // eslint-disable-next-line security/detect-unsafe-regex -- the steps of the repetition begin with disjoint characters, so it never backtracks (see above); redact.test.ts runs 1 MB adversarial inputs
  /(?:(?<!\d)\+\d+|(?<![\w()]|[\d)][ .-])\(\d+\)|(?<![\w.+()]|[\d)][ .-])\d+)(?:[ .-](?:\(\d+\)|\d+)|\(\d+\)|(?<=\))\d+)*/g;

const MIN_PII_DIGITS = 7;

/** Luhn checksum (ISO/IEC 7812): what tells a card number from an order number of the same length. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index -= 1) {
    let digit = digits.charCodeAt(index) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

function countDigits(value: string, stopAt = Infinity): number {
  let count = 0;
  for (let index = 0; index < value.length && count < stopAt; index += 1) {
    const code = value.charCodeAt(index);
    if (code >= 48 && code <= 57) count += 1;
  }
  return count;
}

const DATE_LIKE = /^(?:\d{4}[.-]\d{1,2}[.-]\d{1,2}|\d{1,2}[.-]\d{1,2}[.-]\d{4})$/;
// eslint-disable-next-line security/detect-unsafe-regex -- anchored, and no unbounded quantifier is nested in another: linear in the input
const IPV4_LIKE = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** Card (13–19 digits, spaces or dashes only, Luhn-valid), phone, or neither. `run` is one DIGIT_RUN match. */
function classifyDigits(run: string): 'card' | 'phone' | undefined {
  const digits = run.replace(/\D/g, '');
  if (digits.length < MIN_PII_DIGITS) return undefined;
  const plus = run.startsWith('+');
  const parens = run.includes('(');
  if (!plus && !parens && !run.includes('.') && digits.length >= 13 && digits.length <= 19 && passesLuhn(digits)) return 'card';
  if (parens && !/^\+?\d*[ .-]?\(\d{1,5}\)[^()]*$/.test(run)) return undefined;
  if (plus) return digits.length <= 15 ? 'phone' : undefined; // E.164: at most 15 digits
  if (digits.length > 12 || DATE_LIKE.test(run) || IPV4_LIKE.test(run)) return undefined;
  if (parens) return 'phone';
  const groups = run.split(/[ .-]/);
  if (groups.length >= 3) return groups.length <= 6 && groups.every((group) => group.length <= 4) ? 'phone' : undefined;
  // One separator: only the trunk-prefix national form (030 12345678, 0612-345678); "2019-2024" is not a phone.
  const [area = '', subscriber = ''] = groups;
  return groups.length === 2 && !run.includes('.') && area.startsWith('0') && area.length <= 5 && subscriber.length >= 5 && subscriber.length <= 8
    ? 'phone'
    : undefined;
}

const LABELS = { card: CARD_REDACTED, phone: PHONE_REDACTED } as const;

/**
 * A run made of several numbers written side by side ("415-555-2671 415-555-2672", two cards in a list) is not one
 * number; its space-separated parts are tried in windows of up to 5 groups (a 4-4-4-4-3 card). Cards (which the
 * Luhn check confirms) may span groups; a phone may only when it starts with `+` — otherwise "invoice 1234 5678
 * 9012 3456" would lose its first three groups as a "phone".
 *
 * Of all the ways to cut the run into such windows, the one that leaves the fewest digits in clear is taken (then
 * the one with the fewest labels), by dynamic programming over the groups: a first-match scan let a stray number
 * and the start of a card pass the Luhn check by chance (one window in ten does) and left the card's tail in clear.
 * The parts left between labels are then judged whole, as a second scrub would see them, so that scrubbing is
 * idempotent: no window fits inside a part (the cut would have used it), and the part itself is no longer PII.
 */
function scrubNumberList(run: string): string {
  const tokens = run.split(' ');
  const digitCounts = tokens.map((token) => countDigits(token));
  const windowLabel = (index: number, size: number): string | undefined => {
    let digits = 0;
    for (let offset = 0; offset < size; offset += 1) digits += digitCounts[index + offset]!;
    if (digits < MIN_PII_DIGITS || digits > 19) return undefined;
    const kind = classifyDigits(tokens.slice(index, index + size).join(' '));
    if (kind === 'phone' && size > 1 && !tokens[index]!.startsWith('+')) return undefined;
    return kind && LABELS[kind];
  };
  // From the right: for the groups index.., the fewest digits left in clear and, among those cuts, the fewest labels.
  const count = tokens.length;
  const clearDigits = new Array<number>(count + 1).fill(0);
  const labelCount = new Array<number>(count + 1).fill(0);
  const cut = new Array<{ size: number; label: string } | undefined>(count).fill(undefined);
  for (let index = count - 1; index >= 0; index -= 1) {
    clearDigits[index] = digitCounts[index]! + clearDigits[index + 1]!;
    labelCount[index] = labelCount[index + 1]!;
    for (let size = Math.min(5, count - index); size >= 1; size -= 1) {
      const label = windowLabel(index, size);
      if (!label) continue;
      const [digits, labels] = [clearDigits[index + size]!, labelCount[index + size]! + 1];
      if (digits < clearDigits[index]! || (digits === clearDigits[index]! && labels < labelCount[index]!)) {
        [clearDigits[index], labelCount[index], cut[index]] = [digits, labels, { size, label }];
      }
    }
  }
  if (labelCount[0] === 0) return run;
  const output: string[] = [];
  let part: string[] = [];
  const flushPart = () => {
    if (part.length === 0) return;
    const text = part.join(' ');
    const kind = classifyDigits(text);
    output.push(kind ? LABELS[kind] : text);
    part = [];
  };
  for (let index = 0; index < count; ) {
    const window = cut[index];
    if (window) {
      flushPart();
      output.push(window.label);
      index += window.size;
    } else {
      part.push(tokens[index]!);
      index += 1;
    }
  }
  flushPart();
  return output.join(' ');
}

const UUID_AROUND = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Whether [start, end) lies inside a UUID: ids (correlation ids, agent ids) are all over the logs and must stay. */
function insideUuid(input: string, start: number, end: number): boolean {
  if (end - start > 36) return false;
  const from = Math.max(0, start - 36);
  const window = input.slice(from, Math.min(input.length, end + 36));
  for (const match of window.matchAll(UUID_AROUND)) {
    const matchStart = from + match.index;
    if (matchStart <= start && matchStart + match[0].length >= end) return true;
  }
  return false;
}

function isHexCode(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70);
}

/** Whether a UUID (8-4-4-4-12 hex digits, any case, as UUID_AROUND) starts at `start`. */
export function uuidAt(value: string, start: number): boolean {
  if (start + 36 > value.length) return false;
  // The dashes first: most strings are rejected by them without looking at 32 digits.
  if (value.charCodeAt(start + 8) !== 45 || value.charCodeAt(start + 13) !== 45 || value.charCodeAt(start + 18) !== 45 || value.charCodeAt(start + 23) !== 45) {
    return false;
  }
  for (let offset = 0; offset < 36; offset += 1) {
    if (offset === 8 || offset === 13 || offset === 18 || offset === 23) continue;
    if (!isHexCode(value.charCodeAt(start + offset))) return false;
  }
  return true;
}

/**
 * Digits of a string outside its UUIDs (a scan, no allocation). Nearly every log line carries UUIDs (correlation
 * ids, resource ids in the URL) and they are never personal data, so a line whose other digits are too few to be
 * PII skips the digit scan.
 */
function digitsOutsideUuids(value: string, stopAt: number): number {
  let count = 0;
  for (let index = 0; index < value.length && count < stopAt; index += 1) {
    if (value.charCodeAt(index + 8) === 45 && uuidAt(value, index)) {
      index += 35;
      continue;
    }
    const code = value.charCodeAt(index);
    if (code >= 48 && code <= 57) count += 1;
  }
  return count;
}

export const DIGIT_SCRUBBER: Scrubber = {
  applies: (value) => digitsOutsideUuids(value, MIN_PII_DIGITS) >= MIN_PII_DIGITS,
  pattern: DIGIT_RUN,
  replace: (run: string, offset: number, input: string) => scrubDigitRun(run, offset, input),
};

function scrubDigitRun(run: string, offset: number, input: string): string {
  if (countDigits(run, MIN_PII_DIGITS) < MIN_PII_DIGITS) return run;
  if (/[A-Za-z_]/.test(input.charAt(offset + run.length))) {
    // Digits glued to letters are part of an identifier (a hex digest, `v2024…`), not a number someone wrote —
    // but only the last group is glued: `415-555-2671 550e8400-…` still holds a phone number before it.
    const lastSeparator = Math.max(run.lastIndexOf(' '), run.lastIndexOf('.'), run.lastIndexOf('-'));
    if (lastSeparator <= 0) return run;
    return scrubDigitRun(run.slice(0, lastSeparator), offset, input.slice(0, offset + lastSeparator)) + run.slice(lastSeparator);
  }
  if (insideUuid(input, offset, offset + run.length)) return run;
  const kind = classifyDigits(run);
  if (kind) return LABELS[kind];
  return run.includes(' ') ? scrubNumberList(run) : run;
}

/** Integers of card length (a card number sent as a JSON number) that pass the Luhn check. */
export function isCardNumber(value: number | bigint): boolean {
  if (typeof value === 'number' && (!Number.isSafeInteger(value) || Math.abs(value) < 1e12)) return false;
  const digits = (value < 0 ? -value : value).toString();
  return digits.length >= 13 && digits.length <= 19 && passesLuhn(digits);
}
