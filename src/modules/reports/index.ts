import type { Clock } from '../../platform/clock.js';
import type { HealingData } from '../remediation/index.js';
import type { TrustService } from '../trust/index.js';
import { reportRoutes } from './reports.routes.js';
import { createReportService } from './reports.service.js';

export type { ReportService } from './reports.service.js';
export type { ExecutiveReport } from './executive.js';
export type { HealingReport } from './healing.js';
export { toHealingCsv, toHealingHtml, toHealingMarkdown } from './healing-render.js';

export function createReportsModule(deps: {
  trust: Pick<TrustService, 'overview' | 'kpis' | 'openGapsByType'>;
  clock: Clock;
  quarantineBelow: number;
  healing?: (from: Date, to: Date) => Promise<HealingData>;
}) {
  const service = createReportService(deps);
  return { service, routes: reportRoutes(service) };
}
