import type { ReceiverKind } from './receivers.schemas.js';

const REDACTED = '[REDACTED]';
const ALERTMANAGER_ALERTS_PATH = '/api/v2/alerts';

/**
 * The URL as responses and the audit log show it. A receiver URL may carry its credential: a Slack incoming
 * webhook's path is its secret, a query string may hold a token, user info a password. So the path of a Slack URL,
 * every query value and any user info are replaced; the rest (scheme, host, port, other paths) helps an operator see
 * where notifications go.
 */
export function displayUrl(kind: ReceiverKind, raw: string): string {
  const url = new URL(raw);
  const origin = `${url.protocol}//${url.host}`;
  const path = kind === 'slack' ? slackPath(url.pathname) : url.pathname;
  const query = [...url.searchParams.keys()].map((name) => `${encodeURIComponent(name)}=${REDACTED}`).join('&');
  return `${origin}${path}${query ? `?${query}` : ''}`;
}

/** `/services/T000/B000/XXXX` → `/services/[REDACTED]`: the segments after the first are the credential. */
function slackPath(pathname: string): string {
  const first = pathname.split('/').filter(Boolean)[0];
  return first === undefined ? '/' : `/${first}/${REDACTED}`;
}

/**
 * Where a notification is POSTed. An Alertmanager is configured by its base URL (`http://alertmanager:9093`, as
 * Prometheus's `alerting` section names it) or by its full alerts endpoint; both post to `/api/v2/alerts`.
 */
export function deliveryUrl(kind: ReceiverKind, raw: string): string {
  if (kind !== 'alertmanager') return raw;
  const url = new URL(raw);
  const path = url.pathname.replace(/\/+$/, '');
  if (!path.endsWith(ALERTMANAGER_ALERTS_PATH)) url.pathname = `${path}${ALERTMANAGER_ALERTS_PATH}`;
  return url.toString();
}

/** ALERT_WEBHOOK_URL may be a Slack incoming webhook ("Slack-compatible") or any JSON receiver. */
export function kindOfWebhookSetting(raw: string): 'slack' | 'webhook' {
  return new URL(raw).hostname.toLowerCase() === 'hooks.slack.com' ? 'slack' : 'webhook';
}
