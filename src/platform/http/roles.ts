/**
 * Every route declares the role it needs in its `config` (route metadata). Enforcement lives in the auth
 * layer; until it is wired, declaring the role is still mandatory so that no route ships without one.
 */
export const ROLES = ['viewer', 'operator', 'admin', 'ingest'] as const;
export type Role = (typeof ROLES)[number];
/**
 * `signed`: a webhook from a business system, authenticated inside the route by the sender's signature over the raw
 * body (SPEC §5) — HubSpot subscriptions and Salesforce Outbound Messages cannot send an ORCA API key. No key is
 * needed; one that is presented must still be valid. IP blocking and rate limits (per IP) apply as everywhere.
 */
export type RouteAccess = Role | 'public' | 'signed';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}
