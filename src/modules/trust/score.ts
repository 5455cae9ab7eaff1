/**
 * Per-agent trust (docs/trust.md), as a pure function of counts read from recorded data. No I/O here: the service
 * gathers the inputs with one grouped query per input and calls `trustScore` for each agent.
 *
 * Worked examples and the rules for missing data are in docs/trust.md.
 */

export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted', 'critical'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

/**
 * Default risk weights of the classification levels (docs/trust.md; the agent's ceiling drives X). The active policy
 * document's `classifications[].risk_weight` overrides them; these apply to a level the policy does not list.
 */
export const CLASSIFICATION_RISK: Readonly<Record<Classification, number>> = {
  public: 0,
  internal: 0.25,
  confidential: 0.5,
  restricted: 0.75,
  critical: 1,
};

/** Each open high or critical incident linked to the agent adds this much risk exposure (docs/trust.md). */
export const RISK_PER_SEVERE_INCIDENT = 0.25;

/** Component weights of the trust score (docs/trust.md); they sum to 1. */
export const TRUST_WEIGHTS = { reliability: 0.3, policy_adherence: 0.3, freshness: 0.25, risk: 0.15 } as const;

/** Signals (runs + decisions in W) at which confidence reaches 1. */
export const FULL_CONFIDENCE_SIGNALS = 50;

export type Grade = 'excellent' | 'good' | 'fair' | 'critical';

export interface TrustInputs {
  /** Runs started in W, and how many of them succeeded. */
  runs: { total: number; success: number };
  /** Policy decisions taken in W, and how many were compliant (no violation of severity >= medium). */
  decisions: { total: number; compliant: number };
  /** Sync streams and contracts the agent owns, and how many are within SLO with no open gap. */
  freshness: { owned: number; healthy: number };
  /** Risk weight of the agent's classification ceiling, from the active policy (see `classificationRiskWeight`). */
  classificationRiskWeight: number;
  /** Open incidents of severity high or critical linked to the agent. */
  openSevereIncidents: number;
}

export interface TrustComponents {
  /** null when the agent has no runs in W: the component is left out and the other weights renormalised. */
  reliability: number | null;
  policy_adherence: number;
  freshness: number;
  risk_exposure: number;
}

export interface TrustResult {
  score: number;
  grade: Grade;
  confidence: number;
  signals: number;
  components: TrustComponents;
  /** The weights actually applied (renormalised when reliability has no data); they sum to 1. */
  weights: { reliability: number; policy_adherence: number; freshness: number; risk: number };
}

/**
 * Rounds half up after removing binary noise: 84.95 × 10 is 849.4999999999999 in floating point, which a plain
 * Math.round would turn into 84.9 although the decimal value is exactly half-way.
 */
export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(Number((value * factor).toPrecision(12))) / factor;
}

export function gradeOf(score: number): Grade {
  if (score >= 85) return 'excellent';
  if (score >= 70) return 'good';
  if (score >= 50) return 'fair';
  return 'critical';
}

function ratio(part: number, whole: number): number {
  return whole > 0 ? Math.min(1, Math.max(0, part / whole)) : 1;
}

/**
 * The risk weight of a classification: the active policy's `risk_weight` for that level when it defines one,
 * otherwise the default above (a policy may rename or drop levels; an agent's ceiling is always one of CLASSIFICATIONS).
 */
export function classificationRiskWeight(classification: Classification, policyWeights?: ReadonlyMap<string, number>): number {
  return policyWeights?.get(classification) ?? CLASSIFICATION_RISK[classification];
}

export function riskExposure(classificationWeight: number, openSevereIncidents: number): number {
  return Math.min(1, Math.max(0, classificationWeight) + RISK_PER_SEVERE_INCIDENT * Math.max(0, openSevereIncidents));
}

export function trustScore(inputs: TrustInputs): TrustResult {
  const reliability = inputs.runs.total > 0 ? ratio(inputs.runs.success, inputs.runs.total) : null;
  const policyAdherence = ratio(inputs.decisions.compliant, inputs.decisions.total);
  const freshness = ratio(inputs.freshness.healthy, inputs.freshness.owned);
  const risk = riskExposure(inputs.classificationRiskWeight, inputs.openSevereIncidents);

  const base = reliability === null ? { ...TRUST_WEIGHTS, reliability: 0 } : { ...TRUST_WEIGHTS };
  const total = base.reliability + base.policy_adherence + base.freshness + base.risk;
  const weights = {
    reliability: base.reliability / total,
    policy_adherence: base.policy_adherence / total,
    freshness: base.freshness / total,
    risk: base.risk / total,
  };
  const raw =
    100 * (weights.reliability * (reliability ?? 0) + weights.policy_adherence * policyAdherence + weights.freshness * freshness + weights.risk * (1 - risk));
  const score = roundTo(raw, 1);
  const signals = inputs.runs.total + inputs.decisions.total;
  return {
    score,
    grade: gradeOf(score),
    confidence: Math.min(1, signals / FULL_CONFIDENCE_SIGNALS),
    signals,
    components: { reliability, policy_adherence: policyAdherence, freshness, risk_exposure: risk },
    weights,
  };
}
