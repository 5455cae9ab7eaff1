/**
 * The detector's rules: each names a signal of a family, the concepts (lexicon.ts) that must occur within a window
 * of words, and the weight the signal adds to the score. Weights are chosen so that one decisive signal ("ignore all
 * previous instructions") reaches the default threshold 0.5 alone, while a hint ("act as", "no restrictions" in a
 * product sheet, "hypothetically") needs a second, independent one. How weights combine: detect.ts.
 */
import type { Concept } from './lexicon.js';

export const FAMILIES = [
  'instruction_override',
  'rule_removal',
  'named_jailbreak',
  'dual_answer',
  'fiction_evasion',
  'system_prompt_extraction',
  'encoded_payload',
  'indirect',
] as const;
export type Family = (typeof FAMILIES)[number];

export interface RuleDef {
  signal: string;
  family: Family;
  weight: number;
  /** Each step is met by any of its concepts; every step must occur within `window` words of the last one seen. */
  steps: Concept[][];
  window: number;
  /** Steps must occur in the order written. */
  ordered?: boolean;
  /** Not when one of these concepts occurs within `window` words before the match ("my previous instructions"). */
  unless?: { concepts: Concept[]; window: number };
  /** Only for content that came from data (a document, a web page, an email, a tool's output). */
  dataOnly?: boolean;
}

const strongPrior: Concept[] = ['prior_mod', 'above'];

