/**
 * The pure core of policy evaluation: facts in, decision out. No I/O, so the same function decides live requests
 * (policy-decisions.service.ts) and replays recorded ones against a draft policy (policy-simulation.service.ts).
 */
import { quotaFor, type CompiledPolicy, type RuleSpec } from './compile-policy.js';
import { detectInjection, type ContentOrigin } from './injection/detect.js';
import { normaliseText } from './injection-phrases.js';
import { detectPii, redact, resolveOverlaps, type PiiFinding } from './pii.js';
import type { AccessRule, PiiAction, Severity } from './policy-document.js';

export const DECISIONS = ['allow', 'deny', 'redact', 'require_approval'] as const;
export type Decision = (typeof DECISIONS)[number];

export interface Violation {
  rule: string;
  severity: Severity;
  detail: string;
  /** prompt_injection found by the detector: its score and the signals that produced it, strongest first. */
  score?: number;
  signals?: string[];
}

export interface AgentFacts {
  id: string;
  status: string;
  role: string | null;
  classification: string;
}

/** An agent's quota usage: calls in its current window, tokens and cost today. */
export interface Usage {
  calls: number;
  tokens: number;
  cost_usd: number;
}

/** Everything a decision depends on. Also what a decision row keeps for replay — never the content itself. */
export interface EvaluationFacts {
  agent_id: string;
  /** null: no agent with this id is registered. */
  agent: AgentFacts | null;
  action: string;
  classification: string;
  /** How many findings of each detector (built-in entity or custom name) the content held. */
  pii: Record<string, number>;
  /** Names of the prompt-injection patterns the content matched. */
  injection: string[];
  /** The injection detector's score (0 without content); absent when the recording policy had the detector off. */
  injection_score?: number;
  /** The signals behind the score, strongest first (at most MAX_RECORDED_SIGNALS). */
  injection_signals?: string[];
  /** Usage including this call (calls in the current window, tokens and cost today); absent before quotas are counted. */
  usage?: Usage;
  /**
   * The approval the call presented (`approval_id`), as the approvals module judged it against this very call:
   * `approved` satisfies every require_approval effect; `invalid` (unknown, pending, denied, expired, used, or
   * granted for another agent, action, resource, classification or content) is a deny with its reason.
   */
  approval?: PresentedApproval;
  /**
   * What the recording policy scanned for: a draft's detector that is not listed here cannot be replayed. Present
   * only in rows of earlier releases: a replay now derives the lists from the row's policy version.
   */
  scanned?: { detectors: string[]; injection: string[] };
}

export type PresentedApproval = { id: string; verdict: 'approved' } | { id: string; verdict: 'invalid'; reason: string };

export interface Outcome {
  decision: Decision;
  violations: Violation[];
  /** Entities whose findings must be redacted from the content (decision `redact`). */
  redact: Set<string>;
  maxSeverity: Severity | null;
  /** No violation of severity medium or above (PLAN decision contract). */
  compliant: boolean;
  /**
   * Risk cost of the high/critical violations that were enforced (0 in monitor mode or when allowed). 0 for a
   * require_approval decision: holding the call avoids nothing yet (`heldRiskUsd` is booked if it is denied or expires).
   */
  riskAvoidedUsd: number;
  /** require_approval: what RA$ counts once the approval is denied or expires; 0 otherwise. */
  heldRiskUsd: number;
  /** require_approval: the rules whose effect asked for the approval, in the order they were found. */
  approvalRules: string[];
}

const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };
const DECISION_RANK: Record<Decision, number> = { allow: 0, redact: 1, require_approval: 2, deny: 3 };

export function severityAtLeast(severity: Severity, floor: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[floor];
}

interface Hit {
  violation: Violation;
  effect: Decision;
  riskCostUsd: number;
}

/**
 * The quota rules the usage in `facts` breaks (calls in the window, tokens and cost today); none without usage or
 * without an agent. decide() turns each into a `deny`; the group committer asks this alone to learn whether a call
 * is refused, since everything else decide() looks at is the same before and after the usage is known.
 */
