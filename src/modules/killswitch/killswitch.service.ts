/**
 * Executing a previewed kill switch, releasing it, and reading activations (docs/kill-switch.md). Execution and
 * release are each one transaction: the selection is locked and checked against the preview, every agent changes
 * status through the agents service (one statement, one cache notification for every replica), and the activation,
 * its agents and one audit entry are written with it.
 */
import type { Clock } from '../../platform/clock.js';
import type { Database, Queryable } from '../../platform/db/index.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/http/actor.js';
import { decodeCursor, pageOf } from '../../platform/http/cursor.js';
import { newId } from '../../platform/ids.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { AgentService, StatusChange } from '../agents/index.js';
import type { AuditService } from '../audit/index.js';
import type { KillSwitchMetrics, RefusalReason } from './killswitch.metrics.js';
import type { KillSwitchPorts } from './killswitch.ports.js';
import { resolveDiscovered } from './killswitch.preview.js';
import type { KillSwitchReadModel } from './killswitch.read-model.js';
import type { ActivationRow, HeldAgentRow, KillSwitchRepository, ReleaseOutcome } from './killswitch.repository.js';
import type { ActivationDetailView, ActivationView, ListQuery } from './killswitch.schemas.js';
import { compareSelections, describeChange, hashPreviewToken, hashSelection, holdReason, selectionOf } from './selection.js';

export interface KillSwitchServiceDeps {
  db: Database;
  repository: KillSwitchRepository;
  readModel: KillSwitchReadModel;
  agents: Pick<AgentService, 'applyStatusChanges' | 'forgetCachedAgents'>;
  audit: Pick<AuditService, 'append'>;
  clock: Clock;
  logger: Logger;
  metrics: KillSwitchMetrics;
  ports: Pick<KillSwitchPorts, 'discoveredAgents'>;
}

export function toActivationView(row: ActivationRow): ActivationView {
  return {
    id: row.id,
    status: row.released_at ? 'released' : 'active',
    selector: row.selector as ActivationView['selector'],
    reason: row.reason,
    preview_id: row.preview_id,
    suspended_count: row.suspended_count,
    already_suspended_count: row.already_suspended_count,
    activated_by: row.activated_by,
    activated_at: row.activated_at.toISOString(),
    correlation_id: row.correlation_id,
    released_at: row.released_at?.toISOString() ?? null,
    released_by: row.released_by,
    release_reason: row.release_reason,
    restored_count: row.restored_count,
    skipped_count: row.skipped_count,
    transferred_count: row.transferred_count,
  };
}

function toDetail(row: ActivationRow, agents: HeldAgentRow[]): ActivationDetailView {
  return {
    ...toActivationView(row),
    agents: agents.map((agent) => ({
      agent_id: agent.agent_id,
      name: agent.name,
      current_status: agent.current_status,
      outcome: agent.outcome,
      previous_status: agent.previous_status,
      previous_status_reason: agent.previous_status_reason,
      release_outcome: agent.release_outcome,
      release_detail: agent.release_detail,
    })),
  };
}

