import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { SourceKind } from '../../../src/modules/ingest/adapters/index.js';
import type { Clock } from '../../../src/platform/clock.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets, type DatabaseTarget } from '../../helpers/db.js';
import { standardWebhooksSecret, type SignedDelivery } from '../../fixtures/ingest/sign.js';

export type Json = Record<string, unknown>;

/** A clock the test moves by hand (rotation overlaps, replay windows): no sleeping. */
export interface TestClock extends Clock {
  set(at: Date): void;
  advance(ms: number): void;
}

export function testClock(start = new Date()): TestClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    set: (at) => {
      current = at.getTime();
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

/** Like describeEachDatabase, with the app's clock in the test's hands. */
export function describeIngest(name: string, suite: (ctx: () => TestApp, clock: TestClock, target: DatabaseTarget) => void): void {
  for (const target of databaseTargets) {
    describe(`${name} [${target.name}]`, () => {
      const clock = testClock();
      let testApp: TestApp | undefined;
      beforeAll(async () => {
        testApp = await createTestApp(target, {}, { clock });
      });
      afterAll(async () => {
        await testApp?.close();
      });
      suite(
        () => {
          if (!testApp) throw new Error('test app not built');
          return testApp;
        },
        clock,
        target,
      );
    });
  }
}

const STANDARD_WEBHOOKS: readonly SourceKind[] = ['zapier', 'n8n', 'make', 'generic', 'sap', 'cloudevents'];

export function secretFor(kind: SourceKind): string {
  return STANDARD_WEBHOOKS.includes(kind) ? standardWebhooksSecret() : `shared-${randomBytes(18).toString('hex')}`;
}

export async function createSource(
  t: TestApp,
  kind: SourceKind,
  extra: { options?: Json; mapping?: Json; toleranceSeconds?: number } = {},
): Promise<{ id: string; secret: string }> {
  const secret = secretFor(kind);
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/sources',
    headers: t.as('admin'),
    payload: {
      kind,
      name: `${kind}-${randomBytes(4).toString('hex')}`,
      secret,
      signing: { options: extra.options ?? {}, ...(extra.toleranceSeconds ? { tolerance_seconds: extra.toleranceSeconds } : {}) },
      ...(extra.mapping ? { mapping: extra.mapping } : {}),
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return { id: (response.json() as { id: string }).id, secret };
}

/** Sends a signed delivery as the vendor would (no ORCA key: `role` 'none'), or with a key of the given role. */
export async function deliver(t: TestApp, delivery: SignedDelivery, role: 'ingest' | 'admin' | 'viewer' | 'none' = 'ingest') {
  return t.app.inject({
    method: delivery.method as 'POST',
    url: delivery.url,
    headers: { ...delivery.headers, ...(role === 'none' ? {} : t.as(role)) },
    payload: delivery.body,
  });
}

export async function eventsOf(t: TestApp, sourceId: string) {
  const { rows } = await t.container.db.query<{
    id: string;
    event_type: string;
    entity_type: string;
    entity_id: string;
    idempotency_key: string;
    payload_hash: string;
    occurred_at: Date;
  }>('select id, event_type, entity_type, entity_id, idempotency_key, payload_hash, occurred_at from event where source_id = $1 order by id', [sourceId]);
  return rows;
}
