/** Policy simulation: replays recorded decisions against a draft policy and reports what would change. */
import { AppError } from '../../platform/errors.js';
import { compilePolicy, type CompiledPolicy } from './compile-policy.js';
import { instant } from './date-time.js';
import type { DecisionLogRepository, ReplayRow } from './decision-log.repository.js';
import { decide, type Decision, type EvaluationFacts } from './evaluate.js';
import type { SimulateInput, SimulateOutput } from './policies.schemas.js';
import type { PolicyDocumentRepository } from './policy-documents.repository.js';

/** A simulation replays at most this many decisions (newest ranges should be narrowed instead). */
export const SIMULATION_LIMIT = 100_000;
const REPLAY_PAGE = 2_000;

export interface PolicySimulationServiceDeps {
  documents: Pick<PolicyDocumentRepository, 'findVersion'>;
  log: Pick<DecisionLogRepository, 'replayPage'>;
  /** The built-in policy: it recorded the decisions of version 0. */
  defaultPolicy: CompiledPolicy;
  /** Share of violation-free allow decisions that are recorded (POLICY_ALLOW_SAMPLE_RATE): the replay sees only those. */
  allowSampleRate: number;
}

export function createPolicySimulationService(deps: PolicySimulationServiceDeps) {
  const { documents, log, defaultPolicy } = deps;

  /**
   * The lists of the policy version that recorded a decision: version 0 is the built-in default. null when the
   * version is unknown or no longer compiles; its decisions then replay without a limitation being named.
   */
  async function scannedByRecordingPolicy(version: number): Promise<ScannedLists | null> {
    if (version === 0) return scannedBy(defaultPolicy);
    const row = await documents.findVersion(version);
    if (!row) return null;
    try {
      return scannedBy(compilePolicy(row.document, row.version));
    } catch {
      return null;
    }
  }

  return {
    /** Replays recorded decisions against a draft; reads only, enforces and writes nothing. */
    async simulate(input: SimulateInput): Promise<SimulateOutput> {
      const draft = compilePolicy(input.policy, -1, '/body/policy');
      const since = instant(input.since, '/body/since');
      const until = instant(input.until, '/body/until');
      if (!(since.getTime() < until.getTime())) {
        throw new AppError('validation_failed', 'since must be before until', { errors: [{ path: '/body/until', message: 'must be after since' }] });
      }
      const transitions = new Map<string, number>();
      const byRule = new Map<string, { recorded: number; simulated: number }>();
      const byAgent = new Map<string | null, { newly_denied: number; newly_allowed: number; changed: number }>();
      const missingDetectors = new Map<string, number>();
      let replayed = 0;
      let newlyDenied = 0;
      let newlyAllowed = 0;
      let changed = 0;
      let truncated = false;
      let after: string | undefined;
      const draftScans = scannedBy(draft);
      // What each recording policy version scanned for, compiled once per version met in the range.
      const scannedByVersion = new Map<number, ScannedLists | null>();
      const scannedFor = async (row: ReplayRow): Promise<ScannedLists | null> => {
        if (row.facts.scanned) return row.facts.scanned; // rows recorded before the lists were derived from the version
        if (!scannedByVersion.has(row.policy_version)) scannedByVersion.set(row.policy_version, await scannedByRecordingPolicy(row.policy_version));
        return scannedByVersion.get(row.policy_version)!;
      };

      for (;;) {
        const rows = await log.replayPage({ since, until, ...(input.agent_id ? { agent_id: input.agent_id } : {}), ...(after ? { after } : {}), limit: REPLAY_PAGE });
        for (const row of rows) {
          if (replayed >= SIMULATION_LIMIT) {
            truncated = true;
            break;
          }
          replayed += 1;
          const facts = row.facts;
          const scanned = await scannedFor(row);
          if (scanned) {
            for (const detector of draftScans.detectors) {
              if (!scanned.detectors.includes(detector)) missingDetectors.set(`detector ${detector}`, (missingDetectors.get(`detector ${detector}`) ?? 0) + 1);
            }
            for (const pattern of draftScans.injection) {
              const name = `prompt-injection pattern ${pattern}`;
              if (!scanned.injection.includes(pattern)) missingDetectors.set(name, (missingDetectors.get(name) ?? 0) + 1);
            }
          }
          // A row recorded with the detector off has no score: a draft that turns it on cannot know what it would find.
          if (draft.injection.detector && facts.injection_score === undefined) {
            missingDetectors.set('the prompt-injection detector', (missingDetectors.get('the prompt-injection detector') ?? 0) + 1);
          }
          const outcome = decide(draft, facts);
          const from: Decision = row.decision;
          const to = outcome.decision;
          const recordedRules = row.violations.map((violation) => violation.rule);
          for (const rule of recordedRules) {
            const entry = byRule.get(rule) ?? { recorded: 0, simulated: 0 };
            entry.recorded += 1;
            byRule.set(rule, entry);
          }
          for (const violation of outcome.violations) {
            const entry = byRule.get(violation.rule) ?? { recorded: 0, simulated: 0 };
            entry.simulated += 1;
            byRule.set(violation.rule, entry);
          }
          if (from === to) continue;
          changed += 1;
          const key = `${from}>${to}`;
          transitions.set(key, (transitions.get(key) ?? 0) + 1);
          const agent = byAgent.get(row.agent_id) ?? { newly_denied: 0, newly_allowed: 0, changed: 0 };
          agent.changed += 1;
          if (to === 'deny') {
            newlyDenied += 1;
            agent.newly_denied += 1;
          }
          if (to === 'allow') {
            newlyAllowed += 1;
            agent.newly_allowed += 1;
          }
          byAgent.set(row.agent_id, agent);
        }
        if (truncated || rows.length < REPLAY_PAGE) break;
        after = rows[rows.length - 1]!.id;
      }

      const limitations = [...missingDetectors.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, count]) => `${count} decision${count === 1 ? ' was' : 's were'} recorded without ${name}: its findings cannot be replayed (content is never stored)`);
      if (deps.allowSampleRate < 1) {
        limitations.push(`allow decisions without violations are sampled at ${deps.allowSampleRate}: the replay sees only that share of them`);
      }
      return {
        replayed,
        unchanged: replayed - changed,
        newly_denied: newlyDenied,
        newly_allowed: newlyAllowed,
        changed,
        transitions: [...transitions.entries()]
          .map(([key, count]) => {
            const [from, to] = key.split('>') as [Decision, Decision];
            return { from, to, count };
          })
          .sort((a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to)),
        by_rule: [...byRule.entries()].map(([rule, counts]) => ({ rule, ...counts })).sort((a, b) => a.rule.localeCompare(b.rule)),
        by_agent: [...byAgent.entries()]
          .map(([agent_id, counts]) => ({ agent_id, ...counts }))
          .sort((a, b) => b.changed - a.changed || String(a.agent_id).localeCompare(String(b.agent_id))),
        limitations,
        truncated,
      };
    },
  };
}

type ScannedLists = NonNullable<EvaluationFacts['scanned']>;

/**
 * What a policy scans for (detectors and injection pattern names). A decision row records the policy version, and
 * every version is kept, so a replay derives these lists from the version instead of each row carrying them
 * (they were three quarters of a row's `facts`).
 */
const scannedLists = new WeakMap<CompiledPolicy, ScannedLists>();
function scannedBy(policy: CompiledPolicy): ScannedLists {
  let scanned = scannedLists.get(policy);
  if (!scanned) {
    scanned = {
      detectors: [...policy.enabledEntities, ...policy.custom.map((detector) => detector.entity)],
      injection: [...new Set([...policy.injection.phrases, ...policy.injection.regexes].map((pattern) => pattern.name))],
    };
    scannedLists.set(policy, scanned);
  }
  return scanned;
}

export type PolicySimulationService = ReturnType<typeof createPolicySimulationService>;
