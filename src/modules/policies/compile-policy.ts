/**
 * Validation of a parsed policy document, with errors naming the path, and its compilation into the structure the
 * evaluator reads on every call. Pure apart from compiling regexes.
 *
 * Regexes written by operators (custom PII detectors, prompt-injection patterns) run with RE2 (re2-wasm): its
 * automaton is linear in the input whatever the pattern, so no document can make evaluation a denial-of-service
 * lever. RE2 refuses backreferences and lookaround; such a pattern is rejected at PUT with its path.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { RE2 } from 're2-wasm';
import { parseDuration } from '../../platform/config/duration.js';
import { AppError, type FieldError } from '../../platform/errors.js';
import { normaliseText, phraseAlternation } from './injection-phrases.js';
import { DEFAULT_PHONE_REGIONS, PHONE_REGION_CODES, PII_ENTITIES, phoneRegions, type PiiEntity, type PiiOptions } from './pii.js';
import {
  ACCESS_RULES,
  DEFAULT_INJECTION_THRESHOLD,
  DEFAULT_RULES,
  type InjectionAction,
  PolicyDocumentSchema,
  type AccessRule,
  type PiiAction,
  type PolicyDocument,
  type PolicyMode,
  type QuotaSetting,
  type Severity,
} from './policy-document.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
const validateShape = ajv.compile<PolicyDocument>(PolicyDocumentSchema);

export interface RuleSpec {
  severity: Severity;
  riskCostUsd: number;
}

export interface DetectorSpec extends RuleSpec {
  /** `pii.<entity>` */
  rule: string;
  entity: string;
  actions: Record<string, PiiAction>;
}

export interface CustomDetector extends DetectorSpec {
  regex: RE2;
}

export interface InjectionThresholdSetting {
  threshold: number;
  action: InjectionAction;
}

export interface InjectionDetectorSettings {
  /** For classifications the document does not list. */
  fallback: InjectionThresholdSetting;
  byClassification: Map<string, InjectionThresholdSetting>;
  /** An organisation's own classifier (injection-classifier.ts); the built-in detector is the fallback. */
  external: { url: string; timeoutMs: number } | undefined;
}

export const DEFAULT_CLASSIFIER_TIMEOUT_MS = 500;

export interface ApprovalSettings {
  /** `approval.expires_after`: an approval not decided within this expires (and counts as denied). */
  expiresAfterMs: number;
  /** `approval.approvers`: distinct approvers needed (1 or 2). */
  approvers: number;
}

export const DEFAULT_APPROVAL_EXPIRY_MS = 24 * 3_600_000;
const MIN_APPROVAL_EXPIRY_MS = 60_000;
const MAX_APPROVAL_EXPIRY_MS = 30 * 86_400_000;

export interface QuotaLimits {
  calls: number | undefined;
  windowMs: number;
  tokensPerDay: number | undefined;
  costUsdPerDay: number | undefined;
}

export interface CompiledPolicy {
  version: number;
  mode: PolicyMode;
  document: PolicyDocument;
  classifications: Map<string, { rank: number; riskWeight: number }>;
  roles: Map<string, { classifications: Set<string> | '*'; actions: Set<string> | '*' }>;
  defaultRole: string | undefined;
  /** Enabled built-in detectors, by entity. */
  detectors: Map<string, DetectorSpec>;
  enabledEntities: Set<PiiEntity>;
  /** What the built-in detectors are tuned with (`pii.phone_regions`). */
  piiOptions: PiiOptions;
  custom: CustomDetector[];
  /** One RE2 pass telling whether any custom detector matches at all (the common answer is no). */
  customAny: RE2 | undefined;
  injection: {
    action: 'deny' | 'require_approval';
    rule: RuleSpec;
    phrases: Array<{ name: string; phrase: string }>;
    /**
     * Every phrase in one regex over the lower-cased content (words joined by \s+): one pass instead of one search
     * per phrase. Built from escaped literals only, so it cannot backtrack beyond the length of a phrase.
     */
    phraseRegex: RegExp | undefined;
    /** Normalised phrase → pattern name. */
    phraseNames: Map<string, string>;
    regexes: Array<{ name: string; regex: RE2 }>;
    /** The built-in detector (injection/detect.ts); undefined when the document turns it off. */
    detector: InjectionDetectorSettings | undefined;
  };
  approvalActions: Set<string>;
  /** What an agent in `needs_review` (an approved agent whose definition changed, docs/discovery.md) gets: deny by default. */
  needsReview: 'deny' | 'allow';
  /** How approvals opened under this policy are decided (docs/approvals.md). */
  approval: ApprovalSettings;
  quotas: { default?: QuotaLimits; roles: Map<string, QuotaLimits>; agents: Map<string, QuotaLimits> };
  rules: Record<AccessRule, RuleSpec>;
  /** Every rule name a violation of this policy can carry: bounds the `rule` metric label. */
  ruleNames: Set<string>;
}

