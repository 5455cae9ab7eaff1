import { Counter, type Registry } from 'prom-client';
import { RECEIVER_KINDS, type ReceiverKind } from './receivers.schemas.js';

/** What one delivery attempt came to: delivered, failed with a retry scheduled, or given up (dead-lettered). */
export const DELIVERY_OUTCOMES = ['delivered', 'retried', 'dead_lettered'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

export interface ReceiverMetrics {
  delivery(kind: ReceiverKind, outcome: DeliveryOutcome): void;
}

export function registerReceiverMetrics(registry: Registry): ReceiverMetrics {
  const deliveries = new Counter({
    name: 'orca_deliveries_total',
    help: 'Notification delivery attempts by receiver kind and outcome (delivered, retried: failed with a retry scheduled, dead_lettered: given up)',
    labelNames: ['receiver_kind', 'outcome'] as const,
    registers: [registry],
  });
  // Every series exists from the start at 0, so rate() and alerts on dead letters work before the first one.
  for (const kind of RECEIVER_KINDS) for (const outcome of DELIVERY_OUTCOMES) deliveries.inc({ receiver_kind: kind, outcome }, 0);
  return {
    delivery(kind, outcome) {
      deliveries.inc({ receiver_kind: kind, outcome });
    },
  };
}
