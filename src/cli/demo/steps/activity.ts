/** What the demo agents did besides moving data: their runs (reliability, cost) and their questions to the policy engine. */
import type { AgentKey } from '../organisation.js';
import type { PlannedEvaluation, PlannedRun } from '../scenario.js';
import type { DemoSession } from './session.js';

const RUNS_PER_BATCH = 500;

export interface RunTally {
  accepted: number;
  duplicates: number;
  byOutcome: Record<string, number>;
}

/** Posts the runs of the agents that exist, in batches; stops at the first batch ORCA refuses. */
export async function postRuns({ pusher, note }: DemoSession, agentIds: Record<AgentKey, string>, planned: PlannedRun[]): Promise<RunTally> {
  const runs: RunTally = { accepted: 0, duplicates: 0, byOutcome: {} };
  const knownRuns = planned.filter((item) => agentIds[item.agent] !== undefined);
  for (let offset = 0; offset < knownRuns.length; offset += RUNS_PER_BATCH) {
    const batch = knownRuns.slice(offset, offset + RUNS_PER_BATCH);
    const answer = await pusher.post<{ accepted: number; duplicates: number }>('/api/v1/runs', {
      runs: batch.map(({ agent, ...item }) => ({ ...item, agent_id: agentIds[agent] })),
    });
    if (answer.status === 200 || answer.status === 201) {
      runs.accepted += answer.body.accepted;
      runs.duplicates += answer.body.duplicates;
      for (const item of batch) runs.byOutcome[item.outcome] = (runs.byOutcome[item.outcome] ?? 0) + 1;
    } else {
      note(`POST /api/v1/runs answered ${answer.status} ${answer.problem ?? ''}`);
      break;
    }
  }
  return runs;
}

/** Asks the policy engine each planned question; returns how many of each decision it gave. */
export async function askPolicy({ pusher, note }: DemoSession, agentIds: Record<AgentKey, string>, planned: PlannedEvaluation[]): Promise<Record<string, number>> {
  const decisions: Record<string, number> = {};
  for (const evaluation of planned) {
    const agentId = agentIds[evaluation.agent];
    if (agentId === undefined) continue;
    const answer = await pusher.post<{ decision: string }>('/api/v1/policy/evaluate', {
      agent_id: agentId,
      action: evaluation.action,
      resource: evaluation.resource,
      classification: evaluation.classification,
      ...(evaluation.content !== undefined ? { content: evaluation.content } : {}),
      ...(evaluation.tokens !== undefined ? { tokens: evaluation.tokens } : {}),
    });
    if (answer.status === 200) decisions[answer.body.decision] = (decisions[answer.body.decision] ?? 0) + 1;
    else {
      note(`POST /api/v1/policy/evaluate answered ${answer.status} ${answer.problem ?? ''}; the remaining evaluations were skipped`);
      break;
    }
  }
  return decisions;
}
