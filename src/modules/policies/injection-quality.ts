/**
 * Precision, recall and false-positive rate of the prompt-injection detector on the labelled corpus
 * (test/fixtures/injection/corpus.jsonl). Shared by scripts/injection-quality.ts (the generated report) and
 * injection-quality.test.ts (which fails below the floors), so the report's figures are the ones the test enforces.
 */
import { detectInjection, type ContentOrigin } from './injection/detect.js';
import { FAMILIES } from './injection/rules.js';

export interface InjectionSample {
  id: string;
  text: string;
  label: 'attack' | 'benign';
  /** Attacks: the family the sample was written for. */
  family?: string;
  /** Benign samples: the kind of hard negative. */
  kind?: string;
  lang: string;
  origin?: ContentOrigin;
  source: 'handwritten' | 'template';
  split: 'tune' | 'holdout';
}

/** The default threshold of the policy (`prompt_injection.detector.threshold`): the figures are measured at it. */
export const CORPUS_THRESHOLD = 0.5;

export interface Rate {
  group: string;
  samples: number;
  flagged: number;
  /** recall for attacks, false-positive rate for benign samples */
  rate: number;
}

export interface FamilyPrecision {
  family: string;
  /** samples whose strongest signal belongs to this family */
  flagged: number;
  truePositives: number;
  precision: number;
}

export interface InjectionQuality {
  samples: number;
  attacks: number;
  benign: number;
  precision: number;
  recall: number;
  falsePositiveRate: number;
  recallByFamily: Rate[];
  recallByLanguage: Rate[];
  falsePositivesByKind: Rate[];
  precisionByFamily: FamilyPrecision[];
  errors: Array<{ id: string; kind: 'false_positive' | 'false_negative'; group: string; score: number; signals: string; text: string }>;
}

export function parseInjectionCorpus(text: string): InjectionSample[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as InjectionSample);
}

function rates(items: Array<{ group: string; flagged: boolean }>): Rate[] {
  const byGroup = new Map<string, { samples: number; flagged: number }>();
  for (const item of items) {
    const entry = byGroup.get(item.group) ?? { samples: 0, flagged: 0 };
    entry.samples += 1;
    if (item.flagged) entry.flagged += 1;
    byGroup.set(item.group, entry);
  }
  return [...byGroup.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([group, entry]) => ({ group, samples: entry.samples, flagged: entry.flagged, rate: entry.samples === 0 ? 0 : entry.flagged / entry.samples }));
}

/** Runs the detector over every sample, with its content origin, at the default threshold. */
export function measureInjection(samples: InjectionSample[], threshold = CORPUS_THRESHOLD): InjectionQuality {
  const attackItems: Array<{ group: string; flagged: boolean; lang: string }> = [];
  const benignItems: Array<{ group: string; flagged: boolean }> = [];
  const byTopFamily = new Map<string, { flagged: number; truePositives: number }>(FAMILIES.map((family) => [family, { flagged: 0, truePositives: 0 }]));
  const errors: InjectionQuality['errors'] = [];
  let truePositives = 0;
  let falsePositives = 0;
  for (const sample of samples) {
    const result = detectInjection(sample.text, sample.origin ? { origin: sample.origin } : {});
    const flagged = result.score >= threshold;
    const group = sample.label === 'attack' ? (sample.family ?? 'unknown') : (sample.kind ?? 'unknown');
    if (flagged) {
      const top = byTopFamily.get(result.signals[0]!.family)!;
      top.flagged += 1;
      if (sample.label === 'attack') top.truePositives += 1;
    }
    if (sample.label === 'attack') {
      attackItems.push({ group, flagged, lang: sample.lang });
      if (flagged) truePositives += 1;
    } else {
      benignItems.push({ group, flagged });
      if (flagged) falsePositives += 1;
    }
    if (flagged !== (sample.label === 'attack')) {
      errors.push({
        id: sample.id,
        kind: flagged ? 'false_positive' : 'false_negative',
        group,
        score: result.score,
        signals: result.signals.map((signal) => `${signal.name} ${signal.weight}`).join(', '),
        text: sample.text,
      });
    }
  }
  const attacks = attackItems.length;
  const benign = benignItems.length;
  return {
    samples: samples.length,
    attacks,
    benign,
    precision: truePositives + falsePositives === 0 ? 1 : truePositives / (truePositives + falsePositives),
    recall: attacks === 0 ? 1 : truePositives / attacks,
    falsePositiveRate: benign === 0 ? 0 : falsePositives / benign,
    recallByFamily: rates(attackItems),
    recallByLanguage: rates(attackItems.map((item) => ({ group: item.lang, flagged: item.flagged }))),
    falsePositivesByKind: rates(benignItems),
    precisionByFamily: [...byTopFamily.entries()].map(([family, entry]) => ({
      family,
      flagged: entry.flagged,
      truePositives: entry.truePositives,
      precision: entry.flagged === 0 ? 1 : entry.truePositives / entry.flagged,
    })),
    errors,
  };
}
