import type { Queryable } from '../../platform/db/index.js';
import type { AlertStatus } from './alert-state.js';

export interface AlertRow {
  fingerprint: string;
  rule: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: AlertStatus;
  active_since: Date;
  starts_at: Date | null;
  ends_at: Date | null;
  last_evaluated_at: Date;
  value: number | null;
  correlation_id: string | null;
}

export interface GroupRow {
  group_key: string;
  receiver: string;
  group_labels: Record<string, string>;
  first_seen_at: Date;
  last_sent_at: Date | null;
  /** fingerprint → 'firing', for the alerts the last notification reported firing. */
  sent_state: Record<string, 'firing'>;
}

export type SignalKind = 'signature_failure' | 'delivery_dead_lettered';

export function createAlertsRepository(db: Queryable) {
  return {
    /** Serialises evaluations across replicas and jobs for the rest of the transaction. */
    async lockEvaluation(tx: Queryable): Promise<void> {
      await tx.query("select pg_advisory_xact_lock(hashtext('orca_alerts_evaluation'))");
    },

    /** Alerts not resolved, and the resolved ones named (those a group still reports firing). */
    async listLive(fingerprints: string[], tx: Queryable = db): Promise<AlertRow[]> {
      const { rows } = await tx.query<AlertRow>("select * from alert where status <> 'resolved' or fingerprint = any($1::text[])", [fingerprints]);
      return rows;
    },

    async findMany(fingerprints: string[], tx: Queryable = db): Promise<AlertRow[]> {
      if (fingerprints.length === 0) return [];
      const { rows } = await tx.query<AlertRow>('select * from alert where fingerprint = any($1::text[])', [fingerprints]);
      return rows;
    },

    /** Writes every changed alert in one statement. */
    async upsert(rows: AlertRow[], tx: Queryable): Promise<void> {
      if (rows.length === 0) return;
      await tx.query(
        `insert into alert (fingerprint, rule, labels, annotations, status, active_since, starts_at, ends_at, last_evaluated_at, value, correlation_id, updated_at)
         select r.fingerprint, r.rule, r.labels, r.annotations, r.status, r.active_since, r.starts_at, r.ends_at, r.last_evaluated_at, r.value, r.correlation_id, now()
           from jsonb_to_recordset($1::jsonb) as r(fingerprint text, rule text, labels jsonb, annotations jsonb, status text, active_since timestamptz,
                starts_at timestamptz, ends_at timestamptz, last_evaluated_at timestamptz, value double precision, correlation_id text)
         on conflict (fingerprint) do update set rule = excluded.rule, labels = excluded.labels, annotations = excluded.annotations,
           status = excluded.status, active_since = excluded.active_since, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
           last_evaluated_at = excluded.last_evaluated_at, value = excluded.value, correlation_id = excluded.correlation_id, updated_at = now()`,
        [JSON.stringify(rows)],
      );
    },

    /** Every live alert was looked at now (the ones whose state changed were written by `upsert`). */
    /** The live alerts of these rules (all rules: undefined) were evaluated at `at`. */
    async markEvaluated(at: Date, tx: Queryable, rules?: string[]): Promise<void> {
      await tx.query("update alert set last_evaluated_at = $1 where status <> 'resolved' and last_evaluated_at < $1 and ($2::text[] is null or rule = any($2))", [
        at,
        rules ?? null,
      ]);
    },

    /** For GET /alerts: keyset on fingerprint. */
    async list(query: { status?: AlertStatus; fingerprint?: string; limit: number; after?: string }): Promise<AlertRow[]> {
      const where: string[] = [];
      const params: unknown[] = [query.limit];
      if (query.fingerprint) {
        params.push(query.fingerprint);
        where.push(`fingerprint = $${params.length}`);
      }
      if (query.status) {
        params.push(query.status);
        where.push(`status = $${params.length}`);
      }
      if (query.after) {
        params.push(query.after);
        where.push(`fingerprint > $${params.length}`);
      }
      const whereSql = where.length > 0 ? `where ${where.join(' and ')}` : '';
      const { rows } = await db.query<AlertRow>(
        `select * from alert ${whereSql} order by fingerprint limit $1`,
        params,
      );
      return rows;
    },

    async listGroups(tx: Queryable = db): Promise<GroupRow[]> {
      const { rows } = await tx.query<GroupRow>('select group_key, receiver, group_labels, first_seen_at, last_sent_at, sent_state from alert_group');
      return rows;
    },

    async saveGroups(rows: GroupRow[], tx: Queryable): Promise<void> {
      if (rows.length === 0) return;
      await tx.query(
        `insert into alert_group (group_key, receiver, group_labels, first_seen_at, last_sent_at, sent_state, updated_at)
         select r.group_key, r.receiver, r.group_labels, r.first_seen_at, r.last_sent_at, r.sent_state, now()
           from jsonb_to_recordset($1::jsonb) as r(group_key text, receiver text, group_labels jsonb, first_seen_at timestamptz, last_sent_at timestamptz, sent_state jsonb)
         on conflict (group_key) do update set last_sent_at = excluded.last_sent_at, sent_state = excluded.sent_state, updated_at = now()`,
        [JSON.stringify(rows)],
      );
    },

    async deleteGroups(keys: string[], tx: Queryable): Promise<void> {
      if (keys.length > 0) await tx.query('delete from alert_group where group_key = any($1::text[])', [keys]);
    },

    async recordSignal(values: { id: string; kind: SignalKind; subject: Record<string, string>; at: Date; correlation_id: string | null }, tx: Queryable = db): Promise<void> {
      await tx.query('insert into alert_signal (id, kind, subject, at, correlation_id) values ($1, $2, $3, $4, $5)', [
        values.id,
        values.kind,
        JSON.stringify(values.subject),
        values.at,
        values.correlation_id,
      ]);
    },

    /**
     * Resolved alerts that ended before `before`, except those a group still reports firing (their resolution is
     * news still to send). Returns how many were deleted.
     */
    async pruneResolved(before: Date, tx: Queryable = db): Promise<number> {
      const { rows } = await tx.query<{ fingerprint: string }>(
        `delete from alert a where a.status = 'resolved' and a.ends_at < $1
            and not exists (select 1 from alert_group g where g.sent_state ? a.fingerprint)
         returning a.fingerprint`,
        [before],
      );
      return rows.length;
    },

    /** Signals older than any rule window can reach are of no use. */
    async pruneSignals(before: Date, tx: Queryable = db): Promise<void> {
      await tx.query('delete from alert_signal where at < $1', [before]);
    },
  };
}

export type AlertsRepository = ReturnType<typeof createAlertsRepository>;
