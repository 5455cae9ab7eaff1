/**
 * Built-in PII and secret detectors (docs/policies.md "PII detectors"). Pure: no I/O, unit-tested beside this file and measured on the
 * labelled corpus in test/fixtures/pii (scripts/pii-quality.ts).
 *
 * Every detector runs on every evaluation in an agent's hot path, over content the caller controls, so each must
 * be linear in its input whatever the input is. The regular expressions below are built so that V8's backtracking
 * engine cannot go quadratic or exponential:
 * - a match may only start at the beginning of a run (a lookbehind refuses a start inside one), so a long run
 *   is scanned from one start position, not from each of its characters;
 * - every quantified part is either bounded by a small constant (a card has at most 19 digits) or followed by a
 *   character its class cannot contain, so the greedy match splits the text one way only and never backtracks
 *   more than that constant.
 * Anything a regex cannot check cheaply (Luhn, mod-97, SSN ranges, octets, JWT header) is checked in code on the
 * candidate. Formats a regex cannot split without backtracking or without losing findings are read by hand-written
 * scanners instead (pii-cards.ts: every card of a list of digit groups; pii-iban.ts: exactly the country's length;
 * pii-phone.ts: national phone formats), each reading a bounded stretch or a run it then skips. test: pii.test.ts
 * feeds each detector adversarial 1 MB inputs.
 *
 * The detectors do not walk the text themselves: one pass over the characters (candidatesOf) lists where each could
 * start a match, and each regex is tried there only (sticky), each scanner called there only. Ordinary prose has a
 * few dozen such positions in 2 KB, so nine detectors cost about one pass instead of nine. Where candidates are dense
 * (hostile input), a regex falls back to its own whole-text scan; either way the findings are those of referenceScan.
 */
import { isIPv6 } from 'node:net';
import { passesLuhn } from '../../platform/telemetry/redact-pii.js';
import { scanCardRun, type Span } from './pii-cards.js';
import { scanIban } from './pii-iban.js';
import { DEFAULT_PHONE_REGIONS, phoneRegions, scanNationalPhone, type PhoneRegions } from './pii-phone.js';

export { hasCardPrefix } from './pii-cards.js';
export { IBAN_LENGTHS, passesIbanChecksum } from './pii-iban.js';
export { DEFAULT_PHONE_REGIONS, PHONE_REGION_CODES, phoneRegions, type PhoneRegions } from './pii-phone.js';

export const PII_ENTITIES = ['email', 'phone', 'credit_card', 'iban', 'us_ssn', 'ipv4', 'ipv6', 'api_key', 'jwt'] as const;
export type PiiEntity = (typeof PII_ENTITIES)[number];

export interface PiiFinding {
  /** A built-in entity or the name of a custom detector from the policy document. */
  entity: string;
  start: number;
  end: number;
}

/** What a policy tunes in the built-in detectors. */
export interface PiiOptions {
  /** Regions whose national phone formats count (`pii.phone_regions`); `+` international numbers always do. */
  phoneRegions: PhoneRegions;
}

export const DEFAULT_PII_OPTIONS: PiiOptions = { phoneRegions: phoneRegions(DEFAULT_PHONE_REGIONS) };

/** Luhn checksum (ISO/IEC 7812): tells a card number from an order number of the same length. The log scrubber's. */
export { passesLuhn };

/** SSA rules: area 000, 666 and 900–999 were never issued, nor group 00 or serial 0000. */
export function isValidSsn(area: string, group: string, serial: string): boolean {
  const areaNumber = Number(area);
  return areaNumber !== 0 && areaNumber !== 666 && areaNumber < 900 && group !== '00' && serial !== '0000';
}

/**
 * Candidate start positions, found in one pass over the content: a detector's regex is tried (sticky) only where
 * a match could begin, instead of being run over the whole text. Every list is a superset of the positions where
 * its regex can match — each regex opens with a lookbehind refusing a start inside a run of its class, and the
 * pass applies the same lookbehind and the first characters — so the findings are exactly those of a global scan
 * (referenceScan below, tested against detectPii on generated input).
 */
