/**
 * The policy document (SPEC §6): its schema, validation with errors naming the path,
 * and compilation into the structure the evaluator reads on every call. Pure apart from compiling regexes.
 *
 * Regexes written by operators (custom PII detectors, prompt-injection patterns) run with RE2 (re2-wasm): its
 * automaton is linear in the input whatever the pattern, so no document can make evaluation a denial-of-service
 * lever. RE2 refuses backreferences and lookaround; such a pattern is rejected at PUT with its path.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Ajv, type ErrorObject } from 'ajv';
import { RE2 } from 're2-wasm';
import { AppError, type FieldError } from '../../platform/errors.js';
import { parseDuration } from '../../platform/config/duration.js';
import { PII_ENTITIES, type PiiEntity } from './pii.js';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const PII_ACTIONS = ['allow', 'redact', 'block'] as const;
export type PiiAction = (typeof PII_ACTIONS)[number];
export const MODES = ['enforce', 'monitor'] as const;
export type PolicyMode = (typeof MODES)[number];

/** The access and quota rules every document has; their severity and risk cost can be tuned under `rules`. */
export const ACCESS_RULES = [
  'agent_unknown',
  'agent_status',
  'classification_unknown',
  'classification_ceiling',
  'role_unknown',
  'role_classification',
  'role_action',
  'approval_required',
  'prompt_injection',
  'quota_calls',
  'quota_tokens',
  'quota_cost',
] as const;
export type AccessRule = (typeof ACCESS_RULES)[number];

const Name = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_]*$' });
const SeveritySchema = Type.Union(SEVERITIES.map((value) => Type.Literal(value)));
const RiskCost = Type.Number({ minimum: 0, maximum: 1e12, description: 'USD this violation would cost if it happened (RA$ when it is blocked)' });
const ActionsByClassification = Type.Record(Type.String({ minLength: 1, maxLength: 64 }), Type.Union(PII_ACTIONS.map((value) => Type.Literal(value))), {
  description: 'allow | redact | block for each destination classification',
});
const Wildcard = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 200, description: 'names, or ["*"] for all' });

const RuleSetting = Type.Object({ severity: Type.Optional(SeveritySchema), risk_cost_usd: Type.Optional(RiskCost) }, { additionalProperties: false });

const Quota = Type.Object(
  {
    calls: Type.Optional(Type.Integer({ minimum: 1, maximum: 1e9, description: 'evaluations per window' })),
    window: Type.Optional(Type.String({ pattern: '^[1-9]\\d{0,5}(s|m|h|d)$', description: 'window of `calls`, e.g. 1m, 1h (default 1m)' })),
    tokens_per_day: Type.Optional(Type.Integer({ minimum: 1, maximum: 1e15 })),
    cost_usd_per_day: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1e12 })),
  },
  { additionalProperties: false },
);

