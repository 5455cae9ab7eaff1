/**
 * Writes what a run found (reconcile.ts) into the registry, in batches of BATCH agents, one transaction each:
 * new agents enter `quarantined` (shadow AI), changed ones are updated and an active one goes to `needs_review`,
 * missing ones go to `missing`, and ones found again return to where they were. Every move is an agent history
 * entry; suspicious tool descriptions become findings. A batch that commits stays: a run interrupted and run again
 * finds those agents known and goes on.
 *
 * First-seen identities are apply-fresh.ts's (adopt, link or register); known ones apply-updates.ts's; the entries
 * both write are built in apply-records.ts.
 */
import { applyFreshBatch } from './apply-fresh.js';
import { chunks, createRunRecords, type Applied, type ApplyContext, type ApplyDeps, type ApplyRun } from './apply-records.js';
import { applyChangedBatch, applyMissingBatch, applyRefreshedBatch } from './apply-updates.js';
import type { Reconciliation } from './reconcile.js';

export type { Applied, ApplyContext } from './apply-records.js';

export function createDiscoveryApplier(deps: ApplyDeps) {
  return async function apply(context: ApplyContext, plan: Reconciliation): Promise<Applied> {
    const run: ApplyRun = {
      deps,
      context,
      records: createRunRecords(context),
      applied: { new: 0, linked: 0, changed: 0, unchanged: plan.unchanged, missing: 0, findings: 0, touched: [] },
    };
    // Registered agents whose definition this source now shows differently; adopted agents that differ join them.
    const changed = [...plan.changed];
    for (const batch of chunks(plan.fresh)) changed.push(...(await applyFreshBatch(run, batch)));
    for (const batch of chunks(changed)) await applyChangedBatch(run, batch);
    for (const batch of chunks(plan.refreshed)) await applyRefreshedBatch(run, batch);
    for (const batch of chunks(plan.missing)) await applyMissingBatch(run, batch);
    return run.applied;
  };
}