interface Candidates {
  /** A digit that may start a number: not preceded by [\w.-] (cards, SSNs). */
  numbers: number[];
  /** `numbers` not preceded by `:` either (IPv4). */
  ipv4: number[];
  /** `numbers` not preceded by `+`, and `+` or `(` not preceded by [\w+.-] (phones). */
  phone: number[];
  /** Two upper-case letters and two digits, not preceded by a letter or digit (IBAN). */
  iban: number[];
  /** The first two characters of a vendor key prefix, not preceded by [A-Za-z0-9_-]. */
  vendor: number[];
  /** `eyJ` not preceded by [A-Za-z0-9_-]. */
  jwt: number[];
  /** Every `:` and `=` (secret-named fields end there; IPv6 addresses hold colons). */
  assignments: number[];
  colons: number[];
}

// Character classes the candidate helpers test, one bit each.
const WORD = 1; // [A-Za-z0-9_]
const DASH = 2;
const DIGIT = 4;
const HEX_RUN = 8; // [0-9A-Fa-f:.]: what an IPv6 candidate is made of
const CLASSES = new Uint8Array(128);
for (let code = 0; code < 128; code += 1) {
  const char = String.fromCharCode(code);
  let bits = 0;
  if (/\w/.test(char)) bits |= WORD;
  if (/\d/.test(char)) bits |= DIGIT;
  if (/[0-9A-Fa-f:.]/.test(char)) bits |= HEX_RUN;
  if (char === '-') bits |= DASH;
  CLASSES[code] = bits;
}
const classOf = (code: number) => (code < 128 ? CLASSES[code]! : 0);

/**
 * The first two characters of the vendor key prefixes (AKIA ASIA AIza gh?_ github_pat_ glpat- xox? sk rk orca_
 * -----BEGIN) and of a JWT (eyJ), as a table indexed by first * 128 + second.
 */
const VENDOR = 1;
const JWT = 2;
const PREFIXES = new Uint8Array(128 * 128);
for (const [pair, kind] of [...['AK', 'AS', 'AI', 'gh', 'gi', 'gl', 'xo', 'sk', 'rk', 'or', '--'].map((pair) => [pair, VENDOR] as const), ['ey', JWT] as const]) {
  PREFIXES[pair.charCodeAt(0) * 128 + pair.charCodeAt(1)] = kind;
}
function prefixAt(content: string, index: number): number {
  const second = content.charCodeAt(index + 1);
  return second < 128 ? PREFIXES[content.charCodeAt(index) * 128 + second]! : 0;
}

/**
 * What the candidate pass needs to know of a character, as a small number: prose is mostly letters that start
 * nothing, and one table lookup on (previous kind, kind) tells whether a position is worth a closer look — far
 * cheaper than testing each detector's conditions on every character.
 */
const KIND_OTHER = 0;
const KIND_DIGIT = 1;
const KIND_UPPER = 2;
const KIND_LOWER = 3;
/** `A` and the lower-case letters that begin a vendor key prefix or a JWT: g x s r o e. */
const KIND_PREFIX_LETTER = 4;
const KIND_UNDERSCORE = 5;
const KIND_DOT = 6;
const KIND_DASH = 7;
const KIND_COLON = 8;
const KIND_EQUALS = 9;
const KIND_PLUS = 10;
const KIND_PAREN = 11;
const KINDS = new Uint8Array(128);
for (let code = 0; code < 128; code += 1) {
  const char = String.fromCharCode(code);
  let kind = KIND_OTHER;
  if (/\d/.test(char)) kind = KIND_DIGIT;
  else if ('Agxsroe'.includes(char)) kind = KIND_PREFIX_LETTER;
  else if (/[A-Z]/.test(char)) kind = KIND_UPPER;
  else if (/[a-z]/.test(char)) kind = KIND_LOWER;
  else kind = ({ _: KIND_UNDERSCORE, '.': KIND_DOT, '-': KIND_DASH, ':': KIND_COLON, '=': KIND_EQUALS, '+': KIND_PLUS, '(': KIND_PAREN } as Record<string, number>)[char] ?? KIND_OTHER;
  KINDS[code] = kind;
}
const isAlnumKind = (kind: number) => kind === KIND_DIGIT || kind === KIND_UPPER || kind === KIND_LOWER || kind === KIND_PREFIX_LETTER;
/** 1 for the ASCII letters and digits. */
const ALNUM = Uint8Array.from(KINDS, (kind) => (isAlnumKind(kind) ? 1 : 0));
const isAlnumCode = (code: number) => code < 128 && ALNUM[code] === 1;
const isWordKind = (kind: number) => isAlnumKind(kind) || kind === KIND_UNDERSCORE;

