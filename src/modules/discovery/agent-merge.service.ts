/**
 * Merging by hand (docs/discovery.md "Merging"): `merge` makes one agent of two — the merged agent's identities,
 * history, decisions, runs, approvals, trust snapshots, incidents, gaps and findings follow the survivor, which takes
 * its policy role if it had none, and the merged agent stays as `merged`; `unmerge` names an identity a merge
 * brought and undoes that merge exactly (what the survivor recorded since stays with it). Each is one transaction,
 * audited (`agent.merge`, `agent.unmerge`), with a history entry on both agents.
 */
import type { Clock } from '../../platform/clock.js';
import type { Database, Queryable } from '../../platform/db/index.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/http/actor.js';
import { newId } from '../../platform/ids.js';
import { agentEvent, type AgentBulkWriter, type AgentRecord } from '../agents/index.js';
import type { AuditService } from '../audit/index.js';
import type { LockedAgent, MergeRepository } from './agent-merge.repository.js';

export interface MergeServiceDeps {
  db: Database;
  merges: MergeRepository;
  agents: Pick<AgentBulkWriter, 'setStatuses' | 'insertEvents' | 'announceChanged' | 'forget'>;
  /** The agent as GET /agents/{id} shows it, identities included (read after the commit). */
  readAgent: (id: string) => Promise<AgentRecord>;
  audit: Pick<AuditService, 'append'>;
  clock: Clock;
}

type Locked = LockedAgent;

