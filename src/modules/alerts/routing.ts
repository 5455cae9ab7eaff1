/**
 * The routing tree, as Prometheus Alertmanager walks it: an alert enters at the root; at each route, the first child
 * whose matchers all match takes it (and the walk goes down that child), unless that child says `continue`, in which
 * case the next matching siblings are tried too. A route none of whose children match is where the alert stops.
 * Children inherit their parent's receiver, grouping and timers unless they set their own. Pure.
 */
import { createHash } from 'node:crypto';
import { matchesAll, type Matcher } from './matchers.js';

export interface CompiledRoute {
  /** Position in the tree (`0`, `0.1`, …): part of every group key, so two routes never share a group. */
  id: string;
  /** undefined: the alert is recorded and listed, delivered nowhere. */
  receiver: string | undefined;
  /** Label names, or 'all' (`group_by: ['...']`). */
  groupBy: string[] | 'all';
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  matchers: Matcher[];
  continue: boolean;
  routes: CompiledRoute[];
}

/** Alertmanager's defaults for the root route. */
export const ROOT_DEFAULTS = { groupBy: ['alertname'], groupWaitMs: 30_000, groupIntervalMs: 5 * 60_000, repeatIntervalMs: 4 * 3_600_000 };

/** The routes where an alert with these labels stops (the root's matchers are not consulted). */
export function routeAlert(root: CompiledRoute, labels: Readonly<Record<string, string>>): CompiledRoute[] {
  return walk(root, labels, true);
}

function walk(route: CompiledRoute, labels: Readonly<Record<string, string>>, isRoot: boolean): CompiledRoute[] {
  if (!isRoot && !matchesAll(route.matchers, labels)) return [];
  const found: CompiledRoute[] = [];
  for (const child of route.routes) {
    const below = walk(child, labels, false);
    if (below.length === 0) continue;
    found.push(...below);
    if (!child.continue) break;
  }
  return found.length > 0 ? found : [route];
}

/** The labels an alert is grouped by on a route. */
export function groupLabelsOf(route: CompiledRoute, labels: Readonly<Record<string, string>>): Record<string, string> {
  if (route.groupBy === 'all') return { ...labels };
  const grouped: Record<string, string> = {};
  for (const name of route.groupBy) if (labels[name] !== undefined) grouped[name] = labels[name]!;
  return grouped;
}

/** Identifies one notification group: the route, its receiver and the group's labels. */
export function groupKeyOf(route: CompiledRoute, groupLabels: Readonly<Record<string, string>>): string {
  const labels = Object.keys(groupLabels)
    .sort()
    .map((name) => [name, groupLabels[name]]);
  return createHash('sha256').update(JSON.stringify([route.id, route.receiver ?? '', labels])).digest('hex').slice(0, 32);
}
