import type { Notification } from './notification.js';

/** One element of the body of Alertmanager's `POST /api/v2/alerts` (its `postableAlert`). */
export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  generatorURL: string;
}

/**
 * Alertmanager API v2: the body is an array of alerts, identified by their labels. A firing alert without `endsAt`
 * stays active until Alertmanager's `resolve_timeout`, which is why firing alerts are re-posted while they fire (as
 * Prometheus does); a resolved one carries its `endsAt`, which ends it at once. A resolved alert that lost its end
 * time is ended now rather than left firing.
 */
export function alertmanagerPayload(notification: Notification, now: Date): AlertmanagerAlert[] {
  return notification.alerts.map((alert) => {
    const endsAt = alert.endsAt ?? (alert.status === 'resolved' ? now.toISOString() : undefined);
    return {
      labels: { ...alert.labels },
      annotations: { ...alert.annotations },
      startsAt: alert.startsAt,
      ...(endsAt === undefined ? {} : { endsAt }),
      generatorURL: alert.generatorURL,
    };
  });
}
