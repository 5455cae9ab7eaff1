import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { decodeCursor, pageOf } from '../../platform/http/cursor.js';
import type { Actor } from '../../platform/http/actor.js';
import type { AuditService } from '../audit/index.js';
import type { ActiveContractsStore } from './active-contracts.js';
import { freshnessOf } from './analyzer.js';
import { ownersOf, validateContractDocument, type ContractDocument } from './contract.js';
import { activeRuleKeys } from './sync.engine.js';
import type { GapRow, SyncRepository } from './sync.repository.js';
import type { ContractsVersion, FreshnessReport, Gap, GapQuery } from './sync.schemas.js';

export interface StreamStatus {
  contract: string;
  stream: string;
  agent_id: string;
  /** Fresh (within its SLO) — the freshness component of trust also looks at `open_gaps`. */
  within_slo: boolean;
  status: 'within_slo' | 'stale' | 'no_data';
  open_gaps: number;
}

export function toGap(row: GapRow): Gap {
  return {
    id: row.id,
    type: row.type,
    severity: row.severity,
    status: row.resolved_at ? 'resolved' : 'open',
    contract: row.contract,
    stream: row.stream,
    rule: row.rule,
    entity_type: row.entity_type,
    entity_id: row.entity_id,
    agent_id: row.agent_id,
    detected_at: row.detected_at.toISOString(),
    due_at: row.due_at?.toISOString() ?? null,
    resolved_at: row.resolved_at?.toISOString() ?? null,
    resolution: row.resolution,
    resolved_by: row.resolved_by,
    resolution_reason: row.resolution_reason,
    risk_kind: row.risk_kind,
    cost_usd: Number(row.cost_usd),
    detail: row.detail,
  };
}

