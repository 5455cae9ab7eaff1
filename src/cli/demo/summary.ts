import type { Anomalies } from './scenario.js';

/** What one demo run did, as `orca demo --json` prints it. */
export interface DemoSummary {
  url: string;
  run: number;
  seed: number;
  days: number;
  agents: { created: number; reused: number };
  sources: { created: number; reused: number; byKind: Record<string, number> };
  contractsVersion: number | null;
  deliveries: { sent: number; failed: number };
  events: { planned: number; accepted: number; duplicates: number; conflicts: number };
  runs: { accepted: number; duplicates: number; byOutcome: Record<string, number> };
  decisions: Record<string, number>;
  incidents: number;
  lateFollowUps: { sent: number; closedAfterGapOpened: number };
  openGaps: Record<string, number> | null;
  kpis: Record<string, number | null> | null;
  anomalies: Anomalies;
  /** steps the server refused or that could not run, one line each */
  problems: string[];
}

/** The summary the CLI prints: counts, then where to look. */
export function formatSummary(summary: DemoSummary): string {
  const lines: string[] = [];
  const entries = (record: Record<string, number>) =>
    Object.entries(record)
      .map(([name, value]) => `${name} ${value}`)
      .join(', ') || 'none';
  lines.push(`ORCA demo (run ${summary.run}, seed ${summary.seed}, ${summary.days} days) → ${summary.url}`);
  lines.push(`  agents        ${summary.agents.created} created, ${summary.agents.reused} reused`);
  lines.push(`  sources       ${summary.sources.created} created, ${summary.sources.reused} reused (${Object.keys(summary.sources.byKind).join(', ')})`);
  lines.push(`  contracts     ${summary.contractsVersion === null ? 'not set' : `version ${summary.contractsVersion}`}`);
  lines.push(
    `  webhooks      ${summary.deliveries.sent} signed deliveries: ${summary.events.accepted} events stored (planned ${summary.events.planned}), ` +
      `${summary.events.duplicates} duplicates, ${summary.events.conflicts} conflicting replay${summary.deliveries.failed ? `, ${summary.deliveries.failed} refused` : ''}`,
  );
  lines.push(`  late follow-ups ${summary.lateFollowUps.sent} sent, ${summary.lateFollowUps.closedAfterGapOpened} after their gap had opened`);
  lines.push(`  agent runs    ${summary.runs.accepted} stored (${entries(summary.runs.byOutcome)})`);
  lines.push(`  decisions     ${entries(summary.decisions)}`);
  lines.push(`  incidents     ${summary.incidents}`);
  lines.push(`  open gaps     ${summary.openGaps ? entries(summary.openGaps) : 'unknown'}`);
  if (summary.kpis) {
    const value = (name: string, digits = 1) => {
      const raw = summary.kpis?.[name];
      return raw === null || raw === undefined ? 'n/a' : raw.toFixed(digits);
    };
    lines.push(
      `  KPIs (7d)     trust ${value('trust_score')}, freshness ${value('sync_freshness')} %, drift ${value('drift_rate')} %, ` +
        `compliance ${value('compliance_sla')} %, risk avoided $${value('risk_avoided', 0)}`,
    );
  }
  if (summary.problems.length > 0) {
    lines.push('  not done:');
    for (const problem of summary.problems) lines.push(`    - ${problem}`);
  }
  lines.push('');
  lines.push('Where to look (send X-API-Key):');
  lines.push(`  ${summary.url}/api/v1/sync/gaps?status=open      gaps by type, with their evidence`);
  lines.push(`  ${summary.url}/api/v1/sync/freshness             every stream, its lag and SLO`);
  lines.push(`  ${summary.url}/api/v1/kpis                       organisation KPIs with their inputs`);
  lines.push(`  ${summary.url}/api/v1/reports/executive?format=html   the executive summary`);
  lines.push('Time-based gaps keep coming: the sweep opens missing_record gaps as deadlines pass, and the');
  lines.push('warehouse-shipments stream (declared, never fed) turns stale a minute after the contracts were set.');
  return lines.join('\n');
}
