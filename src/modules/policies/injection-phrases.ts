/** The prompt-injection phrases of a policy as one regex: how they are normalised and joined. Pure. */

/**
 * The prompt-injection phrases as one alternation, words joined by any whitespace. Phrases that share a first word
 * are factored under it (`ignore\s+(?:all\s+previous…|previous…)`), so that at each position of the content the
 * engine tries one group instead of every phrase: in the default policy's 22 phrases, 16 first words.
 *
 * Factored, it finds exactly what the flat list `phrase1|phrase2|…` finds — same positions, same phrase chosen
 * (leftmost-first, in the order written) — as long as phrases with different first words can never match at the
 * same position. That takes a one-word phrase that is a proper prefix of another first word ("you" and "your …");
 * then the flat list is kept.
 */
export function phraseAlternation(phrases: readonly string[]): string {
  const wordLists = phrases.map((phrase) => phrase.trim().split(' '));
  const flat = wordLists.map((words) => words.map(escapeRegExp).join('\\s+')).join('|');
  const firstWords = new Set(wordLists.map((words) => words[0]!));
  const oneWordPhrases = wordLists.filter((words) => words.length === 1).map((words) => words[0]!);
  if (oneWordPhrases.some((word) => [...firstWords].some((first) => first !== word && first.startsWith(word)))) return flat;
  const tailsByFirstWord = new Map<string, string[]>();
  for (const [first, ...rest] of wordLists) {
    const tails = tailsByFirstWord.get(first!) ?? [];
    tails.push(rest.map((word) => `\\s+${escapeRegExp(word)}`).join(''));
    tailsByFirstWord.set(first!, tails);
  }
  return [...tailsByFirstWord].map(([first, tails]) => `${escapeRegExp(first)}(?:${tails.join('|')})`).join('|');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Lower case, every run of whitespace one space: "Ignore  ALL\nprevious" matches the phrase "ignore all previous". */
export function normaliseText(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ');
}