/** TRIGGERS[previous << 4 | kind] is 1 where some candidate list may take the position (the lookbehinds above). */
const TRIGGERS = new Uint8Array(256);
for (let previous = 0; previous < 16; previous += 1) {
  for (let kind = 0; kind < 16; kind += 1) {
    let trigger = false;
    if (kind === KIND_DIGIT) trigger = !isWordKind(previous) && previous !== KIND_DOT && previous !== KIND_DASH;
    else if (kind === KIND_UPPER) trigger = !isAlnumKind(previous);
    // `A` may start an IBAN (after anything but a letter or digit) as well as a vendor key.
    else if (kind === KIND_PREFIX_LETTER) trigger = !isAlnumKind(previous);
    else if (kind === KIND_COLON || kind === KIND_EQUALS) trigger = true;
    else if (kind === KIND_PLUS || kind === KIND_PAREN) trigger = !isWordKind(previous) && previous !== KIND_PLUS && previous !== KIND_DOT && previous !== KIND_DASH;
    else if (kind === KIND_DASH) trigger = !isWordKind(previous) && previous !== KIND_DASH;
    TRIGGERS[(previous << 4) | kind] = trigger ? 1 : 0;
  }
}

function candidatesOf(content: string): Candidates {
  const found: Candidates = { numbers: [], ipv4: [], phone: [], iban: [], vendor: [], jwt: [], assignments: [], colons: [] };
  const length = content.length;
  // A list past this length is dense (see DENSE): it stops growing and its regex scans the whole text. The lists
  // the scanners read (numbers, phone, iban) grow whole: a scanner costs less at its candidates than anywhere else.
  const cap = length / DENSE;
  const add = (list: number[], index: number) => {
    if (list.length <= cap) list.push(index);
  };
  // Before the first character the lookbehinds see nothing, as after a character of no class.
  let previous = KIND_OTHER;
  for (let index = 0; index < length; index += 1) {
    const code = content.charCodeAt(index);
    const kind = code < 128 ? KINDS[code]! : KIND_OTHER;
    if (TRIGGERS[(previous << 4) | kind] !== 0) {
      switch (kind) {
        case KIND_DIGIT:
          found.numbers.push(index);
          if (previous !== KIND_COLON) add(found.ipv4, index);
          if (previous !== KIND_PLUS) found.phone.push(index);
          break;
        case KIND_UPPER:
        case KIND_PREFIX_LETTER: {
          // IBAN: [A-Z]{2}\d{2} after anything but a letter or digit ('_' and '-' included).
          if (code <= 90) {
            const second = content.charCodeAt(index + 1);
            if (second >= 65 && second <= 90 && classOf(content.charCodeAt(index + 2)) & DIGIT && classOf(content.charCodeAt(index + 3)) & DIGIT) found.iban.push(index);
          }
          if (kind === KIND_PREFIX_LETTER && previous !== KIND_UNDERSCORE && previous !== KIND_DASH) {
            const prefix = prefixAt(content, index);
            if (prefix === VENDOR) add(found.vendor, index);
            else if (prefix === JWT && content.charCodeAt(index + 2) === 74) add(found.jwt, index);
          }
          break;
        }
        case KIND_COLON:
          add(found.colons, index);
          add(found.assignments, index);
          break;
        case KIND_EQUALS:
          add(found.assignments, index);
          break;
        case KIND_PLUS:
        case KIND_PAREN:
          found.phone.push(index);
          break;
        case KIND_DASH:
          if (prefixAt(content, index) === VENDOR) add(found.vendor, index);
          break;
        default:
          break;
      }
    }
    previous = kind;
    if (code < 128 && ALNUM[code] === 1) {
      // No position inside a run of letters and digits is a candidate (every trigger refuses a letter or digit before
      // it, whichever it is): the rest of the run is skipped, and `previous` stays a letter-or-digit kind.
      while (index + 1 < length && isAlnumCode(content.charCodeAt(index + 1))) index += 1;
    }
  }
  return found;
}

/**
 * IPv6 candidates: the start of each run of [0-9A-Fa-f:.] holding two colons or more (an address needs them), if the
 * regex may start there. No other position of a run can start a match (its lookbehind refuses [\w:.]).
 */
