/**
 * Writes what a run found (reconcile.ts) into the registry, in batches of BATCH agents, one transaction each:
 * new agents enter `quarantined` (shadow AI), changed ones are updated and an active one goes to `needs_review`,
 * missing ones go to `missing`, and ones found again return to where they were. Every move is an agent history
 * entry; suspicious tool descriptions become findings. A batch that commits stays: a run interrupted and run again
 * finds those agents known and goes on.
 */
import type { Clock } from '../../platform/clock.js';
import type { Database, Queryable } from '../../platform/db/index.js';
import { newId } from '../../platform/ids.js';
import type { AgentBulkWriter, AgentRecord, AgentStatus, AgentStatusChange, AgentValues, DiscoveredDefinition, NewAgentEvent } from '../agents/index.js';
import type { DiscoverySourceKind } from './connectors/types.js';
import { describeChanges, diffDefinitions, type DefinitionChange } from './definition-diff.js';
import type { IdentityRepository, KnownIdentity, NewFinding, NewIdentity } from './identities.repository.js';
import type { Observation, Reconciliation } from './reconcile.js';
import { poisonedTools, rugPulls, toolsToScan, type ToolFinding } from './tool-scan.js';

/** Agents per transaction: large enough that 15,000 agents take 30 transactions, small enough to keep each short. */
export const BATCH = 500;

export interface ApplyDeps {
  db: Database;
  agents: Pick<
    AgentBulkWriter,
    'insertMany' | 'updateDefinitions' | 'setStatuses' | 'insertEvents' | 'findBySourceExternalIds' | 'findByIds' | 'statusesBeforeMissing' | 'approvedAgents' | 'announceChanged' | 'forget'
  >;
  identities: IdentityRepository;
  clock: Clock;
}

export interface ApplyContext {
  source: { id: string; kind: DiscoverySourceKind; name: string };
  runId: string;
  correlationId: string;
}

export interface Applied {
  new: number;
  changed: number;
  unchanged: number;
  missing: number;
  findings: number;
  /** Agents this run wrote to (for the audit entry and for alerts). */
  touched: string[];
}

type Event = NewAgentEvent & { changes?: DefinitionChange[] | null };

function chunks<T>(items: T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += BATCH) result.push(items.slice(start, start + BATCH));
  return result;
}

const clipExternalId = (id: string) => (id.length <= 500 ? id : id.slice(0, 500));

function definitionOf(id: string, seen: Observation): DiscoveredDefinition {
  const { agent } = seen;
  return {
    id,
    name: agent.name,
    kind: agent.kind,
    vendor: agent.vendor,
    model: agent.model,
    version: agent.version,
    description: agent.description,
    prompt: agent.prompt,
    config: agent.config,
    tools: agent.tools,
    fingerprint: seen.fingerprint,
    discovered: agent.details,
  };
}

