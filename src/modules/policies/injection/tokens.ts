/**
 * Folded text → word ids, one pass over the characters: each word is walked through the vocabulary trie as it is
 * read (vocabulary.ts), so known words cost no substring and no hash. Each word also knows whether it sits inside
 * quotes or a code span (a security discussion quoting an attack is not the attack) and whether a colon or comma
 * follows it ("Assistant, …"). Undone on the way: English contractions ("don't" → "dont"), letters spelt out one by
 * one ("i g n o r e" → "ignore"), leetspeak in words mixing letters and digits ("1gn0r3" → "ignore", tried only
 * when the word as written is unknown: "gpt4" is a word). Linear in the text. Pure.
 */
import * as vocabulary from './vocabulary.js';

/**
 * The known words only (unknown ones matter to no rule): their vocabulary id and their position among all the words
 * of the text, so that windows and phrases still count every word. Typed arrays filled up to `count` (they may be
 * longer): no boxed number per word, and a few allocations per text instead of one per word.
 */
export interface Tokens {
  count: number;
  ids: Int32Array;
  positions: Int32Array;
  /** QUOTED and VOCATIVE bits per word. */
  flags: Uint8Array;
  /** A word of 16 characters with letters and digits, or of 40: base64 or compact hex, worth decoding. */
  longRun: boolean;
  /** Ten or more two-character hex words in a row ("69 67 6e …"). */
  hexPairs: boolean;
  /** Unknown words that became known once leetspeak was undone. */
  leetWords: number;
}

/** The word is inside "…", '…', `…` or a ``` block. */
export const QUOTED = 1;
/** A colon or a comma follows the word: "Assistant, …", "AI agent: …" address someone. */
export const VOCATIVE = 2;

const A = 97;
const Z = 122;
const ZERO = 48;
const NINE = 57;
// Module-level copies: the hot loop reads plain constants, not import bindings (which some loaders turn into getters).
const { next: NEXT, terminal: TERMINAL } = vocabulary.TRIE;
const SYMBOL = vocabulary.SYMBOL;
const SYMBOLS = vocabulary.SYMBOLS;
/** The first digit's symbol (vocabulary.ts: a–z are 0–25, 0–9 are 26–35). */
const FIRST_DIGIT_SYMBOL = 26;

/** Whether a character outside ASCII belongs to a word (ASCII: SYMBOL ≥ 0, i.e. [a-z0-9]). */
function isWordCodeBeyondAscii(code: number): boolean {
  if (code < 0xc0) return false;
  // Punctuation blocks, surrogates (emoji, or lone ones from invalid input) and private use separate words.
  if ((code >= 0x2000 && code <= 0x2bff) || (code >= 0x3000 && code <= 0x303f) || (code >= 0xd800 && code <= 0xf8ff) || (code >= 0xfe10 && code <= 0xfe6f)) return false;
  return code !== 0xd7 && code !== 0xf7;
}

function isWordCode(code: number): boolean {
  return code < 128 ? SYMBOL[code]! >= 0 : isWordCodeBeyondAscii(code);
}

const isHex = (code: number) => (code >= ZERO && code <= NINE) || (code >= A && code <= 102);
const isLowerAscii = (code: number) => code >= A && code <= Z;

/**
 * Whether the letters text[from, to) end an English contraction (t re s ve ll m d) rather than a French elision or a
 * quote; compared code by code, since an apostrophe is met in every other sentence of some texts.
 */
function isContractionEnding(text: string, from: number, to: number): boolean {
  const first = text.charCodeAt(from);
  if (to - from === 1) return first === 116 || first === 115 || first === 109 || first === 100; // t s m d
  if (to - from !== 2) return false;
  const second = text.charCodeAt(from + 1);
  return (first === 114 && second === 101) || (first === 118 && second === 101) || (first === 108 && second === 108); // re ve ll
}

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g', '6': 'g' };

/** The vocabulary id of the trie walked over `count` letters of `text`, `step` apart from `from`; −1 if none. */
function trieId(text: string, from: number, count: number, step: number): number {
  let state = 0;
  for (let index = 0; index < count; index += 1) {
    const code = text.charCodeAt(from + index * step);
    const symbol = code < 128 ? SYMBOL[code]! : -1;
    if (symbol < 0) return -1;
    state = NEXT[state * SYMBOLS + symbol]!;
    if (state === 0) return -1;
  }
  return TERMINAL[state]!;
}

