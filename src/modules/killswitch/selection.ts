/**
 * The pure core of the kill switch (docs/kill-switch.md): what a selector means, the fingerprint that binds a
 * preview to the exact selection it showed, what changed when the two no longer agree, and the preview token.
 */
import { randomBytes } from 'node:crypto';
import { AppError, type FieldError } from '../../platform/errors.js';
import { sha256Hex } from '../../platform/hash.js';

/** Criteria of a selector. Each list matches any of its values; the criteria given must all match. */
export const LIST_CRITERIA = ['agent_ids', 'tags', 'owners', 'vendors', 'models', 'kinds', 'discovery_source_ids'] as const;
export type ListCriterion = (typeof LIST_CRITERIA)[number];

export type SelectorInput = { all?: boolean } & Partial<Record<ListCriterion, string[]>>;

/** A selector as stored and compared: lists deduplicated and sorted, ids lowercase, empty criteria dropped. */
export type Selector = { all: true } | Partial<Record<ListCriterion, string[]>>;

const ID_CRITERIA: ReadonlySet<ListCriterion> = new Set(['agent_ids', 'discovery_source_ids']);

export function normaliseSelector(input: SelectorInput): Selector {
  const errors: FieldError[] = [];
  const lists: Partial<Record<ListCriterion, string[]>> = {};
  for (const criterion of LIST_CRITERIA) {
    const values = input[criterion];
    if (values === undefined) continue;
    const normalised = values.map((value) => (ID_CRITERIA.has(criterion) ? value.toLowerCase() : value));
    lists[criterion] = [...new Set(normalised)].sort();
  }
  const named = Object.keys(lists);
  if (input.all === true) {
    // "Everything" is its own, explicit request: mixed with criteria, one of the two was not meant.
    if (named.length > 0) errors.push({ path: '/body/selector/all', message: `must be the only criterion (also given: ${named.join(', ')})` });
  } else if (named.length === 0) {
    errors.push({ path: '/body/selector', message: 'names no criterion: give agent_ids, tags, owners, vendors, models, kinds, discovery_source_ids, or all: true' });
  }
  if (errors.length > 0) throw new AppError('validation_failed', `the selector ${errors[0]!.message}`, { errors });
  return input.all === true ? { all: true } : lists;
}

export function selectsAll(selector: Selector): selector is { all: true } {
  return 'all' in selector && selector.all === true;
}

/** [agent id, status] pairs sorted by id: the exact selection a preview shows and an execution must find again. */
export type Selection = Array<[string, string]>;

export function selectionOf(agents: ReadonlyArray<{ id: string; status: string }>): Selection {
  return agents.map((agent): [string, string] => [agent.id, agent.status]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Order-independent: the same agents in the same statuses hash alike, whatever order the database returned. */
export function hashSelection(selection: Selection): string {
  return sha256Hex(selectionOf(selection.map(([id, status]) => ({ id, status }))).map(([id, status]) => `${id}:${status}`).join('\n'));
}

export interface SelectionChange {
  /** Agents that match now and did not at preview time. */
  added: number;
  /** Agents that matched at preview time and no longer do (changed, retired). */
  removed: number;
  /** Agents in both whose status changed. */
  changed: number;
}

export function compareSelections(previewed: Selection, current: Selection): SelectionChange {
  const before = new Map(previewed);
  const after = new Map(current);
  let added = 0;
  let changed = 0;
  for (const [id, status] of after) {
    const was = before.get(id);
    if (was === undefined) added += 1;
    else if (was !== status) changed += 1;
  }
  let removed = 0;
  for (const id of before.keys()) if (!after.has(id)) removed += 1;
  return { added, removed, changed };
}

export function describeChange(change: SelectionChange): string {
  const parts = [
    change.added > 0 ? `${change.added} agent${change.added === 1 ? '' : 's'} now match${change.added === 1 ? 'es' : ''} that did not` : '',
    change.removed > 0 ? `${change.removed} no longer match${change.removed === 1 ? 'es' : ''}` : '',
    change.changed > 0 ? `${change.changed} changed status` : '',
  ].filter(Boolean);
  return parts.join(', ');
}

/**
 * What a suspended agent's status_reason says while an activation holds it. A release restores only the agents
 * whose reason still says so: anyone who resumed (and perhaps suspended again) an agent meanwhile wrote their own.
 */
export function holdReason(activationId: string, reason: string): string {
  return `kill switch ${activationId}: ${reason}`;
}

/** Five minutes: long enough to read a blast radius and decide, short enough that it still describes the fleet. */
export const PREVIEW_TTL_MS = 5 * 60_000;

const TOKEN_PREFIX = 'orca_ksp_';

/** 256 random bits; only their SHA-256 is stored, so a database read cannot execute a preview. */
export function generatePreviewToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashPreviewToken(token: string): string {
  return sha256Hex(token);
}