export function createDiscoveryApplier(deps: ApplyDeps) {
  const { db, agents, identities, clock } = deps;

  return async function apply(context: ApplyContext, plan: Reconciliation): Promise<Applied> {
    const actor = `discovery:${context.source.id}`;
    const applied: Applied = { new: 0, changed: 0, unchanged: plan.unchanged, missing: 0, findings: 0, touched: [] };
    const event = (agentId: string, action: string, from: AgentStatus | null, to: AgentStatus, reason: string, extra: Partial<Event> = {}): Event => ({
      id: newId(),
      agent_id: agentId,
      action,
      from_status: from,
      to_status: to,
      reason,
      actor,
      fingerprint: null,
      correlation_id: context.correlationId,
      ...extra,
    });
    const finding = (agentId: string, found: ToolFinding, at: string): NewFinding => ({
      id: newId(),
      agent_id: agentId,
      source_id: context.source.id,
      run_id: context.runId,
      kind: found.kind,
      tool: found.tool,
      detail: found.detail,
      score: found.score,
      signals: found.signals,
      detected_at: at,
    });
    /** Findings and their history entry (one per agent), for an agent with this status. */
    const flag = (agentId: string, status: AgentStatus, found: ToolFinding[], at: string, events: Event[], findings: NewFinding[]) => {
      if (found.length === 0) return;
      findings.push(...found.map((item) => finding(agentId, item, at)));
      events.push(event(agentId, found[0]!.kind, status, status, found.map((item) => item.detail).join('; ')));
    };

    async function commit(ids: string[], work: (tx: Queryable) => Promise<void>): Promise<void> {
      await db.transaction(async (tx) => {
        await work(tx);
        await agents.announceChanged(tx, ids);
      });
      agents.forget(ids);
      applied.touched.push(...ids);
    }

    // Registered agents whose definition this source now shows differently; adopted agents join them.
    const changed = [...plan.changed];
    const adoptedIds: string[] = [];

    for (const batch of chunks(plan.fresh)) {
      const at = clock.now().toISOString();
      await db.transaction(async (tx) => {
        const existing = new Map(
          (await agents.findBySourceExternalIds(tx, context.source.kind, batch.map((seen) => clipExternalId(seen.agent.agent_external_id)))).map((agent) => [agent.external_id, agent]),
        );
        const rows: AgentValues[] = [];
        const adoptedSame: DiscoveredDefinition[] = [];
        const links: NewIdentity[] = [];
        const events: Event[] = [];
        const findings: NewFinding[] = [];
        for (const seen of batch) {
          const externalId = clipExternalId(seen.agent.agent_external_id);
          const adopted = existing.get(externalId);
          const identityId = newId();
          const agentId = adopted?.id ?? newId();
          // An agent this source's kind already registered under the same external id (by hand, or through another
          // source) is the same thing: this source's identity joins it.
          const differs = adopted !== undefined && adopted.fingerprint !== seen.fingerprint;
          links.push({
            id: identityId,
            agent_id: agentId,
            source_kind: context.source.kind,
            discovery_source_id: context.source.id,
            external_id: seen.agent.external_id,
            link: adopted ? 'adopted' : 'discovered',
            // An adopted agent that differs keeps its own fingerprint on the identity until the pass below writes it.
            fingerprint: differs ? adopted.fingerprint : seen.fingerprint,
            observed_hash: differs ? '' : seen.observedHash,
            first_seen_at: at,
          });
          if (adopted && differs) {
            changed.push({
              seen,
              known: { id: identityId, agent_id: agentId, external_id: seen.agent.external_id, fingerprint: adopted.fingerprint, observed_hash: '', missing_since: null, agent_status: adopted.status },
            });
            continue;
          }
          if (adopted) {
            if (adopted.status !== 'retired') adoptedSame.push(definitionOf(agentId, seen));
            continue;
          }
          const { agent } = seen;
          rows.push({
            id: agentId,
            name: agent.name,
            kind: agent.kind,
            source: context.source.kind,
            external_id: externalId,
            owner: agent.owner,
            vendor: agent.vendor,
            model: agent.model,
            version: agent.version,
            description: agent.description,
            prompt: agent.prompt,
            config: agent.config,
            tools: agent.tools,
            fingerprint: seen.fingerprint,
            status: 'quarantined',
            status_reason: `found by discovery source ${context.source.name}; waiting for approval`,
            classification: 'internal',
            role: null,
            targets: [],
            tags: agent.tags,
            metadata: { discovered: agent.details },
          });
          events.push(event(agentId, 'discovered', null, 'quarantined', `found by discovery source ${context.source.name} (${context.source.kind})`, { fingerprint: seen.fingerprint }));
          flag(agentId, 'quarantined', poisonedTools(agent.tools), at, events, findings);
        }
        // Agents before the identities and history that reference them.
        await agents.insertMany(tx, rows);
        await agents.updateDefinitions(tx, adoptedSame);
        await identities.insertMany(tx, links);
        await agents.insertEvents(tx, events);
        await identities.insertFindings(tx, findings);
        await agents.announceChanged(tx, adoptedSame.map((definition) => definition.id));
        applied.new += rows.length;
        applied.unchanged += adoptedSame.length;
        applied.findings += findings.length;
        applied.touched.push(...rows.map((row) => row.id), ...adoptedSame.map((definition) => definition.id));
        adoptedIds.push(...adoptedSame.map((definition) => definition.id));
      });
      agents.forget(adoptedIds.splice(0));
    }

    for (const batch of chunks(changed)) {
      const at = clock.now().toISOString();
      const ids = batch.map(({ known }) => known.agent_id);
      await commit(ids, async (tx) => {
        const records = new Map((await agents.findByIds(tx, ids)).map((record) => [record.id, record]));
        const approved = await agents.approvedAgents(tx, ids);
        const before = await agents.statusesBeforeMissing(tx, ids.filter((id) => records.get(id)?.status === 'missing'));
        const definitions: DiscoveredDefinition[] = [];
        const statuses: AgentStatusChange[] = [];
        const events: Event[] = [];
        const findings: NewFinding[] = [];
        for (const { seen, known } of batch) {
          const record = records.get(known.agent_id);
          if (!record || record.status === 'retired') continue;
          const changes = diffDefinitions(record, seen.agent);
          definitions.push(definitionOf(record.id, seen));
          const summary = `definition changed (discovery source ${context.source.name}): ${describeChanges(changes) || 'no visible difference'}`;
          const next = nextStatusOnChange(record, before.get(record.id), changes.length > 0);
          if (next !== record.status) {
            statuses.push({ id: record.id, status: next, reason: summary });
            events.push(event(record.id, record.status === 'missing' ? 'reappeared' : 'review', record.status, next, summary, { fingerprint: seen.fingerprint, changes }));
          } else {
            events.push(event(record.id, 'definition_changed', record.status, record.status, summary, { fingerprint: seen.fingerprint, changes }));
          }
          const found = [...poisonedTools(seen.agent.tools, toolsToScan(changes)), ...(approved.has(record.id) ? rugPulls(changes) : [])];
          flag(record.id, next, found, at, events, findings);
        }
        await agents.updateDefinitions(tx, definitions);
        await agents.setStatuses(tx, statuses);
        await agents.insertEvents(tx, events);
        await identities.insertFindings(tx, findings);
        await identities.recordSeen(tx, batch.map(({ seen, known }) => ({ id: known.id, fingerprint: seen.fingerprint, observed_hash: seen.observedHash })));
        applied.changed += batch.length;
        applied.findings += findings.length;
      });
    }

    for (const batch of chunks(plan.refreshed)) {
      const ids = batch.map(({ known }) => known.agent_id);
      await commit(ids, async (tx) => {
        const returning = batch.filter(({ known }) => known.agent_status === 'missing').map(({ known }) => known.agent_id);
        const before = await agents.statusesBeforeMissing(tx, returning);
        await agents.updateDefinitions(tx, batch.map(({ seen, known }) => definitionOf(known.agent_id, seen)));
        const statuses = returning.map((id) => ({ id, status: before.get(id) ?? 'quarantined', reason: `listed again by discovery source ${context.source.name}` }));
        await agents.setStatuses(tx, statuses);
        await agents.insertEvents(
          tx,
          statuses.map((change) => event(change.id, 'reappeared', 'missing', change.status, change.reason)),
        );
        await identities.recordSeen(tx, batch.map(({ seen, known }) => ({ id: known.id, fingerprint: seen.fingerprint, observed_hash: seen.observedHash })));
        applied.unchanged += batch.length;
      });
    }

    for (const batch of chunks(plan.missing)) {
      const at = clock.now();
      const ids = [...new Set(batch.map((identity) => identity.agent_id))];
      await commit(ids, async (tx) => {
        await identities.markMissing(tx, batch.map((identity) => identity.id), at);
        // An agent another source still lists is not missing (identities of several sources, once merged).
        const gone = await identities.agentsWithoutPresentIdentity(tx, ids);
        const moving = uniqueByAgent(batch).filter((identity) => gone.has(identity.agent_id) && identity.agent_status !== 'missing');
        const reason = `no longer listed by discovery source ${context.source.name}`;
        await agents.setStatuses(tx, moving.map((identity) => ({ id: identity.agent_id, status: 'missing' as const, reason })));
        await agents.insertEvents(tx, moving.map((identity) => event(identity.agent_id, 'missing', identity.agent_status, 'missing', reason)));
        applied.missing += batch.length;
      });
    }

    return applied;
  };
}

function uniqueByAgent(identities: KnownIdentity[]): KnownIdentity[] {
  const seen = new Map<string, KnownIdentity>();
  for (const identity of identities) if (!seen.has(identity.agent_id)) seen.set(identity.agent_id, identity);
  return [...seen.values()];
}

/**
 * Where a changed agent goes: an active one to review (what was approved is no longer what runs); a missing one back
 * to the status it had (to review if that was active and it came back different); any other stays where it is.
 */
export function nextStatusOnChange(record: Pick<AgentRecord, 'status'>, beforeMissing: AgentStatus | undefined, definitionDiffers: boolean): AgentStatus {
  if (record.status === 'active') return definitionDiffers ? 'needs_review' : 'active';
  if (record.status === 'missing') {
    const previous = beforeMissing ?? 'quarantined';
    return previous === 'active' && definitionDiffers ? 'needs_review' : previous;
  }
  return record.status;
}