/** The words read so far. A class rather than closures: the hot loop's own variables then stay in registers. */
class WordList {
  ids: Int32Array;
  positions: Int32Array;
  flags: Uint8Array;
  count = 0;
  /** Position of the next word among all words, known or not. */
  position = 0;
  /** Single letters one character apart, waiting to be joined into a spelt-out word ("i g n o r e"): where the first is, how many. */
  speltStart = -1;
  speltCount = 0;
  speltEnd = -2;

  constructor(capacity: number) {
    this.ids = new Int32Array(capacity);
    this.positions = new Int32Array(capacity);
    this.flags = new Uint8Array(capacity);
  }

  reset(): void {
    this.count = 0;
    this.position = 0;
    this.speltCount = 0;
    this.speltEnd = -2;
  }

  push(id: number, flags: number): void {
    if (id >= 0) {
      if (this.count === this.ids.length) this.grow();
      this.ids[this.count] = id;
      this.positions[this.count] = this.position;
      this.flags[this.count] = flags;
      this.count += 1;
    }
    this.position += 1;
  }

  private grow(): void {
    const capacity = this.ids.length * 2;
    const ids = new Int32Array(capacity);
    ids.set(this.ids);
    this.ids = ids;
    const positions = new Int32Array(capacity);
    positions.set(this.positions);
    this.positions = positions;
    const flags = new Uint8Array(capacity);
    flags.set(this.flags);
    this.flags = flags;
  }

  /** The spelt-out letters as one word if there are three or more ("i g n o r e"), else each on its own ("a", "i"). */
  flushSpelt(text: string, quoted: number): void {
    if (this.speltCount >= 3) this.push(trieId(text, this.speltStart, this.speltCount, 2), quoted);
    else for (let letter = 0; letter < this.speltCount; letter += 1) this.push(trieId(text, this.speltStart + letter * 2, 1, 1), quoted);
    this.speltCount = 0;
  }
}

/** Each digit as the letter it stands for in leetspeak (a symbol, vocabulary.ts); 2 stands for nothing and stays. */
const LEET_SYMBOL = new Int8Array(10);
for (let digit = 0; digit <= 9; digit += 1) {
  const letter = LEET[String(digit)];
  LEET_SYMBOL[digit] = letter === undefined ? FIRST_DIGIT_SYMBOL + digit : letter.charCodeAt(0) - A;
}

/**
 * The vocabulary id of a word mixing letters and digits once leetspeak is undone ("1gn0r3"), −1 if none: the trie
 * walked with each digit read as its letter, skipping a contraction's apostrophe.
 */
function unleetId(text: string, start: number, end: number, skipped: number): number {
  let state = 0;
  for (let index = start; index < end; index += 1) {
    if (index === skipped) continue;
    const code = text.charCodeAt(index);
    if (code >= 128) return -1;
    const symbol = code >= ZERO && code <= NINE ? LEET_SYMBOL[code - ZERO]! : SYMBOL[code]!;
    state = NEXT[state * SYMBOLS + symbol]!;
    if (state === 0) return -1;
  }
  return TERMINAL[state]!;
}

/** Room for the words of a text this long before the lists grow: about one word in six characters of prose. */
const initialCapacity = (length: number) => Math.max(64, Math.ceil(length / 6));
/** Lists longer than this (a text of about 100 KB) are not kept for the next text: memory held for nothing after. */
const MAX_KEPT_CAPACITY = 16_384;
/** The lists of the previous text, reused by the next: the hot path then allocates nothing per text. */
let spare: WordList | undefined;

function takeWordList(length: number): WordList {
  const words = spare !== undefined && spare.ids.length >= initialCapacity(length) ? spare : new WordList(initialCapacity(length));
  words.reset();
  return words;
}

/**
 * The words of `text`. The lists of the result are reused by the next call (valid until then): read them before
 * tokenising another text.
 */
