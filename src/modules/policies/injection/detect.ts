/**
 * The prompt-injection detector: content in, a score in [0, 1] and the signals that produced it out.
 *
 * fold (normalise.ts) → words (tokens.ts) → rules over concepts (matcher.ts) → signals; encoded runs (decoders.ts)
 * are decoded and scanned again, one level deeper each time. The score is a noisy-or of the signals' weights,
 * 1 − Π(1 − wᵢ), each signal counted once however often it occurs: independent evidence adds up, repetition does not.
 * When the text talks about attacks (two or more distinct words like "attacker", "prompt injection", "for example"),
 * signals found inside quotes count for less — a security discussion quoting an attack is not the attack — and
 * signals outside quotes count a little less too. Pure.
 */
import { DECODE_BUDGET_BYTES, DECODE_BUDGET_ITEMS, findEncoded, type DecodeBudget, type EncodingKind } from './decoders.js';
import { matchRules, type SignalHit } from './matcher.js';
import { fold } from './normalise.js';
import type { Family } from './rules.js';
import { tokenise } from './tokens.js';

/** Where the content came from. Anything but `user` (the default) is data the agent reads, not a request to it. */
export const CONTENT_ORIGINS = ['user', 'document', 'web', 'email', 'tool_output'] as const;
export type ContentOrigin = (typeof CONTENT_ORIGINS)[number];

export interface InjectionSignal {
  /** `family.name`, prefixed by the encodings it was found under (`base64:override.discard_prior_instructions`). */
  name: string;
  family: Family;
  /** Its contribution to the score, after the discussion discount. */
  weight: number;
}

export interface InjectionResult {
  /** 0 (nothing) … 1, rounded to 3 decimals. */
  score: number;
  /** Strongest first. */
  signals: InjectionSignal[];
}

/** Decoded payloads are scanned again down to this depth (base64 of base64 of base64). */
export const MAX_DECODE_DEPTH = 3;

const ENCODED_WEIGHT = 0.2;
const OBFUSCATION_WEIGHT = 0.2;
const QUOTED_IN_DISCUSSION = 0.35;
const UNQUOTED_IN_DISCUSSION = 0.75;
const DISCUSSION_META_WORDS = 2;

/** Chat-template and role markers that have no business in content: a forged turn of the conversation. */
const ROLE_MARKERS = ['<|im_start|>', '<|im_end|>', '<|system|>', '<|endoftext|>', '[inst]', '<<sys>>', '### system', '### instruction', '[system]', '<system>', '</system>', 'system override', '[admin]'];
/**
 * The markers by their first character: prose has no `<`, `[` or `#` at all, and one search for that character
 * spares the searches for every marker it begins (a marker the text holds has its first character in the text).
 */
const ROLE_MARKERS_BY_FIRST = [...new Set(ROLE_MARKERS.map((marker) => marker[0]!))].map((first) => [first, ROLE_MARKERS.filter((marker) => marker.startsWith(first))] as const);
const hasRoleMarker = (text: string) => ROLE_MARKERS_BY_FIRST.some(([first, markers]) => text.includes(first) && markers.some((marker) => text.includes(marker)));
const LOCK_EMOJI = ['\u{1F513}', '\u{1F512}'];
/** A markdown image whose URL carries a query: the classic way to exfiltrate through a rendered reply. */
const MARKDOWN_EXFIL = /!\[[^\]\n]{0,200}\]\(https?:\/\/[^)\s]{1,500}[?&][^)\s=]{1,100}=/;

export interface DetectOptions {
  origin?: ContentOrigin;
  /** `content.toLowerCase()`, when the caller has it already (scanContent, for the policy's phrases): not made twice. */
  lowerCased?: string;
}