export function createMergeService(deps: MergeServiceDeps) {
  const { db, merges, agents, audit, clock } = deps;

  async function lockPair(tx: Queryable, id: string, other: string): Promise<[Locked, Locked]> {
    const rows = new Map((await merges.lockAgents(tx, [id, other])).map((row) => [row.id, row]));
    const first = rows.get(id);
    if (!first) throw notFound(`agent ${id}`);
    const second = rows.get(other);
    if (!second) throw notFound(`agent ${other}`);
    return [first, second];
  }

  /** After the commit: both agents leave this replica's cache at once (the others hear it from the transaction). */
  async function committed<T>(ids: string[], work: (tx: Queryable) => Promise<T>): Promise<T> {
    const result = await db.transaction(async (tx) => {
      const value = await work(tx);
      await agents.announceChanged(tx, ids);
      return value;
    });
    agents.forget(ids);
    return result;
  }

  return {
    /** Merges agent `id` into `into`; the survivor as GET shows it. 400 into itself, 404 unknown, 409 merged or retired. */
    async merge(actor: Actor, id: string, input: { into: string; reason?: string }): Promise<AgentRecord> {
      if (input.into === id) {
        throw new AppError('validation_failed', 'an agent cannot be merged into itself', { errors: [{ path: '/body/into', message: 'must name another agent' }] });
      }
      const reason = input.reason ?? null;
      await committed([id, input.into], async (tx) => {
        const [merged, survivor] = await lockPair(tx, id, input.into);
        if (merged.status === 'merged') throw conflict(`agent ${id} is merged already (${merged.status_reason ?? 'merged'}): unmerge it first`);
        if (survivor.status === 'merged') throw conflict(`agent ${input.into} is itself merged (${survivor.status_reason ?? 'merged'}): merge into the agent it was merged into`);
        if (merged.status === 'retired') throw conflict(`agent ${id} is retired and can no longer be changed`);
        if (survivor.status === 'retired') throw conflict(`agent ${input.into} is retired: merge into an agent that is not`);

        const mergeId = newId();
        let identities = await merges.identitiesOf(tx, id);
        // An agent registered by hand has no identity from discovery: it gets one (its source and external id), so
        // that the merge has something to name when it is undone.
        if (identities.length === 0) {
          identities = [await merges.insertHandIdentity(tx, { id: newId(), agent_id: id, source_kind: merged.source, external_id: merged.external_id ?? `agent:${id}` })];
        }
        const roleSet = survivor.role === null && merged.role !== null ? merged.role : null;
        await merges.insertMerge(tx, {
          id: mergeId,
          agent_id: id,
          into_agent_id: input.into,
          via: 'manual',
          rule: null,
          link_value: null,
          previous_status: merged.status,
          previous_status_reason: merged.status_reason,
          role_set: roleSet,
          identities: identities.map((identity) => ({ id: identity.id, link: identity.link, previous_agent_id: identity.previous_agent_id })),
          reason,
          merged_by: actor.id,
          correlation_id: actor.correlationId,
          merged_at: clock.now(),
        });
        // The record first: the moved rows are listed under it.
        const moved = await merges.moveRows(tx, mergeId, id, input.into);
        await merges.moveIdentities(tx, id, input.into);
        if (roleSet !== null) await merges.setRole(tx, input.into, roleSet);
        await agents.setStatuses(tx, [{ id, status: 'merged', reason: `merged into agent ${input.into}` }]);
        const why = reason ? `: ${reason}` : '';
        await agents.insertEvents(tx, [
          agentEvent(actor, id, 'merged', merged.status, 'merged', `merged into agent ${input.into} (${survivor.name})${why}`),
          agentEvent(actor, input.into, 'merged', survivor.status, survivor.status, `agent ${id} (${merged.name}) merged into this one with ${identities.length} identities${why}`),
        ]);
        await audit.append(tx, {
          actor: actor.id,
          action: 'agent.merge',
          target: `agent:${id}`,
          before: { status: merged.status, identities: identities.map((identity) => identity.id) },
          after: { into: input.into, merge_id: mergeId, moved, role_set: roleSet, reason },
          correlationId: actor.correlationId,
        });
      });
      return deps.readAgent(input.into);
    },

    /**
     * Undoes the merge that brought `identityId` to agent `id`: the agent it came with gets back its identities,
     * the rows the merge moved and its status; the agent restored, as GET shows it. 404 unknown identity; 409 when
     * the identity belongs to another agent or came with no merge (it is the agent's own).
     */
    async unmerge(actor: Actor, id: string, input: { identity: string; reason?: string }): Promise<AgentRecord> {
      const reason = input.reason ?? null;
      const restored = await db.transaction(async (tx) => {
        if ((await merges.lockAgents(tx, [id])).length === 0) throw notFound(`agent ${id}`);
        const identity = await merges.findIdentity(tx, input.identity);
        if (!identity) throw notFound(`identity ${input.identity}`);
        if (identity.agent_id !== id) throw conflict(`identity ${input.identity} belongs to agent ${identity.agent_id}, not to agent ${id}`);
        const merge = await merges.openMergeOfIdentity(tx, input.identity, id);
        if (!merge) throw conflict(`identity ${input.identity} is agent ${id}'s own: no merge brought it, so there is nothing to unmerge`);
        const [survivor, original] = await lockPair(tx, id, merge.agent_id);

        const moved = await merges.moveRowsBack(tx, merge.id, merge.agent_id, id);
        await merges.restoreIdentities(tx, merge.agent_id, id, merge.identities);
        if (merge.role_set !== null && survivor.role === merge.role_set) await merges.setRole(tx, id, null);
        await merges.closeMerge(tx, merge.id, actor.id, reason, clock.now());
        const status = original.status === 'merged' ? merge.previous_status : original.status;
        const statusReason = original.status === 'merged' ? (merge.previous_status_reason ?? `unmerged from agent ${id}`) : original.status_reason;
        if (status !== original.status) await agents.setStatuses(tx, [{ id: merge.agent_id, status, reason: statusReason }]);
        const why = reason ? `: ${reason}` : '';
        await agents.insertEvents(tx, [
          agentEvent(actor, merge.agent_id, 'unmerged', original.status, status, `unmerged from agent ${id} (${survivor.name})${why}`),
          agentEvent(actor, id, 'unmerged', survivor.status, survivor.status, `agent ${merge.agent_id} (${original.name}) unmerged from this one, with ${merge.identities.length} identities${why}`),
        ]);
        await audit.append(tx, {
          actor: actor.id,
          action: 'agent.unmerge',
          target: `agent:${merge.agent_id}`,
          before: { status: original.status, merged_into: id, merge_id: merge.id },
          after: { status, identities: merge.identities.map((item) => item.id), moved, role_cleared: merge.role_set !== null && survivor.role === merge.role_set, reason },
          correlationId: actor.correlationId,
        });
        await agents.announceChanged(tx, [id, merge.agent_id]);
        return merge.agent_id;
      });
      agents.forget([id, restored]);
      return deps.readAgent(restored);
    },
  };
}

export type MergeService = ReturnType<typeof createMergeService>;
