/**
 * Payment card numbers: issuer prefixes and lengths, and the scanner that finds every card in a run of digit groups
 * (a list of cards separated by spaces is one run). Pure; used by pii.ts, tested in pii.test.ts.
 */
interface Issuer {
  /** Lowest and highest prefix of the range, of the same number of digits. */
  from: number;
  to: number;
  digits: number;
  /** The card lengths the network issues in this range. */
  lengths: readonly number[];
}

const range = (from: number, to: number, lengths: readonly number[]): Issuer => ({ from, to, digits: String(from).length, lengths });
const SIXTEEN_TO_NINETEEN = [16, 17, 18, 19];
/** Maestro also issues 12-digit numbers; they are left out as too close to ordinary 12-digit references. */
const MAESTRO = [13, 14, 15, 16, 17, 18, 19];

/**
 * Issuer identification number (IIN) ranges of the card networks in use, with the lengths each issues. Anything else —
 * a Luhn-valid order number starting with 0, 7, 8 or 9 outside these ranges — is not a card. The 8x ranges of RuPay
 * are left out on purpose: 8 is the ISO/IEC 7812 industry digit of telecom and health cards, whose numbers also pass
 * Luhn, and a false card blocks a whole message.
 */
const ISSUERS: readonly Issuer[] = [
  range(1, 1, [15]), // UATP (airline)
  range(1946, 1946, [16, 18, 19]), // GPN (Indonesia)
  range(2200, 2204, SIXTEEN_TO_NINETEEN), // Mir
  range(2131, 2131, [15]), // JCB, 15-digit legacy range (its other one, 1800, is inside UATP's)
  range(2205, 2205, [16]), // BORICA
  range(2221, 2720, [16]), // Mastercard
  range(300, 305, [14, 15, 16, 17, 18, 19]), // Diners Club
  range(3095, 3095, [14, 15, 16, 17, 18, 19]), // Diners Club
  range(31, 31, [19]), // China T-Union
  range(34, 34, [15]), // American Express
  range(37, 37, [15]),
  range(36, 36, [14, 15, 16, 17, 18, 19]), // Diners Club
  range(38, 39, [14, 15, 16, 17, 18, 19]),
  range(3528, 3589, SIXTEEN_TO_NINETEEN), // JCB (and LankaPay, RuPay co-badged)
  range(4, 4, [13, 16, 19]), // Visa, Visa Electron
  range(50, 50, MAESTRO), // Maestro, Dankort 5019, Verve 506099–507964, RuPay 508
  range(51, 55, [16]), // Mastercard
  range(56, 58, MAESTRO), // Maestro
  range(60, 60, SIXTEEN_TO_NINETEEN), // Discover 6011, RuPay 60, UkrCard
  range(62, 62, SIXTEEN_TO_NINETEEN), // UnionPay
  range(63, 63, MAESTRO), // Maestro, InterPayment/InstaPayment 636–639
  range(644, 649, SIXTEEN_TO_NINETEEN), // Discover
  range(65, 65, SIXTEEN_TO_NINETEEN), // Discover, RuPay, Troy, Verve 650002–650027
  range(67, 67, MAESTRO), // Maestro
  range(8600, 8600, [16]), // UzCard
  range(9792, 9792, [16]), // Troy
  range(9860, 9860, [16]), // Humo
];

const MIN_DIGITS = 13;
const MAX_DIGITS = 19;

/**
 * ISSUED[length - MIN_DIGITS][first four digits] is 1 where a network issues cards of that length with that prefix:
 * the scanner asks for every plausible group sequence of a run, so the answer is one lookup.
 */
const ISSUED = Array.from({ length: MAX_DIGITS - MIN_DIGITS + 1 }, () => new Uint8Array(10_000));
for (const issuer of ISSUERS) {
  const scale = 10 ** (4 - issuer.digits);
  for (const length of issuer.lengths) ISSUED[length - MIN_DIGITS]!.fill(1, issuer.from * scale, (issuer.to + 1) * scale);
}

/** Whether a number of `length` digits whose first four digits are `leading` (a number) has an issuer. */
const issued = (leading: number, length: number) => length >= MIN_DIGITS && length <= MAX_DIGITS && ISSUED[length - MIN_DIGITS]![leading] === 1;

/** Whether `digits` (digits only) starts with the prefix of a card network that issues numbers of its length. */
export function hasCardPrefix(digits: string): boolean {
  return digits.length >= 4 && issued(Number(digits.slice(0, 4)), digits.length);
}

