/** What the demo plans: the deliveries, runs and policy questions of one run, and the anomalies planted in them. */
import type { AgentKey } from './organisation.js';
import type { DemoSourceKind } from './signing.js';

export interface PlannedDelivery {
  kind: DemoSourceKind;
  body: string;
  /** Standard Webhooks message id (the idempotency key for those kinds); a request id for the others */
  messageId: string;
  /** events the delivery carries */
  events: number;
  /** main: sent in time order; late: sent after the follow-up's gap has opened */
  phase: 'main' | 'late';
  /** what ORCA should answer: new events, an exact repeat, or a repeat with a different payload */
  expect: 'new' | 'duplicate' | 'conflict';
  /** when the (first) event happened: main deliveries are sent in this order */
  at: number;
  /** entity whose gap this delivery closes (late phase) */
  closes?: { type: 'missing_record'; entity: string };
}

export interface PlannedRun {
  id: string;
  agent: AgentKey;
  started_at: string;
  duration_ms: number;
  outcome: 'success' | 'error' | 'timeout';
  error_kind: string | null;
  tokens_in: number;
  tokens_out: number;
  cost_usd: number;
  correlation_id: string | null;
}

export interface PlannedEvaluation {
  agent: AgentKey;
  action: string;
  resource: string;
  classification: string;
  content?: string;
  tokens?: number;
  /** what the default policy should decide (for the summary; the server's answer is what counts) */
  note: string;
}

/** Entity ids chosen for each deliberate anomaly, for the summary and for finding the gaps afterwards. */
export interface Anomalies {
  missingOrders: string[];
  missingTickets: string[];
  lateOrder: string | null;
  lateTicket: string | null;
  outOfOrderIncident: string | null;
  conflictingOrder: string | null;
  retriedOrder: string | null;
  driftingDeal: string | null;
}

export interface Scenario {
  deliveries: PlannedDelivery[];
  runs: PlannedRun[];
  evaluations: PlannedEvaluation[];
  anomalies: Anomalies;
}

export interface ScenarioOptions {
  seed: number;
  /** 1 for the first demo run against this ORCA, then 2, 3 …: keeps entity ids and message ids distinct */
  run: number;
  days: number;
  now: Date;
  agentIds: Record<AgentKey, string>;
}
