/**
 * Validation of a parsed alert-rules document, every problem reported with its path in one 400, and its
 * compilation into the rules and routing tree the evaluator reads. Pure apart from compiling RE2 regexes; the
 * receiver names a route may use are given (the receivers that exist when the document is PUT).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { AppError, type FieldError } from '../../platform/errors.js';
import { ALERT_SEVERITIES, AlertRulesDocumentSchema, RULE_KINDS, RouteSchema, type AlertRulesDocument, type AlertSeverity, type RouteInput, type RuleKind } from './alert-rules-document.js';
import { parseMatcher, type Matcher } from './matchers.js';
import { ROOT_DEFAULTS, type CompiledRoute } from './routing.js';
import { KIND_SPECS } from './rule-match.js';

const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
const validateDocument = ajv.compile<AlertRulesDocument>(AlertRulesDocumentSchema);
const validateRoute = ajv.compile<RouteInput>(RouteSchema);
const validateMatch = new Map<RuleKind, ValidateFunction>(RULE_KINDS.map((kind) => [kind, ajv.compile(KIND_SPECS[kind].match)]));

const DURATION = /^(\d{1,9})(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** Longer than any window ORCA keeps data for in a useful form; bounds `for`, windows and timers. */
const MAX_DURATION_MS = 90 * 86_400_000;

export interface CompiledRule {
  name: string;
  kind: RuleKind;
  match: Record<string, unknown>;
  threshold: number | undefined;
  drop: number | undefined;
  windowMs: number | undefined;
  forMs: number;
  severity: AlertSeverity;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface CompiledAlertRules {
  version: number;
  document: AlertRulesDocument;
  rules: CompiledRule[];
  route: CompiledRoute;
}

function errorPath(error: ErrorObject, prefix: string): string {
  const base = `${prefix}${error.instancePath}`;
  if (error.keyword === 'required') return `${base}/${(error.params as { missingProperty: string }).missingProperty}`;
  if (error.keyword === 'additionalProperties') return `${base}/${(error.params as { additionalProperty: string }).additionalProperty}`;
  return base;
}

function schemaErrors(errors: ErrorObject[] | null | undefined, prefix: string): FieldError[] {
  return (errors ?? []).map((error) => ({ path: errorPath(error, prefix), message: error.message ?? 'is invalid' }));
}

export function parseAlertDuration(text: string): number | undefined {
  const parts = DURATION.exec(text);
  if (!parts) return undefined;
  const ms = Number(parts[1]) * UNIT_MS[parts[2]!]!;
  return ms <= MAX_DURATION_MS ? ms : undefined;
}

function duration(text: string | undefined, path: string, errors: FieldError[]): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseAlertDuration(text);
  if (ms === undefined) errors.push({ path, message: 'is not a duration (a whole number and a unit: 0s, 30s, 5m, 4h, 1d; at most 90d)' });
  return ms;
}

function compileRule(rule: AlertRulesDocument['rules'][number], path: string, errors: FieldError[]): CompiledRule | undefined {
  const before = errors.length;
  if (!(RULE_KINDS as readonly string[]).includes(rule.kind)) {
    errors.push({ path: `${path}/kind`, message: `is not a rule kind (${RULE_KINDS.join(', ')})` });
  }
  if (!(ALERT_SEVERITIES as readonly string[]).includes(rule.severity)) {
    errors.push({ path: `${path}/severity`, message: `is not a severity (${ALERT_SEVERITIES.join(', ')})` });
  }
  const forMs = duration(rule.for, `${path}/for`, errors);
  const windowMs = duration(rule.window, `${path}/window`, errors);
  if (errors.length > before) return undefined;
  const kind = rule.kind as RuleKind;
  const spec = KIND_SPECS[kind];
  const match = rule.match ?? {};
  const validate = validateMatch.get(kind)!;
  if (!validate(match)) errors.push(...schemaErrors(validate.errors, `${path}/match`));
  if (spec.thresholdRequired && rule.threshold === undefined) errors.push({ path: `${path}/threshold`, message: `is required for a ${kind} rule` });
  if (spec.windowRequired && rule.window === undefined) errors.push({ path: `${path}/window`, message: `is required for a ${kind} rule` });
  if (kind === 'trust_below' && rule.threshold === undefined && rule.drop === undefined) {
    errors.push({ path: `${path}/threshold`, message: 'a trust_below rule needs a threshold (score below), a drop (points over window), or both' });
  }
  if (rule.drop !== undefined && kind !== 'trust_below') errors.push({ path: `${path}/drop`, message: 'is read by trust_below rules only' });
  if (errors.length > before) return undefined;
  return {
    name: rule.name,
    kind,
    match,
    threshold: rule.threshold ?? spec.defaultThreshold,
    drop: rule.drop,
    windowMs: windowMs ?? (spec.defaultWindow ? parseAlertDuration(spec.defaultWindow) : undefined),
    forMs: forMs ?? 0,
    severity: rule.severity as AlertSeverity,
    labels: rule.labels ?? {},
    annotations: rule.annotations ?? {},
  };
}

