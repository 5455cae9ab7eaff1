/**
 * The executive summary (SPEC §8): KPIs with inputs and bands, the trend against the previous window, the
 * riskiest agents, open gaps by kind, and insights and recommendations derived from those numbers. Pure: the
 * service gathers the data, these functions only read it, so every sentence can be traced to a number.
 */
import { KPI_NAMES, type AgentTrust, type Kpi, type KpiName, type KpiReport } from '../trust/index.js';

export const KPI_LABELS: Record<KpiName, string> = {
  trust_score: 'Trust Score',
  sync_freshness: 'Sync Freshness %',
  drift_rate: 'Drift Rate %',
  compliance_sla: 'Compliance SLA %',
  self_resolution: 'Self-Resolution Ratio',
  risk_avoided: 'Risk Avoided (RA$)',
  roi: 'ROI',
};

/** Whether a higher value is better; drift is the one KPI where lower is better. */
const HIGHER_IS_BETTER: Record<KpiName, boolean> = {
  trust_score: true,
  sync_freshness: true,
  drift_rate: false,
  compliance_sla: true,
  self_resolution: true,
  risk_avoided: true,
  roi: true,
};

/** A change smaller than this is reported as flat (score points, percentage points, ratio, dollars). */
const FLAT_WITHIN: Record<KpiName, number> = {
  trust_score: 0.5,
  sync_freshness: 0.5,
  drift_rate: 0.5,
  compliance_sla: 0.05,
  self_resolution: 0.01,
  risk_avoided: 1,
  roi: 0.01,
};

/** How many agents the report lists as top risks. */
export const TOP_RISKY_AGENTS = 5;

export interface Trend {
  current: number | null;
  previous: number | null;
  delta: number | null;
  direction: 'up' | 'down' | 'flat' | 'no_data';
  /** true when the change is an improvement, false when it is a deterioration, null when flat or unknown. */
  improved: boolean | null;
}

export interface RiskyAgent {
  agent_id: string;
  name: string;
  score: number;
  grade: string;
  confidence: number;
  components: AgentTrust['components'];
  inputs: AgentTrust['inputs'];
}

export interface GapKind {
  type: string;
  count: number;
  by_severity: { low: number; medium: number; high: number; critical: number };
}

export interface Finding {
  /** What the finding is about: a KPI name, `agents` or `gaps`. */
  topic: string;
  severity: 'info' | 'warning' | 'critical';
  text: string;
}

export interface ExecutiveReport {
  generated_at: string;
  window: string;
  from: string;
  to: string;
  previous_window: { from: string; to: string };
  kpis: KpiReport['kpis'];
  previous_kpis: KpiReport['kpis'];
  trends: Record<KpiName, Trend>;
  active_agents: number;
  top_risky_agents: RiskyAgent[];
  open_gaps_by_kind: GapKind[];
  insights: Finding[];
  recommendations: Finding[];
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(Number((value * factor).toPrecision(12))) / factor;
}

export function trendOf(name: KpiName, current: Kpi, previous: Kpi): Trend {
  if (current.value === null || previous.value === null) {
    return { current: current.value, previous: previous.value, delta: null, direction: 'no_data', improved: null };
  }
  const delta = round(current.value - previous.value, 4);
  if (Math.abs(delta) < FLAT_WITHIN[name]) return { current: current.value, previous: previous.value, delta, direction: 'flat', improved: null };
  const up = delta > 0;
  return { current: current.value, previous: previous.value, delta, direction: up ? 'up' : 'down', improved: up === HIGHER_IS_BETTER[name] };
}

