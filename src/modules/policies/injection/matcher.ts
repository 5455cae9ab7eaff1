/**
 * Words → concepts → rule matches, in one pass. Each word is looked up once in a map (phrases are keyed by their
 * first word); each concept occurrence updates the last position seen of that concept and checks only the rules
 * that use it, against those last positions. Cost: one map lookup per word, plus work per concept occurrence that is
 * bounded by the rules using that concept — linear in the text. Most words of ordinary prose are no concept at all.
 */
import { CONCEPTS, type Concept } from './lexicon.js';
import { RULES, type Family, type RuleDef } from './rules.js';
import { QUOTED, VOCATIVE as VOCATIVE_FLAG, type Tokens } from './tokens.js';
import { CONCEPT_ID, LEXICONS, WORD_ID } from './vocabulary.js';

interface Entry {
  /** Concepts of the word alone. */
  concepts: number[];
  /** Phrases starting with this word, by the id of their second word: the ids after the first, and their concepts. */
  phrases: Map<number, Array<{ rest: number[]; concepts: number[] }>>;
}

interface CompiledRule extends RuleDef {
  stepIds: number[][];
  unlessIds: number[];
}

const META = CONCEPT_ID.get('meta')!;
const ROT13 = CONCEPT_ID.get('rot13')!;
const AGENT_REF = CONCEPT_ID.get('agent_ref')!;
const VOCATIVE = CONCEPT_ID.get('vocative')!;

/** Entries indexed by word id (vocabulary.ts); words that start nothing have an empty entry. */
function compileEntries(): Entry[] {
  const entries: Entry[] = [...WORD_ID.keys()].map(() => ({ concepts: [], phrases: new Map() }));
  for (const lexicon of LEXICONS) {
    for (const [concept, list] of Object.entries(lexicon) as Array<[Concept, string[]]>) {
      const id = CONCEPT_ID.get(concept)!;
      for (const item of list) {
        const [first, ...rest] = item.split(/\s+/).map((word) => WORD_ID.get(word)!);
        const entry = entries[first!]!;
        if (rest.length === 0) {
          if (!entry.concepts.includes(id)) entry.concepts.push(id);
          continue;
        }
        const bySecond = entry.phrases.get(rest[0]!) ?? [];
        entry.phrases.set(rest[0]!, bySecond);
        const phrase = bySecond.find((candidate) => candidate.rest.join(' ') === rest.join(' '));
        if (phrase) {
          if (!phrase.concepts.includes(id)) phrase.concepts.push(id);
        } else bySecond.push({ rest, concepts: [id] });
      }
    }
  }
  return entries;
}

const ENTRIES = compileEntries();
/** "our assistant, Jenna, …" describes an assistant; "Assistant, …" addresses one. */
const DETERMINER = CONCEPT_ID.get('determiner')!;

/** What the loop asks of every word, as bits by word id: one table read instead of a search through its concepts. */
const IS_DETERMINER = 1;
const IS_AGENT_REF = 2;
const STARTS_PHRASE = 4;
const WORD_BITS = Uint8Array.from(
  ENTRIES,
  (entry) => (entry.concepts.includes(DETERMINER) ? IS_DETERMINER : 0) | (entry.concepts.includes(AGENT_REF) ? IS_AGENT_REF : 0) | (entry.phrases.size > 0 ? STARTS_PHRASE : 0),
);

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
/**
 * The last position seen of each concept, for the text being matched: one array for every call, reset at its start
 * (matchRules runs to the end before it is called again), rather than a new one per text.
 */
const LAST = new Int32Array(CONCEPTS.length);

/** Runs every rule over the words. `data`: the content came from a document, web page, email or tool output. */
export function matchRules(tokens: Tokens, data: boolean): MatchResult {
  const { ids, positions, flags } = tokens;
  const last = LAST.fill(NEVER);
  const hits = new Map<string, SignalHit>();
  const meta = new Set<number>();
  let rot13Words = 0;

  const occur = (id: number, position: number, isQuoted: boolean, word: number) => {
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
        const previous = hits.get(rule.signal);
        if (!previous) hits.set(rule.signal, { signal: rule.signal, family: rule.family, weight: rule.weight, quoted: isQuoted });
        else if (!isQuoted) previous.quoted = false;
      }
    }
  };

  const count = tokens.count;
  for (let index = 0; index < count; index += 1) {
    const word = ids[index]!;
    const position = positions[index]!;
    const entry = ENTRIES[word]!;
    const isQuoted = (flags[index]! & QUOTED) !== 0;
    // The word right before, if it is known: a determiner makes "assistant," a description, not an address.
    const addressed = index === 0 || positions[index - 1] !== position - 1 || (WORD_BITS[ids[index - 1]!]! & IS_DETERMINER) === 0;
    const bits = WORD_BITS[word]!;
    for (const id of entry.concepts) occur(id, position, isQuoted, word);
    // "Assistant, …" / "AI agent: …": the agent addressed by name.
    if (addressed && (flags[index]! & VOCATIVE_FLAG) !== 0 && (bits & IS_AGENT_REF) !== 0) occur(VOCATIVE, position, isQuoted, word);
    if ((bits & STARTS_PHRASE) === 0 || index + 1 >= count || positions[index + 1] !== position + 1) continue;
    const phrases = entry.phrases.get(ids[index + 1]!);
    if (!phrases) continue;
    for (const phrase of phrases) {
      const end = index + phrase.rest.length;
      if (end >= count || positions[end] !== position + phrase.rest.length) continue;
      let matched = true;
      for (let offset = 1; offset < phrase.rest.length; offset += 1) {
        if (ids[index + 1 + offset] !== phrase.rest[offset]) {
          matched = false;
          break;
        }
      }
      if (!matched) continue;
      const endQuoted = (flags[end]! & QUOTED) !== 0;
      for (const id of phrase.concepts) occur(id, positions[end]!, endQuoted, -1 - (word * 64 + phrase.rest.length)); // a phrase counts as one distinct word
      if (addressed && (flags[end]! & VOCATIVE_FLAG) !== 0 && phrase.concepts.includes(AGENT_REF)) occur(VOCATIVE, positions[end]!, endQuoted, word);
    }
  }
  return { hits, metaWords: meta.size, leetWords: tokens.leetWords, rot13Words };
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
