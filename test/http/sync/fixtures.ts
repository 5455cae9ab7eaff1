import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { Clock } from '../../../src/platform/clock.js';
import type { StoredEvent } from '../../../src/modules/ingest/index.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets, type DatabaseTarget } from '../../helpers/db.js';

/** A clock the test moves by hand: SLOs and deadlines are tested without sleeping. */
export interface ManualClock extends Clock {
  set(at: Date | string): void;
  advance(ms: number): Date;
}

export function manualClock(start: string): ManualClock {
  let current = new Date(start);
  return {
    now: () => new Date(current.getTime()),
    set(at) {
      current = new Date(at);
    },
    advance(ms) {
      current = new Date(current.getTime() + ms);
      return new Date(current.getTime());
    },
  };
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export interface SyncTestContext {
  t: TestApp;
  clock: ManualClock;
}

/**
 * Like describeEachDatabase, with a manual clock injected into the container and the background sweep pushed
 * out of the way (tests run sweeps themselves, at the instants they choose).
 */
export function describeSyncSuite(name: string, start: string, suite: (ctx: () => SyncTestContext, target: DatabaseTarget) => void): void {
  for (const target of databaseTargets) {
    describe(`${name} [${target.name}]`, () => {
      let context: SyncTestContext | undefined;
      beforeAll(async () => {
        const clock = manualClock(start);
        const t = await createTestApp(target, { SYNC_SWEEP_INTERVAL: '1d' }, { clock });
        context = { t, clock };
      });
      afterAll(async () => {
        await context?.t.close();
      });
      suite(() => {
        if (!context) throw new Error('test app not built');
        return context;
      }, target);
    });
  }
}

export async function createAgent(t: TestApp, name = `agent-${randomUUID().slice(0, 8)}`): Promise<string> {
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/agents', headers: t.as('operator'), payload: { name, kind: 'workflow' } });
  expect(response.statusCode).toBe(201);
  return (response.json() as { id: string }).id;
}

export async function putContracts(t: TestApp, document: unknown): Promise<{ version: number }> {
  const response = await t.app.inject({ method: 'PUT', url: '/api/v1/sync/contracts', headers: t.as('operator'), payload: document as object });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { version: number };
}

export const SOURCE_IDS: Record<string, string> = {
  zapier: '0190c0de-0000-7000-8000-000000000001',
  n8n: '0190c0de-0000-7000-8000-000000000002',
  hubspot: '0190c0de-0000-7000-8000-000000000003',
  salesforce: '0190c0de-0000-7000-8000-000000000004',
  servicenow: '0190c0de-0000-7000-8000-000000000005',
};

/** A stored event as the ingest module hands it to the observer. */
export function storedEvent(clock: Clock, values: Partial<StoredEvent> & Pick<StoredEvent, 'source_kind' | 'event_type' | 'entity_type' | 'entity_id'>): StoredEvent {
  const now = clock.now();
  return {
    id: randomUUID(),
    source_id: SOURCE_IDS[values.source_kind] ?? randomUUID(),
    occurred_at: now,
    received_at: now,
    sequence: null,
    agent_id: null,
    correlation_id: null,
    payload: {},
    ...values,
  };
}

export interface GapJson {
  id: string;
  type: string;
  severity: string;
  status: 'open' | 'resolved';
  contract: string | null;
  stream: string | null;
  rule: string;
  entity_type: string | null;
  entity_id: string | null;
  agent_id: string | null;
  detected_at: string;
  due_at: string | null;
  resolved_at: string | null;
  resolution: 'auto' | 'manual' | null;
  resolved_by: string | null;
  resolution_reason: string | null;
  risk_kind: string | null;
  cost_usd: number;
  detail: Record<string, unknown>;
}

export async function gapsOf(t: TestApp, query: Record<string, string>): Promise<GapJson[]> {
  const response = await t.app.inject({ method: 'GET', url: '/api/v1/sync/gaps', query: { limit: '200', ...query }, headers: t.as('viewer') });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { items: GapJson[] }).items;
}

export interface FreshnessJson {
  contract: string;
  stream: string;
  source: string;
  entity_type: string;
  agent_id: string;
  last_event_at: string | null;
  lag_seconds: number | null;
  slo_seconds: number;
  status: 'within_slo' | 'stale' | 'no_data';
  open_gaps: number;
}

export async function freshnessOf(t: TestApp): Promise<{ at: string; contracts_version: number; items: FreshnessJson[] }> {
  const response = await t.app.inject({ method: 'GET', url: '/api/v1/sync/freshness', headers: t.as('viewer') });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { at: string; contracts_version: number; items: FreshnessJson[] };
}