export function formatKpiValue(kpi: Kpi): string {
  if (kpi.value === null) return kpi.band === 'not_configured' ? 'not configured' : 'no data';
  switch (kpi.unit) {
    case 'percent':
      return `${kpi.value.toFixed(2)} %`;
    case 'usd':
      return `$${kpi.value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    case 'score':
      return kpi.value.toFixed(1);
    default:
      return String(kpi.value);
  }
}

const pct = (value: number) => `${round(value * 100, 1)} %`;

export function groupGaps(rows: Array<{ type: string; severity: string; count: number }>): GapKind[] {
  const kinds = new Map<string, GapKind>();
  for (const row of rows) {
    const kind = kinds.get(row.type) ?? { type: row.type, count: 0, by_severity: { low: 0, medium: 0, high: 0, critical: 0 } };
    kind.count += row.count;
    if (row.severity in kind.by_severity) kind.by_severity[row.severity as keyof GapKind['by_severity']] += row.count;
    kinds.set(row.type, kind);
  }
  return [...kinds.values()].sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
}

/** Lowest scores first; among equal scores the more certain (higher confidence) first, then by id for stability. */
export function riskiestAgents(agents: AgentTrust[], limit = TOP_RISKY_AGENTS): RiskyAgent[] {
  return agents
    .filter((agent) => agent.status === 'active')
    .sort((a, b) => a.score - b.score || b.confidence - a.confidence || a.agent_id.localeCompare(b.agent_id))
    .slice(0, limit)
    .map(({ agent_id, name, score, grade, confidence, components, inputs }) => ({ agent_id, name, score, grade, confidence, components, inputs }));
}

const BAND_RANGES: Partial<Record<KpiName, Record<string, string>>> = {
  trust_score: { good: '70–85', fair: '50–70', critical: '< 50' },
  sync_freshness: { good: '90–95 %', fair: '75–90 %', critical: '< 75 %' },
  drift_rate: { good: '5–10 %', fair: '10–20 %', critical: '> 20 %' },
  compliance_sla: { good: '99–99.5 %', fair: '95–99 %', critical: '< 95 %' },
};

/** Insights: what the numbers say. Only rules whose condition the data meets produce a sentence. */
export function insightsFor(input: {
  kpis: KpiReport['kpis'];
  trends: Record<KpiName, Trend>;
  agents: AgentTrust[];
  gaps: GapKind[];
  window: string;
}): Finding[] {
  const { kpis, trends, window } = input;
  const findings: Finding[] = [];
  const active = input.agents.filter((agent) => agent.status === 'active');

  for (const name of ['trust_score', 'sync_freshness', 'drift_rate', 'compliance_sla'] as const) {
    const kpi = kpis[name];
    if (kpi.band === 'fair' || kpi.band === 'critical') {
      const detail =
        name === 'compliance_sla'
          ? `${kpi.denominator! - kpi.numerator} of ${kpi.denominator} decisions were non-compliant`
          : name === 'sync_freshness'
            ? `${kpi.denominator! - kpi.numerator} of ${kpi.denominator} streams are outside their SLO`
            : name === 'drift_rate'
              ? `${kpi.numerator} of ${kpi.denominator} entities seen have an open gap`
              : `mean of ${kpi.denominator} active agents`;
      findings.push({
        topic: name,
        severity: kpi.band === 'critical' ? 'critical' : 'warning',
        text: `${KPI_LABELS[name]} is ${formatKpiValue(kpi)}, in the ${kpi.band} band (${BAND_RANGES[name]?.[kpi.band]}): ${detail} over ${window}.`,
      });
    }
  }

  for (const name of KPI_NAMES) {
    const trend = trends[name];
    if (trend.improved === null || trend.delta === null) continue;
    findings.push({
      topic: name,
      severity: trend.improved ? 'info' : 'warning',
      text: `${KPI_LABELS[name]} ${trend.improved ? 'improved' : 'worsened'} from ${trend.previous} to ${trend.current} (${trend.delta > 0 ? '+' : ''}${trend.delta}) against the previous ${window}.`,
    });
  }

  const critical = active.filter((agent) => agent.grade === 'critical');
  if (critical.length > 0) {
    const names = critical
      .slice()
      .sort((a, b) => a.score - b.score)
      .slice(0, 3)
      .map((agent) => `${agent.name} (${agent.score})`)
      .join(', ');
    findings.push({ topic: 'agents', severity: 'critical', text: `${critical.length} of ${active.length} active agents score critical (< 50): ${names}.` });
  }

  const provisional = active.filter((agent) => agent.confidence < 0.5);
  if (active.length > 0 && provisional.length * 2 > active.length) {
    findings.push({
      topic: 'agents',
      severity: 'info',
      text: `${provisional.length} of ${active.length} active agents had fewer than 25 runs and decisions over ${window}: their scores are provisional (confidence < 0.5).`,
    });
  }

  const openGaps = input.gaps.reduce((sum, kind) => sum + kind.count, 0);
  if (openGaps > 0) {
    const top = input.gaps[0]!;
    const severe = input.gaps.reduce((sum, kind) => sum + kind.by_severity.high + kind.by_severity.critical, 0);
    findings.push({
      topic: 'gaps',
      severity: severe > 0 ? 'warning' : 'info',
      text: `${openGaps} sync gaps are open, ${top.count} of them ${top.type}${severe > 0 ? `; ${severe} are high or critical` : ''}.`,
    });
  }

  const avoided = kpis.risk_avoided;
  if (avoided.value !== null && avoided.value > 0) {
    const roi = kpis.roi.value !== null ? `, ${kpis.roi.value}× the platform cost of $${kpis.roi.denominator} over the window` : '';
    findings.push({
      topic: 'risk_avoided',
      severity: 'info',
      text: `ORCA avoided ${formatKpiValue(avoided)} of risk over ${window}: ${avoided.inputs.blocked_decisions} blocked high/critical violations and ${avoided.inputs.gaps_resolved_before_due} gaps resolved before their due time${roi}.`,
    });
  }
  return findings;
}

/** Recommendations: one concrete next step per problem the data shows, naming the agent, stream kind or setting. */
export function recommendationsFor(input: { kpis: KpiReport['kpis']; agents: AgentTrust[]; gaps: GapKind[]; quarantineBelow: number }): Finding[] {
  const { kpis } = input;
  const findings: Finding[] = [];
  const active = input.agents.filter((agent) => agent.status === 'active');

  for (const agent of active.filter((a) => a.grade === 'critical' && a.confidence >= 0.5).sort((a, b) => a.score - b.score).slice(0, 3)) {
    const weakest = weakestComponent(agent);
    findings.push({
      topic: 'agents',
      severity: agent.score < input.quarantineBelow ? 'critical' : 'warning',
      text: `Review agent ${agent.name}: trust ${agent.score} with confidence ${agent.confidence}; weakest component ${weakest}.${
        agent.score < input.quarantineBelow ? ` It is below the quarantine threshold of ${input.quarantineBelow}.` : ''
      }`,
    });
  }

  const violators = active
    .filter((agent) => agent.inputs.decisions > agent.inputs.compliant_decisions)
    .sort((a, b) => b.inputs.decisions - b.inputs.compliant_decisions - (a.inputs.decisions - a.inputs.compliant_decisions));
  if ((kpis.compliance_sla.band === 'fair' || kpis.compliance_sla.band === 'critical' || kpis.compliance_sla.band === 'good') && violators.length > 0) {
    const worst = violators[0]!;
    findings.push({
      topic: 'compliance_sla',
      severity: 'warning',
      text: `Tighten the policy role or classification ceiling of ${worst.name}: ${worst.inputs.decisions - worst.inputs.compliant_decisions} of its ${worst.inputs.decisions} decisions were non-compliant, the most of any agent.`,
    });
  }

  if (input.gaps.length > 0 && (kpis.drift_rate.band === 'fair' || kpis.drift_rate.band === 'critical')) {
    const top = input.gaps[0]!;
    findings.push({
      topic: 'drift_rate',
      severity: 'warning',
      text: `Work down the ${top.count} open ${top.type} gaps first: they are the largest share of the drift.`,
    });
  }

  if (kpis.sync_freshness.band === 'fair' || kpis.sync_freshness.band === 'critical') {
    findings.push({
      topic: 'sync_freshness',
      severity: 'warning',
      text: `Check the ${kpis.sync_freshness.denominator! - kpis.sync_freshness.numerator} sync streams outside their SLO (GET /api/v1/sync/freshness) and request a resync from their owner automations.`,
    });
  }

  const resolution = kpis.self_resolution;
  if (resolution.value !== null && resolution.value < 0.5 && resolution.denominator !== null && resolution.denominator >= 4) {
    findings.push({
      topic: 'self_resolution',
      severity: 'info',
      text: `Only ${resolution.numerator} of ${resolution.denominator} resolutions were automatic: define follow-up deadlines in the sync contracts so late records close their own gaps.`,
    });
  }

  if (kpis.roi.band === 'not_configured' && kpis.risk_avoided.value !== null && kpis.risk_avoided.value > 0) {
    findings.push({
      topic: 'roi',
      severity: 'info',
      text: `Set PLATFORM_COST_USD_MONTHLY to turn the ${formatKpiValue(kpis.risk_avoided)} of risk avoided into an ROI.`,
    });
  }
  return findings;
}

function weakestComponent(agent: AgentTrust): string {
  const parts: Array<[string, number]> = [
    ['policy adherence', agent.components.policy_adherence],
    ['data freshness', agent.components.freshness],
    ['risk exposure (1 − X)', 1 - agent.components.risk_exposure],
  ];
  if (agent.components.reliability !== null) parts.unshift(['reliability', agent.components.reliability]);
  const [name, value] = parts.sort((a, b) => a[1] - b[1])[0]!;
  const detail =
    name === 'reliability'
      ? ` (${agent.inputs.runs - agent.inputs.successful_runs} of ${agent.inputs.runs} runs failed)`
      : name === 'policy adherence'
        ? ` (${agent.inputs.decisions - agent.inputs.compliant_decisions} of ${agent.inputs.decisions} decisions non-compliant)`
        : name === 'data freshness'
          ? ` (${agent.inputs.owned_streams_and_contracts - agent.inputs.healthy_streams_and_contracts} of ${agent.inputs.owned_streams_and_contracts} owned streams unhealthy)`
          : ` (classification ${agent.classification}, ${agent.inputs.open_severe_incidents} open high/critical incidents)`;
  return `${name} ${pct(value)}${detail}`;
}
