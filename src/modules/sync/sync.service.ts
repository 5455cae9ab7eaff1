import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { decodeCursor, pageOf } from '../../platform/http/cursor.js';
import type { Actor } from '../../platform/http/actor.js';
import type { AuditService } from '../audit/index.js';
import type { ActiveContractsStore } from './active-contracts.js';
import { freshnessOf } from './analyzer.js';
import type { ContractDocument } from './contract-schema.js';
import { ownersOf, validateContractDocument } from './contract.js';
import type { GapObserver } from './gap-observer.js';
import type { GapRow } from './gaps.repository.js';
import { receiversOf } from './remediation-policy.js';
import { activeRuleKeys } from './rule-names.js';
import type { SyncRepositories } from './sync.repositories.js';
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
  repositories: Pick<SyncRepositories, 'contracts' | 'gaps' | 'streamStates'>;
  contracts: ActiveContractsStore;
  audit: Pick<AuditService, 'append'>;
  clock: Clock;
  /** Told of gaps closed by hand or because their rule was removed (gap-observer.ts). */
  observer?: Pick<GapObserver, 'gapsClosed'>;
  /** The names of the receivers that exist: a remediation policy may only name those. */
  receiverNames?: () => Promise<string[]>;
}) {
  const { db, audit, clock } = deps;
  const { contracts: versions, gaps, streamStates } = deps.repositories;

  async function freshness(now: Date): Promise<FreshnessReport> {
    const active = await deps.contracts.get();
    const [states, openGaps] = await Promise.all([streamStates.streamStates(), gaps.openGapsByStream()]);
    const stateOf = new Map(states.map((row) => [`${row.contract}\u0000${row.stream}`, row]));
    const gapsOf = new Map(openGaps.map((row) => [`${row.contract}\u0000${row.stream}`, Number(row.count)]));
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
      const record = version === undefined ? await versions.latestContractVersion() : await versions.contractVersion(version);
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
      // Read before the transaction: on PGlite a read through the pool inside it would wait for it.
      const named = receiversOf(document);
      if (named.length > 0 && deps.receiverNames) {
        const existing = new Set(await deps.receiverNames());
        const unknown = named.filter((receiver) => !existing.has(receiver.name));
        if (unknown.length > 0) {
          throw new AppError('unprocessable', `receiver "${unknown[0]!.name}" does not exist`, {
            errors: unknown.map((receiver) => ({ path: `/body${receiver.path}`, message: `no receiver named "${receiver.name}"` })),
          });
        }
      }
      let closedIds: string[] = [];
      const record = await db.transaction(async (tx) => {
        const owners = ownersOf(document);
        const existing = await versions.existingAgents(owners.map((owner) => owner.id), tx);
        const missing = owners.filter((owner) => !existing.has(owner.id));
        if (missing.length > 0) {
          throw new AppError('unprocessable', `owner agent ${missing[0]!.id} does not exist`, {
            errors: missing.map((owner) => ({ path: `/body${owner.path}`, message: `no agent with id ${owner.id}` })),
          });
        }
        const previous = await versions.latestContractVersion(tx);
        const written = await versions.insertContractVersion(tx, {
          document,
          format,
          created_by: actor.id,
          correlation_id: actor.correlationId,
          created_at: clock.now(),
        });
        // Gaps of a contract or rule this version removes can no longer close by themselves: close them, saying why.
        const keep = activeRuleKeys(result.contracts);
        const removed = (await gaps.openAttributedGaps(tx)).filter((gap) => !keep.has(`${gap.contract}\u0000${gap.rule}`));
        const closed = await gaps.autoResolveIds(
          tx,
          removed.map((gap) => gap.id),
          clock.now(),
          { closed_because: 'rule_removed', contracts_version: written.version },
        );
        closedIds = closed.map((gap) => gap.id);
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
      if (closedIds.length > 0) deps.observer?.gapsClosed(closedIds);
      return { version: record.version, format: record.format, created_by: record.created_by, created_at: record.created_at.toISOString(), document: record.document };
    },

    async listGaps(query: GapQuery): Promise<{ items: Gap[]; next_cursor: string | null }> {
      const limit = query.limit ?? 50;
      const rows = await gaps.listGaps({ ...query, limit: limit + 1, after: decodeCursor(query.cursor) });
      const page = pageOf(rows, limit);
      return { items: page.items.map(toGap), next_cursor: page.next_cursor };
    },

    async getGap(id: string): Promise<Gap> {
      const row = await gaps.findGap(id);
      if (!row) throw notFound(`sync gap ${id}`);
      return toGap(row);
    },

    async resolveGap(actor: Actor, id: string, reason: string): Promise<Gap> {
      const resolved = await db.transaction(async (tx) => {
        const current = await gaps.findGap(id, tx, { forUpdate: true });
        if (!current) throw notFound(`sync gap ${id}`);
        if (current.resolved_at) {
          throw conflict(`sync gap ${id} was already resolved (${current.resolution}) at ${current.resolved_at.toISOString()}`);
        }
        const updated = await gaps.resolveManually(tx, id, clock.now(), actor.id, reason);
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
      deps.observer?.gapsClosed([id]);
      return resolved;
    },

    freshness: (now: Date = clock.now()) => freshness(now),

    /** Per stream of the active contracts, for trust's Data freshness component (docs/trust.md). */
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

    countOpenGaps: () => gaps.countOpenGaps(),
  };
}

export type SyncService = ReturnType<typeof createSyncService>;