export function quotaViolations(policy: CompiledPolicy, facts: EvaluationFacts): Array<{ rule: 'quota_calls' | 'quota_tokens' | 'quota_cost'; detail: string }> {
  const { usage, agent } = facts;
  if (!usage || !agent) return [];
  const quota = quotaFor(policy, agent.id, agent.role ?? policy.defaultRole ?? null);
  if (!quota) return [];
  const exceeded: Array<{ rule: 'quota_calls' | 'quota_tokens' | 'quota_cost'; detail: string }> = [];
  if (quota.calls !== undefined && usage.calls > quota.calls) {
    exceeded.push({ rule: 'quota_calls', detail: `${usage.calls} calls in the ${quota.windowMs / 1000} s window exceed ${quota.calls}` });
  }
  if (quota.tokensPerDay !== undefined && usage.tokens > quota.tokensPerDay) {
    exceeded.push({ rule: 'quota_tokens', detail: `${usage.tokens} tokens today exceed ${quota.tokensPerDay}` });
  }
  if (quota.costUsdPerDay !== undefined && usage.cost_usd > quota.costUsdPerDay) {
    exceeded.push({ rule: 'quota_cost', detail: `${round(usage.cost_usd)} USD today exceeds ${quota.costUsdPerDay}` });
  }
  return exceeded;
}

/**
 * Decides one request. In monitor mode every violation is reported and kept, but the decision is `allow` — except
 * for an agent that is not active (suspended, quarantined, retired): it is always denied, or a kill switch or a
 * quarantine would stop nothing while the policy is being tried out.
 */
