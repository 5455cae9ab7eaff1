/**
 * Words → concepts → rule matches, in one pass. Each word is looked up once in a map (phrases are keyed by their
 * first word); each concept occurrence updates the last position seen of that concept and checks only the rules
 * that use it, against those last positions. Cost: one map lookup per word, plus work per concept occurrence that is
 * bounded by the rules using that concept — linear in the text. Most words of ordinary prose are no concept at all.
 */
import { CONCEPTS, ENGLISH, type Concept, type Lexicon } from './lexicon.js';
import { FRENCH, GERMAN, PORTUGUESE, SPANISH } from './lexicon-intl.js';
import { RULES, type Family, type RuleDef } from './rules.js';
import { unleet, type Tokens } from './tokens.js';

interface Entry {
  /** Concepts of the word alone. */
  concepts: number[];
  /** Phrases starting with this word: the words after it, and their concepts. */
  phrases: Array<{ rest: string[]; concepts: number[] }>;
}

interface CompiledRule extends RuleDef {
  stepIds: number[][];
  unlessIds: number[];
}

const CONCEPT_ID = new Map<Concept, number>(CONCEPTS.map((concept, index) => [concept, index]));
const META = CONCEPT_ID.get('meta')!;
const ROT13 = CONCEPT_ID.get('rot13')!;
const AGENT_REF = CONCEPT_ID.get('agent_ref')!;
const VOCATIVE = CONCEPT_ID.get('vocative')!;

function compileLexicon(lexicons: Lexicon[]): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  const entry = (word: string) => {
    let found = entries.get(word);
    if (!found) {
      found = { concepts: [], phrases: [] };
      entries.set(word, found);
    }
    return found;
  };
  for (const lexicon of lexicons) {
    for (const [concept, list] of Object.entries(lexicon) as Array<[Concept, string[]]>) {
      const id = CONCEPT_ID.get(concept)!;
      for (const item of list) {
        const [first, ...rest] = item.split(/\s+/);
        const target = entry(first!);
        if (rest.length === 0) {
          if (!target.concepts.includes(id)) target.concepts.push(id);
          continue;
        }
        const phrase = target.phrases.find((candidate) => candidate.rest.join(' ') === rest.join(' '));
        if (phrase) {
          if (!phrase.concepts.includes(id)) phrase.concepts.push(id);
        } else target.phrases.push({ rest, concepts: [id] });
      }
    }
  }
  return entries;
}

const LEXICON = compileLexicon([ENGLISH, SPANISH, FRENCH, GERMAN, PORTUGUESE]);

const COMPILED_RULES: CompiledRule[] = RULES.map((rule) => ({
  ...rule,
  stepIds: rule.steps.map((step) => step.map((concept) => CONCEPT_ID.get(concept)!)),
  unlessIds: (rule.unless?.concepts ?? []).map((concept) => CONCEPT_ID.get(concept)!),
}));
/** For each concept, the rules (and the step in each) it can complete. */
const RULES_BY_CONCEPT: Array<Array<{ rule: CompiledRule; step: number }>> = CONCEPTS.map(() => []);
for (const rule of COMPILED_RULES) {
  rule.stepIds.forEach((ids, step) => {
    for (const id of ids) RULES_BY_CONCEPT[id]!.push({ rule, step });
  });
}

export interface SignalHit {
  signal: string;
  family: Family;
  weight: number;
  /** Every occurrence was inside quotes or code. */
  quoted: boolean;
}

export interface MatchResult {
  hits: Map<string, SignalHit>;
  /** Distinct words of the `meta` concept: how much the text talks about attacks rather than making one. */
  metaWords: number;
  /** Unknown words that became lexicon words once leetspeak was undone. */
  leetWords: number;
  /** Words that are core lexicon words written in rot13: the text may be rot13 as a whole. */
  rot13Words: number;
}

const NEVER = -1_000_000;
/** "our assistant, Jenna, …" describes an assistant; "Assistant, …" addresses one. */
const DETERMINERS = new Set(['the', 'our', 'my', 'your', 'their', 'his', 'her', 'its', 'this', 'that', 'a', 'an', 'el', 'la', 'le', 'der', 'die', 'das', 'o', 'nuestro', 'notre', 'unser', 'unsere', 'nosso']);

/** Runs every rule over the words. `data`: the content came from a document, web page, email or tool output. */
export function matchRules(tokens: Tokens, data: boolean): MatchResult {
  const { words, quoted, vocative } = tokens;
  const last = new Int32Array(CONCEPTS.length).fill(NEVER);
  const hits = new Map<string, SignalHit>();
  const meta = new Set<string>();
  let leetWords = 0;
  let rot13Words = 0;

  const occur = (id: number, position: number, word: string) => {
    last[id] = position;
    if (id === META) {
      meta.add(word);
      return;
    }
    if (id === ROT13) {
      rot13Words += 1;
      return;
    }
    const candidates = RULES_BY_CONCEPT[id]!;
    for (let index = 0; index < candidates.length; index += 1) {
      const { rule, step } = candidates[index]!;
      if (rule.dataOnly && !data) continue;
      if (fires(rule, step, position, last)) {
        const isQuoted = quoted[position] === 1;
        const previous = hits.get(rule.signal);
        if (!previous) hits.set(rule.signal, { signal: rule.signal, family: rule.family, weight: rule.weight, quoted: isQuoted });
        else if (!isQuoted) previous.quoted = false;
      }
    }
  };

  for (let position = 0; position < words.length; position += 1) {
    const word = words[position]!;
    let entry = LEXICON.get(word);
    if (!entry) {
      const plain = unleet(word);
      if (plain === undefined) continue;
      entry = LEXICON.get(plain);
      if (!entry) continue;
      leetWords += 1;
    }
    for (const id of entry.concepts) occur(id, position, word);
    // "Assistant, …" / "AI agent: …": the agent addressed by name.
    const addressed = position === 0 || !DETERMINERS.has(words[position - 1]!);
    if (addressed && vocative[position] === 1 && entry.concepts.includes(AGENT_REF)) occur(VOCATIVE, position, word);
    for (const phrase of entry.phrases) {
      const end = position + phrase.rest.length;
      if (end >= words.length) continue;
      let matched = true;
      for (let offset = 0; offset < phrase.rest.length; offset += 1) {
        if (words[position + 1 + offset] !== phrase.rest[offset]) {
          matched = false;
          break;
        }
      }
      if (!matched) continue;
      for (const id of phrase.concepts) occur(id, end, phrase.rest.join(' '));
      if (addressed && vocative[end] === 1 && phrase.concepts.includes(AGENT_REF)) occur(VOCATIVE, end, word);
    }
  }
  return { hits, metaWords: meta.size, leetWords, rot13Words };
}

/** Whether `rule` is complete now that its step `step` occurred at `position`. */
function fires(rule: CompiledRule, step: number, position: number, last: Int32Array): boolean {
  const from = position - rule.window;
  let previous = NEVER;
  for (let other = 0; other < rule.stepIds.length; other += 1) {
    let seen = NEVER;
    if (other === step) seen = position;
    else for (const id of rule.stepIds[other]!) if (last[id]! > seen) seen = last[id]!;
    if (seen < from) return false;
    if (rule.ordered) {
      if (seen < previous) return false;
      previous = seen;
    }
  }
  if (rule.ordered && step !== rule.stepIds.length - 1) return false;
  for (const id of rule.unlessIds) if (last[id]! >= position - rule.unless!.window && last[id]! <= position) return false;
  return true;
}
