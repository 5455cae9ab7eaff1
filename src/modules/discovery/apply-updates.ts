/**
 * Identities a run knew already, one batch per transaction: a changed definition is written and sends an active
 * agent to `needs_review` (with the diff, and findings for poisoned or rug-pulled tools); a refreshed one is written
 * without a review; one no longer listed makes its agent `missing` when no other source still lists it; one listed
 * again returns its agent to where it was.
 */
import type { Queryable } from '../../platform/db/index.js';
import type { AgentRecord, AgentStatus, AgentStatusChange, DiscoveredDefinition } from '../agents/index.js';
import { definitionOf, seenThrough, uniqueByAgent, type ApplyRun, type ChangedIdentity, type Event } from './apply-records.js';
import { describeChanges, diffDefinitions } from './definition-diff.js';
import type { KnownIdentity, NewFinding } from './identities.repository.js';
import { poisonedTools, rugPulls, toolsToScan } from './tool-scan.js';

/** One transaction that changes these agents: announced to the other replicas with it, forgotten from caches after. */
async function commit(run: ApplyRun, ids: string[], work: (tx: Queryable) => Promise<void>): Promise<void> {
  const { db, agents } = run.deps;
  await db.transaction(async (tx) => {
    await work(tx);
    await agents.announceChanged(tx, ids);
  });
  agents.forget(ids);
  run.applied.touched.push(...ids);
}

/** Agents an identity belongs to, and the agents that keep the definitions of identities merged into them. */
function holdersOf(batch: Array<{ known: KnownIdentity }>) {
  const ids = [...new Set(batch.map(({ known }) => known.agent_id))];
  const targets = batch.map(({ known }) => known.previous_agent_id).filter((id): id is string => id !== null);
  return { ids, targets };
}

export async function applyChangedBatch(run: ApplyRun, batch: ChangedIdentity[]): Promise<void> {
  const { agents, identities, clock } = run.deps;
  const { context, records, applied } = run;
  const at = clock.now().toISOString();
  // The holder is the agent the identity belongs to (its status and history move); the target is where this
  // source's definition is kept: the holder itself, or, for an identity merged in, the agent it came with.
  const { ids, targets } = holdersOf(batch);
  await commit(run, [...ids, ...targets], async (tx) => {
    const found = new Map((await agents.findByIds(tx, [...ids, ...targets])).map((record) => [record.id, record]));
    const approved = await agents.approvedAgents(tx, ids);
    const before = await agents.statusesBeforeMissing(tx, ids.filter((id) => found.get(id)?.status === 'missing'));
    const definitions: DiscoveredDefinition[] = [];
    const statuses = new Map<string, AgentStatusChange>();
    const events: Event[] = [];
    const findings: NewFinding[] = [];
    for (const { seen, known } of batch) {
      const holder = found.get(known.agent_id);
      const target = found.get(known.previous_agent_id ?? known.agent_id);
      if (!holder || !target || holder.status === 'retired') continue;
      const changes = diffDefinitions(target, seen.agent);
      definitions.push(definitionOf(target.id, seen));
      const through = target.id === holder.id ? '' : ` through the identity merged from agent ${target.id}`;
      const summary = `definition changed (discovery source ${context.source.name}${through}): ${describeChanges(changes) || 'no visible difference'}`;
      const current = statuses.get(holder.id)?.status ?? holder.status;
      const next = nextStatusOnChange({ status: current }, before.get(holder.id), changes.length > 0);
      if (next !== current) {
        statuses.set(holder.id, { id: holder.id, status: next, reason: summary });
        events.push(records.event(holder.id, current === 'missing' ? 'reappeared' : 'review', current, next, summary, { fingerprint: seen.fingerprint, changes }));
      } else {
        events.push(records.event(holder.id, 'definition_changed', current, current, summary, { fingerprint: seen.fingerprint, changes }));
      }
      const suspicious = [...poisonedTools(seen.agent.tools, toolsToScan(changes)), ...(approved.has(holder.id) ? rugPulls(changes) : [])];
      records.flag(holder.id, next, suspicious, at, events, findings);
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

export async function applyRefreshedBatch(run: ApplyRun, batch: ChangedIdentity[]): Promise<void> {
  const { agents, identities } = run.deps;
  const { context, records, applied } = run;
  const { ids, targets } = holdersOf(batch);
  await commit(run, [...ids, ...targets], async (tx) => {
    const returning = [...new Set(batch.filter(({ known }) => known.agent_status === 'missing').map(({ known }) => known.agent_id))];
    const before = await agents.statusesBeforeMissing(tx, returning);
    await agents.updateDefinitions(tx, batch.map(({ seen, known }) => definitionOf(known.previous_agent_id ?? known.agent_id, seen)));
    const statuses = returning.map((id) => ({ id, status: before.get(id) ?? 'quarantined', reason: `listed again by discovery source ${context.source.name}` }));
    await agents.setStatuses(tx, statuses);
    await agents.insertEvents(
      tx,
      statuses.map((change) => records.event(change.id, 'reappeared', 'missing', change.status, change.reason)),
    );
    await identities.recordSeen(tx, batch.map(({ seen, known }) => seenThrough(known, seen)));
    applied.unchanged += batch.length;
  });
}

export async function applyMissingBatch(run: ApplyRun, batch: KnownIdentity[]): Promise<void> {
  const { agents, identities, clock } = run.deps;
  const { context, records, applied } = run;
  const at = clock.now();
  const ids = [...new Set(batch.map((identity) => identity.agent_id))];
  await commit(run, ids, async (tx) => {
    await identities.markMissing(tx, batch.map((identity) => identity.id), at);
    // An agent another source still lists is not missing (identities of several sources, once merged).
    const gone = await identities.agentsWithoutPresentIdentity(tx, ids);
    const moving = uniqueByAgent(batch).filter((identity) => gone.has(identity.agent_id) && identity.agent_status !== 'missing');
    const reason = `no longer listed by discovery source ${context.source.name}`;
    await agents.setStatuses(tx, moving.map((identity) => ({ id: identity.agent_id, status: 'missing' as const, reason })));
    await agents.insertEvents(tx, moving.map((identity) => records.event(identity.agent_id, 'missing', identity.agent_status, 'missing', reason)));
    applied.missing += batch.length;
  });
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
