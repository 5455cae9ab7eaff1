/**
 * Folded text → word ids, one pass over the characters: each word is walked through the vocabulary trie as it is
 * read (vocabulary.ts), so known words cost no substring and no hash. Each word also knows whether it sits inside
 * quotes or a code span (a security discussion quoting an attack is not the attack) and whether a colon or comma
 * follows it ("Assistant, …"). Undone on the way: English contractions ("don't" → "dont"), letters spelt out one by
 * one ("i g n o r e" → "ignore"), leetspeak in words mixing letters and digits ("1gn0r3" → "ignore", tried only
 * when the word as written is unknown: "gpt4" is a word). Linear in the text. Pure.
 */
import * as vocabulary from './vocabulary.js';

export interface Tokens {
  /** Vocabulary id of each word, −1 when unknown. */
  ids: number[];
  /** 1 when the word is inside "…", '…', `…` or a ``` block. */
  quoted: number[];
  /** 1 when a colon or a comma follows the word: "Assistant, …", "AI agent: …" address someone. */
  vocative: number[];
  /** A run of the base64 alphabet (compact hex included) of 16 characters with letters and digits, or of 40: worth decoding. */
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
const BASE64_MARK = 3; // + / = _
const OTHER_LETTER = 4;
/** The kind of each ASCII character, read once per character. */
const CLASS = new Uint8Array(128);
for (let code = A; code <= Z; code += 1) CLASS[code] = LETTER;
for (let code = ZERO; code <= NINE; code += 1) CLASS[code] = DIGIT;
for (const mark of '+/=_') CLASS[mark.charCodeAt(0)] = BASE64_MARK;

const isHex = (code: number) => (code >= ZERO && code <= NINE) || (code >= A && code <= 102);

/** The endings that make an apostrophe part of an English contraction rather than a French elision or a quote. */
const CONTRACTIONS = new Set(['t', 're', 's', 've', 'll', 'm', 'd']);
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g', '6': 'g' };

export function tokenise(text: string): Tokens {
  const ids: number[] = [];
  const quoted: number[] = [];
  const vocative: number[] = [];
  let inDouble = false;
  let inSingle = false;
  let inCode = false;
  let longRun = false;
  let hexPairs = false;
  let leetWords = 0;
  let run = 0;
  let runLetters = false;
  let runDigits = false;
  let pairs = 0;
  // The word being read: where it started, its trie state (−1: not a vocabulary word), what it contains.
  let start = -1;
  let state = 0;
  let letters = 0;
  let digits = 0;
  let skipped = -1; // the position of an apostrophe dropped from a contraction
  // Single letters one character apart, waiting to be joined into a spelt-out word.
  let spelt = '';
  let speltEnd = -2;

  const push = (id: number, after: number) => {
    ids.push(id);
    quoted.push(inDouble || inSingle || inCode ? 1 : 0);
    vocative.push(after === 58 || after === 44 ? 1 : 0);
  };
  const flushSpelt = () => {
    if (spelt.length >= 3) push(WORD_ID.get(spelt) ?? -1, 0);
    else for (const letter of spelt) push(WORD_ID.get(letter) ?? -1, 0);
    spelt = '';
  };
  const endWord = (end: number) => {
    const length = end - start - (skipped >= 0 ? 1 : 0);
    if (length === 2 && isHex(text.charCodeAt(start)) && isHex(text.charCodeAt(end - 1))) {
      pairs += 1;
      if (pairs >= 10) hexPairs = true;
    } else pairs = 0;
    if (length === 1 && letters === 1) {
      // "i g n o r e": letters one character apart are one word; two spaces or a newline end it.
      if (spelt.length > 0 && end - speltEnd !== 2) flushSpelt();
      spelt += text[start];
      speltEnd = end;
      return;
    }
    if (spelt.length > 0) flushSpelt();
    let id = state >= 0 ? TERMINAL[state]! : -1;
    if (id < 0 && letters > 0 && digits > 0) {
      let plain = '';
      for (let index = start; index < end; index += 1) if (index !== skipped) plain += LEET[text[index]!] ?? text[index];
      id = WORD_ID.get(plain) ?? -1;
      if (id >= 0) leetWords += 1;
    }
    push(id, end < text.length ? text.charCodeAt(end) : 0);
  };

  const length = text.length;
  for (let index = 0; index <= length; index += 1) {
    const code = index < length ? text.charCodeAt(index) : 32;
    const kind = code < 128 ? CLASS[code]! : isWordCode(code) ? OTHER_LETTER : SEPARATOR;
    // Base64 of text has letters and digits in any run of 16; hyphenated words and card numbers do not.
    if (kind === LETTER) {
      run += 1;
      runLetters = true;
    } else if (kind === DIGIT) {
      run += 1;
      runDigits = true;
    } else if (kind === BASE64_MARK) run += 1;
    else if (run > 0) {
      run = 0;
      runLetters = false;
      runDigits = false;
    }
    if (run >= 16 && ((runLetters && runDigits) || run >= 40)) longRun = true;

    if (kind === LETTER || kind === DIGIT || kind === OTHER_LETTER) {
      if (start < 0) {
        start = index;
        state = 0;
        letters = 0;
        digits = 0;
        skipped = -1;
      }
      if (kind === DIGIT) digits += 1;
      else letters += 1;
      if (state >= 0) state = kind === OTHER_LETTER ? -1 : NEXT[state * SYMBOLS + SYMBOL[code]!]!;
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
      endWord(index);
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
  if (spelt.length > 0) flushSpelt();
  return { ids, quoted, vocative, longRun, hexPairs, leetWords };
}
