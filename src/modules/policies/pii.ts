/**
 * Built-in PII and secret detectors (SPEC §6). Pure: no I/O, unit-tested beside this file and measured on the
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
 * candidate. test: pii.test.ts feeds each detector adversarial 1 MB inputs.
 */
import { isIPv6 } from 'node:net';
import { passesLuhn } from '../../platform/telemetry/redact.js';

export const PII_ENTITIES = ['email', 'phone', 'credit_card', 'iban', 'us_ssn', 'ipv4', 'ipv6', 'api_key', 'jwt'] as const;
export type PiiEntity = (typeof PII_ENTITIES)[number];

export interface PiiFinding {
  /** A built-in entity or the name of a custom detector from the policy document. */
  entity: string;
  start: number;
  end: number;
}

/** Luhn checksum (ISO/IEC 7812): tells a card number from an order number of the same length. The log scrubber's. */
export { passesLuhn };

/**
 * Issuer prefixes (IIN ranges) of the card networks in use: a Luhn-valid 16-digit order number starting with 1, 7,
 * 8, 9 or 0 is not a card. Visa 4; Mastercard 51–55, 2221–2720; Amex 34, 37; Discover 6011, 644–649, 65;
 * Diners 300–305, 36, 38, 39; JCB 3528–3589; UnionPay 62; Maestro 50, 56–58, 63, 67.
 */
export function hasCardPrefix(digits: string): boolean {
  const two = Number(digits.slice(0, 2));
  const three = Number(digits.slice(0, 3));
  const four = Number(digits.slice(0, 4));
  const length = digits.length;
  if (digits[0] === '4') return length === 13 || length === 16 || length === 19;
  if (two >= 51 && two <= 55) return length === 16;
  if (four >= 2221 && four <= 2720) return length === 16;
  if (two === 34 || two === 37) return length === 15;
  if (four === 6011 || two === 65 || (three >= 644 && three <= 649)) return length >= 16;
  if ((three >= 300 && three <= 305) || two === 36 || two === 38 || two === 39) return length >= 14;
  if (four >= 3528 && four <= 3589) return length >= 16;
  if (two === 62) return length >= 16;
  if (two === 50 || (two >= 56 && two <= 58) || two === 63 || two === 67) return length >= 12;
  return false;
}

/** IBAN lengths per country (ISO 13616 registry, SWIFT release 2024). */
const IBAN_LENGTHS: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28, CH: 21, CR: 22, CY: 28,
  CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18,
  GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32,
  LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MD: 24, ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24,
  PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, SA: 24, SC: 31, SE: 24, SI: 19, SK: 24, SM: 27, ST: 25, SV: 28,
  TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20,
};

