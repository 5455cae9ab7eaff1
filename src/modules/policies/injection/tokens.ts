/**
 * Folded text → words, one pass over the characters. Each word knows whether it sits inside quotes or a code span
 * (a security discussion quoting an attack is not the attack). Undone on the way: English contractions ("don't" →
 * "dont"), letters spelt out one by one ("i g n o r e" → "ignore"). Leetspeak is tried by the matcher only when a
 * word is unknown (lexicon.ts knows "gpt4"; "1gn0r3" becomes "ignore"). Linear in the text. Pure.
 */

export interface Tokens {
  words: string[];
  /** 1 when the word is inside "…", '…', `…` or a ``` block. */
  quoted: Uint8Array;
  /** 1 when a colon or a comma follows the word: "Assistant, …", "AI agent: …" address someone. */
  vocative: Uint8Array;
}

const A = 97;
const Z = 122;
const ZERO = 48;
const NINE = 57;

function isWordCode(code: number): boolean {
  if ((code >= A && code <= Z) || (code >= ZERO && code <= NINE)) return true;
  if (code < 0xc0) return false;
  // Punctuation blocks, surrogates (emoji, or lone ones from invalid input) and private use separate words.
  if ((code >= 0x2000 && code <= 0x2bff) || (code >= 0x3000 && code <= 0x303f) || (code >= 0xd800 && code <= 0xf8ff) || (code >= 0xfe10 && code <= 0xfe6f)) return false;
  return code !== 0xd7 && code !== 0xf7;
}

const isLetter = (code: number) => (code >= A && code <= Z) || code >= 0xc0;

/** The endings that make an apostrophe part of an English contraction rather than a French elision or a quote. */
const CONTRACTIONS = new Set(['t', 're', 's', 've', 'll', 'm', 'd']);

export function tokenise(text: string): Tokens {
  const words: string[] = [];
  const quotedList: number[] = [];
  const vocativeList: number[] = [];
  let inDouble = false;
  let inSingle = false;
  let inCode = false;
  let start = -1;
  let word = '';
  /** Single letters separated by one character, waiting to be joined into a spelt-out word. */
  let spelt = '';
  let speltCount = 0;
  let speltEnd = -2;
  const quoted = () => (inDouble || inSingle || inCode ? 1 : 0);
  const push = (value: string, after = 0) => {
    words.push(value);
    quotedList.push(quoted());
    vocativeList.push(after === 58 || after === 44 ? 1 : 0);
  };
  const flushSpelt = () => {
    if (speltCount >= 3) push(spelt);
    else for (const letter of spelt) push(letter);
    spelt = '';
    speltCount = 0;
  };
  const emit = (value: string, end: number) => {
    if (value.length === 1 && isLetter(value.charCodeAt(0))) {
      // "i g n o r e": letters one character apart are one word; two spaces or a newline end it.
      if (speltCount > 0 && end - speltEnd !== 2) flushSpelt();
      spelt += value;
      speltCount += 1;
      speltEnd = end;
      return;
    }
    if (speltCount > 0) flushSpelt();
    push(value, end < text.length ? text.charCodeAt(end) : 0);
  };

  const length = text.length;
  for (let index = 0; index <= length; index += 1) {
    const code = index < length ? text.charCodeAt(index) : 32;
    if (isWordCode(code)) {
      if (start < 0) start = index;
      continue;
    }
    if (start >= 0) {
      word += text.slice(start, index);
      start = -1;
      if (code === 39 && index + 1 < length) {
        // An apostrophe inside a word: join English contractions, split elisions ("l'instruction").
        let end = index + 1;
        while (end < length && end - index <= 3 && isLetter(text.charCodeAt(end))) end += 1;
        if (end < length && isWordCode(text.charCodeAt(end))) end = -1;
        if (end > index + 1 && CONTRACTIONS.has(text.slice(index + 1, end))) {
          emit(word + text.slice(index + 1, end), end);
          word = '';
          index = end - 1;
          continue;
        }
      }
      emit(word, index);
      word = '';
    }
    if (code === 34) inDouble = !inDouble;
    else if (code === 96) {
      if (text.startsWith('```', index)) {
        inCode = !inCode;
        index += 2;
      } else if (!inCode) inCode = !inCode; // `inline` spans: opened here, closed by the next backtick
      else inCode = false;
    } else if (code === 39) {
      const before = index > 0 ? text.charCodeAt(index - 1) : 32;
      const after = index + 1 < length ? text.charCodeAt(index + 1) : 32;
      if (!inSingle && !isWordCode(before) && isWordCode(after)) inSingle = true;
      else if (inSingle && !isWordCode(after)) inSingle = false;
    } else if (code === 10) {
      // Quotes do not run across paragraphs: an unbalanced quote mark must not hide the rest of a message.
      if (index + 1 < length && text.charCodeAt(index + 1) === 10) {
        inDouble = false;
        inSingle = false;
      }
    }
  }
  if (speltCount > 0) flushSpelt();
  return { words, quoted: Uint8Array.from(quotedList), vocative: Uint8Array.from(vocativeList) };
}

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g', '6': 'g' };

/** "1gn0r3" → "ignore"; undefined unless the word mixes letters and digits. */
export function unleet(word: string): string | undefined {
  let letters = false;
  let digits = false;
  for (let index = 0; index < word.length; index += 1) {
    const code = word.charCodeAt(index);
    if (code >= ZERO && code <= NINE) digits = true;
    else letters = true;
  }
  if (!letters || !digits) return undefined;
  let out = '';
  for (const char of word) out += LEET[char] ?? char;
  return out;
}