function ipv6Candidates(content: string, colons: number[]): number[] {
  const starts: number[] = [];
  let runEnd = -1;
  for (const colon of colons) {
    if (colon < runEnd) continue;
    let start = colon;
    while (start > 0 && classOf(content.charCodeAt(start - 1)) & HEX_RUN) start -= 1;
    let count = 0;
    runEnd = start;
    while (runEnd < content.length && classOf(content.charCodeAt(runEnd)) & HEX_RUN) {
      if (content.charCodeAt(runEnd) === 58) count += 1;
      runEnd += 1;
    }
    const first = content.charCodeAt(start);
    if (count >= 2 && first !== 46 && (classOf(content.charCodeAt(start - 1)) & WORD) === 0) starts.push(start);
  }
  return starts;
}

const FIELD_NAME = WORD | DASH;

/**
 * Secret-field candidates: the start of the name before each `:` or `=` (`api_key = `, `"password": `). Between the
 * name and the sign the regex allows a quote and up to three blanks, nothing else, so each sign has one candidate.
 */
function fieldCandidates(content: string, assignments: number[]): number[] {
  const starts: number[] = [];
  for (const sign of assignments) {
    let end = sign;
    while (end > 0 && sign - end < 3 && (content.charCodeAt(end - 1) === 32 || content.charCodeAt(end - 1) === 9)) end -= 1;
    if (end > 0 && (content.charCodeAt(end - 1) === 34 || content.charCodeAt(end - 1) === 39)) end -= 1;
    let start = end;
    while (start > 0 && classOf(content.charCodeAt(start - 1)) & FIELD_NAME) start -= 1;
    if (start < end) starts.push(start);
  }
  return starts;
}

type CandidateList = 'jwt' | 'vendor' | 'field' | 'iban' | 'numbers' | 'ipv4' | 'ipv6' | 'phone';

interface RegexDetector {
  entity: PiiEntity;
  /** Where the regex may match; it is tried at these positions only. */
  candidates: CandidateList;
  /** Sticky (`y`): tried at one position at a time. */
  pattern: RegExp;
  /** The same regex with `g`, for a text so dense in candidates that one scan beats a call per candidate. */
  global?: RegExp;
  /** The span to report for a match, or undefined to reject the candidate. */
  accept(match: RegExpExecArray, content: string, options: PiiOptions): Span | undefined;
}

/**
 * A hand-written scanner, for formats a regex cannot split without backtracking or without losing findings (a list of
 * cards is one run of digit groups; an IBAN's length depends on its country).
 */
interface ScanDetector {
  entity: PiiEntity;
  /** A superset of the positions where `scan` finds anything. */
  candidates: CandidateList;
  /** The characters a match may start with (ASCII codes): the whole-text scan calls `scan` at these only. */
  startChars: Uint8Array;
  /**
   * Adds to `found` what the text starting at `position` holds, and returns where scanning resumes (positions before
   * it are not tried again), or -1 when nothing may start there. Each call reads a bounded stretch, or a run it then
   * skips. Nothing is allocated for a position without a finding: scanners run at every candidate of the hot path.
   */
  scan(content: string, position: number, options: PiiOptions, found: Span[]): number;
}

type Detector = RegexDetector | ScanDetector;

function asciiSet(pattern: RegExp): Uint8Array {
  const table = new Uint8Array(128);
  for (let code = 0; code < 128; code += 1) if (pattern.test(String.fromCharCode(code))) table[code] = 1;
  return table;
}

const whole = (match: RegExpExecArray) => ({ start: match.index, end: match.index + match[0].length });