const SPACE = 32;
const DASH = 45;
const DOT = 46;
const isDigit = (code: number) => code >= 48 && code <= 57;
const isWordChar = (code: number) => isDigit(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;

/** Where a card number may start: a digit not inside a word, a number or a dashed code ([\w.-] before it). */
export function mayStartCard(content: string, position: number): boolean {
  if (!isDigit(content.charCodeAt(position))) return false;
  if (position === 0) return true;
  const before = content.charCodeAt(position - 1);
  return !isWordChar(before) && before !== DOT && before !== DASH;
}

export interface Span {
  start: number;
  end: number;
}

/**
 * Adds to `found` every card number in the run of digit groups starting at `position` (groups joined by one space or
 * one dash) and returns the end of the run, or -1 if no run starts there.
 *
 * A card is a sequence of whole groups joined by one kind of separator, each of three digits or more but the last,
 * 13–19 digits in all, with an issuer prefix and a valid Luhn check digit (ISO/IEC 7812). It may start or end inside
 * the run only where the run is split by a space, never by a dash (a dash joins one code). Cards are taken from the
 * left, the longest first, so a list "4111 1111 1111 1111 5500 0000 0000 0004" yields both cards, and a number that
 * fails Luhn in a list ("4111 1111 1111 1112 5500 …") hides none of the others. What follows a card in its run must
 * be card-sized too (13 digits or more) or nothing: a Luhn-valid 16-digit head of a longer grouped number ("PL38 2202
 * 4158 4530 2142 8279 4234", an IBAN failing mod-97) or a card followed by a short number is not reported, as it was
 * not before lists were read. A last group glued to a word or a decimal ("…1111abc", "…1111.5") ends no card.
 *
 * Linear: each group is the first of at most 6 candidate cards (19 digits in groups of three or more), each checked
 * once, and each stretch after a card is counted once.
 */
export function scanCardRun(content: string, position: number, found: Span[]): number {
  if (!mayStartCard(content, position)) return -1;
  // First pass: where the run ends, where its last group starts, and whether it has enough digits for a card.
  let index = position;
  let lastGroup = position;
  let separators = 0;
  for (;;) {
    while (isDigit(content.charCodeAt(index))) index += 1;
    const next = content.charCodeAt(index);
    if ((next !== SPACE && next !== DASH) || !isDigit(content.charCodeAt(index + 1))) break;
    index += 1;
    separators += 1;
    lastGroup = index;
  }
  const end = index;
  // Most runs in prose are short numbers: no card, nothing more to read.
  if (end - position - separators < MIN_DIGITS) return end;
  const after = content.charCodeAt(end);
  // A card ends at or before `limit`: before the last group if that group is glued to a word or a decimal.
  const limit = isWordChar(after) || (after === DOT && isDigit(content.charCodeAt(end + 1))) ? lastGroup - 1 : end;

  let first = position;
  let pending: Span | undefined;
  while (first < limit) {
    const card = first === position || content.charCodeAt(first - 1) === SPACE ? longestCardFrom(content, first, end, limit) : -1;
    if (card !== -1) {
      if (pending && cardSizedOrEmpty(content, pending.end, first)) found.push(pending);
      pending = { start: first, end: card };
      first = card + 1;
      continue;
    }
    // On to the next group.
    while (isDigit(content.charCodeAt(first))) first += 1;
    first += 1;
  }
  if (pending && cardSizedOrEmpty(content, pending.end, end)) found.push(pending);
  return end;
}

/** Whether the digits of content[from, to) are none or at least a card's worth (what may follow a card in a run). */
function cardSizedOrEmpty(content: string, from: number, to: number): boolean {
  let digits = 0;
  for (let index = from; index < to && digits < MIN_DIGITS; index += 1) if (isDigit(content.charCodeAt(index))) digits += 1;
  return digits === 0 || digits >= MIN_DIGITS;
}

/** A digit's Luhn contribution when doubled. */
const DOUBLED = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9];

/**
 * The end of the longest card starting at group start `first` and ending at a group end no later than `limit`,
 * where the run ends or a space follows; -1 if none. Reads at most 19 digits and their separators, once: the Luhn
 * sum of every prefix is kept for both parities as the digits are read, so checking a length costs nothing more.
 */
function longestCardFrom(content: string, first: number, runEnd: number, limit: number): number {
  const leading = leadingDigits(content, first);
  let found = -1;
  let digits = 0;
  let separator = 0;
  // evenPlain: digits at even offsets taken as they are, odd ones doubled; oddPlain the other way round. The check
  // digit is the last one, so for an odd count the even offsets are not doubled (evenPlain), else oddPlain.
  let evenPlain = 0;
  let oddPlain = 0;
  let index = first;
  for (;;) {
    const groupStart = index;
    for (let code = content.charCodeAt(index); code >= 48 && code <= 57 && digits <= MAX_DIGITS; code = content.charCodeAt(index)) {
      const digit = code - 48;
      if (digits % 2 === 0) {
        evenPlain += digit;
        oddPlain += DOUBLED[digit]!;
      } else {
        evenPlain += DOUBLED[digit]!;
        oddPlain += digit;
      }
      index += 1;
      digits += 1;
    }
    if (digits > MAX_DIGITS || index > limit) break;
    const closes = index === runEnd || content.charCodeAt(index) === SPACE;
    if (closes && issued(leading, digits) && (digits % 2 === 1 ? evenPlain : oddPlain) % 10 === 0) found = index;
    // Cards are printed in groups of three digits or more; only the last may be shorter (4222 2222 2222 2).
    if (index >= limit || index - groupStart < 3) break;
    // Within a card, one kind of separator: "4111 1111-1111 1111" is not a card.
    const kind = content.charCodeAt(index);
    if (separator === 0) separator = kind;
    else if (kind !== separator) break;
    index += 1;
  }
  return found;
}

/** The first four digits from `start` as a number, across separators (a card's first group may be shorter). */
function leadingDigits(content: string, start: number): number {
  let leading = 0;
  let count = 0;
  for (let index = start; count < 4 && index < content.length; index += 1) {
    const code = content.charCodeAt(index);
    if (isDigit(code)) {
      leading = leading * 10 + (code - 48);
      count += 1;
    } else if (code !== SPACE && code !== DASH) {
      break;
    }
  }
  return leading;
}
