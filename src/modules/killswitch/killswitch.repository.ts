import { whereClause, type Queryable } from '../../platform/db/index.js';
import type { AgentStatusValue } from '../agents/index.js';
import type { Selection, Selector } from './selection.js';

export interface PreviewRow {
  id: string;
  token_hash: string;
  selector: Selector;
  selection: Selection;
  selection_hash: string;
  agent_count: number;
  created_by: string;
  correlation_id: string | null;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
  activation_id: string | null;
}

export interface ActivationRow {
  id: string;
  preview_id: string;
  selector: Selector;
  reason: string;
  suspended_count: number;
  already_suspended_count: number;
  activated_by: string;
  activated_at: Date;
  correlation_id: string | null;
  released_at: Date | null;
  released_by: string | null;
  release_reason: string | null;
  restored_count: number | null;
  skipped_count: number | null;
  transferred_count: number | null;
}

export type ActivationOutcome = 'suspended' | 'already_suspended';
export type ReleaseOutcome = 'restored' | 'skipped' | 'transferred';

export interface ActivationAgentRow {
  activation_id: string;
  agent_id: string;
  outcome: ActivationOutcome;
  previous_status: AgentStatusValue;
  previous_status_reason: string | null;
  release_outcome: ReleaseOutcome | null;
  release_detail: string | null;
}

/** An activation's agent with the agent's name and current status and reason (read with the row, for a release). */
export interface HeldAgentRow extends ActivationAgentRow {
  name: string;
  current_status: AgentStatusValue;
  current_status_reason: string | null;
}

