/**
 * Which rule kinds a change can affect. A prompt evaluation (alerts.jobs.ts) evaluates only the rules of the kinds
 * its changes name: a recorded violation can change `violations` rules and nothing else, so it need not read gaps,
 * trust scores or discovery runs. The scheduled and timer evaluations still evaluate every rule — they are the
 * clock for conditions that time alone changes (a window sliding, an agent falling silent, a `for` running out).
 */
import type { RuleKind } from './alert-rules-document.js';

export const ALERT_CHANGE_KINDS = {
  /** Policy decisions recorded violations. */
  violations: ['violations'],
  /** Sync opened or closed gaps. */
  gaps: ['gap_opened'],
  /** Ingest committed events of an agent: it spoke again (agent_silent), a stream got data (stream_stale). */
  events: ['agent_silent', 'stream_stale'],
  incidents: ['incident_opened'],
  /** A trust snapshot: scores, KPIs, and agents it quarantined (no longer active, so no longer silent). */
  trust: ['trust_below', 'kpi_threshold', 'agent_silent'],
  approvals: ['approval_requested'],
  backups: ['backup_failed', 'backup_stale'],
  discovery: ['agent_discovered', 'agent_changed', 'tool_poisoning', 'discovery_failed'],
  signature_failures: ['signature_failures'],
  dead_letters: ['delivery_dead_lettered'],
  /** A silence changes what is delivered, never a condition: the evaluation only plans notifications again. */
  silences: [],
} as const satisfies Record<string, readonly RuleKind[]>;

export type AlertChange = keyof typeof ALERT_CHANGE_KINDS;

/** The rule kinds an evaluation covers: some (a prompt one), or all (scheduled, timer, an explicit call). */
export type EvaluationScope = ReadonlySet<RuleKind> | 'all';

/** The scope of a prompt evaluation standing for several changes: the union of their kinds. */
export function mergeScope(scope: EvaluationScope, kinds: EvaluationScope): EvaluationScope {
  if (scope === 'all' || kinds === 'all') return 'all';
  // The common case, a burst of the same writes (the same scope object, index.ts keeps one per change): nothing to
  // look at, as each request of a burst on the hot path would.
  if (scope === kinds) return scope;
  // Otherwise, kinds already covered allocate nothing.
  for (const kind of kinds) if (!scope.has(kind)) return new Set([...scope, ...kinds]);
  return scope;
}

export function scopeOf(changes: readonly AlertChange[]): EvaluationScope {
  return new Set(changes.flatMap((change) => ALERT_CHANGE_KINDS[change]));
}

/** The kinds in a stable order (a job payload, a singleton key); undefined for all. */
export function scopeKinds(scope: EvaluationScope): RuleKind[] | undefined {
  return scope === 'all' ? undefined : [...scope].sort();
}

export function inScope(scope: EvaluationScope, kind: RuleKind): boolean {
  return scope === 'all' || scope.has(kind);
}
