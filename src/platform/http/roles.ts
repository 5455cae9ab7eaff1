/**
 * Every route declares the access it needs in its `config` (route metadata); the app refuses to start when a route
 * does not, so none ships without one. The security edge (platform/edge) enforces it on every request with the
 * permission matrix of platform/auth (docs/SECURITY.md "Roles and permissions").
 */
export const ROLES = ['viewer', 'operator', 'admin', 'ingest'] as const;
export type Role = (typeof ROLES)[number];
/**
 * `viewer_or_requester`: a viewer (or operator, admin) key, or an ingest key reading something it asked for itself —
 * an approval its agent waits on (docs/approvals.md). The edge lets every key role through; the route answers 404
 * to an ingest key for anything it did not ask for.
 *
 * `signed`: a webhook from a business system, authenticated inside the route by the sender's signature over the raw
 * body (docs/ingestion-formats.md) — HubSpot subscriptions and Salesforce Outbound Messages cannot send an ORCA API key. No key is
 * needed; one that is presented must still be valid. IP blocking and rate limits (per IP) apply as everywhere.
 */
/**
 * `authenticated`: any valid key, whatever its role — for a route that checks roles itself, per operation it
 * carries (the MCP endpoint, whose tools each need the role of the REST route they mirror: docs/mcp.md).
 */
export type RouteAccess = Role | 'public' | 'signed' | 'authenticated' | 'viewer_or_requester';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}