export function createSyncService(deps: {
  db: Database;
  repository: SyncRepository;
  contracts: ActiveContractsStore;
  audit: Pick<AuditService, 'append'>;
  clock: Clock;
}) {
  const { db, repository, audit, clock } = deps;

  async function freshness(now: Date): Promise<FreshnessReport> {
    const active = await deps.contracts.get();
    const [states, gaps] = await Promise.all([repository.streamStates(), repository.openGapsByStream()]);
    const stateOf = new Map(states.map((row) => [`${row.contract}\u0000${row.stream}`, row]));
    const gapsOf = new Map(gaps.map((row) => [`${row.contract}\u0000${row.stream}`, Number(row.count)]));
    const items: FreshnessReport['items'] = [];
    for (const contract of active.contracts) {
      for (const stream of contract.streams) {
        const id = `${contract.name}\u0000${stream.name}`;
        const last = stateOf.get(id)?.last_event_at ?? null;
        const result = freshnessOf(stream, last, active.activated_at, now);
        items.push({
          contract: contract.name,
          stream: stream.name,
          source: 'id' in stream.source ? stream.source.id : stream.source.kind,
          entity_type: stream.entity_type,
          agent_id: contract.owner,
          last_event_at: last?.toISOString() ?? null,
          lag_seconds: result.lag_seconds,
          slo_seconds: stream.freshness_ms / 1000,
          status: result.status,
          open_gaps: gapsOf.get(id) ?? 0,
        });
      }
    }
    return { at: now.toISOString(), contracts_version: active.version, items };
  }

  return {
    async getContracts(version?: number): Promise<ContractsVersion> {
      const record = version === undefined ? await repository.latestContractVersion() : await repository.contractVersion(version);
      if (!record) throw version === undefined ? notFound('a sync contracts document (none was written yet)') : notFound(`sync contracts version ${version}`);
      return { version: record.version, format: record.format, created_by: record.created_by, created_at: record.created_at.toISOString(), document: record.document };
    },

    /** Validates, checks every owner agent exists, stores a new version and activates it (audited). */
    async putContracts(actor: Actor, input: unknown, format: 'yaml' | 'json'): Promise<ContractsVersion> {
      const result = validateContractDocument(input, '/body');
      if (!result.ok) {
        throw new AppError('validation_failed', `the contracts document is invalid: ${result.errors[0]!.path} ${result.errors[0]!.message}`, { errors: result.errors });
      }
      const document: ContractDocument = result.document;
      const record = await db.transaction(async (tx) => {
        const owners = ownersOf(document);
        const existing = await repository.existingAgents(owners.map((owner) => owner.id), tx);
        const missing = owners.filter((owner) => !existing.has(owner.id));
        if (missing.length > 0) {
          throw new AppError('unprocessable', `owner agent ${missing[0]!.id} does not exist`, {
            errors: missing.map((owner) => ({ path: `/body${owner.path}`, message: `no agent with id ${owner.id}` })),
          });
        }
        const previous = await repository.latestContractVersion(tx);
        const written = await repository.insertContractVersion(tx, {
          document,
          format,
          created_by: actor.id,
          correlation_id: actor.correlationId,
          created_at: clock.now(),
        });
        // Gaps of a contract or rule this version removes can no longer close by themselves: close them, saying why.
        const keep = activeRuleKeys(result.contracts);
        const removed = (await repository.openAttributedGaps(tx)).filter((gap) => !keep.has(`${gap.contract}\u0000${gap.rule}`));
        const closed = await repository.autoResolveIds(
          tx,
          removed.map((gap) => gap.id),
          clock.now(),
          { closed_because: 'rule_removed', contracts_version: written.version },
        );
        await audit.append(tx, {
          actor: actor.id,
          action: 'sync.contracts.update',
          target: `sync_contracts:${written.version}`,
          before: previous ? { version: previous.version } : null,
          after: { version: written.version, contracts: document.contracts.map((contract) => contract.name), closed_gaps: closed.length },
          correlationId: actor.correlationId,
        });
        return written;
      });
      deps.contracts.set(record);
      return { version: record.version, format: record.format, created_by: record.created_by, created_at: record.created_at.toISOString(), document: record.document };
    },

    async listGaps(query: GapQuery): Promise<{ items: Gap[]; next_cursor: string | null }> {
      const limit = query.limit ?? 50;
      const rows = await repository.listGaps({ ...query, limit: limit + 1, after: decodeCursor(query.cursor) });
      const page = pageOf(rows, limit);
      return { items: page.items.map(toGap), next_cursor: page.next_cursor };
    },

    async getGap(id: string): Promise<Gap> {
      const row = await repository.findGap(id);
      if (!row) throw notFound(`sync gap ${id}`);
      return toGap(row);
    },

    async resolveGap(actor: Actor, id: string, reason: string): Promise<Gap> {
      return db.transaction(async (tx) => {
        const current = await repository.findGap(id, tx, { forUpdate: true });
        if (!current) throw notFound(`sync gap ${id}`);
        if (current.resolved_at) {
          throw conflict(`sync gap ${id} was already resolved (${current.resolution}) at ${current.resolved_at.toISOString()}`);
        }
        const updated = await repository.resolveManually(tx, id, clock.now(), actor.id, reason);
        await audit.append(tx, {
          actor: actor.id,
          action: 'sync.gap.resolve',
          target: `sync_gap:${id}`,
          before: { resolved_at: null },
          after: { resolved_at: updated.resolved_at?.toISOString() ?? null, resolution: 'manual', reason },
          correlationId: actor.correlationId,
        });
        return toGap(updated);
      });
    },

    freshness: (now: Date = clock.now()) => freshness(now),

    /** Per stream of the active contracts, for trust's Data freshness component (SPEC §7). */
    async streamStatus(now: Date = clock.now()): Promise<StreamStatus[]> {
      const report = await freshness(now);
      return report.items.map((item) => ({
        contract: item.contract,
        stream: item.stream,
        agent_id: item.agent_id,
        within_slo: item.status === 'within_slo',
        status: item.status,
        open_gaps: item.open_gaps,
      }));
    },

    countOpenGaps: () => repository.countOpenGaps(),
  };
}

export type SyncService = ReturnType<typeof createSyncService>;