function errorPath(error: ErrorObject, prefix: string): string {
  const base = `${prefix}${error.instancePath}`;
  if (error.keyword === 'required') return `${base}/${(error.params as { missingProperty: string }).missingProperty}`;
  if (error.keyword === 'additionalProperties') return `${base}/${(error.params as { additionalProperty: string }).additionalProperty}`;
  return base;
}

function invalid(errors: FieldError[]): AppError {
  const first = errors[0]!;
  return new AppError('validation_failed', `the policy document is invalid: ${first.path} ${first.message}`, { errors: errors.slice(0, 50) });
}

function compileRe2(pattern: string, caseInsensitive: boolean, path: string, errors: FieldError[]): RE2 | undefined {
  try {
    return new RE2(caseInsensitive ? `(?i:${pattern})` : pattern, 'gu');
  } catch (error) {
    errors.push({ path, message: `is not a pattern RE2 accepts (no backreferences or lookaround): ${(error as Error).message.slice(0, 200)}` });
    return undefined;
  }
}

function compileQuota(quota: QuotaSetting): QuotaLimits {
  return {
    calls: quota.calls,
    windowMs: parseDuration(quota.window ?? '1m') ?? 60_000,
    tokensPerDay: quota.tokens_per_day,
    costUsdPerDay: quota.cost_usd_per_day,
  };
}

/**
 * Validates a parsed document (shape, then cross-references and regexes) and compiles it. `prefix` is where the
 * document sits in the request, for error paths (`/body`, `/body/policy`).
 */
