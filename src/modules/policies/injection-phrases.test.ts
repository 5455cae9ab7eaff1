import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileDefaultPolicy } from './default-policy.js';
import { phraseAlternation } from './injection-phrases.js';

/** What phraseAlternation replaces: every phrase in the order written, words joined by any whitespace. */
function flatAlternation(phrases: readonly string[]): string {
  return phrases.map((phrase) => phrase.split(' ').map((word) => word.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')).join('\\s+')).join('|');
}

function matches(source: string, text: string): Array<[number, string]> {
  return [...text.matchAll(new RegExp(source, 'g'))].map((match) => [match.index, match[0]]);
}

const defaultPhrases = compileDefaultPolicy().injection.phrases.map(({ phrase }) => phrase);

describe('phraseAlternation', () => {
  it('factors the default phrases by first word', () => {
    const source = phraseAlternation(defaultPhrases);
    expect(source.startsWith('ignore(?:\\s+all\\s+previous\\s+instructions|\\s+previous\\s+instructions|')).toBe(true);
    expect(source.split('|').length).toBe(defaultPhrases.length);
  });

  it('keeps the order of phrases under one first word, a one-word phrase included', () => {
    expect(phraseAlternation(['jailbreak', 'jailbreak mode', 'act now'])).toBe('jailbreak(?:|\\s+mode)|act(?:\\s+now)');
  });

  it('keeps the flat list when a one-word phrase is a prefix of another first word', () => {
    const phrases = ['your instructions', 'you', 'your rules'];
    expect(phraseAlternation(phrases)).toBe(flatAlternation(phrases));
  });

  it('finds exactly what the flat list finds: same positions, same phrase', () => {
    const phraseSets = [
      defaultPhrases,
      ['jailbreak mode', 'jailbreak', 'you are now dan', 'you are now in developer mode', 'your instructions', 'act as'],
      ['you', 'your instructions', 'yo'],
      // Factored, "your" would be tried before "you" at "your rules": the guard keeps the flat list.
      ['your instructions', 'you', 'your rules'],
      ['a b', 'a', 'a b c', 'b a'],
    ];
    for (const phrases of phraseSets) {
      const words = [...new Set(phrases.flatMap((phrase) => phrase.split(' '))), 'x', 'r', 'now'];
      const text = fc
        .array(fc.tuple(fc.constantFrom(...words), fc.constantFrom(' ', '  ', '\n', '', '.')), { maxLength: 40 })
        .map((parts) => parts.map(([word, gap]) => word + gap).join(''));
      fc.assert(
        fc.property(text, (content) => {
          expect(matches(phraseAlternation(phrases), content)).toEqual(matches(flatAlternation(phrases), content));
        }),
        { numRuns: 3000 },
      );
    }
  });
});
