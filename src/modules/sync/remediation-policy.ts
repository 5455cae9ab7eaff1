/**
 * The remediation policy of a sync contract (docs/self-healing.md): which actions a gap of a rule calls for, checked
 * and compiled with the rest of the document (contract.ts), and looked up for a gap when it opens. Pure: no I/O.
 *
 * Precedence: a rule's own `remediation` (a follow-up, lifecycle or agreement; a stream for the gaps its own rules
 * open: stale, sequence, unique and idempotency) wins; without one, the contract's `remediation` for the gap's type
 * applies; without that, the gap gets no remediation. `remediation: []` on a rule turns the contract default off.
 */
import { parseDuration } from '../../platform/config/duration.js';
import type { CompiledContract } from './contract.js';
import type { ContractDocument, GapType, RemediationActionName } from './contract-schema.js';

export interface RemediationStep {
  action: RemediationActionName;
  /** The step's index in its list: a gap gets one remediation record per step. */
  position: number;
  receiver: string | null;
  /** Act only if the gap is still open this long after it opened. */
  after_ms: number;
  /** null: the rule's resolve_within, filled in when the policy is looked up for a gap. */
  verify_within_ms: number | null;
  max_attempts: number;
  enabled: boolean;
}

/** A step as it applies to one gap: every default resolved. */
export type ResolvedRemediationStep = Omit<RemediationStep, 'verify_within_ms'> & { verify_within_ms: number };

/** Actions that talk to something that may be down are worth trying again; the others either work or cannot. */
export const DEFAULT_MAX_ATTEMPTS: Record<RemediationActionName, number> = {
  resync_request: 3,
  retry_delivery: 3,
  notify: 1,
  open_incident: 1,
  quarantine_agent: 1,
  suspend_agent: 1,
};

const NEEDS_RECEIVER: ReadonlySet<RemediationActionName> = new Set(['resync_request', 'notify']);
const TAKES_RECEIVER: ReadonlySet<RemediationActionName> = new Set(['resync_request', 'notify', 'retry_delivery']);
const MIN_VERIFY_WITHIN_MS = 1000;

type StepInput = NonNullable<ContractDocument['contracts'][number]['streams'][number]['remediation']>[number];

/**
 * Checks and compiles one list of steps found at `path` (a JSON pointer without the request prefix). Returns
 * undefined when the list is absent (the rule inherits the contract's policy for its gap type).
 */
export function compileRemediation(steps: StepInput[] | undefined, path: string, fail: (path: string, message: string) => void): RemediationStep[] | undefined {
  if (steps === undefined) return undefined;
  const seen = new Set<string>();
  return steps.map((step, index) => {
    const at = `${path}/${index}`;
    if (NEEDS_RECEIVER.has(step.action) && step.receiver === undefined) fail(`${at}/receiver`, `${step.action} needs a receiver: the name of the receiver to call`);
    if (!TAKES_RECEIVER.has(step.action) && step.receiver !== undefined) fail(`${at}/receiver`, `${step.action} acts on the owner agent and takes no receiver`);
    const identity = `${step.action}\u0000${step.receiver ?? ''}`;
    if (seen.has(identity)) fail(`${at}/action`, `${step.action}${step.receiver ? ` to ${step.receiver}` : ''} is listed twice`);
    seen.add(identity);
    const verify = step.verify_within === undefined ? null : (parseDuration(step.verify_within) ?? 0);
    if (verify !== null && verify < MIN_VERIFY_WITHIN_MS) fail(`${at}/verify_within`, 'must be at least 1s');
    return {
      action: step.action,
      position: index,
      receiver: step.receiver ?? null,
      after_ms: step.after === undefined ? 0 : (parseDuration(step.after) ?? 0),
      verify_within_ms: verify,
      max_attempts: step.max_attempts ?? DEFAULT_MAX_ATTEMPTS[step.action],
      enabled: step.enabled ?? true,
    };
  });
}

/** The contract-level policy, per gap type; only the types the document names. */
export function compileContractRemediation(
  policy: NonNullable<ContractDocument['contracts'][number]['remediation']> | undefined,
  path: string,
  fail: (path: string, message: string) => void,
): Partial<Record<GapType, RemediationStep[]>> | undefined {
  if (policy === undefined) return undefined;
  const compiled: Partial<Record<GapType, RemediationStep[]>> = {};
  for (const [type, steps] of Object.entries(policy) as Array<[GapType, StepInput[] | undefined]>) {
    const list = compileRemediation(steps, `${path}/${type}`, fail);
    if (list) compiled[type] = list;
  }
  return compiled;
}

/** What identifies the rule behind a gap. */
export interface GapRuleRef {
  type: GapType;
  rule: string;
  stream: string | null;
}

/** The rule a gap's type comes from, when it is a named rule of the contract. */
function namedRule(contract: CompiledContract, gap: GapRuleRef): { remediation?: RemediationStep[]; resolve_within_ms: number } | undefined {
  const rules = gap.type === 'missing_record' ? contract.follow_ups : gap.type === 'out_of_order' ? contract.lifecycles : gap.type === 'field_drift' ? contract.agreements : [];
  return rules.find((rule) => rule.name === gap.rule);
}

/** The steps a gap calls for (empty when none), with every default resolved. */
export function remediationFor(contract: CompiledContract, gap: GapRuleRef): ResolvedRemediationStep[] {
  const rule = namedRule(contract, gap);
  const stream = rule ? undefined : contract.streams.find((candidate) => candidate.name === gap.stream);
  const steps = rule?.remediation ?? stream?.remediation ?? contract.remediation?.[gap.type] ?? [];
  const resolveWithin = rule?.resolve_within_ms ?? contract.resolve_within_ms;
  return steps.map((step) => ({ ...step, verify_within_ms: step.verify_within_ms ?? resolveWithin }));
}

/** The receivers the document names, each with the path of its first mention (checked against the receivers). */
export function receiversOf(document: ContractDocument): Array<{ name: string; path: string }> {
  const seen = new Map<string, string>();
  const visit = (steps: StepInput[] | undefined, path: string) =>
    steps?.forEach((step, index) => {
      if (step.receiver !== undefined && !seen.has(step.receiver)) seen.set(step.receiver, `${path}/${index}/receiver`);
    });
  document.contracts.forEach((contract, c) => {
    const base = `/contracts/${c}`;
    for (const [type, steps] of Object.entries(contract.remediation ?? {})) visit(steps, `${base}/remediation/${type}`);
    contract.streams.forEach((stream, index) => visit(stream.remediation, `${base}/streams/${index}/remediation`));
    contract.follow_ups?.forEach((rule, index) => visit(rule.remediation, `${base}/follow_ups/${index}/remediation`));
    contract.lifecycles?.forEach((rule, index) => visit(rule.remediation, `${base}/lifecycles/${index}/remediation`));
    contract.agreements?.forEach((rule, index) => visit(rule.remediation, `${base}/agreements/${index}/remediation`));
  });
  return [...seen].map(([name, path]) => ({ name, path }));
}