export function detectInjection(content: string, options: DetectOptions = {}): InjectionResult {
  const data = options.origin !== undefined && options.origin !== 'user';
  const budget: DecodeBudget = { bytes: DECODE_BUDGET_BYTES, items: DECODE_BUDGET_ITEMS };
  const signals = new Map<string, InjectionSignal>();
  scan(content, data, 0, '', budget, signals, options.lowerCased);
  const list = [...signals.values()].sort((a, b) => b.weight - a.weight || a.name.localeCompare(b.name));
  let remaining = 1;
  for (const signal of list) remaining *= 1 - signal.weight;
  return { score: Math.round((1 - remaining) * 1000) / 1000, signals: list };
}

function add(signals: Map<string, InjectionSignal>, name: string, family: Family, weight: number): void {
  const previous = signals.get(name);
  if (!previous || previous.weight < weight) signals.set(name, { name, family, weight: Math.round(weight * 1000) / 1000 });
}

function scan(content: string, data: boolean, depth: number, prefix: string, budget: DecodeBudget, signals: Map<string, InjectionSignal>, lowerCased?: string): boolean {
  const folded = fold(content, lowerCased);
  // The tokens' lists are reused by the next tokenise (the decoded payloads' scans below): read before them.
  const tokens = tokenise(folded.text);
  const result = matchRules(tokens, data);
  // Quoted text in a request that talks about attacks at all is a quotation; unquoted, it takes more to be a
  // discussion. In data (a JSON string, a quoted comment) quotes are where injections hide: there it takes as much.
  const discussesQuoted = result.metaWords >= (data ? DISCUSSION_META_WORDS : 1);
  const discussion = result.metaWords >= DISCUSSION_META_WORDS;
  let found = false;
  const put = (hit: Pick<SignalHit, 'signal' | 'family' | 'weight' | 'quoted'>) => {
    const factor = hit.quoted ? (discussesQuoted ? QUOTED_IN_DISCUSSION : 1) : discussion ? UNQUOTED_IN_DISCUSSION : 1;
    add(signals, prefix + hit.signal, hit.family, hit.weight * factor);
    found = true;
  };
  for (const hit of result.hits.values()) put(hit);

  const text = folded.text;
  if (hasRoleMarker(text)) put({ signal: 'override.forged_role_marker', family: 'instruction_override', weight: data ? 0.5 : 0.4, quoted: false });
  if (LOCK_EMOJI.some((emoji) => content.includes(emoji))) put({ signal: 'dual.lock_emoji_labels', family: 'dual_answer', weight: 0.3, quoted: false });
  if (data && text.includes('](http') && MARKDOWN_EXFIL.test(text)) put({ signal: 'indirect.markdown_image_exfiltration', family: 'indirect', weight: 0.4, quoted: false });

  // Disguises count only when what they hid says something: an invisible character alone is not an attack.
  if (found) {
    if (folded.invisible >= 2) add(signals, `${prefix}encoded.invisible_characters`, 'encoded_payload', OBFUSCATION_WEIGHT);
    if (folded.homoglyphs >= 2) add(signals, `${prefix}encoded.homoglyphs`, 'encoded_payload', OBFUSCATION_WEIGHT);
    if (result.leetWords >= 2) add(signals, `${prefix}encoded.leetspeak`, 'encoded_payload', OBFUSCATION_WEIGHT);
  }

  if (depth < MAX_DECODE_DEPTH && budget.items > 0) {
    const rot13Hint = result.rot13Words >= 2 || text.includes('rot13') || text.includes('rot-13');
    const hints = { longRun: tokens.longRun, hexPairs: tokens.hexPairs, rot13: rot13Hint && !prefix.includes('rot13') };
    for (const decoded of findEncoded(content, hints, budget)) {
      const inner = `${prefix}${decoded.kind}:`;
      if (scan(decoded.text, data, depth + 1, inner, budget, signals)) {
        add(signals, `${prefix}encoded.${decoded.kind as EncodingKind}`, 'encoded_payload', ENCODED_WEIGHT);
        found = true;
      }
    }
  }
  return found;
}
