import type { DemoSession } from './session.js';

export interface DemoOutcome {
  /** open gaps by type, or null when the gaps could not be listed */
  openGaps: Record<string, number> | null;
  /** the 7-day KPI values by name, or null when ORCA did not answer them */
  kpis: Record<string, number | null> | null;
}

/** What the organisation looks like once the demo has filled it: the open gaps and the KPIs of the last week. */
export async function readOutcome({ client, note }: DemoSession): Promise<DemoOutcome> {
  const gaps = await client.listAll<{ type: string; contract: string | null }>('/api/v1/sync/gaps?status=open');
  let openGaps: Record<string, number> | null = null;
  if (gaps) {
    openGaps = {};
    for (const gap of gaps) openGaps[gap.type] = (openGaps[gap.type] ?? 0) + 1;
  }
  const kpiAnswer = await client.get<{ kpis: Record<string, { value: number | null }> }>('/api/v1/kpis?window=7d');
  const kpis = kpiAnswer.status === 200 ? Object.fromEntries(Object.entries(kpiAnswer.body.kpis).map(([name, kpi]) => [name, kpi.value])) : null;
  if (kpiAnswer.status !== 200) note(`GET /api/v1/kpis answered ${kpiAnswer.status}`);
  return { openGaps, kpis };
}
