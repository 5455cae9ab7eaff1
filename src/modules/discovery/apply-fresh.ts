/**
 * Identities a run sees for the first time, one batch in one transaction. Each becomes one of: an identity of an
 * agent the registry already has under the same external id (adopted; joining the survivor if that agent was merged
 * away), an identity a linking rule joins to another source's agent (linked), or a new agent in `quarantined`
 * (shadow AI). Adopted agents that differ are handed back to be written as changes.
 */
import type { Queryable } from '../../platform/db/index.js';
import { newId } from '../../platform/ids.js';
import type { AgentStatus, AgentValues, DiscoveredDefinition } from '../agents/index.js';
import type { IdentityBefore, MergeRecord } from './agent-merge.repository.js';
import { clipExternalId, definitionOf, type ApplyRun, type ChangedIdentity, type Event } from './apply-records.js';
import type { NewFinding, NewIdentity } from './identities.repository.js';
import { externalIdsFor, keysOfExternalId, parseKey } from './link-keys.js';
import type { Observation } from './reconcile.js';
import { poisonedTools } from './tool-scan.js';

interface Link {
  agent: { id: string; status: AgentStatus };
  rule: string;
  value: string;
}

/**
 * For each new observation with linking keys, the agent of another source (or registered by hand) that shares
 * one: the oldest such agent, by the first of its keys in order. One statement for the batch.
 */
async function linksOf(run: ApplyRun, tx: Queryable, batch: Observation[]): Promise<Map<Observation, Link>> {
  const { agents, merges } = run.deps;
  const keys = [...new Set(batch.flatMap((seen) => seen.linkKeys))];
  const result = new Map<Observation, Link>();
  if (keys.length === 0) return result;
  const rules = [...new Set(keys.map((key) => parseKey(key).rule))];
  const byKey = new Map<string, string>();
  for (const candidate of await merges.candidates(tx, run.context.source.id, keys, externalIdsFor(keys))) {
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

/** Writes one batch of first-seen identities; returns the adopted ones whose definition differs (to write as changes). */
export async function applyFreshBatch(run: ApplyRun, batch: Observation[]): Promise<ChangedIdentity[]> {
  const { db, agents, identities, merges, clock } = run.deps;
  const { context, records, applied } = run;
  const at = clock.now().toISOString();
  const changed: ChangedIdentity[] = [];
  const adoptedIds: string[] = [];
  await db.transaction(async (tx) => {
    const existing = new Map(
      (await agents.findBySourceExternalIds(tx, context.source.kind, batch.map((seen) => clipExternalId(seen.agent.agent_external_id)))).map((agent) => [agent.external_id, agent]),
    );
    // An adopted agent that was merged into another: the identity joins the survivor, the merged agent keeps
    // this source's definition.
    const survivors = await merges.survivorsOf(tx, [...existing.values()].filter((agent) => agent.status === 'merged').map((agent) => agent.id));
    const survivorRecords = new Map((await agents.findByIds(tx, [...new Set(survivors.values())])).map((record) => [record.id, record]));
    const linked = await linksOf(run, tx, batch.filter((seen) => !existing.has(clipExternalId(seen.agent.agent_external_id))));
    const rows: AgentValues[] = [];
    const adoptedSame: DiscoveredDefinition[] = [];
    const links: NewIdentity[] = [];
    const events: Event[] = [];
    const findings: NewFinding[] = [];
    const ruleMerges: Array<Omit<MergeRecord, 'unmerged_at' | 'merged_at'> & { merged_at: string }> = [];
    const linkedTo: string[] = [];
    const joined: Array<{ agentId: string; identity: IdentityBefore }> = [];
    let registered = 0;
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
          ...records.identityOf(identityId, survivor.id, seen, 'adopted', at),
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
        rows.push(records.agentRow(ownId, seen, 'merged', `merged into agent ${link.agent.id} by the linking rule ${link.rule}`));
        links.push({ ...records.identityOf(identityId, link.agent.id, seen, 'rule', at), previous_agent_id: ownId });
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
          merged_by: records.actor,
          correlation_id: context.correlationId,
          merged_at: at,
        });
        events.push(records.event(link.agent.id, 'linked', link.agent.status, link.agent.status, reason, { fingerprint: seen.fingerprint }));
        records.flag(link.agent.id, link.agent.status, poisonedTools(seen.agent.tools), at, events, findings);
        linkedTo.push(link.agent.id);
        continue;
      }
      const agentId = adopted?.id ?? newId();
      // An agent this source's kind already registered under the same external id (by hand, or through another
      // source) is the same thing: this source's identity joins it.
      const differs = adopted !== undefined && adopted.fingerprint !== seen.fingerprint;
      links.push({
        ...records.identityOf(identityId, agentId, seen, adopted ? 'adopted' : 'discovered', at),
        // An adopted agent that differs keeps its own fingerprint on the identity until the changes pass writes it.
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
      rows.push(records.agentRow(agentId, seen, 'quarantined', `found by discovery source ${context.source.name}; waiting for approval`));
      events.push(records.event(agentId, 'discovered', null, 'quarantined', `found by discovery source ${context.source.name} (${context.source.kind})`, { fingerprint: seen.fingerprint }));
      records.flag(agentId, 'quarantined', poisonedTools(agent.tools), at, events, findings);
      registered += 1;
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
    // A linked identity adds no agent to review: its own row is born merged, so it counts as linked, not new.
    applied.new += registered;
    applied.linked += ruleMerges.length;
    applied.unchanged += adoptedSame.length;
    applied.findings += findings.length;
    applied.touched.push(...rows.map((row) => row.id), ...announced);
    adoptedIds.push(...announced);
  });
  agents.forget(adoptedIds);
  return changed;
}
