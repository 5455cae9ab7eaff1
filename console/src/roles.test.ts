import { expect, it } from 'vitest';
import { CONSOLE_PERMISSIONS, can } from './roles.ts';

// Loaded by path at run time: the server module's types belong to ORCA's program (Fastify's), not the console's.
const SERVER_MATRIX = '../../src/platform/auth/permissions.ts';

it('hides exactly what the API refuses: the console matrix is the server matrix without ingest keys, which cannot sign in', async () => {
  const { PERMISSIONS } = (await import(/* @vite-ignore */ SERVER_MATRIX)) as { PERMISSIONS: Record<string, readonly string[]> };
  for (const access of ['viewer', 'operator', 'admin'] as const) {
    expect(CONSOLE_PERMISSIONS[access], access).toEqual(PERMISSIONS[access]!.filter((role) => role !== 'ingest'));
  }
  expect(can('viewer', 'operator')).toBe(false);
  expect(can('operator', 'operator')).toBe(true);
  expect(can('operator', 'admin')).toBe(false);
  expect(can('admin', 'viewer')).toBe(true);
});
