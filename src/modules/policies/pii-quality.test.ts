import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PHONE_REGION_CODES } from './pii.js';
import { measureQuality, parseCorpus, QUALITY_TARGET } from './pii-quality.js';

/** The same computation as scripts/pii-quality.ts (metrics/pii_quality_report.md), enforced. */
const corpus = parseCorpus(readFileSync(new URL('../../../test/fixtures/pii/corpus.jsonl', import.meta.url), 'utf8'));

describe('PII detector quality on the labelled corpus', () => {
  it('has at least 300 samples, hard negatives included, and every entity labelled', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    expect(corpus.filter((sample) => sample.entities.length === 0).length).toBeGreaterThanOrEqual(100);
    const report = measureQuality(corpus);
    for (const entity of report.entities) expect(entity.support, entity.entity).toBeGreaterThanOrEqual(15);
  });

  it('has national phone numbers of every supported region, measured with that region listed', () => {
    const regions = new Set(corpus.filter((sample) => sample.entities.some((entity) => entity.type === 'phone')).flatMap((sample) => sample.phone_regions ?? ['US']));
    for (const region of PHONE_REGION_CODES.filter((code) => code !== 'CA')) expect(regions.has(region), region).toBe(true);
  });

  const report = measureQuality(corpus);
  for (const entity of report.entities) {
    it(`${entity.entity}: precision and recall >= ${QUALITY_TARGET}`, () => {
      const misses = report.errors.filter((error) => error.entity === entity.entity);
      expect({ precision: entity.precision >= QUALITY_TARGET, recall: entity.recall >= QUALITY_TARGET, misses }).toEqual({ precision: true, recall: true, misses: expect.any(Array) });
    });
  }
});
