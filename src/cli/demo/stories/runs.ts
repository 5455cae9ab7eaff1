/** Agent runs (the telemetry behind reliability and cost): counts, outcomes and costs follow each agent's profile. */
import { AGENTS, type AgentKey } from '../organisation.js';
import { stableId, stableUuid, type Prng } from '../prng.js';
import type { PlannedRun, ScenarioOptions } from '../scenario.types.js';
import { DAY, HOUR, MINUTE, iso } from './context.js';

const RUN_AGENTS: AgentKey[] = [
  'orderSync',
  'helpdeskRouter',
  'invoiceSync',
  'crmSync',
  'githubMcp',
  'warehouseMcp',
  'supportCopilot',
  'salesAssistant',
  'financeAgent',
  'dwhPipeline',
  'leadEnrichment',
];

export function planRuns(options: ScenarioOptions, random: Prng): PlannedRun[] {
  return RUN_AGENTS.flatMap((key) => runsOf(key, options, random));
}

function runsOf(key: AgentKey, options: ScenarioOptions, random: Prng): PlannedRun[] {
  const definition = AGENTS.find((agent) => agent.key === key);
  if (!definition) return [];
  const { perDay, success, timeout, llm, errorKinds } = definition.runs;
  const now = options.now.getTime();
  const start = now - options.days * DAY;
  const runs: PlannedRun[] = [];
  for (let day = 0; day < options.days; day++) {
    const count = random.int(perDay[0], perDay[1]);
    for (let index = 0; index < count; index++) {
      const startedAt = Math.min(start + day * DAY + random.next() * DAY, now - 2 * MINUTE);
      const roll = random.next();
      const outcome = roll < success ? 'success' : roll < success + timeout ? 'timeout' : 'error';
      const isPipeline = definition.body.kind === 'pipeline';
      let duration = isPipeline ? random.int(10, 40) * MINUTE : llm ? random.int(800, 12_000) : random.int(150, 4000);
      if (outcome === 'timeout') duration = isPipeline ? 2 * HOUR : llm ? 60_000 : 30_000;
      const tokensIn = llm ? random.int(400, 6000) : 0;
      const tokensOut = llm && outcome !== 'timeout' ? random.int(80, 1500) : 0;
      // List prices of the models' tiers per million tokens (input 3 $, output 15 $); a workflow task ~0.2 ¢.
      const cost = llm ? (tokensIn * 3 + tokensOut * 15) / 1_000_000 : isPipeline ? 0.42 : 0.002;
      runs.push({
        id: stableUuid(options.seed, options.run, `run:${key}:${day}:${index}`),
        agent: key,
        started_at: iso(startedAt),
        duration_ms: duration,
        outcome,
        error_kind: outcome === 'error' ? random.pick(errorKinds.length > 0 ? errorKinds : ['unknown']) : outcome === 'timeout' ? 'timeout' : null,
        tokens_in: tokensIn,
        tokens_out: tokensOut,
        cost_usd: Math.round(cost * 1_000_000) / 1_000_000,
        correlation_id: `demo-${stableId(options.seed, options.run, `run-correlation:${key}:${day}:${index}`, 12)}`,
      });
    }
  }
  return runs;
}
