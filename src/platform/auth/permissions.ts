import type { Role, RouteAccess } from '../http/roles.js';

/**
 * The permission matrix (docs/SECURITY.md): which key roles may call a route declaring a given access level.
 * Roles are not a strict ladder: `ingest` keys only push data in, and cannot read what they pushed.
 */
export const PERMISSIONS: Readonly<Record<Exclude<RouteAccess, 'public' | 'signed'>, readonly Role[]>> = {
  viewer: ['viewer', 'operator', 'admin'],
  operator: ['operator', 'admin'],
  admin: ['admin'],
  ingest: ['ingest', 'admin'],
  authenticated: ['viewer', 'operator', 'admin', 'ingest'],
  // The route narrows ingest keys to what they asked for (roles.ts).
  viewer_or_requester: ['viewer', 'operator', 'admin', 'ingest'],
};

export function isAllowed(access: RouteAccess, role: Role | undefined): boolean {
  // A signed route authenticates its caller by the webhook signature, whatever key (if any) came along.
  if (access === 'public' || access === 'signed') return true;
  return role !== undefined && PERMISSIONS[access].includes(role);
}
