/**
 * What an evidence pack reads: the tables of the agents, policies, incidents, trust and audit modules, read directly
 * (like the trust read model) in keyset pages, so that a period of millions of rows streams through in bounded
 * memory. Rows come out as plain JSON-ready objects.
 */
import type { Queryable } from '../../platform/db/index.js';

/** Rows per page. */
const PAGE = 1000;
const FIRST_UUID = '00000000-0000-0000-0000-000000000000';

export interface Period {
  from: Date;
  to: Date;
}

type Row = Record<string, unknown>;

/**
 * Pages through a table in time order where it has an index on time: the keyset is (at, id), so every page starts at
 * the index position of the previous one's last row instead of scanning the period again (paging a time-filtered
 * query by id alone re-reads the whole period for every page).
 */
async function* pagedByTime(fetch: (afterAt: Date, afterId: string, limit: number) => Promise<Row[]>, from: Date): AsyncGenerator<Row> {
  // (from, nil UUID): every row at exactly `from` comes after it, so the period stays [from, to).
  let afterAt = from;
  let afterId = FIRST_UUID;
  for (;;) {
    const rows = await fetch(afterAt, afterId, PAGE);
    yield* rows;
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1]!;
    afterAt = last.at as Date;
    afterId = String(last.id);
  }
}

/** Pages through a keyset query ordered by `key` until a short page. */
async function* paged(fetch: (after: string, limit: number) => Promise<Row[]>, key = 'id'): AsyncGenerator<Row> {
  let after = FIRST_UUID;
  for (;;) {
    const rows = await fetch(after, PAGE);
    yield* rows;
    if (rows.length < PAGE) return;
    after = String(rows[rows.length - 1]![key]);
  }
}

export const OPTIONAL_TABLES = ['approval', 'remediation'] as const;
export type OptionalTable = (typeof OPTIONAL_TABLES)[number];

