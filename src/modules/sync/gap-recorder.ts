import type { AfterCommit, Queryable } from '../../platform/db/index.js';
import { newId } from '../../platform/ids.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { GapType, Severity } from './contract-schema.js';
import type { CompiledContract, CompiledStream, RuleCost } from './contract.js';
import type { GapObserver } from './gap-observer.js';
import type { GapRow, GapsRepository, NewGap } from './gaps.repository.js';
import type { ResolvedRemediationStep } from './remediation-policy.js';

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
export function createGapRecorder(deps: {
  gaps: Pick<GapsRepository, 'openGap'>;
  afterCommit: AfterCommit;
  hooks: GapHooks;
  logger: Logger;
  /** Told of gaps opened (in their transaction, when their rule has a remediation policy) and closed. */
  observer?: GapObserver;
  /** The remediation policy of a gap's rule, from the contracts the analysis runs with. */
  remediationOf?: (gap: NewGap) => ResolvedRemediationStep[];
}) {
  const { gaps, afterCommit, hooks, logger, observer } = deps;
  return {
    /** Opens the gap unless one with its identity is open; returns the open gap's id either way. */
    async open(tx: Queryable, gap: Omit<NewGap, 'id'>): Promise<{ id: string; opened: boolean }> {
      const opened: NewGap = { id: newId(), ...gap };
      const result = await gaps.openGap(tx, opened);
      if (result.opened && observer && deps.remediationOf) {
        const steps = deps.remediationOf(opened);
        const effect = steps.length > 0 ? await observer.gapOpened(tx, opened, steps) : undefined;
        if (effect) afterCommit.defer(tx, effect);
      }
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
        // Only gaps whose rule has a policy can have remediations to settle (the scheduler's tick catches any other).
        const remediated = observer && deps.remediationOf ? rows.filter((row) => deps.remediationOf!(row).length > 0) : [];
        if (remediated.length > 0) observer!.gapsClosed(remediated.map((row) => row.id));
      });
    },
  };
}

export type GapRecorder = ReturnType<typeof createGapRecorder>;