interface Inherited {
  receiver: string | undefined;
  groupBy: string[] | 'all';
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
}

function compileRoute(
  input: unknown,
  id: string,
  path: string,
  inherited: Inherited,
  receivers: ReadonlySet<string>,
  errors: FieldError[],
  depth: number,
): CompiledRoute | undefined {
  if (!validateRoute(input)) {
    errors.push(...schemaErrors(validateRoute.errors, path));
    return undefined;
  }
  if (depth > 10) {
    errors.push({ path, message: 'routes nest at most 10 levels deep' });
    return undefined;
  }
  const route = input;
  if (route.receiver !== undefined && !receivers.has(route.receiver)) {
    errors.push({ path: `${path}/receiver`, message: `"${route.receiver.slice(0, 128)}" is not a receiver (GET /api/v1/receivers lists them)` });
  }
  const matchers: Matcher[] = [];
  (route.matchers ?? []).forEach((text, index) => {
    try {
      matchers.push(parseMatcher(text));
    } catch (error) {
      errors.push({ path: `${path}/matchers/${index}`, message: (error as Error).message });
    }
  });
  const groupBy = route.group_by === undefined ? inherited.groupBy : route.group_by.includes('...') ? 'all' : route.group_by;
  if (Array.isArray(groupBy)) {
    groupBy.forEach((name, index) => {
      if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) errors.push({ path: `${path}/group_by/${index}`, message: 'is not a label name (or "..." for all labels)' });
    });
  }
  const own: Inherited = {
    receiver: route.receiver ?? inherited.receiver,
    groupBy,
    groupWaitMs: duration(route.group_wait, `${path}/group_wait`, errors) ?? inherited.groupWaitMs,
    groupIntervalMs: duration(route.group_interval, `${path}/group_interval`, errors) ?? inherited.groupIntervalMs,
    repeatIntervalMs: duration(route.repeat_interval, `${path}/repeat_interval`, errors) ?? inherited.repeatIntervalMs,
  };
  if (route.group_interval !== undefined && own.groupIntervalMs === 0) errors.push({ path: `${path}/group_interval`, message: 'must be more than 0s' });
  if (route.repeat_interval !== undefined && own.repeatIntervalMs === 0) errors.push({ path: `${path}/repeat_interval`, message: 'must be more than 0s' });
  const children = (route.routes ?? []).map((child, index) => compileRoute(child, `${id}.${index}`, `${path}/routes/${index}`, own, receivers, errors, depth + 1));
  return {
    id,
    ...own,
    matchers,
    continue: route.continue ?? false,
    routes: children.filter((child): child is CompiledRoute => child !== undefined),
  };
}

function invalid(errors: FieldError[]): AppError {
  const first = errors[0]!;
  return new AppError('validation_failed', `the alert-rules document is invalid: ${first.path} ${first.message}`, { errors: errors.slice(0, 50) });
}

/** Validates and compiles; throws a 400 `validation_failed` listing every problem with its path under `prefix`. */
export function compileAlertRules(input: unknown, version: number, receivers: ReadonlySet<string>, prefix = ''): CompiledAlertRules {
  if (!validateDocument(input)) throw invalid(schemaErrors(validateDocument.errors, prefix));
  const document = input;
  const errors: FieldError[] = [];
  const names = new Set<string>();
  const rules: CompiledRule[] = [];
  document.rules.forEach((rule, index) => {
    const path = `${prefix}/rules/${index}`;
    if (names.has(rule.name)) errors.push({ path: `${path}/name`, message: `"${rule.name}" names another rule of this document` });
    names.add(rule.name);
    const compiled = compileRule(rule, path, errors);
    if (compiled) rules.push(compiled);
  });
  const route = compileRoute(document.route ?? {}, '0', `${prefix}/route`, { receiver: undefined, ...ROOT_DEFAULTS }, receivers, errors, 0);
  if (errors.length > 0 || !route) throw invalid(errors);
  return { version, document, rules, route };
}