export function createEvidenceReadModel(db: Queryable) {
  const q = async (text: string, values: unknown[]) => (await db.query<Row>(text, values)).rows;

  return {
    /** Every agent registered before the period ended, with its status at the period's start and end. */
    agents: ({ from, to }: Period) =>
      paged((after, limit) =>
        q(
          `select a.id, a.name, a.kind, a.source, a.external_id, a.owner, a.vendor, a.model, a.version, a.description, a.fingerprint,
                  a.classification, a.role, a.targets, a.tags, a.tools, a.created_at, a.updated_at,
                  a.status as status_now, a.status_reason,
                  (select e.to_status from agent_event e where e.agent_id = a.id and e.at <= $1 order by e.at desc, e.id desc limit 1) as status_at_start,
                  (select e.to_status from agent_event e where e.agent_id = a.id and e.at < $2 order by e.at desc, e.id desc limit 1) as status_at_end
             from agent a
            where a.created_at < $2 and a.id > $3
            order by a.id limit $4`,
          [from, to, after, limit],
        ),
      ),

    lifecycle: ({ from, to }: Period) =>
      paged((after, limit) =>
        q(
          `select id, agent_id, action, from_status, to_status, reason, actor, fingerprint, correlation_id, at
             from agent_event where at >= $1 and at < $2 and id > $3 order by id limit $4`,
          [from, to, after, limit],
        ),
      ),

    /** The version in force at `from` and every version put during the period, with when each was superseded. */
    async policies({ from, to }: Period): Promise<{ versions: Row[]; defaultInForceAtStart: boolean }> {
      const versions = await q(
        `select p.version, p.mode, p.format, p.source, p.document, p.created_by, p.created_at,
                (select min(n.created_at) from policy n where n.version > p.version) as superseded_at
           from policy p
          where p.created_at < $2 and (p.created_at > $1 or p.version = (select max(version) from policy where created_at <= $1))
          order by p.version`,
        [from, to],
      );
      const before = await q('select count(*)::int as count from policy where created_at <= $1', [from]);
      return { versions, defaultInForceAtStart: before[0]!.count === 0 };
    },

    async decisionSummary({ from, to }: Period) {
      const args = [from, to];
      const [totals, byDecision, byVersion, byClassification, byAction, byAgent, byRule] = await Promise.all([
        q(
          `select count(*)::int as total, count(*) filter (where compliant)::int as compliant,
                  count(*) filter (where mode = 'monitor')::int as monitor_mode,
                  count(*) filter (where jsonb_array_length(violations) > 0)::int as with_violations,
                  coalesce(sum(risk_avoided_usd), 0)::float8 as risk_avoided_usd
             from decision where at >= $1 and at < $2`,
          args,
        ),
        q(`select decision, count(*)::int as count from decision where at >= $1 and at < $2 group by decision order by decision`, args),
        q(
          `select policy_version, count(*)::int as count, count(*) filter (where compliant)::int as compliant
             from decision where at >= $1 and at < $2 group by policy_version order by policy_version`,
          args,
        ),
        q(`select classification, count(*)::int as count from decision where at >= $1 and at < $2 group by classification order by classification`, args),
        q(`select action, count(*)::int as count from decision where at >= $1 and at < $2 group by action order by count desc, action limit 200`, args),
        q(
          `select d.agent_id, max(a.name) as agent_name, count(*)::int as total, count(*) filter (where d.compliant)::int as compliant,
                  count(*) filter (where d.decision = 'deny')::int as denied, count(*) filter (where d.decision = 'require_approval')::int as approval_required
             from decision d left join agent a on a.id = d.agent_id
            where d.at >= $1 and d.at < $2 group by d.agent_id order by total desc, d.agent_id`,
          args,
        ),
        q(
          `select rule, severity, count(*)::int as count from policy_violation where at >= $1 and at < $2 group by rule, severity order by rule, severity`,
          args,
        ),
      ]);
      return { totals: totals[0]!, byDecision, byVersion, byClassification, byAction, byAgent, byRule };
    },

    violations: ({ from, to }: Period) =>
      pagedByTime(
        (afterAt, afterId, limit) =>
          q(
            `select v.id, v.at, v.decision_id, v.agent_id, a.name as agent_name, v.rule, v.severity, v.detail, v.decision, v.mode, v.policy_version,
                    d.action, d.resource, d.classification, d.correlation_id
               from policy_violation v join decision d on d.id = v.decision_id left join agent a on a.id = v.agent_id
              where (v.at, v.id) > ($1, $2) and v.at < $3 order by v.at, v.id limit $4`,
            [afterAt, afterId, to, limit],
          ),
        from,
      ),

    /** Incidents open at any moment of the period. */
    incidents: ({ from, to }: Period) =>
      paged((after, limit) =>
        q(
          `select id, agent_id, gap_id, kind, severity, title, loss_usd, status, resolved_by, resolution_note, opened_by, opened_at, resolved_at, created_at, updated_at
             from incident where opened_at < $2 and (resolved_at is null or resolved_at >= $1) and id > $3 order by id limit $4`,
          [from, to, after, limit],
        ),
      ),

    kpiSnapshots: ({ from, to }: Period) =>
      pagedByTime(
        (afterAt, afterId, limit) =>
          q(`select id, at, window_label, window_ms, kpis from kpi_snapshot where (at, id) > ($1, $2) and at < $3 order by at, id limit $4`, [afterAt, afterId, to, limit]),
        from,
      ),

    async tableExists(table: OptionalTable): Promise<boolean> {
      return (await q('select to_regclass($1) is not null as present', [table]))[0]!.present === true;
    },

    /**
     * The rows of a table another module owns and this version may not have (approvals, remediations), created in the
     * period, as that module stored them. An approval also lists its decisions in order (`decisions`): each approving
     * vote, then the denial or the expiry that closed it, each with the key that made it and that key's name, so the
     * auditor reads who decided without a second lookup (a key may be renamed or deleted later: the name is today's,
     * the id is the record's).
     */
    optionalRows(table: OptionalTable, { from, to }: Period) {
      const text =
        table === 'approval'
          ? // The callback URL and its signing secret are sealed secrets of the agent, not evidence: never exported.
            `select t.id::text as id,
                    to_jsonb(t) - 'callback_url_sealed' - 'callback_secret_sealed' || jsonb_build_object('decisions', (
                      select coalesce(jsonb_agg(d.decision order by d.position), '[]'::jsonb)
                        from (select v.position,
                                     jsonb_build_object('verdict', 'approve', 'by', v.vote->>'approver', 'key_name', k.name, 'via', v.vote->>'via',
                                                        'reason', v.vote->>'reason', 'at', v.vote->'at') as decision
                                from jsonb_array_elements(t.approvers) with ordinality as v(vote, position)
                                left join api_key k on k.id::text = v.vote->>'approver'
                              union all
                              select 2147483647,
                                     jsonb_build_object('verdict', case t.status when 'denied' then 'deny' else 'expire' end, 'by', t.decided_by, 'key_name', k.name,
                                                        'via', null, 'reason', t.decision_reason, 'at', to_jsonb(t.decided_at))
                                from (select 1) as closing left join api_key k on k.id::text = t.decided_by
                               where t.status in ('denied', 'expired')) d)) as row
               from approval t where t.created_at >= $1 and t.created_at < $2 and t.id::text > $3 order by t.id::text limit $4`
          : `select t.id::text as id, to_jsonb(t) as row from remediation t where t.created_at >= $1 and t.created_at < $2 and t.id::text > $3 order by t.id::text limit $4`;
      return paged((after, limit) => q(text, [from, to, after, limit]));
    },

    /** The audit entries written in the period: the first and last sequence numbers (the segment is every seq between). */
    async auditSegment({ from, to }: Period): Promise<{ first: number; last: number } | undefined> {
      const [row] = await q('select min(seq)::float8 as first, max(seq)::float8 as last from audit_entry where at >= $1 and at < $2', [from, to]);
      return row?.first === null || row?.first === undefined ? undefined : { first: Number(row.first), last: Number(row.last) };
    },

    /** The entry the segment hangs from: the newest one before `seq`. */
    async auditAnchor(seq: number): Promise<{ seq: number; hash: string } | undefined> {
      const [row] = await q('select seq::float8 as seq, hash from audit_entry where seq < $1 order by seq desc limit 1', [seq]);
      return row ? { seq: Number(row.seq), hash: String(row.hash) } : undefined;
    },

    /** Entries first..last by seq, in pages; `at` as the chain hashed it (ISO 8601 with milliseconds). */
    async *auditEntries(first: number, last: number): AsyncGenerator<Row> {
      let after = first - 1;
      for (;;) {
        const rows = await q('select * from audit_entry where seq > $1 and seq <= $2 order by seq limit $3', [after, last, PAGE]);
        for (const row of rows) yield { ...row, seq: Number(row.seq), at: (row.at as Date).toISOString() };
        if (rows.length < PAGE) return;
        after = Number(rows[rows.length - 1]!.seq);
      }
    },
  };
}

export type EvidenceReadModel = ReturnType<typeof createEvidenceReadModel>;
