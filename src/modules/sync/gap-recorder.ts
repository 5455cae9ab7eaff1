import type { AfterCommit, Queryable } from '../../platform/db/index.js';
import { newId } from '../../platform/ids.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { GapType, Severity } from './contract-schema.js';
import type { CompiledContract, CompiledStream, RuleCost } from './contract.js';
import type { GapRow, GapsRepository, NewGap } from './gaps.repository.js';

/** What the analyzer reports about the gaps it opens and closes (the module's metrics). */
export interface GapHooks {
  gapOpened(type: GapType): void;
  gapResolved(type: GapType): void;
}

/** The columns of a gap that a contract and the rule that found it decide (all but its detail). */
export function gapBase(
  contract: CompiledContract,
  values: { type: GapType; severity: Severity; stream: CompiledStream | undefined; rule: string; entity_id: string | null; cost: RuleCost; dueInMs: number; now: Date },
): Omit<NewGap, 'id' | 'detail'> {
  return {
    type: values.type,
    severity: values.severity,
    contract: contract.name,
    stream: values.stream?.name ?? null,
    rule: values.rule,
    entity_type: values.stream?.entity_type ?? null,
    entity_id: values.entity_id,
    agent_id: contract.owner,
    detected_at: values.now,
    due_at: new Date(values.now.getTime() + values.dueInMs),
    risk_kind: values.cost.risk_kind,
    cost_usd: values.cost.cost_usd,
  };
}

/**
 * Opens gaps and reports the gaps the analyzer opened or closed: counted and logged once their transaction commits
 * (through `afterCommit`), so that an analysis rolled back and redone reports each gap once.
 */
export function createGapRecorder(deps: { gaps: Pick<GapsRepository, 'openGap'>; afterCommit: AfterCommit; hooks: GapHooks; logger: Logger }) {
  const { gaps, afterCommit, hooks, logger } = deps;
  return {
    /** Opens the gap unless one with its identity is open; returns the open gap's id either way. */
    async open(tx: Queryable, gap: Omit<NewGap, 'id'>): Promise<{ id: string; opened: boolean }> {
      const result = await gaps.openGap(tx, { id: newId(), ...gap });
      if (result.opened) {
        afterCommit.defer(tx, () => {
          hooks.gapOpened(gap.type);
          logger.info({ gap_id: result.id, type: gap.type, severity: gap.severity, contract: gap.contract, rule: gap.rule }, 'sync gap opened');
        });
      }
      return result;
    },

    /** Reports gaps the analyzer closed in `tx` (the data arrived or agrees again). */
    resolved(tx: Queryable, rows: GapRow[]): void {
      if (rows.length === 0) return;
      afterCommit.defer(tx, () => {
        for (const row of rows) {
          hooks.gapResolved(row.type);
          logger.info({ gap_id: row.id, type: row.type, contract: row.contract, rule: row.rule }, 'sync gap resolved automatically');
        }
      });
    },
  };
}

export type GapRecorder = ReturnType<typeof createGapRecorder>;