export function createKillSwitchRepository(db: Queryable) {
  return {
    async insertPreview(preview: Omit<PreviewRow, 'used_at' | 'activation_id'>, tx: Queryable = db): Promise<void> {
      await tx.query(
        `insert into kill_switch_preview (id, token_hash, selector, selection, selection_hash, agent_count, created_by, correlation_id, created_at, expires_at)
         values ($1, $2, $3::jsonb, $4::jsonb, $5, $6, $7, $8, $9, $10)`,
        [
          preview.id,
          preview.token_hash,
          JSON.stringify(preview.selector),
          JSON.stringify(preview.selection),
          preview.selection_hash,
          preview.agent_count,
          preview.created_by,
          preview.correlation_id,
          preview.created_at,
          preview.expires_at,
        ],
      );
    },

    /** Previews nobody executed, a day after they expired: they can no longer be used, nor tell anything new. */
    async deleteStalePreviews(before: Date, tx: Queryable = db): Promise<void> {
      await tx.query('delete from kill_switch_preview where used_at is null and expires_at < $1', [before]);
    },

    async findPreviewByTokenHash(tokenHash: string, tx: Queryable = db): Promise<PreviewRow | undefined> {
      const { rows } = await tx.query<PreviewRow>('select * from kill_switch_preview where token_hash = $1 for update', [tokenHash]);
      return rows[0];
    },

    async markPreviewUsed(id: string, activationId: string, at: Date, tx: Queryable = db): Promise<void> {
      await tx.query('update kill_switch_preview set used_at = $2, activation_id = $3 where id = $1', [id, at, activationId]);
    },

    async insertActivation(activation: Omit<ActivationRow, 'released_at' | 'released_by' | 'release_reason' | 'restored_count' | 'skipped_count' | 'transferred_count'>, tx: Queryable = db): Promise<void> {
      await tx.query(
        `insert into kill_switch_activation (id, preview_id, selector, reason, suspended_count, already_suspended_count, activated_by, activated_at, correlation_id)
         values ($1, $2, $3::jsonb, $4, $5, $6, $7, $8, $9)`,
        [
          activation.id,
          activation.preview_id,
          JSON.stringify(activation.selector),
          activation.reason,
          activation.suspended_count,
          activation.already_suspended_count,
          activation.activated_by,
          activation.activated_at,
          activation.correlation_id,
        ],
      );
    },

    async insertAgents(rows: ReadonlyArray<Omit<ActivationAgentRow, 'release_outcome' | 'release_detail'>>, tx: Queryable = db): Promise<void> {
      if (rows.length === 0) return;
      await tx.query(
        `insert into kill_switch_agent (activation_id, agent_id, outcome, previous_status, previous_status_reason)
         select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[])`,
        [rows.map((row) => row.activation_id), rows.map((row) => row.agent_id), rows.map((row) => row.outcome), rows.map((row) => row.previous_status), rows.map((row) => row.previous_status_reason)],
      );
    },

    async findActivation(id: string, tx: Queryable = db, options: { forUpdate?: boolean } = {}): Promise<ActivationRow | undefined> {
      const { rows } = await tx.query<ActivationRow>(`select * from kill_switch_activation where id = $1${options.forUpdate ? ' for update' : ''}`, [id]);
      return rows[0];
    },

    async countActive(): Promise<number> {
      const { rows } = await db.query<{ count: number }>('select count(*)::int8 as count from kill_switch_activation where released_at is null');
      return rows[0]?.count ?? 0;
    },

    /** Newest first (ids are UUIDv7), keyset on id. */
    async listActivations(query: { status?: 'active' | 'released'; limit: number; after?: string }): Promise<ActivationRow[]> {
      const where = whereClause();
      if (query.status === 'active') where.addFixed('released_at is null');
      if (query.status === 'released') where.addFixed('released_at is not null');
      if (query.after) where.add((p) => `id < ${p}`, query.after);
      const limit = where.bind(query.limit);
      const { text, values } = where.build();
      const { rows } = await db.query<ActivationRow>(`select * from kill_switch_activation ${text} order by id desc limit ${limit}`, values);
      return rows;
    },

    /**
     * An activation's agents with their current name, status and reason, by agent id. `lock` locks the agents
     * (a release): a status change racing it waits, so what it decides for each agent stays true until it commits.
     */
    async heldAgents(activationId: string, tx: Queryable = db, options: { lock?: boolean } = {}): Promise<HeldAgentRow[]> {
      const { rows } = await tx.query<HeldAgentRow>(
        `select k.*, a.name, a.status as current_status, a.status_reason as current_status_reason
           from kill_switch_agent k join agent a on a.id = k.agent_id
          where k.activation_id = $1
          order by k.agent_id${options.lock ? ' for update of a' : ''}`,
        [activationId],
      );
      return rows;
    },

    /**
     * For each agent, the newest other activation still in force that selected it while it was already suspended:
     * the one a release hands the agent over to, instead of resuming it.
     */
    async otherHolders(activationId: string, agentIds: string[], tx: Queryable = db): Promise<Map<string, { activation_id: string; reason: string }>> {
      if (agentIds.length === 0) return new Map();
      const { rows } = await tx.query<{ agent_id: string; activation_id: string; reason: string }>(
        `select distinct on (k.agent_id) k.agent_id, k.activation_id, s.reason
           from kill_switch_agent k join kill_switch_activation s on s.id = k.activation_id
          where k.agent_id = any($2::uuid[]) and k.activation_id <> $1 and s.released_at is null and k.outcome = 'already_suspended'
          order by k.agent_id, k.activation_id desc`,
        [activationId, agentIds],
      );
      return new Map(rows.map((row) => [row.agent_id, { activation_id: row.activation_id, reason: row.reason }]));
    },

    /** The activation that takes an agent over now holds it as if it had suspended it from its previous state. */
    async takeOver(rows: ReadonlyArray<{ activation_id: string; agent_id: string; previous_status: string; previous_status_reason: string | null }>, tx: Queryable = db): Promise<void> {
      if (rows.length === 0) return;
      await tx.query(
        `update kill_switch_agent k set outcome = 'suspended', previous_status = t.previous_status, previous_status_reason = t.previous_status_reason
           from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[]) as t (activation_id, agent_id, previous_status, previous_status_reason)
          where k.activation_id = t.activation_id and k.agent_id = t.agent_id`,
        [rows.map((row) => row.activation_id), rows.map((row) => row.agent_id), rows.map((row) => row.previous_status), rows.map((row) => row.previous_status_reason)],
      );
    },

    async recordReleaseOutcomes(activationId: string, outcomes: ReadonlyArray<{ agent_id: string; outcome: ReleaseOutcome; detail: string | null }>, tx: Queryable = db): Promise<void> {
      if (outcomes.length === 0) return;
      await tx.query(
        `update kill_switch_agent k set release_outcome = t.outcome, release_detail = t.detail
           from unnest($2::uuid[], $3::text[], $4::text[]) as t (agent_id, outcome, detail)
          where k.activation_id = $1 and k.agent_id = t.agent_id`,
        [activationId, outcomes.map((row) => row.agent_id), outcomes.map((row) => row.outcome), outcomes.map((row) => row.detail)],
      );
    },

    async markReleased(
      id: string,
      release: { at: Date; by: string; reason: string; restored: number; skipped: number; transferred: number },
      tx: Queryable = db,
    ): Promise<void> {
      await tx.query(
        `update kill_switch_activation
            set released_at = $2, released_by = $3, release_reason = $4, restored_count = $5, skipped_count = $6, transferred_count = $7
          where id = $1`,
        [id, release.at, release.by, release.reason, release.restored, release.skipped, release.transferred],
      );
    },
  };
}

export type KillSwitchRepository = ReturnType<typeof createKillSwitchRepository>;
