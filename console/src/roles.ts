import type { Schemas } from './api/client.ts';

export type Role = Schemas['Role'];
/** What a route needs, as ORCA's permission matrix names it (docs/SECURITY.md "Roles and permissions"). */
export type Access = 'viewer' | 'operator' | 'admin';

/**
 * ORCA's permission matrix for the roles a console session can have (ingest keys cannot sign in). The console only
 * uses it to hide what the API would refuse; the API checks every call itself. A unit test keeps it equal to the
 * server's table.
 */
export const CONSOLE_PERMISSIONS: Readonly<Record<Access, readonly Role[]>> = {
  viewer: ['viewer', 'operator', 'admin'],
  operator: ['operator', 'admin'],
  admin: ['admin'],
};

export function can(role: Role, access: Access): boolean {
  return CONSOLE_PERMISSIONS[access].includes(role);
}
