/** Alert rules and the delivery of notifications to receivers. */
import { durationBetween, durationUpTo, integer, onOff, optional, url, webhookSecret, type Setting } from '../parsers.js';

export const ALERTS_SETTINGS = [
  {
    env: 'ALERT_WEBHOOK_URL',
    key: 'alertWebhookUrl',
    default: undefined,
    description:
      'creates (or updates) at start-up the receiver named `webhook`: a Slack incoming webhook when the host is hooks.slack.com, else JSON signed with Standard Webhooks (docs/receivers.md)',
    secret: true,
    parse: optional(url(['http', 'https'])),
  },
  {
    env: 'ALERT_WEBHOOK_SECRET',
    key: 'alertWebhookSecret',
    default: undefined,
    description: 'the Standard Webhooks signing secret (whsec_ + base64 of 24–64 bytes) of the `webhook` receiver; unset → one is generated (set a known one with PATCH /api/v1/receivers/{id})',
    secret: true,
    parse: optional(webhookSecret),
  },
  {
    env: 'ALERTMANAGER_URL',
    key: 'alertmanagerUrl',
    default: undefined,
    description: 'creates (or updates) at start-up the receiver named `alertmanager`: a Prometheus Alertmanager (API v2), by its base URL (docs/receivers.md)',
    parse: optional(url(['http', 'https'])),
  },
  {
    env: 'DELIVERY_RETRIES',
    key: 'deliveryRetries',
    default: '10',
    description: 'retries of a notification delivery after its first attempt (5xx, 408, 429, timeouts, network errors, open breaker) before it is dead-lettered',
    parse: integer(0, 25),
  },
  {
    env: 'DELIVERY_RETRY_DELAY',
    key: 'deliveryRetryDelayMs',
    default: '2s',
    description: 'backoff base d of delivery retries (whole seconds): retry n waits d·2^(n−1) to d·2^n, so the default 10 retries span about 35 to 70 minutes',
    parse: durationBetween(1000, '1s', 3_600_000, '1h'),
  },
  {
    env: 'DELIVERY_CONCURRENCY',
    key: 'deliveryConcurrency',
    default: '20',
    description: 'notification deliveries a worker process sends at once (they mostly wait on receivers); always 1 on the embedded database',
    parse: integer(1, 200),
  },
  {
    env: 'ALERTS_ENABLED',
    key: 'alertsEnabled',
    default: 'true',
    description:
      'false: alert rules are never evaluated (no prompt or scheduled evaluation, no alert signals recorded), so no alert fires and nothing is notified; for measuring what evaluation costs, or a replica set that must stay silent (docs/alerts.md)',
    parse: onOff,
  },
  {
    env: 'ALERTS_EVALUATION_INTERVAL',
    key: 'alertsEvaluationIntervalMs',
    default: '15s',
    description:
      'time between scheduled evaluations of the alert rules (docs/alerts.md); writes that can change an alert also ask for one at once, so this bounds time-based rules (agent_silent, windows closing); whole seconds (rounded up), at most 1h',
    parse: durationUpTo(3_600_000, '1h'),
  },
  {
    env: 'ALERTS_EVALUATION_DEBOUNCE',
    key: 'alertsEvaluationDebounceMs',
    default: '250ms',
    description:
      'writes that can change an alert ask for an evaluation at most once per this window: the first at once, the rest of a burst folded into one at the window\'s end (docs/alerts.md); at most 10s',
    parse: durationUpTo(10_000, '10s'),
  },
  {
    env: 'ALERTS_RESOLVED_RETENTION',
    key: 'alertsResolvedRetentionMs',
    default: '30d',
    description: 'resolved alerts older than this (by when they resolved) are deleted by the scheduled alerts.prune job (docs/alerts.md); at least 1h',
    parse: durationBetween(3_600_000, '1h', 3650 * 86_400_000, '3650d'),
  },
] as const satisfies readonly Setting[];
