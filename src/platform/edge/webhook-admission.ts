/**
 * How a webhook delivery that presents no API key is rate limited (docs/SECURITY.md, "Rate limiting"). Before the
 * route has checked the signature the edge cannot tell a source from a stranger at the same address (a proxy, a
 * vendor's shared egress), so it leaves the count to the route: a delivery whose signature verified is counted
 * against its source's own budget (RATE_LIMIT_WEBHOOK_MAX), one that did not authenticate (unknown source, bad
 * signature) against its address's anonymous budget. Anonymous reads and failed logins from that address then cannot
 * starve the source's deliveries, and failures are still limited per address.
 */
export interface WebhookAdmission {
  /** The signature of `sourceId` verified: counts the delivery for that source; rejects with a 429 AppError beyond its budget. */
  verified(sourceId: string): Promise<void>;
  /** The delivery did not authenticate: counts it for the sender's address; rejects with a 429 AppError beyond that budget. */
  refused(): Promise<void>;
  /**
   * Counts the request for the sender's address before the route checks what it carries, whatever the outcome: a
   * console sign-in (POST /api/v1/session), so that guessing keys is limited per address like any anonymous call.
   */
  anonymous(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the edge on a `signed` route called without an API key; null otherwise. */
    webhookAdmission: WebhookAdmission | null;
  }
}
