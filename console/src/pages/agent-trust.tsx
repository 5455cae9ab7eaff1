import type { Schemas } from '../api/client.ts';
import { Badge } from '../components/badge.tsx';
import { formatFraction } from '../format.ts';

type Trust = Schemas['AgentTrust'];

/** Each component of the trust score with the recorded figures it came from (docs/trust.md). */
export function trustExplanations(trust: Trust): Array<{ name: string; value: number | null; weight: number; explanation: string }> {
  const { inputs, components, weights } = trust;
  return [
    {
      name: 'Reliability',
      value: components.reliability,
      weight: weights.reliability,
      explanation:
        components.reliability === null
          ? `No runs in ${trust.window}: left out, the other weights scaled up.`
          : `${inputs.successful_runs} of ${inputs.runs} runs succeeded in ${trust.window}.`,
    },
    {
      name: 'Policy adherence',
      value: components.policy_adherence,
      weight: weights.policy_adherence,
      explanation:
        inputs.decisions === 0
          ? `No policy decisions in ${trust.window}: counts as 1.`
          : `${inputs.compliant_decisions} of ${inputs.decisions} decisions had no violation of medium severity or above.`,
    },
    {
      name: 'Data freshness',
      value: components.freshness,
      weight: weights.freshness,
      explanation:
        inputs.owned_streams_and_contracts === 0
          ? 'Owns no sync stream or contract: counts as 1.'
          : `${inputs.healthy_streams_and_contracts} of ${inputs.owned_streams_and_contracts} owned streams and contracts are within their SLO with no open gap.`,
    },
    {
      name: 'Risk exposure',
      value: components.risk_exposure,
      weight: weights.risk,
      explanation: `Classification “${trust.classification}” weighs ${inputs.classification_risk_weight}, plus 0.25 for each of ${inputs.open_severe_incidents} open high or critical incidents (at most 1); the score uses 1 − exposure.`,
    },
  ];
}

export function TrustSection({ trust }: { trust: Trust }) {
  return (
    <>
      <p class="trust-summary">
        <span class="kpi-value">{trust.score.toFixed(1)}</span> <Badge value={trust.grade} /> confidence {formatFraction(trust.confidence)} from{' '}
        {trust.signals} signals over {trust.window}
      </p>
      <table>
        <caption class="visually-hidden">Trust components</caption>
        <thead>
          <tr>
            <th scope="col">Component</th>
            <th scope="col">Value</th>
            <th scope="col">Weight</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {trustExplanations(trust).map((component) => (
            <tr>
              <th scope="row">{component.name}</th>
              <td>{component.value === null ? '—' : component.value.toFixed(2)}</td>
              <td>{component.weight.toFixed(2)}</td>
              <td>{component.explanation}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
