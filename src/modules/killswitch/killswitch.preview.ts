/**
 * The blast radius of a selector: what a kill switch would stop — the agents, their pending approvals, the sync
 * contracts they own and the sources feeding them, their decisions of the last 24 hours and runs of the last hour —
 * and the preview token that lets an admin execute exactly that selection within five minutes.
 */
import type { Clock } from '../../platform/clock.js';
import type { Database, Queryable } from '../../platform/db/index.js';
import type { Actor } from '../../platform/http/actor.js';
import { newId } from '../../platform/ids.js';
import type { AuditService } from '../audit/index.js';
import type { KillSwitchMetrics } from './killswitch.metrics.js';
import type { KillSwitchPorts } from './killswitch.ports.js';
import type { AgentCounts, KillSwitchReadModel, SelectedAgent } from './killswitch.read-model.js';
import type { KillSwitchRepository } from './killswitch.repository.js';
import type { PreviewView } from './killswitch.schemas.js';
import {
  generatePreviewToken,
  hashPreviewToken,
  hashSelection,
  normaliseSelector,
  PREVIEW_TTL_MS,
  selectionOf,
  selectsAll,
  type Selector,
  type SelectorInput,
} from './selection.js';

/** The agents a preview lists one by one; counts always cover the whole selection. */
export const LISTED_AGENTS = 5000;
const DAY_MS = 24 * 3600_000;
const HOUR_MS = 3600_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface KillSwitchPreviewDeps {
  db: Database;
  repository: Pick<KillSwitchRepository, 'insertPreview' | 'deleteStalePreviews'>;
  readModel: KillSwitchReadModel;
  audit: Pick<AuditService, 'append'>;
  clock: Clock;
  metrics: Pick<KillSwitchMetrics, 'previews'>;
  ports: KillSwitchPorts;
}

/**
 * The discovery criterion as agent ids, or undefined when the selector has none. Without the discovery module
 * it resolves to no agent: a criterion that cannot be checked must not widen the selection.
 */
export async function resolveDiscovered(selector: Selector, ports: Pick<KillSwitchPorts, 'discoveredAgents'>, tx: Queryable): Promise<string[] | undefined> {
  if (selectsAll(selector) || !selector.discovery_source_ids) return undefined;
  return ports.discoveredAgents ? ports.discoveredAgents(selector.discovery_source_ids, tx) : [];
}

function countsByAgent(rows: AgentCounts[]): { perAgent: Map<string, number>; byKey: Record<string, number>; total: number } {
  const perAgent = new Map<string, number>();
  const byKey: Record<string, number> = {};
  let total = 0;
  for (const row of rows) {
    perAgent.set(row.agent_id, (perAgent.get(row.agent_id) ?? 0) + row.count);
    byKey[row.key] = (byKey[row.key] ?? 0) + row.count;
    total += row.count;
  }
  return { perAgent, byKey, total };
}

function tally(agents: SelectedAgent[]): Record<string, number> {
  const byStatus: Record<string, number> = {};
  for (const agent of agents) byStatus[agent.status] = (byStatus[agent.status] ?? 0) + 1;
  return byStatus;
}

