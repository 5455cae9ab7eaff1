/**
 * Sync contracts compiled: the semantic checks the document's schema (contract-schema.ts) cannot express —
 * references between rules, durations, paths — and the compiled form the analyzer runs. Pure: no I/O.
 */
import { Value } from '@sinclair/typebox/value';
import { parseDuration } from '../../platform/config/duration.js';
import type { FieldError } from '../../platform/errors.js';
import { tryParseJsonPath, type PathSegment } from '../../platform/json-path.js';
import { ContractDocumentSchema, GAP_TYPES, NAME_PATTERN, SOURCE_KINDS, type ContractDocument, type GapType, type Severity } from './contract-schema.js';
import { compileContractRemediation, compileRemediation, type RemediationStep } from './remediation-policy.js';

/** Severity used when a rule does not set one. */
export const DEFAULT_SEVERITY: Record<GapType, Severity> = {
  stale: 'medium',
  missing_record: 'high',
  out_of_order: 'medium',
  duplicate: 'high',
  field_drift: 'medium',
};

export const DEFAULT_RESOLVE_WITHIN_MS = 3_600_000;
export const DEFAULT_FORGET_AFTER_MS = 30 * 86_400_000;
const MIN_FORGET_AFTER_MS = 3_600_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type KeySelector = { kind: 'entity_id' } | { kind: 'correlation_id' } | { kind: 'path'; path: PathSegment[]; text: string };

export interface RuleCost {
  risk_kind: string | null;
  cost_usd: number;
}

export interface CompiledStream {
  contract: string;
  name: string;
  source: { kind: string } | { id: string };
  entity_type: string;
  freshness_ms: number;
  severity: Record<'stale' | 'out_of_order' | 'duplicate', Severity>;
  check_sequence: boolean;
  unique_event_types: string[];
  /** Present only when the document sets one (remediation-policy.ts). */
  remediation?: RemediationStep[];
}

export interface CompiledFollowUp {
  contract: string;
  name: string;
  when: { stream: string; event_type: string; key: KeySelector };
  then: { stream: string; event_type: string; key: KeySelector };
  within_ms: number | null;
  deadline: { path: PathSegment[]; text: string } | null;
  warn_before_ms: number;
  severity: Severity;
  resolve_within_ms: number;
  cost: RuleCost;
  remediation?: RemediationStep[];
}

export interface CompiledLifecycle {
  contract: string;
  name: string;
  stream: string;
  order: string[];
  severity: Severity;
  resolve_within_ms: number;
  cost: RuleCost;
  remediation?: RemediationStep[];
}

export interface CompiledAgreementSide {
  stream: string;
  field: PathSegment[];
  field_text: string;
  key: KeySelector;
  event_types: string[] | null;
  where: Array<{ path: PathSegment[]; equals: string | number | boolean | null }>;
}

export interface CompiledAgreement {
  contract: string;
  name: string;
  left: CompiledAgreementSide;
  right: CompiledAgreementSide;
  tolerance: number | null;
  severity: Severity;
  resolve_within_ms: number;
  cost: RuleCost;
  remediation?: RemediationStep[];
}

export interface CompiledContract {
  name: string;
  owner: string;
  resolve_within_ms: number;
  /** Per-entity memory (sync_entity_state, satisfied follow-ups) idle longer than this is forgotten by the sweep. */
  forget_after_ms: number;
  costs: Record<GapType, RuleCost>;
  /** The remediation policy per gap type, when the document sets one. */
  remediation?: Partial<Record<GapType, RemediationStep[]>>;
  streams: CompiledStream[];
  follow_ups: CompiledFollowUp[];
  lifecycles: CompiledLifecycle[];
  agreements: CompiledAgreement[];
}

export type ValidationResult = { ok: true; document: ContractDocument; contracts: CompiledContract[] } | { ok: false; errors: FieldError[] };

function parseKey(text: string | undefined, fallback: KeySelector): KeySelector | undefined {
  if (text === undefined) return fallback;
  if (text === 'entity_id') return { kind: 'entity_id' };
  if (text === 'correlation_id') return { kind: 'correlation_id' };
  const path = tryParseJsonPath(text);
  return path && path.length > 0 ? { kind: 'path', path, text } : undefined;
}

const durationMs = (text: string): number => parseDuration(text) ?? 0;

/**
 * Validates a parsed document (structure, then meaning) and compiles it. Errors carry JSON pointers from the
 * document root prefixed with `prefix` (the HTTP layer passes `/body`), so a client can point at the culprit.
 */