export function tokenise(text: string): Tokens {
  const words = takeWordList(text.length);
  let inDouble = false;
  let inSingle = false;
  let inCode = false;
  let longRun = false;
  let hexPairs = false;
  let leetWords = 0;
  let pairs = 0;

  const length = text.length;
  let index = 0;
  while (index < length) {
    let code = text.charCodeAt(index);
    if (code < 128 ? SYMBOL[code]! >= 0 : isWordCodeBeyondAscii(code)) {
      // A word: walked through the trie as it is read (state −1: not a vocabulary word); letters are what is not a digit.
      const start = index;
      let state = 0;
      let digits = 0;
      let skipped = -1; // the position of an apostrophe dropped from a contraction
      for (;;) {
        if (code < 128) {
          const symbol = SYMBOL[code]!;
          if (symbol >= FIRST_DIGIT_SYMBOL) digits += 1;
          if (state >= 0) state = NEXT[state * SYMBOLS + symbol]! || -1;
        } else state = -1;
        index += 1;
        if (index >= length) break;
        code = text.charCodeAt(index);
        if (code < 128 ? SYMBOL[code]! >= 0 : isWordCodeBeyondAscii(code)) continue;
        // An apostrophe inside a word: English contractions go on as one word, elisions ("l'instruction") split.
        if (code !== 39 || skipped >= 0 || index + 1 >= length) break;
        let end = index + 1;
        while (end < length && end - index <= 3 && isLowerAscii(text.charCodeAt(end))) end += 1;
        if (end > index + 1 && !(end < length && isWordCode(text.charCodeAt(end))) && isContractionEnding(text, index + 1, end)) {
          skipped = index;
          index += 1;
          code = text.charCodeAt(index);
          continue;
        }
        break;
      }
      const wordLength = index - start - (skipped >= 0 ? 1 : 0);
      const letters = wordLength - digits;
      // Base64 of text has letters and digits within 16 characters; hyphenated words and card numbers do not.
      if (wordLength >= 16 && ((letters > 0 && digits > 0) || wordLength >= 40)) longRun = true;
      if (wordLength === 2 && isHex(text.charCodeAt(start)) && isHex(text.charCodeAt(index - 1))) {
        pairs += 1;
        if (pairs >= 10) hexPairs = true;
      } else pairs = 0;
      const quoted = inDouble || inSingle || inCode ? QUOTED : 0;
      if (wordLength === 1 && letters === 1) {
        // "i g n o r e": letters one character apart are one word; two spaces or a newline end it.
        if (words.speltCount > 0 && index - words.speltEnd !== 2) words.flushSpelt(text, quoted);
        if (words.speltCount === 0) words.speltStart = start;
        words.speltCount += 1;
        words.speltEnd = index;
      } else {
        if (words.speltCount > 0) words.flushSpelt(text, quoted);
        let id = state >= 0 ? TERMINAL[state]! : -1;
        if (id < 0 && letters > 0 && digits > 0) {
          id = unleetId(text, start, index, skipped);
          if (id >= 0) leetWords += 1;
        }
        words.push(id, quoted | (index < length && (code === 58 || code === 44) ? VOCATIVE : 0));
      }
      if (index >= length) break;
    }
    // A separator (code, at index): quotes and code spans open and close here.
    if (code === 34) inDouble = !inDouble;
    else if (code === 96) {
      if (text.startsWith('```', index)) {
        inCode = !inCode;
        index += 2;
      } else inCode = !inCode; // `inline` spans: opened here, closed by the next backtick
    } else if (code === 39) {
      const before = index > 0 ? text.charCodeAt(index - 1) : 32;
      const after = index + 1 < length ? text.charCodeAt(index + 1) : 32;
      if (!inSingle && !isWordCode(before) && isWordCode(after)) inSingle = true;
      else if (inSingle && !isWordCode(after)) inSingle = false;
    } else if (code === 10 && index + 1 < length && text.charCodeAt(index + 1) === 10) {
      // Quotes do not run across paragraphs: an unbalanced quote mark must not hide the rest of a message.
      inDouble = false;
      inSingle = false;
    }
    index += 1;
  }
  if (words.speltCount > 0) words.flushSpelt(text, inDouble || inSingle || inCode ? QUOTED : 0);
  spare = words.ids.length <= MAX_KEPT_CAPACITY ? words : undefined;
  return { count: words.count, ids: words.ids, positions: words.positions, flags: words.flags, longRun, hexPairs, leetWords };
}
