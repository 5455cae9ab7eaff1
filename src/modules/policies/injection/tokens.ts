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
 * of the text, so that windows and phrases still count every word.
 */
export interface Tokens {
  ids: number[];
  positions: number[];
  /** 1 when the word is inside "…", '…', `…` or a ``` block. */
  quoted: number[];
  /** 1 when a colon or a comma follows the word: "Assistant, …", "AI agent: …" address someone. */
  vocative: number[];
  /** A word of 16 characters with letters and digits, or of 40: base64 or compact hex, worth decoding. */
  longRun: boolean;
  /** Ten or more two-character hex words in a row ("69 67 6e …"). */
  hexPairs: boolean;
  /** Unknown words that became known once leetspeak was undone. */
  leetWords: number;
}

const A = 97;
const Z = 122;
const ZERO = 48;
const NINE = 57;
// Module-level copies: the hot loop reads plain constants, not import bindings (which some loaders turn into getters).
const { next: NEXT, terminal: TERMINAL } = vocabulary.TRIE;
const SYMBOL = vocabulary.SYMBOL;
const SYMBOLS = vocabulary.SYMBOLS;
const WORD_ID = vocabulary.WORD_ID;

function isWordCode(code: number): boolean {
  if ((code >= A && code <= Z) || (code >= ZERO && code <= NINE)) return true;
  if (code < 0xc0) return false;
  // Punctuation blocks, surrogates (emoji, or lone ones from invalid input) and private use separate words.
  if ((code >= 0x2000 && code <= 0x2bff) || (code >= 0x3000 && code <= 0x303f) || (code >= 0xd800 && code <= 0xf8ff) || (code >= 0xfe10 && code <= 0xfe6f)) return false;
  return code !== 0xd7 && code !== 0xf7;
}

const SEPARATOR = 0;
const LETTER = 1;
const DIGIT = 2;
const OTHER_LETTER = 4;
/** The kind of each ASCII character, read once per character. */
const CLASS = new Uint8Array(128);
for (let code = A; code <= Z; code += 1) CLASS[code] = LETTER;
for (let code = ZERO; code <= NINE; code += 1) CLASS[code] = DIGIT;

const isHex = (code: number) => (code >= ZERO && code <= NINE) || (code >= A && code <= 102);

/** The endings that make an apostrophe part of an English contraction rather than a French elision or a quote. */
const CONTRACTIONS = new Set(['t', 're', 's', 've', 'll', 'm', 'd']);
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g', '6': 'g' };

/** The words read so far. A class rather than closures: the hot loop's own variables then stay in registers. */
class WordList {
  readonly ids: number[] = [];
  readonly positions: number[] = [];
  readonly quoted: number[] = [];
  readonly vocative: number[] = [];
  /** Position of the next word among all words, known or not. */
  position = 0;
  /** Single letters one character apart, waiting to be joined into a spelt-out word ("i g n o r e"). */
  spelt = '';
  speltEnd = -2;

  push(id: number, quoted: number, after: number): void {
    if (id >= 0) {
      this.ids.push(id);
      this.positions.push(this.position);
      this.quoted.push(quoted);
      this.vocative.push(after === 58 || after === 44 ? 1 : 0);
    }
    this.position += 1;
  }

  flushSpelt(quoted: number): void {
    if (this.spelt.length >= 3) this.push(WORD_ID.get(this.spelt) ?? -1, quoted, 0);
    else for (const letter of this.spelt) this.push(WORD_ID.get(letter) ?? -1, quoted, 0);
    this.spelt = '';
  }
}

/** The vocabulary id of a word mixing letters and digits once leetspeak is undone ("1gn0r3"), −1 if none. */
function unleetId(text: string, start: number, end: number, skipped: number): number {
  let plain = '';
  for (let index = start; index < end; index += 1) if (index !== skipped) plain += LEET[text[index]!] ?? text[index];
  return WORD_ID.get(plain) ?? -1;
}

export function tokenise(text: string): Tokens {
  const words = new WordList();
  let inDouble = false;
  let inSingle = false;
  let inCode = false;
  let longRun = false;
  let hexPairs = false;
  let leetWords = 0;
  let pairs = 0;
  // The word being read: where it started, its trie state (−1: not a vocabulary word), what it contains.
  let start = -1;
  let state = 0;
  let letters = 0;
  let digits = 0;
  let skipped = -1; // the position of an apostrophe dropped from a contraction

  const length = text.length;
  for (let index = 0; index <= length; index += 1) {
    const code = index < length ? text.charCodeAt(index) : 32;
    const kind = code < 128 ? CLASS[code]! : isWordCode(code) ? OTHER_LETTER : SEPARATOR;
    if (kind !== SEPARATOR) {
      if (start < 0) {
        start = index;
        state = 0;
        letters = 0;
        digits = 0;
        skipped = -1;
      }
      if (kind === DIGIT) digits += 1;
      else letters += 1;
      if (state >= 0) state = kind === OTHER_LETTER ? -1 : NEXT[state * SYMBOLS + SYMBOL[code]!]! || -1;
      continue;
    }
    if (start >= 0) {
      if (code === 39 && skipped < 0 && index + 1 < length) {
        // An apostrophe inside a word: English contractions go on as one word, elisions ("l'instruction") split.
        let end = index + 1;
        while (end < length && end - index <= 3 && text.charCodeAt(end) >= A && text.charCodeAt(end) <= Z) end += 1;
        if (end > index + 1 && !(end < length && isWordCode(text.charCodeAt(end))) && CONTRACTIONS.has(text.slice(index + 1, end))) {
          skipped = index;
          continue;
        }
      }
      const wordLength = index - start - (skipped >= 0 ? 1 : 0);
      // Base64 of text has letters and digits within 16 characters; hyphenated words and card numbers do not.
      if (wordLength >= 16 && ((letters > 0 && digits > 0) || wordLength >= 40)) longRun = true;
      if (wordLength === 2 && isHex(text.charCodeAt(start)) && isHex(text.charCodeAt(index - 1))) {
        pairs += 1;
        if (pairs >= 10) hexPairs = true;
      } else pairs = 0;
      const quoted = inDouble || inSingle || inCode ? 1 : 0;
      if (wordLength === 1 && letters === 1) {
        // "i g n o r e": letters one character apart are one word; two spaces or a newline end it.
        if (words.spelt.length > 0 && index - words.speltEnd !== 2) words.flushSpelt(quoted);
        words.spelt += text[start];
        words.speltEnd = index;
      } else {
        if (words.spelt.length > 0) words.flushSpelt(quoted);
        let id = state >= 0 ? TERMINAL[state]! : -1;
        if (id < 0 && letters > 0 && digits > 0) {
          id = unleetId(text, start, index, skipped);
          if (id >= 0) leetWords += 1;
        }
        words.push(id, quoted, index < length ? code : 0);
      }
      start = -1;
    }
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
  }
  if (words.spelt.length > 0) words.flushSpelt(inDouble || inSingle || inCode ? 1 : 0);
  return { ids: words.ids, positions: words.positions, quoted: words.quoted, vocative: words.vocative, longRun, hexPairs, leetWords };
}
