/**
 * What every story planner shares: one seeded PRNG drawn from in a fixed order (orders, tickets, incidents, deals,
 * purchase orders, Dynamics, runs), one message-id counter, and the run's clock and id offsets. The order in which
 * `planScenario` calls the stories is therefore part of the plan: swapping two changes every later draw.
 */
import { Prng, stableId } from '../prng.js';
import type { Anomalies, PlannedDelivery, ScenarioOptions } from '../scenario.types.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const CUSTOMERS = [
  ['Whitfield Design GmbH', 'dana.whitfield@example.com'],
  ['Nordlicht Logistik AG', 'procurement@nordlicht.example'],
  ['Casa Verde SL', 'compras@casaverde.example'],
  ['Blue Harbor Ltd', 'ap@blueharbor.example'],
  ['Kestrel Analytics', 'ops@kestrel.example'],
  ['Maison Lumière SARL', 'achats@lumiere.example'],
] as const;

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export interface PlanContext {
  seed: number;
  run: number;
  days: number;
  /** the plan's "now", in epoch milliseconds */
  now: number;
  agentIds: ScenarioOptions['agentIds'];
  random: Prng;
  /** appended to entity ids from the second run on (`-R2`, `-R3` …) so that runs add up instead of colliding */
  suffix: string;
  /** added to numeric vendor ids for the same reason */
  numericOffset: number;
  /** the next message id, unique within the run and stable across runs with the same seed */
  messageId(label: string): string;
  /** an event time in day `day` (0 = the oldest), never in the last few minutes (it has to have happened) */
  timeIn(day: number): number;
}

/** What a story with planted anomalies returns: its deliveries, and the entity ids of the anomalies it planted. */
export interface StoryPlan<Planted extends keyof Anomalies> {
  deliveries: PlannedDelivery[];
  anomalies: Pick<Anomalies, Planted>;
}

export function createPlanContext(options: ScenarioOptions): PlanContext {
  const { seed, run, days, agentIds } = options;
  const now = options.now.getTime();
  const random = new Prng(seed);
  let counter = 0;
  const start = now - days * DAY;
  return {
    seed,
    run,
    days,
    now,
    agentIds,
    random,
    suffix: run === 1 ? '' : `-R${run}`,
    numericOffset: (run - 1) * 10_000_000,
    messageId: (label) => `msg_${stableId(seed, run, `${label}:${counter++}`)}`,
    timeIn: (day) => Math.min(start + day * DAY + random.next() * DAY, now - 5 * MINUTE),
  };
}