/** Words that announce a version number, not an address: "version 1.2.3.4", "build 10.0.0.1". */
const VERSION_CONTEXT = /(?:\b(?:version|ver|release|build|firmware|kernel|rev|v)[ :]{0,2}|\bv)$/i;
// eslint-disable-next-line security/detect-unsafe-regex -- bounded repetitions, anchored at $: constant work per call
const SSN_CONTEXT = /\b(?:ssn|social security(?: number| no\.?| #)?|ss#)[ :#]{0,3}$/i;

function precedingText(content: string, start: number, length: number): string {
  return content.slice(Math.max(0, start - length), start);
}

function base64UrlJson(segment: string): Record<string, unknown> | undefined {
  if (segment.length > 4096) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const DETECTORS: Detector[] = [
  {
    entity: 'jwt',
    candidates: 'jwt',
    // Header and payload are base64url JSON objects (`{"` encodes as `eyJ`); the signature may be empty (alg none).
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/y,
    accept: (match) => {
      const header = base64UrlJson(match[0].slice(0, match[0].indexOf('.')));
      return header && typeof header.alg === 'string' ? whole(match) : undefined;
    },
  },
  {
    entity: 'api_key',
    candidates: 'vendor',
    // Vendor formats whose prefix makes them unambiguous. Each alternative starts with a literal and continues with
    // a bounded run of one class, so a match starting at one position never backtracks beyond that bound.
    pattern:
      /(?<![A-Za-z0-9_-])(?:(?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}|xox[abprs]-[A-Za-z0-9-]{10,250}|[sr]k_(?:live|test)_[A-Za-z0-9]{16,247}|sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,250}|AIza[0-9A-Za-z_-]{35}|orca_[0-9a-f]{12}_[A-Za-z0-9_-]{43}|glpat-[A-Za-z0-9_-]{20,64}|-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----)(?![A-Za-z0-9_])/y,
    accept: (match) => {
      const value = match[0];
      // "sk-" also starts ordinary hyphenated words ("sk-learn-model-selection-guide"): a key mixes digits and letters.
      // eslint-disable-next-line security/detect-unsafe-regex -- each repetition ends at a '-', so no string matches two ways; run on one matched token
      if (value.startsWith('sk-') && !(/\d/.test(value) && /[A-Za-z]/.test(value.slice(3)) && !/^sk-(?:[a-z]+-)+[a-z]+$/.test(value))) return undefined;
      return whole(match);
    },
  },
  {
    entity: 'api_key',
    candidates: 'field',
    // `api_key=…`, `"client_secret": "…"`, `password: …`: the value after a secret-named field. Only the value is
    // reported (group 1, via the `d` flag's indices) so that redaction keeps the field name readable.
    pattern:
      /(?<![A-Za-z0-9_-])(?:api[_-]?key|apikey|secret[_-]?key|client[_-]?secret|secret|access[_-]?token|auth[_-]?token|refresh[_-]?token|bearer[_-]?token|password|passwd|pwd)["']?[ \t]{0,3}[:=][ \t]{0,3}["']?([A-Za-z0-9/+_.=~!@#$%^&*-]{8,256})/dyi,
    accept: (match) => {
      const indices = match.indices?.[1];
      if (!indices) return undefined;
      const value = match[1]!;
      // A placeholder or a reference is not a secret: `password=${DB_PASSWORD}`, `token: <redacted>`, `api_key=xxxxxxxx`.
      if (/^(?:x+|\*+|\.+|redacted|changeme|null|undefined|none|true|false)$/i.test(value)) return undefined;
      return { start: indices[0], end: indices[1] };
    },
  },
  {
    entity: 'iban',
    candidates: 'iban',
    startChars: asciiSet(/[A-Z]/),
    // Compact (DE89370400440532013000) or in groups (DE89 3704 0044 0532 0130 00, DE89-3704-…): pii-iban.ts.
    scan: (content, position, _options, found) => scanIban(content, position, found),
  },
  {
    entity: 'credit_card',
    candidates: 'numbers',
    startChars: asciiSet(/\d/),
    // 13–19 digits, compact or grouped by spaces or dashes, alone or in a list: pii-cards.ts.
    scan: (content, position, _options, found) => scanCardRun(content, position, found),
  },
  {
    entity: 'us_ssn',
    candidates: 'numbers',
    // AAA-GG-SSSS (dashes, spaces or dots), or nine digits right after "SSN"/"social security number"; not part of
    // a longer dashed code ("202-31-2023-A").
    pattern: /(?<![\w.-])(?:(\d{3})([-. ])(\d{2})\2(\d{4})|(\d{3})(\d{2})(\d{4}))(?![\w-]|\s\d|\.\d)/y,
    accept: (match, content) => {
      if (match[1] !== undefined) return isValidSsn(match[1], match[3]!, match[4]!) ? whole(match) : undefined;
      if (!SSN_CONTEXT.test(precedingText(content, match.index, 32))) return undefined;
      return isValidSsn(match[5]!, match[6]!, match[7]!) ? whole(match) : undefined;
    },
  },
  {
    entity: 'ipv4',
    candidates: 'ipv4',
    // eslint-disable-next-line security/detect-unsafe-regex -- sticky, bounded repetitions ({1,3} three times): constant work per position; pii.test.ts runs 1 MB adversarial inputs
    pattern: /(?<![\w.:-])(?:\d{1,3}\.){3}\d{1,3}(?![\w-]|\.\d)/y,
    accept: (match, content) => {
      const octets = match[0].split('.');
      if (octets.some((octet) => Number(octet) > 255 || (octet.length > 1 && octet.startsWith('0')))) return undefined;
      if (VERSION_CONTEXT.test(precedingText(content, match.index, 16))) return undefined;
      return whole(match);
    },
  },
  {
    entity: 'ipv6',
    candidates: 'ipv6',
    // A maximal run of hex digits, colons and dots (RFC 4291 / 5952 forms: full, compressed, with an IPv4 tail);
    // node:net judges it. A prefix length after it (`/64`) is not part of the finding, as for IPv4 in CIDR notation,
    // and does not change whether the address is found.
    pattern: /(?<![\w:.])(?:[0-9A-Fa-f]{1,4}|::?)[0-9A-Fa-f:.]{1,44}(?![\w:])/y,
    accept: (match) => {
      // A sentence or a clause may end right after the address: "… fe80::1." or "… fe80::1: down".
      let value = match[0].replace(/\.+$/, '');
      if (value.endsWith(':') && !value.endsWith('::')) value = value.slice(0, -1);
      let colons = 0;
      for (let index = 0; index < value.length; index += 1) if (value.charCodeAt(index) === 58) colons += 1;
      // Without `::`, eight groups, or six and an IPv4 tail (0:0:0:0:0:ffff:192.0.2.1).
      const dotted = value.includes('.');
      if (colons < 2 || (!value.includes('::') && colons < (dotted ? 6 : 7))) return undefined;
      // The unspecified address (::, 0:0:0:0:0:0:0:0) stands for "no address" and names no one.
      if (/^[0:.]*$/.test(value)) return undefined;
      // `a::b`-like scopes are not addresses: want two groups, an IPv4 tail, the loopback, or one group that looks like
      // a prefix (fe80::, 2001::): three or more hex digits including a decimal digit.
      const groups = value.split(':').filter((group) => group !== '');
      if (groups.length < 2 && !dotted && value !== '::1' && !/^(?=[0-9A-Fa-f]*\d)[0-9A-Fa-f]{3,4}$/.test(groups[0] ?? '')) return undefined;
      return isIPv6(value) ? { start: match.index, end: match.index + value.length } : undefined;
    },
  },
  {
    entity: 'phone',
    candidates: 'phone',
    // International (E.164 with a `+`: 8–15 digits, grouped freely) or North American (NXX-NXX-XXXX, (NXX) NXX-XXXX,
    // with 1- or 001- before it), each with an optional extension (x123, ext. 123). Group 1 is the number.
    pattern:
      // eslint-disable-next-line security/detect-unsafe-regex -- sticky, bounded repetitions: constant work per position; pii.test.ts runs 1 MB adversarial inputs
      /(?<![\w+.-])(\+\d[\d ().-]{6,22}\d|(?:1[-. ]|001[-. ])?(?:\(\d{3}\) ?|\d{3}[-. ])\d{3}[-. ]\d{4})(?: ?(?:x|ext\.?|extension) ?\d{1,6})?(?![\w]|[-. ]\d|\)|\.\d)/y,
    accept: (match, _content, options) => {
      const number = match[1]!;
      const digits = number.replace(/\D/g, '');
      if (number.startsWith('+')) {
        if (digits.length < 8 || digits.length > 15) return undefined;
        if (/[ ().-]{2}/.test(number.replace(/\) /g, ')').replace(/ \(/g, '('))) return undefined;
        const open = number.split('(').length - 1;
        return open === number.split(')').length - 1 && open <= 1 ? whole(match) : undefined;
      }
      if (!options.phoneRegions.northAmerica) return undefined;
      const national = digits.slice(digits.length - 10);
      // NANP: area code and exchange start with 2–9; a phone number in a dotted run is more likely a version.
      if (national[0] === '0' || national[0] === '1' || national[3] === '0' || national[3] === '1') return undefined;
      return whole(match);
    },
  },
  {
    entity: 'phone',
    candidates: 'phone',
    startChars: asciiSet(/[\d(]/),
    // National formats of the policy's other regions, and compact numbers after a phone keyword: pii-phone.ts.
    scan: (content, position, options, found) => scanNationalPhone(content, position, options.phoneRegions, found),
  },
];

function charTable(extra: string): Uint8Array {
  const table = new Uint8Array(128);
  for (let code = 0; code < 128; code += 1) {
    const char = String.fromCharCode(code);
    if (/[A-Za-z0-9]/.test(char) || extra.includes(char)) table[code] = 1;
  }
  return table;
}
const LOCAL_PART = charTable('._%+-');
const DOMAIN_PART = charTable('.-');
const inTable = (table: Uint8Array, code: number) => code < 128 && table[code] === 1;
// eslint-disable-next-line security/detect-unsafe-regex -- anchored, bounded ({0,61}): one DNS label at a time
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
// Letters, or an internationalised top-level domain in its ASCII (punycode) form: xn--p1ai (.рф), xn--80asehdb.
const TOP_LEVEL = /^(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;

/**
 * Emails, found from each `@` outwards rather than by a regex that would try every word as a local part: the text
 * between two `@` is read at most twice (as the domain of one and the local part of the next), so this is linear.
 */
function detectEmails(content: string, findings: PiiFinding[]): void {
  let at = content.indexOf('@');
  while (at !== -1) {
    let start = at;
    while (start > 0 && at - start <= 64 && inTable(LOCAL_PART, content.charCodeAt(start - 1))) start -= 1;
    let end = at + 1;
    while (end < content.length && end - at <= 254 && inTable(DOMAIN_PART, content.charCodeAt(end))) end += 1;
    // A sentence may end right after the address.
    while (end > at + 1 && (content.charAt(end - 1) === '.' || content.charAt(end - 1) === '-')) end -= 1;
    const local = content.slice(start, at);
    const labels = content.slice(at + 1, end).split('.');
    const valid =
      local.length > 0 &&
      at - start <= 64 &&
      !inTable(LOCAL_PART, content.charCodeAt(start - 1)) &&
      !local.startsWith('.') &&
      !local.endsWith('.') &&
      !local.includes('..') &&
      labels.length >= 2 &&
      labels.every((label) => LABEL.test(label)) &&
      TOP_LEVEL.test(labels[labels.length - 1]!) &&
      !/[A-Za-z0-9_@]/.test(content.charAt(end));
    if (valid) findings.push({ entity: 'email', start, end });
    at = content.indexOf('@', Math.max(at + 1, valid ? end : at + 1));
  }
}

/** Priority when two findings overlap at the same start: the more specific entity wins. */
const PRIORITY = new Map<string, number>(PII_ENTITIES.map((entity, index) => [entity, index]));
const ENTITY_ORDER: PiiEntity[] = ['jwt', 'api_key', 'email', 'iban', 'credit_card', 'us_ssn', 'ipv6', 'ipv4', 'phone'];
for (const [index, entity] of ENTITY_ORDER.entries()) PRIORITY.set(entity, index);

/** Runs the enabled built-in detectors over `content`; the findings do not overlap and are ordered by position. */
export function detectPii(content: string, enabled: ReadonlySet<string> = ALL_ENTITIES, options: PiiOptions = DEFAULT_PII_OPTIONS): PiiFinding[] {
  const findings: PiiFinding[] = [];
  if (enabled.has('email')) detectEmails(content, findings);
  const found = candidatesOf(content);
  const lists: Record<CandidateList, () => number[]> = {
    jwt: () => found.jwt,
    vendor: () => found.vendor,
    field: () => (isDense(found.assignments, content) ? found.assignments : fieldCandidates(content, found.assignments)),
    iban: () => found.iban,
    numbers: () => found.numbers,
    ipv4: () => found.ipv4,
    ipv6: () => (isDense(found.colons, content) ? found.colons : ipv6Candidates(content, found.colons)),
    phone: () => found.phone,
  };
  for (const detector of DETECTORS) {
    if (!enabled.has(detector.entity)) continue;
    const candidates = lists[detector.candidates]();
    if ('scan' in detector) {
      runScanner(detector, content, candidates, options, findings);
      continue;
    }
    if (isDense(candidates, content)) {
      scanWhole(detector, content, options, findings);
      continue;
    }
    const pattern = detector.pattern;
    // Where a global scan would resume: a match, accepted or not, is never searched again from inside itself.
    let resume = 0;
    for (const position of candidates) {
      if (position < resume) continue;
      pattern.lastIndex = position;
      const match = pattern.exec(content);
      if (match === null) continue;
      const span = detector.accept(match, content, options);
      if (span) findings.push({ entity: detector.entity, start: span.start, end: span.end });
      resume = position + Math.max(1, match[0].length);
    }
  }
  return resolveOverlaps(findings);
}

const ALL_ENTITIES: ReadonlySet<string> = new Set(PII_ENTITIES);

/**
 * More than one candidate every DENSE characters (hostile input such as 1 MB of "1:"): a call per candidate would
 * cost more than the regex walking the text by itself, so the detector scans the whole text instead. The findings
 * are the same either way (referenceScan is that whole-text scan).
 */
const DENSE = 64;
const isDense = (candidates: number[], content: string) => candidates.length > content.length / DENSE;

function scanWhole(detector: RegexDetector, content: string, options: PiiOptions, findings: PiiFinding[]): void {
  // eslint-disable-next-line security/detect-non-literal-regexp -- the source of one of this module's literal patterns, with the sticky flag swapped for global
  detector.global ??= new RegExp(detector.pattern.source, detector.pattern.flags.replace('y', 'g'));
  const pattern = detector.global;
  pattern.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(content)) !== null) {
    const span = detector.accept(match, content, options);
    if (span) findings.push({ entity: detector.entity, start: span.start, end: span.end });
    if (match[0].length === 0) pattern.lastIndex += 1;
  }
}

/**
 * Runs a scanner at the given positions, or at every position of the text (`positions` undefined: the whole-text
 * scan of referenceScan). Positions inside what a call read are skipped, so each character is read a bounded number
 * of times.
 */
function runScanner(detector: ScanDetector, content: string, positions: number[] | undefined, options: PiiOptions, findings: PiiFinding[]): void {
  let resume = 0;
  const count = positions ? positions.length : content.length;
  const startChars = detector.startChars;
  const found: Span[] = [];
  for (let index = 0; index < count; index += 1) {
    const position = positions ? positions[index]! : index;
    if (position < resume) continue;
    if (!positions && startChars[content.charCodeAt(position)] !== 1) continue;
    const end = detector.scan(content, position, options, found);
    if (end !== -1) resume = Math.max(position + 1, end);
  }
  for (const span of found) findings.push({ entity: detector.entity, start: span.start, end: span.end });
}

/**
 * The executable specification of detectPii: every detector run over the whole text (regexes globally, scanners at
 * every position), no candidates. Slow; only tests call it, to prove the pre-filter drops nothing.
 */
export function referenceScan(content: string, options: PiiOptions = DEFAULT_PII_OPTIONS): PiiFinding[] {
  const findings: PiiFinding[] = [];
  detectEmails(content, findings);
  for (const detector of DETECTORS) {
    if ('scan' in detector) runScanner(detector, content, undefined, options, findings);
    else scanWhole(detector, content, options, findings);
  }
  return resolveOverlaps(findings);
}

/**
 * Keeps non-overlapping findings, earliest first; at equal starts the more specific entity (then the longer span)
 * wins. Custom detectors rank after the built-ins.
 */
export function resolveOverlaps(findings: PiiFinding[]): PiiFinding[] {
  if (findings.length < 2) return findings;
  const rank = (entity: string) => PRIORITY.get(entity) ?? PRIORITY.size;
  findings.sort((a, b) => a.start - b.start || rank(a.entity) - rank(b.entity) || b.end - a.end);
  const kept: PiiFinding[] = [];
  let end = -1;
  for (const finding of findings) {
    if (finding.start < end) continue;
    kept.push(finding);
    end = finding.end;
  }
  return kept;
}

/** Replaces each finding by `[REDACTED:<entity>]`; the original text of a finding is never copied anywhere else. */
export function redact(content: string, findings: readonly PiiFinding[]): string {
  if (findings.length === 0) return content;
  const parts: string[] = [];
  let cursor = 0;
  for (const finding of findings) {
    parts.push(content.slice(cursor, finding.start), `[REDACTED:${finding.entity}]`);
    cursor = finding.end;
  }
  parts.push(content.slice(cursor));
  return parts.join('');
}
