import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { measureInjection, parseInjectionCorpus } from './injection-quality.js';
import { FAMILIES } from './injection/rules.js';

/** The same computation as scripts/injection-quality.ts (metrics/injection_quality_report.md), enforced. */
const corpus = parseInjectionCorpus(readFileSync(new URL('../../../test/fixtures/injection/corpus.jsonl', import.meta.url), 'utf8'));
const holdout = corpus.filter((sample) => sample.split === 'holdout');
const tune = corpus.filter((sample) => sample.split === 'tune');

describe('prompt-injection detector quality on the labelled corpus', () => {
  it('has at least 400 attacks over every family and five languages, 600 hard benign texts, a quarter held out', () => {
    const attacks = corpus.filter((sample) => sample.label === 'attack');
    expect(attacks.length).toBeGreaterThanOrEqual(400);
    expect(corpus.filter((sample) => sample.label === 'benign').length).toBeGreaterThanOrEqual(600);
    for (const family of FAMILIES) expect(attacks.filter((sample) => sample.family === family).length, family).toBeGreaterThanOrEqual(30);
    for (const lang of ['en', 'es', 'fr', 'de', 'pt']) expect(attacks.filter((sample) => sample.lang === lang).length, lang).toBeGreaterThanOrEqual(30);
    expect(holdout.length / corpus.length).toBeGreaterThan(0.2);
    expect(holdout.length / corpus.length).toBeLessThan(0.3);
  });

  it('held-out split (never tuned on): recall >= 0.93, false-positive rate <= 3 %', () => {
    const quality = measureInjection(holdout);
    expect({ recall: quality.recall >= 0.93, fpr: quality.falsePositiveRate <= 0.03 }).toEqual({ recall: true, fpr: true });
  });

  it('tune split: recall >= 0.98, false-positive rate <= 1 %', () => {
    const quality = measureInjection(tune);
    expect({ recall: quality.recall >= 0.98, fpr: quality.falsePositiveRate <= 0.01, misses: quality.errors.length }).toEqual({ recall: true, fpr: true, misses: expect.any(Number) });
  });

  it('every family and language: recall >= 0.85 over the whole corpus', () => {
    const quality = measureInjection(corpus);
    for (const row of [...quality.recallByFamily, ...quality.recallByLanguage]) expect(row.rate, row.group).toBeGreaterThanOrEqual(0.85);
  });
});
