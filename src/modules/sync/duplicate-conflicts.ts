import type { AfterCommit } from '../../platform/db/index.js';
import type { Clock } from '../../platform/clock.js';
import type { IngestObserver } from '../ingest/index.js';
import type { ActiveContractsStore } from './active-contracts.js';
import type { AnalysisProgressRepository } from './analysis-progress.repository.js';
import { gapBase, type GapRecorder } from './gap-recorder.js';
import { streamRule } from './rule-names.js';

/** A sender reused an idempotency key with a different payload (as the ingest module reports it). */
export type DuplicateConflict = Parameters<IngestObserver['duplicateConflict']>[0];

/**
 * Turns an idempotency conflict into `duplicate` gaps: one per contracted stream covering the event, or one
 * unattributed gap when no stream covers it (the conflict is never silently dropped).
 */
export function createDuplicateConflicts(deps: {
  contracts: ActiveContractsStore;
  progress: Pick<AnalysisProgressRepository, 'sourceKind'>;
  recorder: GapRecorder;
  afterCommit: AfterCommit;
  clock: Clock;
}) {
  const { recorder, clock } = deps;
  return {
    async record(conflict: DuplicateConflict): Promise<void> {
      const active = await deps.contracts.get();
      const kind = (await deps.progress.sourceKind(conflict.source_id)) ?? '';
      const now = clock.now();
      const detail = { kind: 'idempotency_conflict', source_id: conflict.source_id, idempotency_key: conflict.idempotency_key, existing_event_id: conflict.existing_event_id };
      await deps.afterCommit.transaction(async (tx) => {
        let covered = false;
        for (const contract of active.contracts) {
          for (const stream of contract.streams) {
            const matches =
              stream.entity_type === conflict.entity_type && ('id' in stream.source ? stream.source.id === conflict.source_id.toLowerCase() : stream.source.kind === kind);
            if (!matches) continue;
            covered = true;
            await recorder.open(tx, {
              ...gapBase(contract, {
                type: 'duplicate',
                severity: stream.severity.duplicate,
                stream,
                rule: streamRule.idempotency(stream.name),
                entity_id: conflict.entity_id,
                cost: contract.costs.duplicate,
                dueInMs: contract.resolve_within_ms,
                now,
              }),
              detail,
            });
          }
        }
        if (!covered) {
          await recorder.open(tx, {
            type: 'duplicate',
            severity: 'high',
            contract: null,
            stream: null,
            rule: `idempotency:${conflict.source_id}`,
            entity_type: conflict.entity_type,
            entity_id: conflict.entity_id,
            agent_id: null,
            detected_at: now,
            due_at: null,
            risk_kind: null,
            cost_usd: 0,
            detail,
          });
        }
      });
    },
  };
}
