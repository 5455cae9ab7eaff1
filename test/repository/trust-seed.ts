/**
 * Rows for the trust repository tier, written with SQL straight into the tables (the modules' APIs stamp rows
 * with "now"; these tests need rows at exact instants around a fixed NOW). Only the columns a table requires and
 * the ones trust reads are set.
 */
import type { Queryable } from '../../src/platform/db/index.js';

export const NOW = new Date('2025-03-10T12:00:00.000Z');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** NOW shifted by `ms` (negative: in the past). */
export const at = (ms: number): Date => new Date(NOW.getTime() + ms);

/** A fixed UUID whose order follows `n`, so that "order by id" is predictable. */
export const uuid = (n: number): string => `00000000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

export async function insertAgent(
  db: Queryable,
  agent: { id: string; name?: string; status?: string; classification?: string; createdAt?: Date },
): Promise<void> {
  await db.query(
    `insert into agent (id, name, kind, source, fingerprint, status, classification, created_at)
     values ($1, $2, 'llm_agent', 'manual', 'f', $3, $4, $5)`,
    [agent.id, agent.name ?? `agent-${agent.id.slice(-4)}`, agent.status ?? 'active', agent.classification ?? 'internal', agent.createdAt ?? at(-100 * DAY)],
  );
}

export async function insertAgentEvent(db: Queryable, event: { agentId: string; action: string; toStatus: string; at: Date; id?: string }): Promise<void> {
  await db.query(
    `insert into agent_event (id, agent_id, action, to_status, actor, at) values (coalesce($5::uuid, gen_random_uuid()), $1, $2, $3, 'test', $4)`,
    [event.agentId, event.action, event.toStatus, event.at, event.id ?? null],
  );
}

/** `success` successful and `failed` failed runs of the agent started at `startedAt`, received at `receivedAt`. */
export async function insertRuns(db: Queryable, agentId: string, startedAt: Date, success: number, failed = 0, receivedAt: Date = startedAt): Promise<void> {
  await db.query(
    `insert into run (id, agent_id, started_at, duration_ms, outcome, received_at)
     select gen_random_uuid(), $1, $2, 100, case when g <= $3 then 'success' else 'error' end, $5 from generate_series(1, $4::int) g`,
    [agentId, startedAt, success, success + failed, receivedAt],
  );
}

/** `compliant` compliant decisions and `blocked` non-compliant ones at `at`, each blocked one avoiding `avoidedUsd`. */
export async function insertDecisions(db: Queryable, agentId: string | null, when: Date, compliant: number, blocked = 0, avoidedUsd = 0): Promise<void> {
  await db.query(
    `insert into decision (id, at, agent_id, action, resource, classification, decision, compliant, latency_us, policy_version, mode, risk_avoided_usd, facts)
     select gen_random_uuid(), $2, $1, 'read', 'crm', 'internal', case when g <= $3 then 'allow' else 'deny' end, g <= $3, 50, 1, 'enforce',
            case when g <= $3 then 0 else $5::numeric end, '{}'::jsonb
       from generate_series(1, $4::int) g`,
    [agentId, when, compliant, compliant + blocked, avoidedUsd],
  );
}

export async function insertIncident(
  db: Queryable,
  incident: { agentId?: string | null; severity: string; openedAt: Date; resolvedAt?: Date | null; resolvedBy?: 'auto' | 'human' },
): Promise<void> {
  const resolved = Boolean(incident.resolvedAt);
  await db.query(
    `insert into incident (id, agent_id, kind, severity, status, resolved_by, opened_by, opened_at, resolved_at)
     values (gen_random_uuid(), $1, 'test', $2, $3, $4, 'test', $5, $6)`,
    [incident.agentId ?? null, incident.severity, resolved ? 'resolved' : 'open', resolved ? (incident.resolvedBy ?? 'human') : null, incident.openedAt, incident.resolvedAt ?? null],
  );
}

export async function insertGap(
  db: Queryable,
  gap: {
    detectedAt: Date;
    type?: string;
    severity?: string;
    contract?: string | null;
    stream?: string | null;
    agentId?: string | null;
    entityType?: string | null;
    entityId?: string | null;
    dueAt?: Date | null;
    resolvedAt?: Date | null;
    resolution?: 'auto' | 'manual' | null;
    costUsd?: number;
    detail?: Record<string, unknown>;
  },
): Promise<void> {
  await db.query(
    `insert into sync_gap (id, type, severity, contract, stream, rule, entity_type, entity_id, agent_id, detected_at, due_at, resolved_at, resolution, cost_usd, detail)
     values (gen_random_uuid(), $1, $2, $3, $4, 'rule-' || gen_random_uuid()::text, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb)`,
    [
      gap.type ?? 'missing_record',
      gap.severity ?? 'high',
      gap.contract === undefined ? 'orders' : gap.contract,
      gap.stream ?? null,
      gap.entityType ?? null,
      gap.entityId ?? null,
      gap.agentId ?? null,
      gap.detectedAt,
      gap.dueAt ?? null,
      gap.resolvedAt ?? null,
      gap.resolution ?? (gap.resolvedAt ? 'auto' : null),
      gap.costUsd ?? 0,
      JSON.stringify(gap.detail ?? {}),
    ],
  );
}

/** Events about entities `ids` of `entityType`, received at `receivedAt` (one source row, created on first use). */
export async function insertEvents(db: Queryable, entityType: string, ids: string[], receivedAt: Date): Promise<void> {
  const source = uuid(0xeeee);
  await db.query(`insert into source (id, kind, name, secret_ciphertext) values ($1, 'generic', 'repository-test', 'x') on conflict do nothing`, [source]);
  await db.query(
    `insert into event (id, source_id, idempotency_key, payload_hash, event_type, entity_type, entity_id, occurred_at, received_at, payload)
     select gen_random_uuid(), $1, gen_random_uuid()::text, 'h', 'updated', $2, e, $3, $3, '{}'::jsonb from unnest($4::text[]) e`,
    [source, entityType, receivedAt, ids],
  );
}

/** An approval (approvals module) with the fields RA$ reads: its status, when it closed or expires, its held risk. */
export async function insertApproval(
  db: Queryable,
  approval: { status: 'pending' | 'approved' | 'denied' | 'expired'; expiresAt: Date; decidedAt?: Date; riskCostUsd: number; agentId?: string },
): Promise<void> {
  await db.query(
    `insert into approval (id, agent_id, action, resource, classification, rule, policy_version, requested_by, status, decided_at, expires_at,
                           risk_cost_usd, created_at, updated_at)
     values (gen_random_uuid(), $1, 'transfer_funds', 'bank', 'internal', 'approval_required', 0, 'k', $2, $3, $4, $5, $6, $6)`,
    [approval.agentId ?? uuid(0xa9), approval.status, approval.decidedAt ?? null, approval.expiresAt, approval.riskCostUsd, approval.decidedAt ?? NOW],
  );
}

/** Every table the trust module reads or writes: emptied before each test. */
export const TRUST_TABLES = [
  'approval',
  'trust_snapshot',
  'kpi_snapshot',
  'trust_rollup_day',
  'trust_rollup_state',
  'incident',
  'sync_gap',
  'run',
  'decision',
  'event',
  'source',
  'agent_event',
  'agent',
] as const;
