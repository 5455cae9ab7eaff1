/**
 * Signs demo deliveries the way each vendor (or the relay ORCA documents for it) signs them, following
 * docs/ingestion-formats.md: the demo goes through the same verification as production traffic, never around it.
 * Standard Webhooks (Zapier, n8n, Make, and the CloudEvents kinds) use the reference `standardwebhooks` library; the
 * other schemes are the vendors' published algorithms over the raw bytes, with node:crypto.
 */
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

export type DemoSourceKind = 'zapier' | 'n8n' | 'make' | 'hubspot' | 'salesforce' | 'servicenow' | 'sap' | 'dynamics365' | 'oracle_erp';

export interface Delivery {
  /** path + query under the ORCA base URL */
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface SignInput {
  kind: DemoSourceKind;
  secret: string;
  /** the source's ingest path, /api/v1/ingest/<id> */
  path: string;
  body: string;
  /** when the request is sent (signature timestamps must be within ORCA's replay window) */
  now: Date;
  /** Standard Webhooks message id: also the idempotency key of the delivery */
  messageId: string;
  /** HubSpot signs the full URL: the source's public_base_url (the demo sets it to the ORCA URL it talks to) */
  publicBaseUrl: string;
}

/** HubSpot v3: these percent-encodings are decoded in the URI before signing (HubSpot, "Validating requests"). */
const HUBSPOT_DECODED = ['%3A', '%2F', '%3F', '%40', '%21', '%24', '%27', '%28', '%29', '%2A', '%2C', '%3B'];

function hubspotUri(base: string, path: string): string {
  let uri = `${base.replace(/\/+$/, '')}${path}`;
  for (const encoded of HUBSPOT_DECODED) {
    const plain = decodeURIComponent(encoded);
    uri = uri.split(encoded).join(plain).split(encoded.toLowerCase()).join(plain);
  }
  return uri;
}

export function signDelivery(input: SignInput): Delivery {
  const { kind, secret, body, now } = input;
  const seconds = String(Math.floor(now.getTime() / 1000));
  switch (kind) {
    case 'zapier':
    case 'n8n':
    case 'make':
    case 'sap': {
      const signature = new Webhook(secret).sign(input.messageId, now, body);
      const contentType = kind === 'sap' ? 'application/cloudevents+json; charset=utf-8' : 'application/json';
      return {
        path: input.path,
        body,
        headers: { 'content-type': contentType, 'webhook-id': input.messageId, 'webhook-timestamp': seconds, 'webhook-signature': signature },
      };
    }
    case 'hubspot': {
      const timestamp = String(now.getTime());
      const signature = createHmac('sha256', secret)
        .update(`POST${hubspotUri(input.publicBaseUrl, input.path)}`)
        .update(body)
        .update(timestamp)
        .digest('base64');
      return {
        path: input.path,
        body,
        headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': timestamp },
      };
    }
    case 'servicenow':
    case 'oracle_erp': {
      const digest = createHmac('sha256', secret).update(`${seconds}.`).update(body).digest();
      return {
        path: input.path,
        body,
        headers:
          kind === 'servicenow'
            ? { 'content-type': 'application/json', 'x-servicenow-signature': digest.toString('hex'), 'x-servicenow-timestamp': seconds }
            : { 'content-type': 'application/json', 'x-oracle-signature': digest.toString('base64'), 'x-oracle-timestamp': seconds },
      };
    }
    case 'dynamics365': {
      // Dataverse signs nothing: the webhook registration carries a shared key, sent as a header (HttpHeader mode).
      const context = JSON.parse(body) as { OrganizationName?: string; PrimaryEntityName?: string; MessageName?: string; RequestId?: string; CorrelationId?: string };
      return {
        path: input.path,
        body,
        headers: {
          'content-type': 'application/json',
          'x-orca-webhook-key': secret,
          'x-request-id': context.RequestId ?? input.messageId,
          'x-ms-dynamics-organization': `${context.OrganizationName ?? 'org'}.crm4.dynamics.com`,
          'x-ms-dynamics-entity-name': context.PrimaryEntityName ?? '',
          'x-ms-dynamics-request-name': context.MessageName ?? '',
          'x-ms-correlation-request-id': context.CorrelationId ?? input.messageId,
        },
      };
    }
    case 'salesforce':
      // Outbound Messages are unsigned: ORCA checks the organisation id allow-list and the endpoint's token parameter.
      return {
        path: `${input.path}?token=${encodeURIComponent(secret)}`,
        body,
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
      };
  }
}