export function decide(policy: CompiledPolicy, facts: EvaluationFacts): Outcome {
  const hits: Hit[] = [];
  const redactEntities = new Set<string>();
  const hit = (rule: AccessRule, effect: Decision, detail: string) => {
    const spec: RuleSpec = policy.rules[rule];
    hits.push({ violation: { rule, severity: spec.severity, detail }, effect, riskCostUsd: spec.riskCostUsd });
  };

  const agent = facts.agent;
  const requested = policy.classifications.get(facts.classification);
  if (agent === null) {
    hit('agent_unknown', 'deny', `no agent ${facts.agent_id} is registered`);
  } else {
    // An approved agent whose definition changed waits for a new approval; the policy says whether it may act meanwhile.
    const allowedWhileInReview = agent.status === 'needs_review' && policy.needsReview === 'allow';
    if (agent.status !== 'active' && !allowedWhileInReview) hit('agent_status', 'deny', `agent is ${agent.status}`);
    const ceiling = policy.classifications.get(agent.classification);
    if (!requested) hit('classification_unknown', 'deny', `classification "${facts.classification}" is not defined by policy`);
    else if (!ceiling || ceiling.rank < requested.rank) {
      hit('classification_ceiling', 'deny', `agent ceiling ${agent.classification} is below ${facts.classification}`);
    }
    const roleName = agent.role ?? policy.defaultRole ?? null;
    const role = roleName !== null ? policy.roles.get(roleName) : undefined;
    if (!role) {
      hit('role_unknown', 'deny', roleName === null ? 'agent has no role and the policy has no default_role' : `role "${roleName}" is not defined by policy`);
    } else {
      if (requested && role.classifications !== '*' && !role.classifications.has(facts.classification)) {
        hit('role_classification', 'deny', `role ${roleName} may not touch ${facts.classification} data`);
      }
      if (role.actions !== '*' && !role.actions.has(facts.action)) hit('role_action', 'deny', `role ${roleName} may not ${facts.action}`);
    }
    // An approval granted for exactly this call meets the requirement: it is no longer a violation.
    if (policy.approvalActions.has(facts.action) && facts.approval?.verdict !== 'approved') {
      hit('approval_required', 'require_approval', `${facts.action} needs a human approval`);
    }
  }
  if (facts.approval?.verdict === 'invalid') hit('approval_invalid', 'deny', `approval ${facts.approval.id} ${facts.approval.reason}`);

  const injectionHit = promptInjectionHit(policy, facts);
  if (injectionHit) hits.push(injectionHit);

  // PII: the action the policy takes for this destination classification.
  for (const [entity, count] of Object.entries(facts.pii)) {
    if (count <= 0) continue;
    const spec = policy.detectors.get(entity) ?? policy.custom.find((detector) => detector.entity === entity);
    if (!spec) continue;
    const action: PiiAction = spec.actions[facts.classification] ?? 'block';
    if (action === 'allow') continue;
    const effect: Decision = action === 'block' ? 'deny' : 'redact';
    if (effect === 'redact') redactEntities.add(entity);
    hits.push({
      violation: { rule: spec.rule, severity: spec.severity, detail: `${count} ${entity} finding${count === 1 ? '' : 's'} for a ${facts.classification} destination: ${action}` },
      effect,
      riskCostUsd: spec.riskCostUsd,
    });
  }

  for (const exceeded of quotaViolations(policy, facts)) hit(exceeded.rule, 'deny', exceeded.detail);

  // A granted approval satisfies every other hold too (a prompt injection whose action is require_approval): the
  // violation stays on record, the call goes ahead.
  if (facts.approval?.verdict === 'approved') {
    for (const entry of hits) if (entry.effect === 'require_approval') entry.effect = 'allow';
  }
  let decision: Decision = 'allow';
  let maxSeverity: Severity | null = null;
  for (const { violation, effect } of hits) {
    if (DECISION_RANK[effect] > DECISION_RANK[decision]) decision = effect;
    if (maxSeverity === null || SEVERITY_RANK[violation.severity] > SEVERITY_RANK[maxSeverity]) maxSeverity = violation.severity;
  }
  const enforce = policy.mode === 'enforce';
  const statusDenial = hits.find(({ violation }) => violation.rule === 'agent_status');
  // An agent that is not active is denied in monitor mode too (docs/policies.md): the one effect monitor enforces.
  if (!enforce) decision = statusDenial ? 'deny' : 'allow';
  // The risk of an action that needs approval reaches RA$ only through its approval, once denied or expired
  // (docs/trust.md): held here, and never counted by a deny that merely coincides with it.
  const held = decision === 'require_approval';
  let enforcedRiskUsd = 0;
  if (decision !== 'allow') {
    // In monitor mode only the status denial was enforced: only it avoided a risk.
    for (const { violation, effect, riskCostUsd } of enforce ? hits : [statusDenial!]) {
      if (effect === 'allow' || !severityAtLeast(violation.severity, 'high')) continue;
      if (held || violation.rule !== 'approval_required') enforcedRiskUsd += riskCostUsd;
    }
  }
  return {
    decision,
    violations: hits.map((entry) => entry.violation),
    redact: decision === 'redact' ? redactEntities : new Set(),
    maxSeverity,
    // Asking for an approval is not a violation by itself (docs/trust.md): approval_required never makes a call non-compliant.
    compliant: !hits.some(({ violation }) => violation.rule !== 'approval_required' && severityAtLeast(violation.severity, 'medium')),
    riskAvoidedUsd: held ? 0 : round(enforcedRiskUsd),
    heldRiskUsd: held ? round(enforcedRiskUsd) : 0,
    approvalRules: held ? hits.filter((entry) => entry.effect === 'require_approval').map((entry) => entry.violation.rule) : [],
  };
}

/**
 * The prompt_injection violation, if any: from the patterns the content matched and from the detector's score
 * against the threshold for this destination classification. One violation, with the stronger effect of the two;
 * a detection whose action is `monitor` is recorded and allowed.
 */
