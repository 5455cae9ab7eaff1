/** Agent runs in bulk (`POST /runs`). */
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import { AppError, type FieldError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { IngestRepository } from './ingest.repository.js';
import type { RunInput, RunsResult } from './ingest.schemas.js';

export interface RunIngesterDeps {
  db: Database;
  repository: Pick<IngestRepository, 'existingAgents' | 'insertRuns'>;
  clock: Clock;
}

export function createRunIngester(deps: RunIngesterDeps) {
  const { db, repository, clock } = deps;

  return {
    /** Agent runs in bulk: every agent must exist; all stored or none. A run's id makes retries safe. */
    async ingestRuns(items: RunInput[]): Promise<{ status: 200 | 201; body: RunsResult }> {
      const agents = await repository.existingAgents([...new Set(items.map((item) => item.agent_id.toLowerCase()))]);
      const errors: FieldError[] = [];
      items.forEach((item, index) => {
        if (!agents.has(item.agent_id.toLowerCase())) errors.push({ path: `/body/runs/${index}/agent_id`, message: 'names no registered agent' });
        const time = Date.parse(item.started_at);
        if (!(time >= 0 && time <= 253402300799999)) errors.push({ path: `/body/runs/${index}/started_at`, message: 'must lie within the years 1970–9999' });
      });
      if (errors.length > 0) {
        throw new AppError('unprocessable', `${errors.length} of ${items.length} runs cannot be stored; nothing was stored`, {
          errors: errors.slice(0, 100),
        });
      }
      const now = clock.now();
      const runs = items.map((item) => ({
        id: item.id?.toLowerCase() ?? newId(),
        agent_id: item.agent_id.toLowerCase(),
        started_at: new Date(item.started_at).toISOString(),
        duration_ms: item.duration_ms,
        outcome: item.outcome,
        error_kind: item.error_kind ?? null,
        tokens_in: item.tokens_in ?? 0,
        tokens_out: item.tokens_out ?? 0,
        cost_usd: item.cost_usd ?? 0,
        correlation_id: item.correlation_id ?? null,
        received_at: now,
      }));
      const inserted = await db.transaction((tx) => repository.insertRuns(runs, tx));
      return {
        status: inserted.size > 0 ? 201 : 200,
        body: { accepted: inserted.size, duplicates: runs.length - inserted.size, ids: runs.map((run) => run.id) },
      };
    },
  };
}
