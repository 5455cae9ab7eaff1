import { describe, expect, it } from 'vitest';
import { classificationRiskWeight, gradeOf, riskExposure, roundTo, trustScore, type TrustInputs } from './score.js';

const base: TrustInputs = {
  runs: { total: 0, success: 0 },
  decisions: { total: 0, compliant: 0 },
  freshness: { owned: 0, healthy: 0 },
  classificationRiskWeight: 0,
  openSevereIncidents: 0,
};

describe('trustScore (docs/trust.md)', () => {
  it('scores a perfect public agent 100', () => {
    // R=1, P=1, F=1, X=0 → 100 × (0.30 + 0.30 + 0.25 + 0.15) = 100
    const result = trustScore({ ...base, runs: { total: 10, success: 10 }, decisions: { total: 40, compliant: 40 } });
    expect(result.score).toBe(100);
    expect(result.grade).toBe('excellent');
    expect(result.confidence).toBe(1);
    expect(result.signals).toBe(50);
    expect(result.weights).toEqual({ reliability: 0.3, policy_adherence: 0.3, freshness: 0.25, risk: 0.15 });
  });

  it('computes the worked example of docs/trust.md', () => {
    // R = 18/20 = 0.9; P = 9/10 = 0.9; F = 1/2 = 0.5; X = 0.5 (confidential) + 0.25 × 1 incident = 0.75
    // TS = 100 × (0.30×0.9 + 0.30×0.9 + 0.25×0.5 + 0.15×0.25) = 100 × (0.27 + 0.27 + 0.125 + 0.0375) = 70.25 → 70.3
    const result = trustScore({
      runs: { total: 20, success: 18 },
      decisions: { total: 10, compliant: 9 },
      freshness: { owned: 2, healthy: 1 },
      classificationRiskWeight: classificationRiskWeight('confidential'),
      openSevereIncidents: 1,
    });
    expect(result.components).toEqual({ reliability: 0.9, policy_adherence: 0.9, freshness: 0.5, risk_exposure: 0.75 });
    expect(result.score).toBe(70.3);
    expect(result.grade).toBe('good');
    // signals = 20 + 10 = 30 → 30/50 = 0.6
    expect(result.confidence).toBe(0.6);
  });

  it('excludes R without runs and renormalises the other weights', () => {
    // No runs: weights P 0.30/0.70, F 0.25/0.70, risk 0.15/0.70.
    // P = 1/2, F = 1 (owns nothing), X = 0.25 (internal)
    // TS = 100 × (0.5×0.3 + 1×0.25 + 0.75×0.15) / 0.7 = 100 × (0.15 + 0.25 + 0.1125) / 0.7 = 51.25/0.7 = 73.214… → 73.2
    const result = trustScore({ ...base, decisions: { total: 2, compliant: 1 }, classificationRiskWeight: classificationRiskWeight('internal') });
    expect(result.components.reliability).toBeNull();
    expect(result.weights.reliability).toBe(0);
    expect(result.weights.policy_adherence).toBeCloseTo(0.3 / 0.7, 12);
    expect(result.weights.freshness).toBeCloseTo(0.25 / 0.7, 12);
    expect(result.weights.risk).toBeCloseTo(0.15 / 0.7, 12);
    expect(result.score).toBe(73.2);
    expect(result.confidence).toBe(0.04);
  });

  it('gives a new agent without any data P = 1 and F = 1, confidence 0', () => {
    // public, no data: (0.3 + 0.25 + 0.15) / 0.7 = 1 → 100
    const result = trustScore(base);
    expect(result).toMatchObject({ score: 100, confidence: 0, signals: 0, components: { reliability: null, policy_adherence: 1, freshness: 1, risk_exposure: 0 } });
    // critical ceiling, no data: X = 1 → (0.3 + 0.25 + 0) / 0.7 = 0.7857… → 78.6
    expect(trustScore({ ...base, classificationRiskWeight: classificationRiskWeight('critical') }).score).toBe(78.6);
  });

  it('scores an agent that fails everything 0 and caps risk at 1', () => {
    // R = 0, P = 0, F = 0, X = min(1, 0.75 + 0.25 × 3) = 1 → 0
    const result = trustScore({
      runs: { total: 30, success: 0 },
      decisions: { total: 30, compliant: 0 },
      freshness: { owned: 4, healthy: 0 },
      classificationRiskWeight: classificationRiskWeight('restricted'),
      openSevereIncidents: 3,
    });
    expect(result.score).toBe(0);
    expect(result.components.risk_exposure).toBe(1);
    expect(result.grade).toBe('critical');
    expect(result.confidence).toBe(1);
  });

  it('rounds to one decimal, half up, without floating-point noise', () => {
    // R = 1/3, P = 1, F = 1, X = 0 → 100 × (0.1 + 0.3 + 0.25 + 0.15) = 80.0
    expect(trustScore({ ...base, runs: { total: 3, success: 1 } }).score).toBe(80);
    // R = 2/3 → 100 × (0.2 + 0.7) = 90.0
    expect(trustScore({ ...base, runs: { total: 3, success: 2 } }).score).toBe(90);
    // R = 1/7 → 100 × (0.3/7 + 0.7) = 74.2857… → 74.3
    expect(trustScore({ ...base, runs: { total: 7, success: 1 } }).score).toBe(74.3);
    expect(roundTo(84.95, 1)).toBe(85);
    expect(roundTo(0.1 + 0.2, 1)).toBe(0.3);
    expect(roundTo(70.25, 1)).toBe(70.3);
  });

  it('bands grades at 85, 70 and 50 inclusive', () => {
    expect([100, 85, 84.9, 70, 69.9, 50, 49.9, 0].map(gradeOf)).toEqual([
      'excellent', 'excellent', 'good', 'good', 'fair', 'fair', 'critical', 'critical',
    ]);
  });

  it('caps confidence at 1 and grows it by 1/50 per signal', () => {
    expect(trustScore({ ...base, runs: { total: 1, success: 1 } }).confidence).toBe(0.02);
    expect(trustScore({ ...base, runs: { total: 25, success: 25 } }).confidence).toBe(0.5);
    expect(trustScore({ ...base, runs: { total: 500, success: 500 } }).confidence).toBe(1);
  });

  it('adds 0.25 risk per open severe incident', () => {
    expect(riskExposure(0, 0)).toBe(0);
    expect(riskExposure(0, 2)).toBe(0.5);
    expect(riskExposure(0.25, 1)).toBe(0.5);
    expect(riskExposure(0.5, 5)).toBe(1);
  });

  it("takes a classification's risk weight from the policy, the documented default where the policy has none", () => {
    expect(['public', 'internal', 'confidential', 'restricted', 'critical'].map((level) => classificationRiskWeight(level as 'public'))).toEqual([
      0, 0.25, 0.5, 0.75, 1,
    ]);
    const policy = new Map([['confidential', 0.9], ['public', 0.1]]);
    expect(classificationRiskWeight('confidential', policy)).toBe(0.9);
    expect(classificationRiskWeight('public', policy)).toBe(0.1);
    expect(classificationRiskWeight('restricted', policy)).toBe(0.75);
    // confidential at 0.9 + one incident → min(1, 1.15) = 1: TS = 100 × (0.3 + 0.3 + 0.25 + 0) = 85
    expect(trustScore({ ...base, runs: { total: 1, success: 1 }, classificationRiskWeight: 0.9, openSevereIncidents: 1 }).score).toBe(85);
    // public at 0.1: TS = 100 × (0.3 + 0.3 + 0.25 + 0.15 × 0.9) = 98.5
    expect(trustScore({ ...base, runs: { total: 1, success: 1 }, classificationRiskWeight: 0.1 }).score).toBe(98.5);
  });

  it('never returns NaN for any combination of small inputs', () => {
    for (let total = 0; total <= 4; total += 1) {
      for (let ok = 0; ok <= total; ok += 1) {
        for (const classification of ['public', 'internal', 'confidential', 'restricted', 'critical'] as const) {
          const result = trustScore({
            runs: { total, success: ok },
            decisions: { total, compliant: ok },
            freshness: { owned: total, healthy: ok },
            classificationRiskWeight: classificationRiskWeight(classification),
            openSevereIncidents: total,
          });
          expect(Number.isFinite(result.score)).toBe(true);
          expect(result.score).toBeGreaterThanOrEqual(0);
          expect(result.score).toBeLessThanOrEqual(100);
        }
      }
    }
  });
});