function promptInjectionHit(policy: CompiledPolicy, facts: EvaluationFacts): Hit | undefined {
  const spec = policy.rules.prompt_injection;
  const parts: string[] = [];
  let effect: Decision | undefined;
  if (facts.injection.length > 0) {
    parts.push(`content matches ${[...new Set(facts.injection)].sort().join(', ')}`);
    effect = policy.injection.action;
  }
  const detector = policy.injection.detector;
  const score = facts.injection_score;
  let detected = false;
  if (detector && score !== undefined) {
    const setting = detector.byClassification.get(facts.classification) ?? detector.fallback;
    if (score >= setting.threshold) {
      detected = true;
      const signals = facts.injection_signals ?? [];
      parts.push(`injection score ${score} >= ${setting.threshold} for a ${facts.classification} destination (${setting.action})${signals.length > 0 ? `: ${signals.join(', ')}` : ''}`);
      const detectorEffect: Decision = setting.action === 'monitor' ? 'allow' : setting.action;
      if (effect === undefined || DECISION_RANK[detectorEffect] > DECISION_RANK[effect]) effect = detectorEffect;
    }
  }
  if (effect === undefined) return undefined;
  const violation: Violation = { rule: 'prompt_injection', severity: spec.severity, detail: parts.join('; ') };
  if (detected) {
    violation.score = score!;
    violation.signals = facts.injection_signals ?? [];
  }
  return { violation, effect, riskCostUsd: spec.riskCostUsd };
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

export interface ContentScan {
  findings: PiiFinding[];
  counts: Record<string, number>;
  injection: string[];
  /** The injection detector's score and signals; absent when the policy turns the detector off. */
  injectionScore?: number;
  injectionSignals?: string[];
}

/** A decision row keeps the strongest signals only: enough to explain, bounded in size. */
export const MAX_RECORDED_SIGNALS = 8;

/**
 * Runs the policy's detectors over the content: built-ins, custom RE2 patterns, prompt-injection patterns and the
 * injection detector. `origin`: where the content came from (a document, web page, email or tool output is data the
 * agent reads, scanned for instructions aimed at the agent).
 */
export function scanContent(policy: CompiledPolicy, content: string | undefined, origin?: ContentOrigin): ContentScan {
  const detector = policy.injection.detector !== undefined;
  if (content === undefined || content === '') return { findings: [], counts: {}, injection: [], ...(detector ? { injectionScore: 0, injectionSignals: [] } : {}) };
  const lower = content.toLowerCase();
  let findings = detectPii(content, policy.enabledEntities, policy.piiOptions);
  // The regexes carry the `g` flag (exec walks the matches), so test() would start where the last call stopped.
  if (policy.customAny) policy.customAny.lastIndex = 0;
  if (policy.customAny && policy.customAny.test(content)) {
    const custom: PiiFinding[] = [];
    for (const detector of policy.custom) {
      const regex = detector.regex;
      regex.lastIndex = 0;
      let match: ReturnType<typeof regex.exec>;
      while ((match = regex.exec(content)) !== null) {
        const length = match[0]?.length ?? 0;
        if (length === 0) {
          regex.lastIndex += 1;
          continue;
        }
        custom.push({ entity: detector.entity, start: match.index, end: match.index + length });
      }
    }
    if (custom.length > 0) findings = resolveOverlaps([...findings, ...custom]);
  }
  const counts: Record<string, number> = {};
  for (const finding of findings) counts[finding.entity] = (counts[finding.entity] ?? 0) + 1;

  const injection = new Set<string>();
  const phraseRegex = policy.injection.phraseRegex;
  if (phraseRegex) {
    phraseRegex.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = phraseRegex.exec(lower)) !== null) {
      const name = policy.injection.phraseNames.get(normaliseText(match[0]));
      if (name) injection.add(name);
    }
  }
  if (policy.injection.regexes.length > 0) {
    for (const { name, regex } of policy.injection.regexes) {
      regex.lastIndex = 0;
      if (!injection.has(name) && regex.test(content)) injection.add(name);
    }
  }
  const scan: ContentScan = { findings, counts, injection: [...injection] };
  if (detector) {
    const detected = detectInjection(content, origin ? { origin, lowerCased: lower } : { lowerCased: lower });
    scan.injectionScore = detected.score;
    scan.injectionSignals = detected.signals.slice(0, MAX_RECORDED_SIGNALS).map((signal) => signal.name);
  }
  return scan;
}

/** The facts of a scan that the decision depends on (and a decision row keeps). */
export function injectionFacts(scan: ContentScan): Pick<EvaluationFacts, 'injection' | 'injection_score' | 'injection_signals'> {
  return {
    injection: scan.injection,
    ...(scan.injectionScore !== undefined ? { injection_score: scan.injectionScore, injection_signals: scan.injectionSignals ?? [] } : {}),
  };
}

/** The content with the findings of the given entities replaced; other findings stay as they were. */
export function redactContent(content: string, findings: PiiFinding[], entities: Set<string>): string {
  return redact(content, findings.filter((finding) => entities.has(finding.entity)));
}