export function compilePolicy(input: unknown, version: number, prefix = '/policy'): CompiledPolicy {
  if (!validateShape(input)) {
    throw invalid((validateShape.errors ?? []).map((error) => ({ path: errorPath(error, prefix), message: error.message ?? 'is invalid' })));
  }
  const document = input;
  const errors: FieldError[] = [];

  const classifications = new Map<string, { rank: number; riskWeight: number }>();
  document.classifications.forEach((entry, rank) => {
    if (classifications.has(entry.name)) errors.push({ path: `${prefix}/classifications/${rank}/name`, message: `"${entry.name}" appears twice` });
    classifications.set(entry.name, { rank, riskWeight: entry.risk_weight });
  });
  const checkClassifications = (names: string[], path: string) => {
    names.forEach((name, index) => {
      if (name !== '*' && !classifications.has(name)) errors.push({ path: `${path}/${index}`, message: `"${name}" is not a classification of this document` });
    });
  };

  const roles: CompiledPolicy['roles'] = new Map();
  for (const [name, role] of Object.entries(document.roles)) {
    checkClassifications(role.classifications, `${prefix}/roles/${name}/classifications`);
    roles.set(name, {
      classifications: role.classifications.includes('*') ? '*' : new Set(role.classifications),
      actions: role.actions.includes('*') ? '*' : new Set(role.actions),
    });
  }
  if (document.default_role !== undefined && !roles.has(document.default_role)) {
    errors.push({ path: `${prefix}/default_role`, message: `"${document.default_role}" is not a role of this document` });
  }

  const checkActions = (actions: Record<string, PiiAction>, path: string) => {
    for (const name of Object.keys(actions)) {
      if (!classifications.has(name)) errors.push({ path: `${path}/${name}`, message: `"${name}" is not a classification of this document` });
    }
    for (const name of classifications.keys()) {
      if (!(name in actions)) errors.push({ path: `${path}/${name}`, message: 'is missing: give allow, redact or block for every classification' });
    }
  };

  const ruleNames = new Set<string>(ACCESS_RULES);
  const detectors = new Map<string, DetectorSpec>();
  const enabledEntities = new Set<PiiEntity>();
  for (const [entity, spec] of Object.entries(document.pii?.detectors ?? {})) {
    const path = `${prefix}/pii/detectors/${entity}`;
    if (!(PII_ENTITIES as readonly string[]).includes(entity)) {
      errors.push({ path, message: `is not a built-in detector (${PII_ENTITIES.join(', ')}); use pii.custom for your own` });
      continue;
    }
    checkActions(spec.actions, `${path}/actions`);
    if (spec.enabled === false) continue;
    detectors.set(entity, { rule: `pii.${entity}`, entity, severity: spec.severity, riskCostUsd: spec.risk_cost_usd ?? 0, actions: spec.actions });
    enabledEntities.add(entity as PiiEntity);
    ruleNames.add(`pii.${entity}`);
  }

  const phoneRegionCodes = document.pii?.phone_regions ?? DEFAULT_PHONE_REGIONS;
  (document.pii?.phone_regions ?? []).forEach((code, index) => {
    if (!PHONE_REGION_CODES.includes(code)) {
      errors.push({ path: `${prefix}/pii/phone_regions/${index}`, message: `"${code}" is not a supported phone region (${PHONE_REGION_CODES.join(', ')})` });
    }
  });

  const custom: CustomDetector[] = [];
  (document.pii?.custom ?? []).forEach((spec, index) => {
    const path = `${prefix}/pii/custom/${index}`;
    if ((PII_ENTITIES as readonly string[]).includes(spec.name) || custom.some((other) => other.entity === spec.name)) {
      errors.push({ path: `${path}/name`, message: `"${spec.name}" is already a detector name` });
    }
    checkActions(spec.actions, `${path}/actions`);
    const regex = compileRe2(spec.pattern, spec.case_insensitive ?? false, `${path}/pattern`, errors);
    if (regex && regex.test('')) errors.push({ path: `${path}/pattern`, message: 'matches the empty string' });
    if (regex) {
      custom.push({ rule: `pii.${spec.name}`, entity: spec.name, severity: spec.severity, riskCostUsd: spec.risk_cost_usd ?? 0, actions: spec.actions, regex });
      ruleNames.add(`pii.${spec.name}`);
    }
  });
  const customAny =
    custom.length > 0
      ? compileRe2((document.pii?.custom ?? []).map((spec) => (spec.case_insensitive ? `(?i:${spec.pattern})` : `(?:${spec.pattern})`)).join('|'), false, `${prefix}/pii/custom`, errors)
      : undefined;

  const rules = { ...DEFAULT_RULES } as Record<AccessRule, { severity: Severity; risk_cost_usd: number }>;
  for (const [name, setting] of Object.entries(document.rules ?? {})) {
    if (!(ACCESS_RULES as readonly string[]).includes(name)) {
      errors.push({ path: `${prefix}/rules/${name}`, message: `is not a rule (${ACCESS_RULES.join(', ')}); PII rules are set under pii` });
      continue;
    }
    const base = rules[name as AccessRule];
    rules[name as AccessRule] = { severity: setting.severity ?? base.severity, risk_cost_usd: setting.risk_cost_usd ?? base.risk_cost_usd };
  }
  const injection = document.prompt_injection;
  if (injection) {
    rules.prompt_injection = {
      severity: injection.severity ?? rules.prompt_injection.severity,
      risk_cost_usd: injection.risk_cost_usd ?? rules.prompt_injection.risk_cost_usd,
    };
  }
  const phrases: CompiledPolicy['injection']['phrases'] = [];
  const regexes: CompiledPolicy['injection']['regexes'] = [];
  (injection?.patterns ?? []).forEach((pattern, index) => {
    const path = `${prefix}/prompt_injection/patterns/${index}`;
    if (!pattern.phrases?.length && pattern.regex === undefined) errors.push({ path, message: 'needs phrases or a regex' });
    for (const phrase of pattern.phrases ?? []) phrases.push({ name: pattern.name, phrase: normaliseText(phrase) });
    if (pattern.regex !== undefined) {
      const regex = compileRe2(pattern.regex, true, `${path}/regex`, errors);
      if (regex) regexes.push({ name: pattern.name, regex });
    }
  });

  const detectorSetting = injection?.detector;
  let detector: InjectionDetectorSettings | undefined;
  if (detectorSetting?.enabled !== false) {
    const fallback: InjectionThresholdSetting = { threshold: detectorSetting?.threshold ?? DEFAULT_INJECTION_THRESHOLD, action: detectorSetting?.action ?? injection?.action ?? 'deny' };
    const byClassification = new Map<string, InjectionThresholdSetting>();
    for (const [name, setting] of Object.entries(detectorSetting?.classifications ?? {})) {
      if (!classifications.has(name)) errors.push({ path: `${prefix}/prompt_injection/detector/classifications/${name}`, message: `"${name}" is not a classification of this document` });
      byClassification.set(name, { threshold: setting.threshold ?? fallback.threshold, action: setting.action ?? fallback.action });
    }
    const external = detectorSetting?.external;
    detector = { fallback, byClassification, external: external ? { url: external.url, timeoutMs: external.timeout_ms ?? DEFAULT_CLASSIFIER_TIMEOUT_MS } : undefined };
  }

  const quotas: CompiledPolicy['quotas'] = { roles: new Map(), agents: new Map() };
  if (document.quotas?.default) quotas.default = compileQuota(document.quotas.default);
  for (const [role, quota] of Object.entries(document.quotas?.roles ?? {})) {
    if (!roles.has(role)) errors.push({ path: `${prefix}/quotas/roles/${role}`, message: `"${role}" is not a role of this document` });
    quotas.roles.set(role, compileQuota(quota));
  }
  for (const [agentId, quota] of Object.entries(document.quotas?.agents ?? {})) {
    if (!UUID.test(agentId)) errors.push({ path: `${prefix}/quotas/agents/${agentId}`, message: 'must be an agent id (UUID)' });
    quotas.agents.set(agentId.toLowerCase(), compileQuota(quota));
  }

  const expiresAfter = document.approval?.expires_after;
  const expiresAfterMs = expiresAfter === undefined ? DEFAULT_APPROVAL_EXPIRY_MS : (parseDuration(expiresAfter) ?? DEFAULT_APPROVAL_EXPIRY_MS);
  if (expiresAfterMs < MIN_APPROVAL_EXPIRY_MS || expiresAfterMs > MAX_APPROVAL_EXPIRY_MS) {
    errors.push({ path: `${prefix}/approval/expires_after`, message: 'must be between 1m and 30d' });
  }

  if (errors.length > 0) throw invalid(errors);

  const spec = (rule: AccessRule): RuleSpec => ({ severity: rules[rule].severity, riskCostUsd: rules[rule].risk_cost_usd });
  return {
    version,
    mode: document.mode ?? 'enforce',
    document,
    classifications,
    roles,
    defaultRole: document.default_role,
    detectors,
    enabledEntities,
    piiOptions: { phoneRegions: phoneRegions(phoneRegionCodes) },
    custom,
    customAny,
    injection: {
      action: injection?.action ?? 'deny',
      rule: spec('prompt_injection'),
      phrases,
      // eslint-disable-next-line security/detect-non-literal-regexp -- built from policy phrases, each escaped by phraseAlternation: a literal alternation, no operator syntax
      phraseRegex: phrases.length > 0 ? new RegExp(phraseAlternation(phrases.map(({ phrase }) => phrase)), 'g') : undefined,
      phraseNames: new Map(phrases.map(({ name, phrase }) => [phrase.trim(), name])),
      regexes,
      detector,
    },
    approvalActions: new Set(document.approval?.actions ?? []),
    needsReview: document.needs_review ?? 'deny',
    approval: { expiresAfterMs, approvers: document.approval?.approvers ?? 1 },
    quotas,
    rules: Object.fromEntries(ACCESS_RULES.map((rule) => [rule, spec(rule)])) as Record<AccessRule, RuleSpec>,
    ruleNames,
  };
}

/** The quota that applies to an agent: its own, else its role's, else the default. */
export function quotaFor(policy: CompiledPolicy, agentId: string, role: string | null): QuotaLimits | undefined {
  return policy.quotas.agents.get(agentId.toLowerCase()) ?? (role !== null ? policy.quotas.roles.get(role) : undefined) ?? policy.quotas.default;
}
