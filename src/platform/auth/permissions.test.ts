import { describe, expect, it } from 'vitest';
import { ROLES, type Role, type RouteAccess } from '../http/roles.js';
import { PERMISSIONS, isAllowed } from './permissions.js';

/**
 * The permission matrix of docs/SECURITY.md, written out by hand: one row per route access level, one column per
 * caller (four key roles and "no key"). `ingest` is not a rung on the ladder.
 */
const MATRIX: Record<RouteAccess, Record<Role | 'none', boolean>> = {
  public: { admin: true, operator: true, viewer: true, ingest: true, none: true },
  // The webhook signature decides inside the route; at the edge any caller passes (a presented key must be valid).
  signed: { admin: true, operator: true, viewer: true, ingest: true, none: true },
  viewer: { admin: true, operator: true, viewer: true, ingest: false, none: false },
  operator: { admin: true, operator: true, viewer: false, ingest: false, none: false },
  admin: { admin: true, operator: false, viewer: false, ingest: false, none: false },
  ingest: { admin: true, operator: false, viewer: false, ingest: true, none: false },
  // Any valid key; the route checks each operation's role itself (the MCP endpoint).
  authenticated: { admin: true, operator: true, viewer: true, ingest: true, none: false },
  // Every key role passes the edge; the route answers an ingest key only about what it asked for (an approval).
  viewer_or_requester: { admin: true, operator: true, viewer: true, ingest: true, none: false },
};

const CASES = (Object.entries(MATRIX) as Array<[RouteAccess, Record<Role | 'none', boolean>]>).flatMap(([access, row]) =>
  (Object.entries(row) as Array<[Role | 'none', boolean]>).map(([caller, allowed]) => [access, caller, allowed] as const),
);

describe('permission matrix', () => {
  it('knows exactly the four key roles', () => {
    expect([...ROLES].sort()).toEqual(['admin', 'ingest', 'operator', 'viewer']);
  });

  it('has 40 cells (8 access levels × 4 roles + no key)', () => {
    expect(CASES).toHaveLength(40);
  });

  it.each(CASES)('a %s route called by %s → allowed %s', (access, caller, allowed) => {
    expect(isAllowed(access, caller === 'none' ? undefined : caller)).toBe(allowed);
  });

  it('PERMISSIONS lists exactly the roles of the hand-written matrix for every protected access level', () => {
    const expected = Object.fromEntries(
      (Object.entries(MATRIX) as Array<[RouteAccess, Record<Role | 'none', boolean>]>)
        .filter(([access]) => access !== 'public' && access !== 'signed')
        .map(([access, row]) => [access, ROLES.filter((role) => row[role]).sort()]),
    );
    const actual = Object.fromEntries(Object.entries(PERMISSIONS).map(([access, roles]) => [access, [...roles].sort()]));
    expect(actual).toEqual(expected);
  });

  it('refuses values outside the closed set of roles (e.g. a role read from a tampered row)', () => {
    for (const access of ['viewer', 'operator', 'admin', 'ingest'] as const) {
      expect(isAllowed(access, 'root' as Role)).toBe(false);
      expect(isAllowed(access, '' as Role)).toBe(false);
      expect(isAllowed(access, 'ADMIN' as Role)).toBe(false);
    }
  });
});
