import { Webhook } from 'standardwebhooks';
import type { Notification } from './notification.js';

/** The body every webhook receiver gets, whatever the notification: one envelope, versioned. */
export interface WebhookEnvelope {
  type: 'orca.notification';
  version: 1;
  id: string;
  kind: Notification['kind'];
  receiver: string;
  status: Notification['status'];
  group_key: string;
  group_labels: Record<string, string>;
  alerts: Array<{
    fingerprint: string;
    status: 'firing' | 'resolved';
    labels: Record<string, string>;
    annotations: Record<string, string>;
    starts_at: string;
    ends_at: string | null;
    generator_url: string;
  }>;
  correlation_id: string | null;
}

/**
 * The envelope holds nothing that changes between attempts (no send time: that is `webhook-timestamp`), so a
 * receiver deduplicating by `webhook-id` sees the same body on every retry.
 */
export function webhookPayload(notification: Notification): WebhookEnvelope {
  return {
    type: 'orca.notification',
    version: 1,
    id: notification.id,
    kind: notification.kind,
    receiver: notification.receiver,
    status: notification.status,
    group_key: notification.groupKey,
    group_labels: { ...notification.groupLabels },
    alerts: notification.alerts.map((alert) => ({
      fingerprint: alert.fingerprint,
      status: alert.status,
      labels: { ...alert.labels },
      annotations: { ...alert.annotations },
      starts_at: alert.startsAt,
      ends_at: alert.endsAt,
      generator_url: alert.generatorURL,
    })),
    correlation_id: notification.correlationId ?? null,
  };
}

/**
 * Standard Webhooks headers over the exact bytes sent: `webhook-id` (the notification's id, so a receiver can drop
 * a retry it already processed), `webhook-timestamp` (seconds; receivers refuse old ones against replay) and
 * `webhook-signature` (`v1,<base64 HMAC-SHA256 of id.timestamp.body>`), made by the reference library.
 */
export function standardWebhookHeaders(secret: string, id: string, at: Date, body: string): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, body),
  };
}
