/**
 * What a discovery run writes, built from what it saw: agent rows, identities, history entries and findings, each
 * naming the source and the run. The steps of apply-discovery.ts share these so that an entry reads the same
 * whichever step wrote it. Pure, apart from new ids.
 */
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import { newId } from '../../platform/ids.js';
import { agentEvent, type AgentBulkWriter, type AgentStatus, type AgentValues, type DiscoveredDefinition, type NewAgentEvent } from '../agents/index.js';
import type { MergeRepository } from './agent-merge.repository.js';
import type { DiscoverySourceKind } from './connectors/types.js';
import type { DefinitionChange } from './definition-diff.js';
import type { IdentityRepository, KnownIdentity, NewFinding, NewIdentity } from './identities.repository.js';
import type { Observation } from './reconcile.js';
import type { ToolFinding } from './tool-scan.js';

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
  /** Agents registered by this run (quarantined): what nobody has seen before. */
  new: number;
  /** New identities that a linking rule joined to an agent another source (or a person) registered: no new agent. */
  linked: number;
  changed: number;
  unchanged: number;
  missing: number;
  findings: number;
  /** Agents this run wrote to (for the audit entry and for alerts). */
  touched: string[];
}

/** One run's application in progress: what every step reads and the counts they add to. */
export interface ApplyRun {
  deps: ApplyDeps;
  context: ApplyContext;
  records: RunRecords;
  applied: Applied;
}

export type Event = NewAgentEvent & { changes?: DefinitionChange[] | null };

/** A known identity whose source now shows another definition (from the plan, or an adopted agent that differs). */
export interface ChangedIdentity {
  seen: Observation;
  known: KnownIdentity;
}

export function chunks<T>(items: T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += BATCH) result.push(items.slice(start, start + BATCH));
  return result;
}

export const clipExternalId = (id: string) => (id.length <= 500 ? id : id.slice(0, 500));

/** What the source defines of an agent: the fields a new agent row starts with and a changed definition replaces. */
function definedFields(seen: Observation) {
  const { agent } = seen;
  return {
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
  };
}

export function definitionOf(id: string, seen: Observation): DiscoveredDefinition {
  return { id, ...definedFields(seen), discovered: seen.agent.details };
}

export const seenThrough = (known: KnownIdentity, seen: Observation) => ({ id: known.id, fingerprint: seen.fingerprint, observed_hash: seen.observedHash, link_keys: seen.linkKeys });

export function uniqueByAgent(identities: KnownIdentity[]): KnownIdentity[] {
  const seen = new Map<string, KnownIdentity>();
  for (const identity of identities) if (!seen.has(identity.agent_id)) seen.set(identity.agent_id, identity);
  return [...seen.values()];
}

/** The record builders of one run: every entry is by `discovery:<source id>`, with the run's correlation id. */
export function createRunRecords(context: ApplyContext) {
  const actor = `discovery:${context.source.id}`;

  const author = { id: actor, correlationId: context.correlationId };
  const event = (agentId: string, action: string, from: AgentStatus | null, to: AgentStatus, reason: string, extra: Partial<Event> = {}): Event => ({
    ...agentEvent(author, agentId, action, from, to, reason),
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
      ...definedFields(seen),
      source: context.source.kind,
      external_id: clipExternalId(agent.agent_external_id),
      owner: agent.owner,
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

  return { actor, event, flag, agentRow, identityOf };
}

export type RunRecords = ReturnType<typeof createRunRecords>;
