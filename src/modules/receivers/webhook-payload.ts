import { Webhook } from 'standardwebhooks';
import type { Notification, ReportAttachment } from './notification.js';

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
 * The body a webhook receiver gets for a scheduled report: the report itself, whole, with what identifies the run
 * (docs/reports.md "Delivery"). A JSON report is embedded as an object; Markdown, CSV and HTML as a string.
 */
export interface ReportEnvelope {
  type: 'orca.report';
  version: 1;
  id: string;
  receiver: string;
  schedule: { id: string; name: string };
  run_id: string;
  scheduled_for: string;
  report: { kind: string; format: ReportAttachment['format']; window: string; media_type: string; generated_at: string; sha256: string; content: unknown };
  correlation_id: string | null;
}

export function reportEnvelope(notification: Notification, report: ReportAttachment): ReportEnvelope {
  return {
    type: 'orca.report',
    version: 1,
    id: notification.id,
    receiver: notification.receiver,
    schedule: { id: report.schedule.id, name: report.schedule.name },
    run_id: report.runId,
    scheduled_for: report.scheduledFor,
    report: {
      kind: report.kind,
      format: report.format,
      window: report.window,
      media_type: report.mediaType,
      generated_at: report.generatedAt,
      sha256: report.sha256,
      // A JSON report travels as the object (parsed from its text, so its keys keep their order); others as text.
      content: report.format === 'json' ? (JSON.parse(report.content) as unknown) : report.content,
    },
    correlation_id: notification.correlationId ?? null,
  };
}

/**
 * The envelope holds nothing that changes between attempts (no send time: that is `webhook-timestamp`), so a
 * receiver deduplicating by `webhook-id` sees the same body on every retry.
 */
export function webhookPayload(notification: Notification): WebhookEnvelope | ReportEnvelope {
  if (notification.kind === 'report' && notification.report) return reportEnvelope(notification, notification.report);
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