export function createKillSwitchPreview(deps: KillSwitchPreviewDeps) {
  const { db, repository, readModel, audit, clock, metrics, ports } = deps;

  /** The contracts the selected agents own, and the sources whose streams those contracts watch. */
  async function ownedContracts(selected: ReadonlySet<string>): Promise<Pick<PreviewView, 'sync_contracts' | 'sources'>> {
    const contracts = new Map<string, { name: string; owner_agent_id: string; streams: string[] }>();
    const sources = new Map<string, Set<string>>();
    for (const stream of await ports.ownedStreams()) {
      if (!selected.has(stream.agent_id)) continue;
      const contract = contracts.get(stream.contract) ?? { name: stream.contract, owner_agent_id: stream.agent_id, streams: [] };
      contract.streams.push(stream.stream);
      contracts.set(stream.contract, contract);
      sources.set(stream.source, (sources.get(stream.source) ?? new Set()).add(stream.contract));
    }
    const sourceViews = [];
    for (const [source, names] of [...sources].sort(([a], [b]) => a.localeCompare(b))) {
      sourceViews.push({ source, name: UUID.test(source) ? await ports.sourceName(source) : null, contracts: [...names].sort() });
    }
    return { sync_contracts: [...contracts.values()].sort((a, b) => a.name.localeCompare(b.name)), sources: sourceViews };
  }

  return {
    async preview(actor: Actor, input: { selector: SelectorInput }): Promise<PreviewView> {
      const selector = normaliseSelector(input.selector);
      const now = clock.now();
      const notes: string[] = [];
      const discovered = await resolveDiscovered(selector, ports, db);
      if (discovered !== undefined && !ports.discoveredAgents) {
        notes.push('discovery_source_ids matches no agent: this build has no discovery module');
      }
      const agents = await readModel.select(selector, discovered);
      const ids = agents.map((agent) => agent.id);
      const selected = new Set(ids);
      // Independent reads, side by side: on a PostgreSQL server each takes a connection of its own (the count of a
      // day of decisions is the longest of them).
      const [decisionRows, runRows, owned, approvals] = await Promise.all([
        readModel.decisionsSince(ids, new Date(now.getTime() - DAY_MS)),
        readModel.runsSince(ids, new Date(now.getTime() - HOUR_MS)),
        ownedContracts(selected),
        ports.pendingApprovals && ids.length > 0 ? ports.pendingApprovals(ids) : Promise.resolve([]),
      ]);
      const decisions = countsByAgent(decisionRows);
      const runs = countsByAgent(runRows);
      let pendingApprovals: PreviewView['pending_approvals'] = null;
      if (ports.pendingApprovals) pendingApprovals = { total: approvals.length, items: approvals };
      else notes.push('pending approvals are not listed: this build has no approvals module');
      if (!selectsAll(selector) && selector.agent_ids) {
        const unmatched = selector.agent_ids.filter((id) => !selected.has(id)).length;
        if (unmatched > 0) notes.push(`${unmatched} of the agent_ids ${unmatched === 1 ? 'is' : 'are'} not selected (unknown, retired, or excluded by another criterion)`);
      }
      if (agents.length === 0) notes.push('the selector matches no agent: executing this preview would be refused');
      if (agents.length > LISTED_AGENTS) notes.push(`the first ${LISTED_AGENTS} of ${agents.length} agents are listed (by id); the counts cover all of them`);

      const selection = selectionOf(agents);
      const token = generatePreviewToken();
      const id = newId();
      const expiresAt = new Date(now.getTime() + PREVIEW_TTL_MS);
      await db.transaction(async (tx) => {
        await repository.deleteStalePreviews(new Date(now.getTime() - DAY_MS), tx);
        await repository.insertPreview(
          {
            id,
            token_hash: hashPreviewToken(token),
            selector,
            selection,
            selection_hash: hashSelection(selection),
            agent_count: agents.length,
            created_by: actor.id,
            correlation_id: actor.correlationId,
            created_at: now,
            expires_at: expiresAt,
          },
          tx,
        );
        // Who prepared which blast radius, even if nobody executes it.
        await audit.append(tx, {
          actor: actor.id,
          action: 'kill_switch.preview',
          target: `kill_switch_preview:${id}`,
          before: null,
          after: { selector, agent_count: agents.length, expires_at: expiresAt.toISOString() },
          correlationId: actor.correlationId,
        });
      });
      metrics.previews.inc();

      const alreadySuspended = agents.filter((agent) => agent.status === 'suspended').length;
      return {
        preview_id: id,
        preview_token: token,
        expires_at: expiresAt.toISOString(),
        // The stored, normalised form of what the request validated.
        selector: selector as PreviewView['selector'],
        agents: {
          total: agents.length,
          to_suspend: agents.length - alreadySuspended,
          already_suspended: alreadySuspended,
          by_status: tally(agents),
          items: agents.slice(0, LISTED_AGENTS).map((agent) => ({
            id: agent.id,
            name: agent.name,
            kind: agent.kind,
            status: agent.status,
            owner: agent.owner,
            vendor: agent.vendor,
            model: agent.model,
            tags: agent.tags,
            action: agent.status === 'suspended' ? 'none' : 'suspend',
            decisions_last_24h: decisions.perAgent.get(agent.id) ?? 0,
            runs_last_hour: runs.perAgent.get(agent.id) ?? 0,
          })),
          truncated: agents.length > LISTED_AGENTS,
        },
        pending_approvals: pendingApprovals,
        ...owned,
        decisions_last_24h: { total: decisions.total, by_decision: decisions.byKey },
        runs_last_hour: { total: runs.total, by_outcome: runs.byKey },
        notes,
      };
    },
  };
}

export type KillSwitchPreviewService = ReturnType<typeof createKillSwitchPreview>;
