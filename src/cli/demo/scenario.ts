/**
 * The business activity of the demo organisation over the past days, as native webhook bodies (not yet signed), agent
 * runs and policy questions. Pure: every choice comes from the seeded PRNG and every time is relative to `now`, so one
 * seed always plans the same deliveries; nothing here does I/O. Each story lives in stories/<story>.ts.
 *
 * Most of the data is healthy. A deliberate minority is not, so that every gap type has an example:
 * - orders whose fulfilment never came and tickets never resolved before their SLA (missing_record, after the sweep),
 * - one order and one ticket whose follow-up comes late (sent after their gap opened: it closes by itself),
 * - a ServiceNow incident whose "resolved" is delivered before its "created" (out_of_order),
 * - an order re-sent by Zapier with the same webhook id and a different total (duplicate), plus one exact retry
 *   (stored once, no gap),
 * - a Salesforce opportunity whose amount disagrees with its HubSpot deal (field_drift),
 * - a declared warehouse-shipments stream that never speaks (stale, a minute after the contracts are activated).
 */
import type { Scenario, ScenarioOptions } from './scenario.types.js';
import { createPlanContext } from './stories/context.js';
import { planDeals } from './stories/deals.js';
import { planDynamics } from './stories/dynamics.js';
import { planEvaluations } from './stories/evaluations.js';
import { planServiceNowIncidents } from './stories/incidents.js';
import { planOrders } from './stories/orders.js';
import { planPurchaseOrders } from './stories/purchase-orders.js';
import { planRuns } from './stories/runs.js';
import { planTickets } from './stories/tickets.js';

export type { Anomalies, PlannedDelivery, PlannedEvaluation, PlannedRun, Scenario, ScenarioOptions } from './scenario.types.js';

export function planScenario(options: ScenarioOptions): Scenario {
  const context = createPlanContext(options);
  // The stories draw from one PRNG: this order is part of the plan (see stories/context.ts).
  const orders = planOrders(context);
  const tickets = planTickets(context);
  const incidents = planServiceNowIncidents(context);
  const deals = planDeals(context);
  const deliveries = [
    ...orders.deliveries,
    ...tickets.deliveries,
    ...incidents.deliveries,
    ...deals.deliveries,
    ...planPurchaseOrders(context),
    ...planDynamics(context),
  ];
  // Delivered in the order things happened (stable for equal times), as the systems would have sent them.
  deliveries.sort((left, right) => left.at - right.at);
  return {
    deliveries,
    runs: planRuns(options, context.random),
    evaluations: planEvaluations(),
    anomalies: {
      missingOrders: orders.anomalies.missingOrders,
      missingTickets: tickets.anomalies.missingTickets,
      lateOrder: orders.anomalies.lateOrder,
      lateTicket: tickets.anomalies.lateTicket,
      outOfOrderIncident: incidents.anomalies.outOfOrderIncident,
      conflictingOrder: orders.anomalies.conflictingOrder,
      retriedOrder: orders.anomalies.retriedOrder,
      driftingDeal: deals.anomalies.driftingDeal,
    },
  };
}
