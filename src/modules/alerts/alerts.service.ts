/** Listing alerts, each with the silences that keep it from being delivered. */
import type { Clock } from '../../platform/clock.js';
import type { AlertStatus } from './alert-state.js';
import type { AlertRow, AlertsRepository } from './alerts.repository.js';
import { parseMatcher } from './matchers.js';
import { silencesOf, type ActiveSilence } from './notification-plan.js';
import type { SilencesRepository } from './silences.repository.js';

export interface AlertView {
  fingerprint: string;
  rule: string;
  status: AlertStatus;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  value: number | null;
  active_since: string;
  starts_at: string | null;
  ends_at: string | null;
  last_evaluated_at: string;
  correlation_id: string | null;
  silenced_by: Array<{ id: string; comment: string; ends_at: string }>;
}

export function createAlertsService(deps: { repository: AlertsRepository; silences: SilencesRepository; clock: Clock }) {
  return {
    async list(query: { status?: AlertStatus; fingerprint?: string; limit?: number; cursor?: string }): Promise<{ items: AlertView[]; next_cursor: string | null }> {
      const limit = query.limit ?? 50;
      const now = deps.clock.now();
      const [rows, silenceRows] = await Promise.all([
        deps.repository.list({ limit: limit + 1, ...(query.status ? { status: query.status } : {}), ...(query.fingerprint ? { fingerprint: query.fingerprint } : {}), ...(query.cursor ? { after: query.cursor } : {}) }),
        deps.silences.listCurrent(now),
      ]);
      const silences = silenceRows.map((row): ActiveSilence & { comment: string } => ({
        id: row.id,
        matchers: row.matchers.map((text) => parseMatcher(text)),
        startsAt: row.starts_at,
        endsAt: row.ends_at,
        comment: row.comment,
      }));
      const items = rows.slice(0, limit).map((row) => toView(row, silences, now));
      return { items, next_cursor: rows.length > limit ? items[items.length - 1]!.fingerprint : null };
    },
  };
}

function toView(row: AlertRow, silences: Array<ActiveSilence & { comment: string }>, now: Date): AlertView {
  // A resolved alert has nothing left to deliver: only live alerts are shown with the silences that mute them.
  const muting = row.status === 'resolved' ? [] : (silencesOf(row.labels, silences, now) as Array<ActiveSilence & { comment: string }>);
  return {
    fingerprint: row.fingerprint,
    rule: row.rule,
    status: row.status,
    labels: row.labels,
    annotations: row.annotations,
    value: row.value,
    active_since: row.active_since.toISOString(),
    starts_at: row.starts_at?.toISOString() ?? null,
    ends_at: row.ends_at?.toISOString() ?? null,
    last_evaluated_at: row.last_evaluated_at.toISOString(),
    correlation_id: row.correlation_id,
    silenced_by: muting.map((silence) => ({ id: silence.id, comment: silence.comment, ends_at: silence.endsAt.toISOString() })),
  };
}

export type AlertsService = ReturnType<typeof createAlertsService>;
