import type { OutboundRequest } from '../../platform/outbound/index.js';
import { alertmanagerPayload } from './alertmanager-payload.js';
import type { Notification } from './notification.js';
import { deliveryUrl } from './receiver-url.js';
import type { ReceiverKind } from './receivers.schemas.js';
import { slackPayload } from './slack-payload.js';
import { standardWebhookHeaders, webhookPayload } from './webhook-payload.js';

/** A receiver with its sealed fields opened: held in memory only for the time of one send. */
export interface OpenedReceiver {
  id: string;
  name: string;
  kind: ReceiverKind;
  url: string;
  secret: string | null;
  token: string | null;
  headers: Record<string, string>;
}

/**
 * The HTTP request that delivers `notification` to `receiver`, through the builder of its kind. Built afresh for
 * every attempt: the Standard Webhooks timestamp (and so the signature) is the attempt's, the body is the same.
 */
export function receiverRequest(receiver: OpenedReceiver, notification: Notification, now: Date): Pick<OutboundRequest, 'url' | 'method' | 'headers' | 'body'> {
  const headers: Record<string, string> = { ...receiver.headers, 'content-type': 'application/json' };
  if (receiver.token !== null) headers.authorization = `Bearer ${receiver.token}`;
  let body: string;
  switch (receiver.kind) {
    case 'alertmanager':
      body = JSON.stringify(alertmanagerPayload(notification, now));
      break;
    case 'slack':
      body = JSON.stringify(slackPayload(notification));
      break;
    case 'webhook':
      body = JSON.stringify(webhookPayload(notification));
      if (receiver.secret !== null) Object.assign(headers, standardWebhookHeaders(receiver.secret, notification.id, now, body));
      break;
  }
  return { url: deliveryUrl(receiver.kind, receiver.url), method: 'POST', headers, body };
}