export const PolicyDocumentSchema = Type.Object(
  {
    mode: Type.Optional(Type.Union(MODES.map((value) => Type.Literal(value)), { description: 'enforce (default) or monitor: record violations but allow' })),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    default_role: Type.Optional(Name),
    classifications: Type.Array(
      Type.Object({ name: Name, risk_weight: Type.Number({ minimum: 0, maximum: 1 }) }, { additionalProperties: false }),
      { minItems: 1, maxItems: 20, description: 'lowest to highest' },
    ),
    roles: Type.Record(Name, Type.Object({ classifications: Wildcard, actions: Wildcard }, { additionalProperties: false })),
    pii: Type.Optional(
      Type.Object(
        {
          detectors: Type.Optional(
            Type.Record(
              Type.String(),
              Type.Object(
                { enabled: Type.Optional(Type.Boolean()), severity: SeveritySchema, risk_cost_usd: Type.Optional(RiskCost), actions: ActionsByClassification },
                { additionalProperties: false },
              ),
            ),
          ),
          custom: Type.Optional(
            Type.Array(
              Type.Object(
                {
                  name: Name,
                  pattern: Type.String({ minLength: 1, maxLength: 1000 }),
                  case_insensitive: Type.Optional(Type.Boolean()),
                  severity: SeveritySchema,
                  risk_cost_usd: Type.Optional(RiskCost),
                  actions: ActionsByClassification,
                },
                { additionalProperties: false },
              ),
              { maxItems: 50 },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    prompt_injection: Type.Optional(
      Type.Object(
        {
          action: Type.Optional(Type.Union([Type.Literal('deny'), Type.Literal('require_approval')])),
          severity: Type.Optional(SeveritySchema),
          risk_cost_usd: Type.Optional(RiskCost),
          patterns: Type.Array(
            Type.Object(
              {
                name: Name,
                phrases: Type.Optional(Type.Array(Type.String({ minLength: 3, maxLength: 200 }), { maxItems: 100 })),
                regex: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
              },
              { additionalProperties: false },
            ),
            { maxItems: 100 },
          ),
        },
        { additionalProperties: false },
      ),
    ),
    approval: Type.Optional(Type.Object({ actions: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 200 }) }, { additionalProperties: false })),
    quotas: Type.Optional(
      Type.Object(
        {
          default: Type.Optional(Quota),
          roles: Type.Optional(Type.Record(Name, Quota)),
          agents: Type.Optional(Type.Record(Type.String({ format: 'uuid' }), Quota)),
        },
        { additionalProperties: false },
      ),
    ),
    rules: Type.Optional(Type.Record(Type.String(), RuleSetting)),
  },
  { additionalProperties: false },
);
export type PolicyDocument = Static<typeof PolicyDocumentSchema>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
const validateShape = ajv.compile<PolicyDocument>(PolicyDocumentSchema);

/** Defaults for the access rules a document does not tune (docs/policies.md explains each). */
export const DEFAULT_RULES: Record<AccessRule, { severity: Severity; risk_cost_usd: number }> = {
  agent_unknown: { severity: 'high', risk_cost_usd: 5000 },
  agent_status: { severity: 'critical', risk_cost_usd: 10000 },
  classification_unknown: { severity: 'medium', risk_cost_usd: 0 },
  classification_ceiling: { severity: 'high', risk_cost_usd: 25000 },
  role_unknown: { severity: 'high', risk_cost_usd: 5000 },
  role_classification: { severity: 'high', risk_cost_usd: 10000 },
  role_action: { severity: 'medium', risk_cost_usd: 2000 },
  approval_required: { severity: 'high', risk_cost_usd: 20000 },
  prompt_injection: { severity: 'high', risk_cost_usd: 15000 },
  quota_calls: { severity: 'medium', risk_cost_usd: 0 },
  quota_tokens: { severity: 'medium', risk_cost_usd: 0 },
  quota_cost: { severity: 'medium', risk_cost_usd: 0 },
};

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
  };
  approvalActions: Set<string>;
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

function compileQuota(quota: Static<typeof Quota>): QuotaLimits {
  return {
    calls: quota.calls,
    windowMs: parseDuration(quota.window ?? '1m') ?? 60_000,
    tokensPerDay: quota.tokens_per_day,
    costUsdPerDay: quota.cost_usd_per_day,
  };
}

/** Validates a parsed document (shape, then cross-references and regexes) and compiles it. */
/** `prefix` is where the document sits in the request, for error paths (`/body`, `/body/policy`). */
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
    custom,
    customAny,
    injection: {
      action: injection?.action ?? 'deny',
      rule: spec('prompt_injection'),
      phrases,
      phraseRegex: phrases.length > 0 ? new RegExp(phraseAlternation(phrases.map(({ phrase }) => phrase)), 'g') : undefined,
      phraseNames: new Map(phrases.map(({ name, phrase }) => [phrase.trim(), name])),
      regexes,
    },
    approvalActions: new Set(document.approval?.actions ?? []),
    quotas,
    rules: Object.fromEntries(ACCESS_RULES.map((rule) => [rule, spec(rule)])) as Record<AccessRule, RuleSpec>,
    ruleNames,
  };
}

/**
 * The prompt-injection phrases as one alternation, words joined by any whitespace. Phrases that share a first word
 * are factored under it (`ignore\s+(?:all\s+previous…|previous…)`), so that at each position of the content the
 * engine tries one group instead of every phrase: in the default policy's 22 phrases, 16 first words.
 *
 * Factored, it finds exactly what the flat list `phrase1|phrase2|…` finds — same positions, same phrase chosen
 * (leftmost-first, in the order written) — as long as phrases with different first words can never match at the
 * same position. That takes a one-word phrase that is a proper prefix of another first word ("you" and "your …");
 * then the flat list is kept.
 */
export function phraseAlternation(phrases: readonly string[]): string {
  const wordLists = phrases.map((phrase) => phrase.trim().split(' '));
  const flat = wordLists.map((words) => words.map(escapeRegExp).join('\\s+')).join('|');
  const firstWords = new Set(wordLists.map((words) => words[0]!));
  const oneWordPhrases = wordLists.filter((words) => words.length === 1).map((words) => words[0]!);
  if (oneWordPhrases.some((word) => [...firstWords].some((first) => first !== word && first.startsWith(word)))) return flat;
  const tailsByFirstWord = new Map<string, string[]>();
  for (const [first, ...rest] of wordLists) {
    const tails = tailsByFirstWord.get(first!) ?? [];
    tails.push(rest.map((word) => `\\s+${escapeRegExp(word)}`).join(''));
    tailsByFirstWord.set(first!, tails);
  }
  return [...tailsByFirstWord].map(([first, tails]) => `${escapeRegExp(first)}(?:${tails.join('|')})`).join('|');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Lower case, every run of whitespace one space: "Ignore  ALL\nprevious" matches the phrase "ignore all previous". */
export function normaliseText(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ');
}

/** The quota that applies to an agent: its own, else its role's, else the default. */
export function quotaFor(policy: CompiledPolicy, agentId: string, role: string | null): QuotaLimits | undefined {
  return policy.quotas.agents.get(agentId.toLowerCase()) ?? (role !== null ? policy.quotas.roles.get(role) : undefined) ?? policy.quotas.default;
}
