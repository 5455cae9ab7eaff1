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
import type { IdentityBefore, MergeRecord, MergeRepository } from './agent-merge.repository.js';
import type { IdentityRepository, KnownIdentity, NewFinding, NewIdentity } from './identities.repository.js';
import { externalIdsFor, keysOfExternalId, parseKey } from './link-keys.js';
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
  merges: Pick<MergeRepository, 'candidates' | 'insertRuleMerges' | 'survivorsOf' | 'joinMerges'>;
  clock: Clock;
}

export interface ApplyContext {
  source: { id: string; kind: DiscoverySourceKind; name: string };
  runId: string;
  correlationId: string;
}

export interface Applied {
  new: number;
  /** New identities that a linking rule joined to another source's agent (counted in `new` too). */
  linked: number;
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
  const { db, agents, identities, merges, clock } = deps;

  return async function apply(context: ApplyContext, plan: Reconciliation): Promise<Applied> {
    const actor = `discovery:${context.source.id}`;
    const applied: Applied = { new: 0, linked: 0, changed: 0, unchanged: plan.unchanged, missing: 0, findings: 0, touched: [] };
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

    const agentRow = (id: string, seen: Observation, status: AgentStatus, statusReason: string): AgentValues => {
      const { agent } = seen;
      return {
        id,
        name: agent.name,
        kind: agent.kind,
        source: context.source.kind,
        external_id: clipExternalId(agent.agent_external_id),
        owner: agent.owner,
        vendor: agent.vendor,
        model: agent.model,
        version: agent.version,
        description: agent.description,
        prompt: agent.prompt,
        config: agent.config,
        tools: agent.tools,
        fingerprint: seen.fingerprint,
        status,
        status_reason: statusReason,
        classification: 'internal',
        role: null,
        targets: [],
        tags: agent.tags,
        metadata: { discovered: agent.details },
      };
    };
    const identityOf = (id: string, agentId: string, seen: Observation, link: NewIdentity['link'], at: string): NewIdentity => ({
      id,
      agent_id: agentId,
      source_kind: context.source.kind,
      discovery_source_id: context.source.id,
      external_id: seen.agent.external_id,
      link,
      previous_agent_id: null,
      fingerprint: seen.fingerprint,
      observed_hash: seen.observedHash,
      link_keys: seen.linkKeys,
      first_seen_at: at,
    });

    /**
     * For each new observation with linking keys, the agent of another source (or registered by hand) that shares
     * one: the oldest such agent, by the first of its keys in order. One statement for the batch.
     */
    async function linksOf(tx: Queryable, batch: Observation[]): Promise<Map<Observation, { agent: { id: string; status: AgentStatus }; rule: string; value: string }>> {
      const keys = [...new Set(batch.flatMap((seen) => seen.linkKeys))];
      const result = new Map<Observation, { agent: { id: string; status: AgentStatus }; rule: string; value: string }>();
      if (keys.length === 0) return result;
      const rules = [...new Set(keys.map((key) => parseKey(key).rule))];
      const byKey = new Map<string, string>();
      for (const candidate of await merges.candidates(tx, context.source.id, keys, externalIdsFor(keys))) {
        const candidateKeys = candidate.key !== null ? [candidate.key] : keysOfExternalId(candidate.external_id ?? '', rules);
        // Candidates come ordered by agent id: the first agent found for a key is the oldest.
        for (const key of candidateKeys) if (!byKey.has(key)) byKey.set(key, candidate.agent_id);
      }
      const records = new Map((await agents.findByIds(tx, [...new Set(byKey.values())])).map((record) => [record.id, record]));
      for (const seen of batch) {
        for (const key of seen.linkKeys) {
          const record = records.get(byKey.get(key) ?? '');
          if (!record) continue;
          const { rule, value } = parseKey(key);
          result.set(seen, { agent: { id: record.id, status: record.status }, rule, value });
          break;
        }
      }
      return result;
    }

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
        // An adopted agent that was merged into another: the identity joins the survivor, the merged agent keeps
        // this source's definition.
        const survivors = await merges.survivorsOf(tx, [...existing.values()].filter((agent) => agent.status === 'merged').map((agent) => agent.id));
        const survivorRecords = new Map((await agents.findByIds(tx, [...new Set(survivors.values())])).map((record) => [record.id, record]));
        const linked = await linksOf(tx, batch.filter((seen) => !existing.has(clipExternalId(seen.agent.agent_external_id))));
        const rows: AgentValues[] = [];
        const adoptedSame: DiscoveredDefinition[] = [];
        const links: NewIdentity[] = [];
        const events: Event[] = [];
        const findings: NewFinding[] = [];
        const ruleMerges: Array<Omit<MergeRecord, 'unmerged_at' | 'merged_at'> & { merged_at: string }> = [];
        const linkedTo: string[] = [];
        const joined: Array<{ agentId: string; identity: IdentityBefore }> = [];
        for (const seen of batch) {
          const externalId = clipExternalId(seen.agent.agent_external_id);
          const adopted = existing.get(externalId);
          const identityId = newId();
          const survivor = adopted?.status === 'merged' ? survivorRecords.get(survivors.get(adopted.id) ?? '') : undefined;
          if (adopted?.status === 'merged' && survivor) {
            // Known to the registry, merged away: this source's view goes to the merged agent, the identity to the
            // survivor, and joins the merge (an unmerge takes it back with the rest).
            const differs = adopted.fingerprint !== seen.fingerprint;
            links.push({
              ...identityOf(identityId, survivor.id, seen, 'adopted', at),
              previous_agent_id: adopted.id,
              fingerprint: differs ? adopted.fingerprint : seen.fingerprint,
              observed_hash: differs ? '' : seen.observedHash,
            });
            joined.push({ agentId: adopted.id, identity: { id: identityId, link: 'adopted', previous_agent_id: null } });
            if (differs) {
              changed.push({
                seen,
                known: { id: identityId, agent_id: survivor.id, previous_agent_id: adopted.id, external_id: seen.agent.external_id, fingerprint: adopted.fingerprint, observed_hash: '', missing_since: null, agent_status: survivor.status },
              });
            } else {
              adoptedSame.push(definitionOf(adopted.id, seen));
            }
            continue;
          }
          const link = adopted ? undefined : linked.get(seen);
          if (link) {
            // A linking rule says another source's agent is this one: this source's view is kept as an agent of its
            // own, merged into that one at once (an unmerge gives it back), and the identity joins the survivor.
            const ownId = newId();
            const quarantineReason = `found by discovery source ${context.source.name}; waiting for approval`;
            rows.push(agentRow(ownId, seen, 'merged', `merged into agent ${link.agent.id} by the linking rule ${link.rule}`));
            links.push({ ...identityOf(identityId, link.agent.id, seen, 'rule', at), previous_agent_id: ownId });
            const reason = `linked by the rule ${link.rule} (${link.value}): ${seen.agent.name} as discovery source ${context.source.name} (${context.source.kind}) lists it`;
            ruleMerges.push({
              id: newId(),
              agent_id: ownId,
              into_agent_id: link.agent.id,
              via: 'rule',
              rule: link.rule,
              link_value: link.value,
              previous_status: 'quarantined',
              previous_status_reason: quarantineReason,
              role_set: null,
              identities: [{ id: identityId, link: 'discovered', previous_agent_id: null }],
              reason,
              merged_by: actor,
              correlation_id: context.correlationId,
              merged_at: at,
            });
            events.push(event(link.agent.id, 'linked', link.agent.status, link.agent.status, reason, { fingerprint: seen.fingerprint }));
            flag(link.agent.id, link.agent.status, poisonedTools(seen.agent.tools), at, events, findings);
            linkedTo.push(link.agent.id);
            continue;
          }
          const agentId = adopted?.id ?? newId();
          // An agent this source's kind already registered under the same external id (by hand, or through another
          // source) is the same thing: this source's identity joins it.
          const differs = adopted !== undefined && adopted.fingerprint !== seen.fingerprint;
          links.push({
            ...identityOf(identityId, agentId, seen, adopted ? 'adopted' : 'discovered', at),
            // An adopted agent that differs keeps its own fingerprint on the identity until the pass below writes it.
            fingerprint: differs ? adopted.fingerprint : seen.fingerprint,
            observed_hash: differs ? '' : seen.observedHash,
          });
          if (adopted && differs) {
            changed.push({
              seen,
              known: { id: identityId, agent_id: agentId, previous_agent_id: null, external_id: seen.agent.external_id, fingerprint: adopted.fingerprint, observed_hash: '', missing_since: null, agent_status: adopted.status },
            });
            continue;
          }
          if (adopted) {
            if (adopted.status !== 'retired') adoptedSame.push(definitionOf(agentId, seen));
            continue;
          }
          const { agent } = seen;
          rows.push(agentRow(agentId, seen, 'quarantined', `found by discovery source ${context.source.name}; waiting for approval`));
          events.push(event(agentId, 'discovered', null, 'quarantined', `found by discovery source ${context.source.name} (${context.source.kind})`, { fingerprint: seen.fingerprint }));
          flag(agentId, 'quarantined', poisonedTools(agent.tools), at, events, findings);
        }
        // Agents before the identities and history that reference them.
        await agents.insertMany(tx, rows);
        await agents.updateDefinitions(tx, adoptedSame);
        await identities.insertMany(tx, links);
        await agents.insertEvents(tx, events);
        await identities.insertFindings(tx, findings);
        await merges.insertRuleMerges(tx, ruleMerges);
        await merges.joinMerges(tx, joined);
        const announced = [...adoptedSame.map((definition) => definition.id), ...new Set(linkedTo)];
        await agents.announceChanged(tx, announced);
        applied.new += rows.length;
        applied.linked += ruleMerges.length;
        applied.unchanged += adoptedSame.length;
        applied.findings += findings.length;
        applied.touched.push(...rows.map((row) => row.id), ...announced);
        adoptedIds.push(...announced);
      });
      agents.forget(adoptedIds.splice(0));
    }

    for (const batch of chunks(changed)) {
      const at = clock.now().toISOString();
      // The holder is the agent the identity belongs to (its status and history move); the target is where this
      // source's definition is kept: the holder itself, or, for an identity merged in, the agent it came with.
      const ids = [...new Set(batch.map(({ known }) => known.agent_id))];
      const targets = batch.map(({ known }) => known.previous_agent_id).filter((id): id is string => id !== null);
      await commit([...ids, ...targets], async (tx) => {
        const records = new Map((await agents.findByIds(tx, [...ids, ...targets])).map((record) => [record.id, record]));
        const approved = await agents.approvedAgents(tx, ids);
        const before = await agents.statusesBeforeMissing(tx, ids.filter((id) => records.get(id)?.status === 'missing'));
        const definitions: DiscoveredDefinition[] = [];
        const statuses = new Map<string, AgentStatusChange>();
        const events: Event[] = [];
        const findings: NewFinding[] = [];
        for (const { seen, known } of batch) {
          const holder = records.get(known.agent_id);
          const target = records.get(known.previous_agent_id ?? known.agent_id);
          if (!holder || !target || holder.status === 'retired') continue;
          const changes = diffDefinitions(target, seen.agent);
          definitions.push(definitionOf(target.id, seen));
          const through = target.id === holder.id ? '' : ` through the identity merged from agent ${target.id}`;
          const summary = `definition changed (discovery source ${context.source.name}${through}): ${describeChanges(changes) || 'no visible difference'}`;
          const current = statuses.get(holder.id)?.status ?? holder.status;
          const next = nextStatusOnChange({ status: current }, before.get(holder.id), changes.length > 0);
          if (next !== current) {
            statuses.set(holder.id, { id: holder.id, status: next, reason: summary });
            events.push(event(holder.id, current === 'missing' ? 'reappeared' : 'review', current, next, summary, { fingerprint: seen.fingerprint, changes }));
          } else {
            events.push(event(holder.id, 'definition_changed', current, current, summary, { fingerprint: seen.fingerprint, changes }));
          }
          const found = [...poisonedTools(seen.agent.tools, toolsToScan(changes)), ...(approved.has(holder.id) ? rugPulls(changes) : [])];
          flag(holder.id, next, found, at, events, findings);
        }
        await agents.updateDefinitions(tx, definitions);
        await agents.setStatuses(tx, [...statuses.values()]);
        await agents.insertEvents(tx, events);
        await identities.insertFindings(tx, findings);
        await identities.recordSeen(tx, batch.map(({ seen, known }) => seenThrough(known, seen)));
        applied.changed += batch.length;
        applied.findings += findings.length;
      });
    }

    for (const batch of chunks(plan.refreshed)) {
      const ids = [...new Set(batch.map(({ known }) => known.agent_id))];
      const targets = batch.map(({ known }) => known.previous_agent_id).filter((id): id is string => id !== null);
      await commit([...ids, ...targets], async (tx) => {
        const returning = [...new Set(batch.filter(({ known }) => known.agent_status === 'missing').map(({ known }) => known.agent_id))];
        const before = await agents.statusesBeforeMissing(tx, returning);
        await agents.updateDefinitions(tx, batch.map(({ seen, known }) => definitionOf(known.previous_agent_id ?? known.agent_id, seen)));
        const statuses = returning.map((id) => ({ id, status: before.get(id) ?? 'quarantined', reason: `listed again by discovery source ${context.source.name}` }));
        await agents.setStatuses(tx, statuses);
        await agents.insertEvents(
          tx,
          statuses.map((change) => event(change.id, 'reappeared', 'missing', change.status, change.reason)),
        );
        await identities.recordSeen(tx, batch.map(({ seen, known }) => seenThrough(known, seen)));
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

const seenThrough = (known: KnownIdentity, seen: Observation) => ({ id: known.id, fingerprint: seen.fingerprint, observed_hash: seen.observedHash, link_keys: seen.linkKeys });

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
