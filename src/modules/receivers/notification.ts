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

export interface Notification {
  /** Unique per notification: the Standard Webhooks `webhook-id`, so receivers can deduplicate retries. */
  id: string;
  kind: 'alert' | 'test';
  /** The receiver's name, as the routing tree names it. */
  receiver: string;
  groupKey: string;
  groupLabels: Record<string, string>;
  status: 'firing' | 'resolved';
  alerts: AlertInstance[];
  correlationId: string | undefined;
}
