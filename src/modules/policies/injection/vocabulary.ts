/**
 * Every word of the lexicons, numbered, and a character trie over them, so that the tokeniser recognises a word while
 * reading its characters — no substring, no hash per word. Words are [a-z0-9] (the lexicons are folded to ASCII);
 * a word with any other character is unknown. Built once at start-up. Pure.
 */
import { CONCEPTS, ENGLISH, type Concept, type Lexicon } from './lexicon.js';
import { FRENCH, GERMAN, PORTUGUESE, SPANISH } from './lexicon-intl.js';

export const LEXICONS: Lexicon[] = [ENGLISH, SPANISH, FRENCH, GERMAN, PORTUGUESE];
export const CONCEPT_ID = new Map<Concept, number>(CONCEPTS.map((concept, index) => [concept, index]));

/** a–z → 0–25, 0–9 → 26–35, anything else −1. */
export const SYMBOL = new Int8Array(128).fill(-1);
for (let code = 97; code <= 122; code += 1) SYMBOL[code] = code - 97;
for (let code = 48; code <= 57; code += 1) SYMBOL[code] = code - 48 + 26;
export const SYMBOLS = 36;

export const WORD_ID = new Map<string, number>();
for (const lexicon of LEXICONS) {
  for (const list of Object.values(lexicon) as string[][]) {
    for (const item of list) for (const word of item.split(/\s+/)) if (!WORD_ID.has(word)) WORD_ID.set(word, WORD_ID.size);
  }
}

function buildTrie(): { next: Uint16Array; terminal: Int32Array } {
  let states = 1;
  for (const word of WORD_ID.keys()) states += word.length;
  // 16-bit transitions keep the table small enough to stay in cache (0 means none: the root is never a target).
  const next = new Uint16Array(states * SYMBOLS);
  const terminal = new Int32Array(states).fill(-1);
  let used = 1;
  for (const [word, id] of WORD_ID) {
    let state = 0;
    for (let index = 0; index < word.length; index += 1) {
      const symbol = SYMBOL[word.charCodeAt(index)] ?? -1;
      if (symbol < 0) {
        state = -1;
        break;
      }
      const slot = state * SYMBOLS + symbol;
      if (next[slot] === 0) next[slot] = used++;
      state = next[slot]!;
    }
    if (state >= 0) terminal[state] = id;
  }
  if (used > 0xffff) throw new Error('the injection vocabulary outgrew 16-bit trie states');
  return { next: next.slice(0, used * SYMBOLS), terminal: terminal.slice(0, used) };
}

/** Trie transitions (state × symbol → state, 0 none) and, per state, the id of the word ending there (−1 none). */
export const TRIE = buildTrie();