export function validateContractDocument(input: unknown, prefix = ''): ValidationResult {
  const structural = [...Value.Errors(ContractDocumentSchema, input)];
  if (structural.length > 0) {
    const seen = new Set<string>();
    const errors: FieldError[] = [];
    for (const error of structural) {
      const path = `${prefix}${error.path}`;
      if (seen.has(path)) continue;
      seen.add(path);
      errors.push({ path, message: error.message });
      if (errors.length >= 20) break;
    }
    return { ok: false, errors };
  }
  const document = input as ContractDocument;
  const errors: FieldError[] = [];
  const fail = (path: string, message: string) => errors.push({ path: `${prefix}${path}`, message });
  const contracts: CompiledContract[] = [];
  const contractNames = new Set<string>();

  document.contracts.forEach((contract, c) => {
    const base = `/contracts/${c}`;
    if (contractNames.has(contract.name)) fail(`${base}/name`, `contract name "${contract.name}" is used twice`);
    contractNames.add(contract.name);
    const resolveWithin = contract.resolve_within ? durationMs(contract.resolve_within) : DEFAULT_RESOLVE_WITHIN_MS;
    const forgetAfter = contract.forget_after ? durationMs(contract.forget_after) : DEFAULT_FORGET_AFTER_MS;
    if (contract.forget_after && forgetAfter < MIN_FORGET_AFTER_MS) fail(`${base}/forget_after`, 'must be at least 1h');
    const costs = Object.fromEntries(
      GAP_TYPES.map((type) => [type, { risk_kind: contract.costs?.[type]?.risk_kind ?? null, cost_usd: contract.costs?.[type]?.cost_usd ?? 0 }]),
    ) as Record<GapType, RuleCost>;
    const remediation = compileContractRemediation(contract.remediation, `${base}/remediation`, fail);
    /** The rule's own remediation policy, as an optional property (absent: the contract's applies). */
    const ownRemediation = (steps: Parameters<typeof compileRemediation>[0], path: string) => {
      const compiled = compileRemediation(steps, `${path}/remediation`, fail);
      return compiled ? { remediation: compiled } : {};
    };
    const ruleNames = new Set<string>();
    const claimRule = (path: string, name: string) => {
      if (ruleNames.has(name)) fail(path, `rule name "${name}" is used twice in contract "${contract.name}"`);
      ruleNames.add(name);
    };

    const streams = new Map<string, CompiledStream>();
    contract.streams.forEach((stream, s) => {
      const path = `${base}/streams/${s}`;
      const name = stream.name ?? `${stream.source}:${stream.entity_type}`;
      // eslint-disable-next-line security/detect-non-literal-regexp -- NAME_PATTERN is this module's constant
      if (stream.name === undefined && !new RegExp(NAME_PATTERN).test(name)) {
        fail(`${path}/name`, `give the stream a name: "${name}" is not a valid one`);
      }
      if (streams.has(name)) fail(`${path}/name`, `stream name "${name}" is used twice in contract "${contract.name}"`);
      let source: CompiledStream['source'];
      if (UUID.test(stream.source)) source = { id: stream.source.toLowerCase() };
      else if ((SOURCE_KINDS as readonly string[]).includes(stream.source)) source = { kind: stream.source };
      else {
        fail(`${path}/source`, `must be a source id (UUID) or one of the source kinds ${SOURCE_KINDS.join(', ')}`);
        source = { kind: stream.source };
      }
      const freshness = durationMs(stream.freshness);
      if (freshness < 1000) fail(`${path}/freshness`, 'must be at least 1s');
      const severity = typeof stream.severity === 'string' ? { stale: stream.severity, out_of_order: stream.severity, duplicate: stream.severity } : stream.severity;
      streams.set(name, {
        contract: contract.name,
        name,
        source,
        entity_type: stream.entity_type,
        freshness_ms: freshness,
        severity: {
          stale: severity?.stale ?? DEFAULT_SEVERITY.stale,
          out_of_order: severity?.out_of_order ?? DEFAULT_SEVERITY.out_of_order,
          duplicate: severity?.duplicate ?? DEFAULT_SEVERITY.duplicate,
        },
        check_sequence: stream.check_sequence ?? true,
        unique_event_types: stream.unique_event_types ?? [],
        ...ownRemediation(stream.remediation, path),
      });
    });

    const requireStream = (path: string, name: string): CompiledStream | undefined => {
      const stream = streams.get(name);
      if (!stream) fail(path, `no stream named "${name}" in contract "${contract.name}" (streams: ${[...streams.keys()].join(', ')})`);
      return stream;
    };
    const ruleCost = (type: GapType, cost: { risk_kind: string; cost_usd: number } | undefined): RuleCost => cost ?? costs[type];

    const followUps: CompiledFollowUp[] = [];
    (contract.follow_ups ?? []).forEach((rule, r) => {
      const path = `${base}/follow_ups/${r}`;
      claimRule(`${path}/name`, rule.name);
      requireStream(`${path}/when/stream`, rule.when.stream);
      requireStream(`${path}/then/stream`, rule.then.stream);
      const whenKey = parseKey(rule.when.key, { kind: 'entity_id' });
      const thenKey = parseKey(rule.then.key, whenKey ?? { kind: 'entity_id' });
      if (!whenKey) fail(`${path}/when/key`, 'must be entity_id, correlation_id or a JSON path such as $.order_id');
      if (!thenKey) fail(`${path}/then/key`, 'must be entity_id, correlation_id or a JSON path such as $.order_id');
      if ((rule.within === undefined) === (rule.deadline === undefined)) {
        fail(path, 'give exactly one of "within" (a duration after the trigger) or "deadline" (a JSON path to a timestamp in the trigger payload)');
      }
      const deadlinePath = rule.deadline !== undefined ? tryParseJsonPath(rule.deadline) : undefined;
      if (rule.deadline !== undefined && !deadlinePath) fail(`${path}/deadline`, 'is not a JSON path such as $.sla.due_at');
      if (rule.when.stream === rule.then.stream && rule.when.event_type === rule.then.event_type) {
        fail(`${path}/then/event_type`, 'a follow-up must differ from its trigger');
      }
      followUps.push({
        contract: contract.name,
        name: rule.name,
        when: { stream: rule.when.stream, event_type: rule.when.event_type, key: whenKey ?? { kind: 'entity_id' } },
        then: { stream: rule.then.stream, event_type: rule.then.event_type, key: thenKey ?? { kind: 'entity_id' } },
        within_ms: rule.within !== undefined ? durationMs(rule.within) : null,
        deadline: deadlinePath && rule.deadline ? { path: deadlinePath, text: rule.deadline } : null,
        warn_before_ms: rule.warn_before ? durationMs(rule.warn_before) : 0,
        severity: rule.severity ?? DEFAULT_SEVERITY.missing_record,
        resolve_within_ms: rule.resolve_within ? durationMs(rule.resolve_within) : resolveWithin,
        cost: ruleCost('missing_record', rule.cost),
        ...ownRemediation(rule.remediation, path),
      });
    });

    const lifecycles: CompiledLifecycle[] = [];
    (contract.lifecycles ?? []).forEach((rule, r) => {
      const path = `${base}/lifecycles/${r}`;
      claimRule(`${path}/name`, rule.name);
      requireStream(`${path}/stream`, rule.stream);
      lifecycles.push({
        contract: contract.name,
        name: rule.name,
        stream: rule.stream,
        order: rule.order,
        severity: rule.severity ?? DEFAULT_SEVERITY.out_of_order,
        resolve_within_ms: rule.resolve_within ? durationMs(rule.resolve_within) : resolveWithin,
        cost: ruleCost('out_of_order', rule.cost),
        ...ownRemediation(rule.remediation, path),
      });
    });

    const agreements: CompiledAgreement[] = [];
    (contract.agreements ?? []).forEach((rule, r) => {
      const path = `${base}/agreements/${r}`;
      claimRule(`${path}/name`, rule.name);
      const sides = (['left', 'right'] as const).map((side) => {
        const spec = rule[side];
        requireStream(`${path}/${side}/stream`, spec.stream);
        const field = tryParseJsonPath(spec.field);
        if (!field || field.length === 0) fail(`${path}/${side}/field`, 'is not a JSON path to a field, such as $.properties.amount');
        const key = parseKey(spec.key, { kind: 'correlation_id' });
        if (!key) fail(`${path}/${side}/key`, 'must be entity_id, correlation_id or a JSON path such as $.opportunity_id');
        const where = (spec.where ?? []).map((condition, index) => {
          const conditionPath = tryParseJsonPath(condition.path);
          if (!conditionPath) fail(`${path}/${side}/where/${index}/path`, 'is not a JSON path such as $.propertyName');
          return { path: conditionPath ?? [], equals: condition.equals };
        });
        return {
          stream: spec.stream,
          field: field ?? [],
          field_text: spec.field,
          key: key ?? { kind: 'correlation_id' },
          event_types: spec.event_types ?? null,
          where,
        } satisfies CompiledAgreementSide;
      });
      if (rule.left.stream === rule.right.stream && rule.left.field === rule.right.field) {
        fail(`${path}/right`, 'an agreement compares two different fields');
      }
      agreements.push({
        contract: contract.name,
        name: rule.name,
        left: sides[0]!,
        right: sides[1]!,
        tolerance: rule.tolerance ?? null,
        severity: rule.severity ?? DEFAULT_SEVERITY.field_drift,
        resolve_within_ms: rule.resolve_within ? durationMs(rule.resolve_within) : resolveWithin,
        cost: ruleCost('field_drift', rule.cost),
        ...ownRemediation(rule.remediation, path),
      });
    });

    contracts.push({
      name: contract.name,
      owner: contract.owner.toLowerCase(),
      resolve_within_ms: resolveWithin,
      forget_after_ms: forgetAfter,
      costs,
      ...(remediation ? { remediation } : {}),
      streams: [...streams.values()],
      follow_ups: followUps,
      lifecycles,
      agreements,
    });
  });

  return errors.length > 0 ? { ok: false, errors } : { ok: true, document, contracts };
}

/** Agents the document names as owners, each with the path of its first mention (checked against the registry). */
export function ownersOf(document: ContractDocument): Array<{ id: string; path: string }> {
  const seen = new Map<string, string>();
  document.contracts.forEach((contract, index) => {
    const id = contract.owner.toLowerCase();
    if (!seen.has(id)) seen.set(id, `/contracts/${index}/owner`);
  });
  return [...seen].map(([id, path]) => ({ id, path }));
}
