import type { Schemas } from '../api/client.ts';
import { formatNumber, formatValue, humanize } from '../format.ts';
import { Badge } from './badge.tsx';

export type KpiName = keyof Schemas['KpiSet'];

export const KPI_LABELS: Record<KpiName, string> = {
  trust_score: 'Trust score',
  sync_freshness: 'Sync freshness',
  drift_rate: 'Drift rate',
  compliance_sla: 'Compliance SLA',
  self_resolution: 'Self-resolution',
  risk_avoided: 'Risk avoided',
  roi: 'ROI',
};

/** A KPI with its band and, on demand, the inputs it was computed from (so a reader can recompute it). */
export function KpiCard({ name, kpi }: { name: KpiName; kpi: Schemas['Kpi'] }) {
  return (
    <article class="kpi">
      <h3>{KPI_LABELS[name]}</h3>
      <p class="kpi-value">{formatValue(kpi.value, kpi.unit)}</p>
      {kpi.band && <Badge value={kpi.band} />}
      <details>
        <summary>Inputs</summary>
        <dl class="pairs">
          <dt>Numerator</dt>
          <dd>{formatNumber(kpi.numerator, 2)}</dd>
          <dt>Denominator</dt>
          <dd>{formatNumber(kpi.denominator, 2)}</dd>
          <dt>Window</dt>
          <dd>{kpi.window}</dd>
          {Object.entries(kpi.inputs).map(([input, value]) => (
            <>
              <dt>{humanize(input)}</dt>
              <dd>{formatNumber(value, 2)}</dd>
            </>
          ))}
        </dl>
      </details>
    </article>
  );
}