export function createKillSwitchService(deps: KillSwitchServiceDeps) {
  const { db, repository, readModel, agents, audit, clock, logger, metrics, ports } = deps;

  const refuse = (reason: RefusalReason, error: AppError): AppError => {
    metrics.refusals.inc({ reason });
    return error;
  };
  const tokenError = (message: string) => [{ path: '/body/preview_token', message }];

  async function detail(id: string, tx: Queryable = db): Promise<ActivationDetailView> {
    const row = await repository.findActivation(id, tx);
    if (!row) throw notFound(`kill switch ${id}`);
    return toDetail(row, await repository.heldAgents(id, tx));
  }

  return {
    async execute(actor: Actor, input: { preview_token: string; reason: string }): Promise<ActivationDetailView> {
      const started = process.hrtime.bigint();
      const result = await db.transaction(async (tx) => {
        const preview = await repository.findPreviewByTokenHash(hashPreviewToken(input.preview_token), tx);
        if (!preview) {
          throw refuse('unknown_token', new AppError('unprocessable', 'preview_token names no preview: preview the selection first (POST /api/v1/kill-switch/preview)', { errors: tokenError('is not a preview token') }));
        }
        if (preview.used_at) {
          throw refuse('used', new AppError('conflict', `this preview was already executed (kill switch ${preview.activation_id ?? ''}); preview again`, { errors: tokenError('was already used') }));
        }
        const now = clock.now();
        if (now.getTime() > preview.expires_at.getTime()) {
          throw refuse('expired', new AppError('conflict', `the preview expired at ${preview.expires_at.toISOString()} (a preview is valid for 5 minutes); preview again`, { errors: tokenError('has expired') }));
        }
        const selected = await readModel.select(preview.selector, await resolveDiscovered(preview.selector, ports, tx), tx, { lock: true });
        const current = selectionOf(selected);
        if (hashSelection(current) !== preview.selection_hash) {
          const change = describeChange(compareSelections(preview.selection, current));
          throw refuse('selection_changed', new AppError('conflict', `the selection changed since the preview (${change}); preview again`, { errors: tokenError('describes a selection that changed') }));
        }
        if (selected.length === 0) {
          throw refuse('empty', new AppError('unprocessable', 'the preview selected no agent: there is nothing to stop', { errors: tokenError('selects no agent') }));
        }

        const id = newId();
        const hold = holdReason(id, input.reason);
        const changes: StatusChange[] = selected
          .filter((agent) => agent.status !== 'suspended')
          .map((agent) => ({ id: agent.id, from: agent.status, to: 'suspended', reason: hold }));
        await agents.applyStatusChanges(tx, actor, 'kill_switch', changes);
        await repository.insertActivation(
          {
            id,
            preview_id: preview.id,
            selector: preview.selector,
            reason: input.reason,
            suspended_count: changes.length,
            already_suspended_count: selected.length - changes.length,
            activated_by: actor.id,
            activated_at: now,
            correlation_id: actor.correlationId,
          },
          tx,
        );
        await repository.insertAgents(
          selected.map((agent) => ({
            activation_id: id,
            agent_id: agent.id,
            outcome: agent.status === 'suspended' ? 'already_suspended' : 'suspended',
            previous_status: agent.status,
            previous_status_reason: agent.status_reason,
          })),
          tx,
        );
        await repository.markPreviewUsed(preview.id, id, now, tx);
        await audit.append(tx, {
          actor: actor.id,
          action: 'kill_switch.activate',
          target: `kill_switch:${id}`,
          before: null,
          after: {
            preview_id: preview.id,
            selector: preview.selector,
            reason: input.reason,
            suspended: changes.map((change) => ({ agent_id: change.id, previous_status: change.from })),
            already_suspended: selected.filter((agent) => agent.status === 'suspended').map((agent) => agent.id),
          },
          correlationId: actor.correlationId,
        });
        return detail(id, tx);
      });
      // This replica reads its own write at once; the others empty their caches when the NOTIFY reaches them.
      agents.forgetCachedAgents();
      metrics.activations.inc();
      metrics.agentsSuspended.inc(result.suspended_count);
      metrics.executeDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
      logger.warn(
        { kill_switch_id: result.id, suspended: result.suspended_count, already_suspended: result.already_suspended_count, actor: actor.id, correlation_id: actor.correlationId },
        'kill switch activated',
      );
      return result;
    },

    /**
     * Restores each agent this activation suspended and that is still suspended by it (its status and reason are
     * what the activation wrote). An agent another activation in force also selected is handed over to that one
     * instead of resumed; one whose status someone changed meanwhile is left as it is and reported as skipped.
     */
    async release(actor: Actor, id: string, input: { reason: string }): Promise<ActivationDetailView> {
      const result = await db.transaction(async (tx) => {
        const activation = await repository.findActivation(id, tx, { forUpdate: true });
        if (!activation) throw notFound(`kill switch ${id}`);
        if (activation.released_at) throw conflict(`kill switch ${id} was already released at ${activation.released_at.toISOString()}`);
        const held = await repository.heldAgents(id, tx, { lock: true });
        const hold = holdReason(id, activation.reason);
        const stopped = held.filter((row) => row.outcome === 'suspended');
        const stillHeld = stopped.filter((row) => row.current_status === 'suspended' && row.current_status_reason === hold);
        const others = await repository.otherHolders(id, stillHeld.map((row) => row.agent_id), tx);

        const restores: StatusChange[] = [];
        const transfers: StatusChange[] = [];
        const takeOvers: Array<{ activation_id: string; agent_id: string; previous_status: string; previous_status_reason: string | null }> = [];
        const outcomes: Array<{ agent_id: string; outcome: ReleaseOutcome; detail: string | null }> = [];
        const stillHeldIds = new Set(stillHeld.map((row) => row.agent_id));
        for (const row of stopped) {
          if (!stillHeldIds.has(row.agent_id)) {
            const detail = row.current_status === 'suspended' ? 'suspended again by someone else since' : `its status was changed since (now ${row.current_status})`;
            outcomes.push({ agent_id: row.agent_id, outcome: 'skipped', detail });
            continue;
          }
          const next = others.get(row.agent_id);
          if (next) {
            transfers.push({ id: row.agent_id, from: 'suspended', to: 'suspended', reason: holdReason(next.activation_id, next.reason) });
            takeOvers.push({ activation_id: next.activation_id, agent_id: row.agent_id, previous_status: row.previous_status, previous_status_reason: row.previous_status_reason });
            outcomes.push({ agent_id: row.agent_id, outcome: 'transferred', detail: `still held by kill switch ${next.activation_id}` });
          } else {
            restores.push({ id: row.agent_id, from: 'suspended', to: row.previous_status, reason: row.previous_status_reason });
            outcomes.push({ agent_id: row.agent_id, outcome: 'restored', detail: null });
          }
        }
        await agents.applyStatusChanges(tx, actor, 'kill_switch_release', restores);
        await agents.applyStatusChanges(tx, actor, 'kill_switch_transfer', transfers);
        await repository.takeOver(takeOvers, tx);
        await repository.recordReleaseOutcomes(id, outcomes, tx);
        const count = (outcome: ReleaseOutcome) => outcomes.filter((entry) => entry.outcome === outcome).length;
        await repository.markReleased(
          id,
          { at: clock.now(), by: actor.id, reason: input.reason, restored: count('restored'), skipped: count('skipped'), transferred: count('transferred') },
          tx,
        );
        await audit.append(tx, {
          actor: actor.id,
          action: 'kill_switch.release',
          target: `kill_switch:${id}`,
          before: toActivationView(activation),
          after: {
            reason: input.reason,
            restored: restores.map((change) => ({ agent_id: change.id, status: change.to })),
            transferred: takeOvers.map((entry) => ({ agent_id: entry.agent_id, to: entry.activation_id })),
            skipped: outcomes.filter((entry) => entry.outcome === 'skipped').map((entry) => entry.agent_id),
          },
          correlationId: actor.correlationId,
        });
        return detail(id, tx);
      });
      agents.forgetCachedAgents();
      metrics.releases.inc();
      metrics.agentsRestored.inc(result.restored_count ?? 0);
      logger.warn(
        { kill_switch_id: id, restored: result.restored_count, skipped: result.skipped_count, transferred: result.transferred_count, actor: actor.id, correlation_id: actor.correlationId },
        'kill switch released',
      );
      return result;
    },

    get: (id: string) => detail(id),

    async list(query: ListQuery): Promise<{ items: ActivationView[]; next_cursor: string | null }> {
      const limit = query.limit ?? 50;
      const rows = await repository.listActivations({ ...(query.status ? { status: query.status } : {}), limit: limit + 1, ...optionalAfter(decodeCursor(query.cursor)) });
      const page = pageOf(rows, limit);
      return { items: page.items.map(toActivationView), next_cursor: page.next_cursor };
    },
  };
}

function optionalAfter(after: string | undefined): { after?: string } {
  return after === undefined ? {} : { after };
}

export type KillSwitchService = ReturnType<typeof createKillSwitchService>;