export const RULES: readonly RuleDef[] = [
  // instruction override, in any paraphrase: a verb that discards + what it discards + whose (the assistant's).
  { signal: 'override.discard_prior_instructions', family: 'instruction_override', weight: 0.75, steps: [['override_verb'], ['instruction_noun', 'sysprompt'], strongPrior], window: 9, unless: { concepts: ['self_mod'], window: 3 } },
  { signal: 'override.discard_everything_before', family: 'instruction_override', weight: 0.65, steps: [['override_verb'], ['vague_object'], strongPrior], window: 9, unless: { concepts: ['self_mod'], window: 3 } },
  { signal: 'override.discard_instructions', family: 'instruction_override', weight: 0.3, steps: [['override_verb'], ['instruction_noun', 'sysprompt']], window: 4, unless: { concepts: ['self_mod'], window: 3 } },
  { signal: 'override.prior_instructions_void', family: 'instruction_override', weight: 0.6, steps: [['instruction_noun', 'vague_object', 'sysprompt'], strongPrior, ['void_state']], window: 8 },
  { signal: 'override.no_longer_follow', family: 'instruction_override', weight: 0.6, steps: [['follow_verb'], ['instruction_noun', 'sysprompt'], ['no_longer']], window: 7 },
  { signal: 'override.new_instructions', family: 'instruction_override', weight: 0.3, steps: [['task_cue']], window: 1 },
  { signal: 'override.new_instructions_after_discard', family: 'instruction_override', weight: 0.35, steps: [['override_verb'], ['task_cue', 'persona']], window: 25 },

  // persona or role-play framing + removal of rules.
  { signal: 'removal.no_limits', family: 'rule_removal', weight: 0.35, steps: [['neg_quant'], ['limit_noun']], window: 3, ordered: true },
  { signal: 'removal.unrestricted', family: 'rule_removal', weight: 0.3, steps: [['removal_adj']], window: 1 },
  { signal: 'removal.you_are_unrestricted', family: 'rule_removal', weight: 0.35, steps: [['you_are', 'persona'], ['removal_adj']], window: 4, ordered: true },
  { signal: 'removal.you_have_no_limits', family: 'rule_removal', weight: 0.35, steps: [['you_are', 'persona'], ['neg_quant'], ['limit_noun']], window: 6, ordered: true },
  { signal: 'removal.persona', family: 'rule_removal', weight: 0.2, steps: [['persona']], window: 1 },
  { signal: 'removal.persona_without_rules', family: 'rule_removal', weight: 0.3, steps: [['persona'], ['removal_adj', 'limit_noun']], window: 30 },
  { signal: 'removal.never_refuse', family: 'rule_removal', weight: 0.35, steps: [['never'], ['refuse']], window: 3, ordered: true },
  { signal: 'removal.ai_without_rules', family: 'rule_removal', weight: 0.3, steps: [['ai_ref'], ['neg_quant'], ['limit_noun']], window: 8 },
  { signal: 'removal.unrestricted_ai', family: 'rule_removal', weight: 0.3, steps: [['removal_adj'], ['ai_ref']], window: 3 },

  // named jailbreak personas and modes.
  { signal: 'named.known_persona', family: 'named_jailbreak', weight: 0.6, steps: [['named_strong']], window: 1 },
  { signal: 'named.dan_persona', family: 'named_jailbreak', weight: 0.55, steps: [['dan'], ['persona', 'mode', 'ai_ref', 'jailbreak', 'removal_adj', 'limit_noun']], window: 8 },
  { signal: 'named.mode_enabled', family: 'named_jailbreak', weight: 0.35, steps: [['mode_name'], ['mode']], window: 1, ordered: true },
  { signal: 'named.mode_for_ai', family: 'named_jailbreak', weight: 0.3, steps: [['mode_name'], ['mode'], ['ai_ref', 'persona', 'limit_noun', 'removal_adj']], window: 12 },
  { signal: 'named.jailbreak_word', family: 'named_jailbreak', weight: 0.15, steps: [['jailbreak']], window: 1 },
  { signal: 'named.you_are_jailbroken', family: 'named_jailbreak', weight: 0.45, steps: [['you', 'persona', 'ai_ref'], ['jailbreak']], window: 3 },

  // dual-answer formats: a normal and an unrestricted answer side by side.
  { signal: 'dual.two_answers', family: 'dual_answer', weight: 0.25, steps: [['two'], ['response']], window: 3 },
  { signal: 'dual.normal_and_free', family: 'dual_answer', weight: 0.35, steps: [['normal_side'], ['free_side']], window: 15 },
  { signal: 'dual.two_answers_one_free', family: 'dual_answer', weight: 0.3, steps: [['two'], ['response'], ['free_side', 'removal_adj', 'limit_noun']], window: 20 },

  // policy evasion framed as fiction, games, simulations or hypotheticals.
  { signal: 'fiction.framing', family: 'fiction_evasion', weight: 0.12, steps: [['fiction']], window: 1 },
  { signal: 'fiction.harmful_howto', family: 'fiction_evasion', weight: 0.45, steps: [['harmful'], ['howto']], window: 10 },
  { signal: 'fiction.rules_do_not_apply', family: 'fiction_evasion', weight: 0.3, steps: [['fiction'], ['neg_quant'], ['limit_noun']], window: 12 },
  { signal: 'fiction.stay_in_character', family: 'fiction_evasion', weight: 0.12, steps: [['stay_character']], window: 1 },
  { signal: 'fiction.character_never_refuses', family: 'fiction_evasion', weight: 0.25, steps: [['fiction', 'persona', 'stay_character'], ['never'], ['refuse']], window: 12 },

  // system-prompt extraction.
  { signal: 'extract.system_prompt', family: 'system_prompt_extraction', weight: 0.35, steps: [['extract_verb'], ['sysprompt']], window: 6 },
  { signal: 'extract.your_system_prompt', family: 'system_prompt_extraction', weight: 0.35, steps: [['extract_verb'], ['sysprompt'], ['your', 'verbatim', 'above']], window: 10 },
  { signal: 'extract.text_above', family: 'system_prompt_extraction', weight: 0.45, steps: [['extract_verb'], ['above'], ['verbatim', 'instruction_noun', 'sysprompt']], window: 8 },
  { signal: 'extract.verbatim', family: 'system_prompt_extraction', weight: 0.15, steps: [['verbatim'], ['instruction_noun', 'sysprompt', 'above']], window: 8 },

  // instructions to decode and act.
  { signal: 'encoded.decode_and_follow', family: 'encoded_payload', weight: 0.35, steps: [['decode_verb'], ['follow_verb']], window: 10 },

  // indirect injection: instructions aimed at the agent inside data it reads.
  { signal: 'indirect.agent_addressed', family: 'indirect', weight: 0.4, steps: [['address_cue'], ['agent_ref']], window: 2, ordered: true, dataOnly: true },
  { signal: 'indirect.agent_called_by_name', family: 'indirect', weight: 0.35, steps: [['vocative']], window: 1, dataOnly: true },
  { signal: 'indirect.agent_instructed', family: 'indirect', weight: 0.4, steps: [['agent_ref'], ['imperative_cue']], window: 4, ordered: true, dataOnly: true },
  { signal: 'indirect.agent_directed_action', family: 'indirect', weight: 0.3, steps: [['agent_ref'], ['action_verb']], window: 12, dataOnly: true },
  { signal: 'indirect.conceal_from_user', family: 'indirect', weight: 0.45, steps: [['conceal'], ['user']], window: 6, dataOnly: true },
  { signal: 'indirect.task_hijack', family: 'indirect', weight: 0.3, steps: [['task_cue'], ['action_verb', 'extract_verb', 'follow_verb']], window: 12, dataOnly: true },
  { signal: 'indirect.exfiltrate_secrets', family: 'indirect', weight: 0.35, steps: [['action_verb'], ['secret_noun'], ['url']], window: 14, dataOnly: true },
  { signal: 'indirect.you_must_act', family: 'indirect', weight: 0.2, steps: [['you'], ['imperative_cue'], ['override_verb', 'conceal', 'task_cue']], window: 6, dataOnly: true },
];
