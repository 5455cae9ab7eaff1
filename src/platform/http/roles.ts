/**
 * Every route declares the role it needs in its `config` (route metadata). Enforcement lives in the auth
 * layer; until it is wired, declaring the role is still mandatory so that no route ships without one.
 */
export const ROLES = ['viewer', 'operator', 'admin', 'ingest'] as const;
export type Role = (typeof ROLES)[number];
export type RouteAccess = Role | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}
