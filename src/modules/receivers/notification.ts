/**
 * What the alerts module hands to the receivers module: one notification per alert group and receiver. Shared by
 * both sides so that neither imports the other's internals.
 */
export interface AlertInstance {
  /** Stable identity of the alert: a hash of the rule name and its labels. */
  fingerprint: string;
  status: 'firing' | 'resolved';
  /** Prometheus conventions: alertname, severity, the subject's labels (agent_id, source_id…), the rule's labels. */
  labels: Record<string, string>;
  /** summary, description, runbook_url… */
  annotations: Record<string, string>;
  startsAt: string;
  /** Set when resolved. */
  endsAt: string | null;
  /** A link back to ORCA for this alert. */
  generatorURL: string;
}

/**
 * A scheduled report handed to a receiver (the reports module builds it). Webhook receivers get it whole in their
 * envelope; Slack gets the notification's one informational alert, which carries the summary and a link.
 */
export interface ReportAttachment {
  schedule: { id: string; name: string };
  runId: string;
  /** The cron time the run is for. */
  scheduledFor: string;
  kind: string;
  format: 'json' | 'md' | 'csv' | 'html';
  window: string;
  mediaType: string;
  generatedAt: string;
  /** SHA-256 (hex) of `content`'s UTF-8 bytes. */
  sha256: string;
  /**
   * The rendered report as text, JSON included: kept as text because the delivery record stores notifications as
   * jsonb, which would reorder a JSON report's keys and so change the bytes the digest covers.
   */
  content: string;
}

export interface Notification {
  /** Unique per notification: the Standard Webhooks `webhook-id`, so receivers can deduplicate retries. */
  id: string;
  kind: 'alert' | 'test' | 'report';
  /** The receiver's name, as the routing tree names it. */
  receiver: string;
  groupKey: string;
  groupLabels: Record<string, string>;
  status: 'firing' | 'resolved';
  alerts: AlertInstance[];
  correlationId: string | undefined;
  /** Only on `report` notifications. */
  report?: ReportAttachment;
}

/** Where a delivery that exhausted its retries (or got a final 4xx) is reported, e.g. to raise an alert. */
export interface DeadLetteredDelivery {
  deliveryId: string;
  receiver: string;
  receiverKind: 'alertmanager' | 'slack' | 'webhook';
  notificationId: string;
  lastError: string;
  correlationId: string | undefined;
}

/**
 * What the receivers module offers the alerts module (wired in `container.ts`): durable delivery of a notification
 * to the receiver it names, and the receiver names a routing tree may use.
 */
export interface NotificationSink {
  /**
   * Enqueues one durable delivery job for the notification (inside `tx` when given, so it exists only if the
   * caller's write commits). Throws when no receiver has that name.
   */
  enqueue(notification: Notification, options?: { tx?: import('../../platform/db/driver.js').Queryable }): Promise<void>;
  /**
   * `enqueue` for many notifications at once: their delivery rows in one statement and their jobs in another (an
   * evaluation that fires many alerts). Throws, enqueuing none, when a receiver named does not exist.
   */
  enqueueMany(notifications: Notification[], options?: { tx?: import('../../platform/db/driver.js').Queryable }): Promise<void>;
  /** The names of the receivers that exist now. */
  receiverNames(): Promise<string[]>;
  /** Called once per delivery that ends in the dead-letter state. */
  onDeadLettered(listener: (delivery: DeadLetteredDelivery) => Promise<void>): void;
}
