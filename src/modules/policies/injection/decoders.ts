/**
 * Payloads hidden in an encoding: base64 (and base64url), hex (compact, spaced, `\x41`), Morse, rot13. Each finder
 * is linear in the text; what it decodes is charged to a shared budget (bytes and items), so 1 MB of base64, or
 * base64 of base64 of …, costs at most the budget however it is nested. The detector re-scans what decodes to text
 * (detect.ts), one level deeper each time, up to a depth cap. Pure.
 */

export type EncodingKind = 'base64' | 'hex' | 'morse' | 'rot13';

export interface Decoded {
  kind: EncodingKind;
  text: string;
}

/** What decoding may still cost for one evaluation, all levels together. */
export interface DecodeBudget {
  bytes: number;
  items: number;
}

export const DECODE_BUDGET_BYTES = 32 * 1024;
export const DECODE_BUDGET_ITEMS = 24;

// Runs of the base64 alphabets; each attempt stops at the first character outside the class, so no backtracking.
const BASE64_RUN = /[A-Za-z0-9+/_-]{16,}={0,2}/g;
// eslint-disable-next-line security/detect-unsafe-regex -- each step is exactly two hex digits: one way to match, linear
const HEX_COMPACT = /(?:[0-9a-fA-F]{2}){10,}/g;
// eslint-disable-next-line security/detect-unsafe-regex -- each step is one separator and two hex digits: one way to match, linear
const HEX_SPACED = /[0-9a-fA-F]{2}(?:[ :,][0-9a-fA-F]{2}){9,}/g;
// eslint-disable-next-line security/detect-unsafe-regex -- each step is exactly \x and two hex digits: one way to match, linear
const HEX_ESCAPED = /(?:\\x[0-9a-fA-F]{2}){8,}/g;
const UPPER = /[A-Z]/;
const LOWER = /[a-z]/;

/** Decoded bytes that read as text: mostly printable, some letters, not the replacement character. */
function asText(bytes: Buffer): string | undefined {
  if (bytes.length < 6) return undefined;
  const text = bytes.toString('utf8');
  let printable = 0;
  let letters = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if ((code >= 32 && code < 127) || code === 9 || code === 10 || code === 13 || (code >= 0xa0 && code !== 0xfffd)) printable += 1;
    if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) letters += 1;
  }
  return printable >= text.length * 0.9 && letters >= text.length * 0.4 ? text : undefined;
}

function charge(budget: DecodeBudget, cost: number): boolean {
  if (budget.items <= 0 || budget.bytes < cost) return false;
  budget.items -= 1;
  budget.bytes -= cost;
  return true;
}

function decodeRuns(text: string, regex: RegExp, kind: EncodingKind, decode: (run: string) => Buffer, accept: (run: string) => boolean, budget: DecodeBudget, out: Decoded[]): void {
  regex.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = regex.exec(text)) !== null) {
    if (budget.items <= 0 || budget.bytes <= 0) return;
    // A run longer than the budget is decoded only as far as the budget goes (a payload beyond it is not seen).
    const run = match[0].slice(0, budget.bytes);
    if (!accept(run)) continue;
    const decodedText = asText(decode(run));
    if (decodedText !== undefined && charge(budget, run.length)) out.push({ kind, text: decodedText });
  }
}

const MORSE: Record<string, string> = {
  '.-': 'a', '-...': 'b', '-.-.': 'c', '-..': 'd', '.': 'e', '..-.': 'f', '--.': 'g', '....': 'h', '..': 'i', '.---': 'j',
  '-.-': 'k', '.-..': 'l', '--': 'm', '-.': 'n', '---': 'o', '.--.': 'p', '--.-': 'q', '.-.': 'r', '...': 's', '-': 't',
  '..-': 'u', '...-': 'v', '.--': 'w', '-..-': 'x', '-.--': 'y', '--..': 'z', '-----': '0', '.----': '1', '..---': '2',
  '...--': '3', '....-': '4', '.....': '5', '-....': '6', '--...': '7', '---..': '8', '----.': '9',
};
const isMorseMark = (code: number) => code === 46 || code === 45 || code === 0x2022 || code === 0xb7 || code === 0x2013 || code === 0x2014 || code === 95;
const isMorseGap = (code: number) => code === 32 || code === 47 || code === 124;

/** Morse: runs made only of dots, dashes, spaces and slashes, with at least 8 letters; one pass over the text. */
function decodeMorse(text: string, budget: DecodeBudget, out: Decoded[]): void {
  let start = -1;
  const flush = (end: number) => {
    const run = text.slice(start, end);
    start = -1;
    if (run.length < 20) return;
    const words = run
      .replace(/[\u2022\u00b7]/g, '.')
      .replace(/[\u2013\u2014_]/g, '-')
      .split(/\s*[/|]\s*|\s{2,}/);
    let decoded = '';
    let letters = 0;
    for (const word of words) {
      for (const symbol of word.split(' ')) {
        if (symbol === '') continue;
        const letter = MORSE[symbol];
        if (letter === undefined) return;
        decoded += letter;
        letters += 1;
      }
      decoded += ' ';
    }
    if (letters >= 8 && charge(budget, run.length)) out.push({ kind: 'morse', text: decoded.trim() });
  };
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (isMorseMark(code) || (start >= 0 && isMorseGap(code))) {
      if (start < 0) start = index;
    } else if (start >= 0) flush(index);
    if (budget.items <= 0) return;
  }
  if (start >= 0) flush(text.length);
}

export function rot13(text: string): string {
  return text.replace(/[a-zA-Z]/g, (char) => {
    const base = char <= 'Z' ? 65 : 97;
    return String.fromCharCode(((char.charCodeAt(0) - base + 13) % 26) + base);
  });
}

/** What the tokeniser saw that makes decoding worth trying: the regexes below run only then (prose has none). */
export interface EncodingHints {
  /** A run of 16+ base64-alphabet characters (compact hex is one too). */
  longRun: boolean;
  /** Ten two-digit hex words in a row. */
  hexPairs: boolean;
  /** Core words in rot13, or rot13 named. */
  rot13: boolean;
}

/** Every encoded run of the text that decodes to text. */
export function findEncoded(text: string, hints: EncodingHints, budget: DecodeBudget): Decoded[] {
  const out: Decoded[] = [];
  if (hints.longRun) {
    decodeRuns(text, BASE64_RUN, 'base64', (run) => Buffer.from(run, 'base64'), (run) => UPPER.test(run) && LOWER.test(run), budget, out);
    decodeRuns(text, HEX_COMPACT, 'hex', (run) => Buffer.from(run, 'hex'), () => true, budget, out);
  }
  if (hints.hexPairs) decodeRuns(text, HEX_SPACED, 'hex', (run) => Buffer.from(run.replace(/[ :,]/g, ''), 'hex'), () => true, budget, out);
  if (text.includes('\\x')) decodeRuns(text, HEX_ESCAPED, 'hex', (run) => Buffer.from(run.replace(/\\x/g, ''), 'hex'), () => true, budget, out);
  if (text.includes('.-') || text.includes('-.') || text.includes('\u2022')) decodeMorse(text, budget, out);
  if (hints.rot13) {
    const slice = text.slice(0, budget.bytes);
    if (charge(budget, slice.length)) out.push({ kind: 'rot13', text: rot13(slice) });
  }
  return out;
}