/** ISO 7064 mod 97-10 over the rearranged IBAN, computed digit by digit (no bignum, linear). */
export function passesIbanChecksum(iban: string): boolean {
  const compact = iban.replace(/ /g, '').toUpperCase();
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

/** SSA rules: area 000, 666 and 900–999 were never issued, nor group 00 or serial 0000. */
export function isValidSsn(area: string, group: string, serial: string): boolean {
  const areaNumber = Number(area);
  return areaNumber !== 0 && areaNumber !== 666 && areaNumber < 900 && group !== '00' && serial !== '0000';
}

/** Character counts taken in one pass, so that detectors whose shape cannot occur skip their regex entirely. */
interface Profile {
  /** The content in lower case, for case-insensitive prechecks by plain substring search. */
  lower: string;
  digits: number;
  colons: number;
  dots: number;
  doubleColon: boolean;
}

function profileOf(content: string, lower: string): Profile {
  let digits = 0;
  let colons = 0;
  let dots = 0;
  let doubleColon = false;
  for (let index = 0; index < content.length; index += 1) {
    const code = content.charCodeAt(index);
    if (code >= 48 && code <= 57) digits += 1;
    else if (code === 58) {
      colons += 1;
      if (content.charCodeAt(index + 1) === 58) doubleColon = true;
    } else if (code === 46) dots += 1;
  }
  return { lower, digits, colons, dots, doubleColon };
}

interface Detector {
  entity: PiiEntity;
  /** Cheap necessary condition: the regex runs only when it holds. */
  applies(content: string, profile: Profile): boolean;
  pattern: RegExp;
  /** The span to report for a match, or undefined to reject the candidate. */
  accept(match: RegExpExecArray, content: string): { start: number; end: number } | undefined;
}

const whole = (match: RegExpExecArray) => ({ start: match.index, end: match.index + match[0].length });

/** Words that announce a version number, not an address: "version 1.2.3.4", "build 10.0.0.1". */
const VERSION_CONTEXT = /(?:\b(?:version|ver|release|build|firmware|kernel|rev|v)[ :]{0,2}|\bv)$/i;
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

const SECRET_FIELD_WORDS = ['key', 'secret', 'token', 'passw', 'pwd'];

const DETECTORS: Detector[] = [
  {
    entity: 'jwt',
    applies: (content) => content.includes('eyJ'),
    // Header and payload are base64url JSON objects (`{"` encodes as `eyJ`); the signature may be empty (alg none).
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g,
    accept: (match) => {
      const header = base64UrlJson(match[0].slice(0, match[0].indexOf('.')));
      return header && typeof header.alg === 'string' ? whole(match) : undefined;
    },
  },
  {
    entity: 'api_key',
    applies: (content) => /AKIA|ASIA|gh[pousr]_|github_pat_|xox[abprs]-|[sr]k_(?:live|test)_|sk-|AIza|orca_|PRIVATE KEY|glpat-/.test(content),
    // Vendor formats whose prefix makes them unambiguous. Each alternative starts with a literal and continues with
    // a bounded run of one class, so a match starting at one position never backtracks beyond that bound.
    pattern:
      /(?<![A-Za-z0-9_-])(?:(?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}|xox[abprs]-[A-Za-z0-9-]{10,250}|[sr]k_(?:live|test)_[A-Za-z0-9]{16,247}|sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,250}|AIza[0-9A-Za-z_-]{35}|orca_[0-9a-f]{12}_[A-Za-z0-9_-]{43}|glpat-[A-Za-z0-9_-]{20,64}|-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----)(?![A-Za-z0-9_])/g,
    accept: (match) => {
      const value = match[0];
      // "sk-" also starts ordinary hyphenated words ("sk-learn-model-selection-guide"): a key mixes digits and letters.
      if (value.startsWith('sk-') && !(/\d/.test(value) && /[A-Za-z]/.test(value.slice(3)) && !/^sk-(?:[a-z]+-)+[a-z]+$/.test(value))) return undefined;
      return whole(match);
    },
  },
  {
    entity: 'api_key',
    applies: (_content, profile) => SECRET_FIELD_WORDS.some((word) => profile.lower.includes(word)),
    // `api_key=…`, `"client_secret": "…"`, `password: …`: the value after a secret-named field. Only the value is
    // reported (group 1, via the `d` flag's indices) so that redaction keeps the field name readable.
    pattern:
      /(?<![A-Za-z0-9_-])(?:api[_-]?key|apikey|secret[_-]?key|client[_-]?secret|secret|access[_-]?token|auth[_-]?token|refresh[_-]?token|bearer[_-]?token|password|passwd|pwd)["']?[ \t]{0,3}[:=][ \t]{0,3}["']?([A-Za-z0-9/+_.=~!@#$%^&*-]{8,256})/dgi,
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
    applies: (content) => /[A-Za-z]{2}\d\d/.test(content),
    // Compact (DE89370400440532013000) or printed in groups of four (DE89 3704 0044 0532 0130 00).
    pattern: /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,4})?)(?![A-Za-z0-9])/g,
    accept: (match) => (passesIbanChecksum(match[0]) ? whole(match) : undefined),
  },
  {
    entity: 'credit_card',
    applies: (_content, profile) => profile.digits >= 13,
    // 13–19 digits, optionally grouped by single spaces or dashes; not inside a longer number or identifier.
    pattern: /(?<![\w.-])\d(?:[ -]?\d){12,18}(?![\w]|[ -]\d|\.\d)/g,
    accept: (match) => {
      const value = match[0];
      const separators = value.replace(/\d/g, '');
      if (separators.length > 0 && !(separators === separators[0]!.repeat(separators.length))) return undefined;
      const digits = value.replace(/\D/g, '');
      return hasCardPrefix(digits) && passesLuhn(digits) ? whole(match) : undefined;
    },
  },
  {
    entity: 'us_ssn',
    applies: (_content, profile) => profile.digits >= 9,
    // AAA-GG-SSSS (dashes or spaces), or nine digits right after "SSN"/"social security number"; not part of a
    // longer dashed code ("202-31-2023-A").
    pattern: /(?<![\w.-])(?:(\d{3})([- ])(\d{2})\2(\d{4})|(\d{3})(\d{2})(\d{4}))(?![\w-]|\s\d|\.\d)/g,
    accept: (match, content) => {
      if (match[1] !== undefined) return isValidSsn(match[1], match[3]!, match[4]!) ? whole(match) : undefined;
      if (!SSN_CONTEXT.test(precedingText(content, match.index, 32))) return undefined;
      return isValidSsn(match[5]!, match[6]!, match[7]!) ? whole(match) : undefined;
    },
  },
  {
    entity: 'ipv4',
    applies: (_content, profile) => profile.digits >= 4 && profile.dots >= 3,
    pattern: /(?<![\w.:-])(?:\d{1,3}\.){3}\d{1,3}(?![\w-]|\.\d)/g,
    accept: (match, content) => {
      const octets = match[0].split('.');
      if (octets.some((octet) => Number(octet) > 255 || (octet.length > 1 && octet.startsWith('0')))) return undefined;
      if (VERSION_CONTEXT.test(precedingText(content, match.index, 16))) return undefined;
      return whole(match);
    },
  },
  {
    entity: 'ipv6',
    // Without `::` an address spells all eight groups, hence seven colons.
    applies: (_content, profile) => (profile.doubleColon ? profile.colons >= 2 : profile.colons >= 7),
    // A maximal run of hex digits, colons and dots holding `::` or at least seven colons; node:net judges it.
    pattern: /(?<![\w:.])(?:[0-9A-Fa-f]{1,4}|::?)[0-9A-Fa-f:.]{1,44}(?![\w:])/g,
    accept: (match) => {
      // A sentence may end right after the address.
      const value = match[0].replace(/\.+$/, '');
      let colons = 0;
      for (let index = 0; index < value.length; index += 1) if (value.charCodeAt(index) === 58) colons += 1;
      if (colons < 2 || (!value.includes('::') && colons < 7)) return undefined;
      // `a::b`-like C++ scopes are not addresses: want hex digits in at least two groups, or the loopback.
      const groups = value.split(':').filter((group) => group !== '');
      if (groups.length < 2 && value !== '::1') return undefined;
      return isIPv6(value) ? { start: match.index, end: match.index + value.length } : undefined;
    },
  },
  {
    entity: 'phone',
    applies: (_content, profile) => profile.digits >= 8,
    // International (E.164 with a `+`: 8–15 digits, grouped freely) or North American (NXX-NXX-XXXX, (NXX) NXX-XXXX).
    pattern:
      /(?<![\w+.-])(?:\+\d[\d ().-]{6,22}\d|(?:1[-. ])?(?:\(\d{3}\) ?|\d{3}[-. ])\d{3}[-. ]\d{4})(?![\w]|[-. ]\d|\)|\.\d)/g,
    accept: (match) => {
      const value = match[0];
      const digits = value.replace(/\D/g, '');
      if (value.startsWith('+')) {
        if (digits.length < 8 || digits.length > 15) return undefined;
        if (/[ ().-]{2}/.test(value.replace(/\) /g, ')').replace(/ \(/g, '('))) return undefined;
        const open = value.split('(').length - 1;
        return open === value.split(')').length - 1 && open <= 1 ? whole(match) : undefined;
      }
      const national = digits.length === 11 ? digits.slice(1) : digits;
      // NANP: area code and exchange start with 2–9; a phone number in a dotted run is more likely a version.
      if (national[0] === '0' || national[0] === '1' || national[3] === '0' || national[3] === '1') return undefined;
      return whole(match);
    },
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
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const TOP_LEVEL = /^[A-Za-z]{2,63}$/;

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

/**
 * Runs the enabled built-in detectors over `content`; the findings do not overlap and are ordered by position.
 * `lower` is `content.toLowerCase()` when the caller has computed it already.
 */
export function detectPii(content: string, enabled: ReadonlySet<string> = new Set(PII_ENTITIES), lower?: string): PiiFinding[] {
  const findings: PiiFinding[] = [];
  // Only the secret-field precheck reads the lower-cased text; a caller that has it already passes it in.
  const profile = profileOf(content, lower ?? (enabled.has('api_key') ? content.toLowerCase() : ''));
  if (enabled.has('email')) detectEmails(content, findings);
  for (const detector of DETECTORS) {
    if (!enabled.has(detector.entity) || !detector.applies(content, profile)) continue;
    const pattern = detector.pattern;
    pattern.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = pattern.exec(content)) !== null) {
      const span = detector.accept(match, content);
      if (span) findings.push({ entity: detector.entity, start: span.start, end: span.end });
      if (match[0].length === 0) pattern.lastIndex += 1;
    }
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
