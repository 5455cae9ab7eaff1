/**
 * Folding the content into the form the lexicon is written in, undoing the cheap disguises on the way: compatibility
 * forms (NFKC: fullwidth and mathematical letters), invisible characters (zero-width spaces and joiners, soft
 * hyphens, bidi controls), look-alike letters of other scripts (Cyrillic "о", Greek "ο"), diacritics, and upper case.
 * Leetspeak is undone per token (tokens.ts), where a digit between letters can be told from a number.
 *
 * Plain ASCII text — nearly every message — takes the fast path: one length check, one toLowerCase (or none, when the
 * caller has the lower-cased text already). Pure.
 */

export interface Folded {
  text: string;
  /** Invisible characters removed (zero-width and format characters). */
  invisible: number;
  /** Letters of another script, inside a word with Latin letters, read as their Latin look-alike. */
  homoglyphs: number;
}

/**
 * Whether every code unit is ASCII: its UTF-8 length is then its length (any other unit takes two bytes or more).
 * Counted natively, several times faster than a regex test. Every step of the slow path leaves ASCII as it is,
 * control characters included, so the fast path gives the same result on such text.
 */
const isAscii = (text: string) => Buffer.byteLength(text, 'utf8') === text.length;
/** Zero-width spaces and joiners, word joiner, invisible operators, BOM, soft hyphen, bidi controls, Mongolian vowel separator, tag characters. */
// eslint-disable-next-line no-misleading-character-class -- combining characters listed alone on purpose: they are removed
const INVISIBLE = /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0]|\udb40[\udc00-\udc7f]/g;
// eslint-disable-next-line no-misleading-character-class -- combining marks matched alone on purpose: they are dropped
const COMBINING_MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;

/** Lower-case Cyrillic and Greek letters that render like a Latin letter. */
const HOMOGLYPHS: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', і: 'i', ї: 'i',
  ј: 'j', ѕ: 's', ԁ: 'd', һ: 'h', ӏ: 'l', ԛ: 'q', ԝ: 'w', ь: 'b', г: 'r', п: 'n', ո: 'n', ս: 'u', օ: 'o',
  α: 'a', β: 'b', ε: 'e', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w', η: 'n', ϲ: 'c', ϳ: 'j',
  ɑ: 'a', ɡ: 'g', ı: 'i', ȷ: 'j', ɩ: 'i', ʀ: 'r', ᴄ: 'c', ᴏ: 'o', ᴠ: 'v', ᴡ: 'w', ᴢ: 'z', ꮃ: 'w', ꭰ: 'd',
};
const LATIN = /[a-z]/;
// eslint-disable-next-line security/detect-non-literal-regexp -- a character class of this module's own homoglyph table
const HOMOGLYPH_CLASS = new RegExp(`[${Object.keys(HOMOGLYPHS).join('')}]`, 'gu');
/** Typographic apostrophes and quotes folded to their ASCII forms, so contractions and quoting read alike. */
const TYPOGRAPHIC = /[\u2018\u2019\u201a\u201b\u2032\u02bc\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033]/g;
const TYPOGRAPHIC_MAP: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'", '\u2032': "'", '\u02bc': "'",
  '\u201c': '"', '\u201d': '"', '\u201e': '"', '\u201f': '"', '\u00ab': '"', '\u00bb': '"', '\u2033': '"',
};

/**
 * The content in lexicon form: lower case, no diacritics, no invisible characters, look-alikes read as Latin.
 * `lowerCased`: `text.toLowerCase()`, when the caller has it already.
 */
export function fold(text: string, lowerCased?: string): Folded {
  if (isAscii(text)) return { text: lowerCased ?? text.toLowerCase(), invisible: 0, homoglyphs: 0 };
  let invisible = 0;
  // Lone surrogates (invalid UTF-16, what invalid UTF-8 becomes after a lossy decode) are left alone by normalize
  // and fall outside every class below: they end up as separators.
  let folded = text.replace(INVISIBLE, () => {
    invisible += 1;
    return '';
  });
  folded = folded.normalize('NFKC').toLowerCase();
  let homoglyphs = 0;
  folded = folded.replace(HOMOGLYPH_CLASS, (letter: string, offset: number, whole: string) => {
    // Counted only inside a word that also has Latin letters: Russian or Greek prose is folded too, but is no disguise.
    if (LATIN.test(whole[offset - 1] ?? '') || LATIN.test(whole[offset + 1] ?? '')) homoglyphs += 1;
    return HOMOGLYPHS[letter]!;
  });
  folded = folded.replace(TYPOGRAPHIC, (mark) => TYPOGRAPHIC_MAP[mark]!);
  // NFKD splits "é" into "e" and a combining accent, which is then dropped; ß has no decomposition and stays.
  folded = folded.normalize('NFKD').replace(COMBINING_MARKS, '');
  return { text: folded, invisible, homoglyphs };
}
