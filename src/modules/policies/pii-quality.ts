/**
 * Precision and recall of the built-in detectors on a labelled corpus (test/fixtures/pii/corpus.jsonl), each sample
 * with the phone regions its policy would list (`phone_regions`, default [US]). Shared by
 * scripts/pii-quality.ts (the generated report) and pii-quality.test.ts (which fails below the target), so the
 * figures in the report are the ones the test enforces.
 */
import { DEFAULT_PHONE_REGIONS, detectPii, phoneRegions, PII_ENTITIES, type PiiOptions } from './pii.js';

export interface CorpusSample {
  id: string;
  text: string;
  entities: Array<{ type: string; value: string }>;
  note?: string;
  /** The policy's `pii.phone_regions` for this sample; absent, the default ([US]). */
  phone_regions?: string[];
}

/** The detector options a sample is measured with: those of a policy listing its phone regions. */
export function optionsFor(sample: CorpusSample): PiiOptions {
  return { phoneRegions: phoneRegions(sample.phone_regions ?? DEFAULT_PHONE_REGIONS) };
}

export interface EntityQuality {
  entity: string;
  /** Labelled occurrences in the corpus. */
  support: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
}

export interface QualityReport {
  samples: number;
  negatives: number;
  entities: EntityQuality[];
  /** Every mismatch, for the report's error list. */
  errors: Array<{ id: string; kind: 'false_positive' | 'false_negative'; entity: string; value: string }>;
}

/** Structured entities: the 0.95 precision/recall target applies to each of them. */
export const QUALITY_TARGET = 0.95;

export function parseCorpus(text: string): CorpusSample[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CorpusSample);
}

/** A finding counts as correct only if its entity and its exact text match a label of the sample. */
export function measureQuality(samples: CorpusSample[]): QualityReport {
  const counts = new Map<string, { tp: number; fp: number; fn: number; support: number }>(PII_ENTITIES.map((entity) => [entity, { tp: 0, fp: 0, fn: 0, support: 0 }]));
  const errors: QualityReport['errors'] = [];
  for (const sample of samples) {
    const expected = sample.entities.map((label) => `${label.type}\u0000${label.value}`);
    const found = detectPii(sample.text, undefined, optionsFor(sample)).map((finding) => `${finding.entity}\u0000${sample.text.slice(finding.start, finding.end)}`);
    for (const label of sample.entities) counts.get(label.type)!.support += 1;
    const remaining = [...expected];
    for (const key of found) {
      const [entity, value] = key.split('\u0000') as [string, string];
      const index = remaining.indexOf(key);
      if (index >= 0) {
        remaining.splice(index, 1);
        counts.get(entity)!.tp += 1;
      } else {
        counts.get(entity)!.fp += 1;
        errors.push({ id: sample.id, kind: 'false_positive', entity, value });
      }
    }
    for (const key of remaining) {
      const [entity, value] = key.split('\u0000') as [string, string];
      counts.get(entity)!.fn += 1;
      errors.push({ id: sample.id, kind: 'false_negative', entity, value });
    }
  }
  const ratio = (numerator: number, denominator: number) => (denominator === 0 ? 1 : numerator / denominator);
  return {
    samples: samples.length,
    negatives: samples.filter((sample) => sample.entities.length === 0).length,
    entities: [...counts.entries()].map(([entity, c]) => ({
      entity,
      support: c.support,
      truePositives: c.tp,
      falsePositives: c.fp,
      falseNegatives: c.fn,
      precision: ratio(c.tp, c.tp + c.fp),
      recall: ratio(c.tp, c.tp + c.fn),
    })),
    errors,
  };
}
