/**
 * Test data for trust, KPIs and reports. Agents and incidents go through the API; runs, decisions, events and
 * sync gaps are written with SQL straight into the tables of the modules that own them (ingest, policies, sync),
 * because the tests need rows at exact past times that those modules' APIs stamp with "now".
 */
import { randomUUID } from 'node:crypto';
import type { TestApp } from '../../helpers/app.js';

export const DAY = 86_400_000;

/** A settable clock, starting at the current second (agent_event.at is stamped by the database with now()). */
export function testClock(): { now(): Date; set(date: Date): void; advance(ms: number): void; start: Date } {
  const start = new Date(Math.floor(Date.now() / 1000) * 1000);
  let current = start;
  return {
    start,
    now: () => current,
    set: (date) => {
      current = date;
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
}

export async function createAgent(ctx: TestApp, body: Record<string, unknown> = {}): Promise<{ id: string; name: string }> {
  const response = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/agents',
    headers: ctx.as('operator'),
    payload: { name: `agent-${randomUUID().slice(0, 8)}`, kind: 'llm_agent', ...body },
  });
  if (response.statusCode !== 201) throw new Error(`agent not created: ${response.body}`);
  return response.json();
}

/** `total` runs of the agent started at `at` (received at `receivedAt`), the first `success` successful, the rest errors (SQL). */
export async function insertRuns(ctx: TestApp, agentId: string, at: Date, total: number, success: number, receivedAt: Date = at): Promise<void> {
  await ctx.container.db.query(
    `insert into run (id, agent_id, started_at, duration_ms, outcome, received_at)
     select gen_random_uuid(), $1, $2, 100, case when g <= $3 then 'success' else 'error' end, $5 from generate_series(1, $4) g`,
    [agentId, at, success, total, receivedAt],
  );
}

/** `total` decisions at `at`, the first `compliant` of them compliant; each non-compliant one avoided `avoidedUsd` (SQL). */
export async function insertDecisions(
  ctx: TestApp,
  agentId: string | null,
  at: Date,
  total: number,
  compliant: number,
  avoidedUsd = 0,
): Promise<void> {
  await ctx.container.db.query(
    `insert into decision (id, at, agent_id, action, resource, classification, decision, violations, max_severity, compliant,
                           latency_us, policy_version, mode, risk_avoided_usd, facts)
     select gen_random_uuid(), $2, $1, 'read', 'crm', 'internal',
            case when g <= $3 then 'allow' else 'deny' end,
            case when g <= $3 then '[]'::jsonb else '[{"rule":"pii","severity":"high","detail":"test"}]'::jsonb end,
            case when g <= $3 then null else 'high' end,
            g <= $3, 50, 1, 'enforce', case when g <= $3 then 0 else $5::numeric end, '{}'::jsonb
       from generate_series(1, $4) g`,
    [agentId, at, compliant, total, avoidedUsd],
  );
}

export interface GapInput {
  type?: string;
  severity?: string;
  contract?: string | null;
  stream?: string | null;
  agent_id?: string | null;
  entity_type?: string | null;
  entity_id?: string | null;
  detected_at: Date;
  due_at?: Date | null;
  resolved_at?: Date | null;
  resolution?: 'auto' | 'manual' | null;
  cost_usd?: number;
  detail?: Record<string, unknown>;
}

/** A sync gap (SQL). Returns its id. */
export async function insertGap(ctx: TestApp, gap: GapInput): Promise<string> {
  const id = randomUUID();
  await ctx.container.db.query(
    `insert into sync_gap (id, type, severity, contract, stream, rule, entity_type, entity_id, agent_id, detected_at, due_at, resolved_at, resolution, cost_usd, detail)
     values ($1::uuid, $2, $3, $4, $5, 'test-rule-' || $1::text, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb)`,
    [
      id,
      gap.type ?? 'missing_record',
      gap.severity ?? 'high',
      gap.contract ?? 'orders',
      gap.stream ?? null,
      gap.entity_type ?? null,
      gap.entity_id ?? null,
      gap.agent_id ?? null,
      gap.detected_at,
      gap.due_at ?? null,
      gap.resolved_at ?? null,
      gap.resolution ?? (gap.resolved_at ? 'auto' : null),
      gap.cost_usd ?? 0,
      JSON.stringify(gap.detail ?? {}),
    ],
  );
  return id;
}

/** Events for entities `ids` of `entityType` received at `at` (SQL; one source row is created on first use). */
export async function insertEvents(ctx: TestApp, entityType: string, ids: string[], at: Date): Promise<void> {
  const db = ctx.container.db;
  const { rows } = await db.query<{ id: string }>(`select id from source where name = 'trust-test-source'`);
  let sourceId = rows[0]?.id;
  if (!sourceId) {
    sourceId = randomUUID();
    await db.query(`insert into source (id, kind, name, secret_ciphertext) values ($1, 'generic', 'trust-test-source', 'x')`, [sourceId]);
  }
  await db.query(
    `insert into event (id, source_id, idempotency_key, payload_hash, event_type, entity_type, entity_id, occurred_at, received_at, payload)
     select gen_random_uuid(), $1, gen_random_uuid()::text, 'h', 'updated', $2, e, $3, $3, '{}'::jsonb from unnest($4::text[]) e`,
    [sourceId, entityType, at, ids],
  );
}

export async function openIncident(ctx: TestApp, body: Record<string, unknown>): Promise<{ id: string }> {
  const response = await ctx.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: ctx.as('operator'), payload: body });
  if (response.statusCode !== 201) throw new Error(`incident not opened: ${response.body}`);
  return response.json();
}

/**
 * Moves an agent's registration (created_at and its lifecycle history rows of `action`, default the `register`
 * row) to `at` by SQL: the API stamps them with the database's now(), the tests need a past registry.
 */
export async function backdateAgentEvent(ctx: TestApp, agentId: string, at: Date, action = 'register'): Promise<void> {
  if (action === 'register') await ctx.container.db.query('update agent set created_at = $2 where id = $1', [agentId, at]);
  const { rowCount } = await ctx.container.db.query('update agent_event set at = $3 where agent_id = $1 and action = $2', [agentId, action, at]);
  if (!rowCount) throw new Error(`agent ${agentId} has no ${action} event`);
}
