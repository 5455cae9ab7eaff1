/** Canonical events in bulk (`POST /events`): every item checked first, then all stored or none. */
import type { Clock } from '../../platform/clock.js';
import { AppError, type FieldError } from '../../platform/errors.js';
import type { CanonicalEventContent } from './canonical-json.js';
import type { BatchResult, CanonicalEventInput } from './ingest.schemas.js';
import type { EventWriter } from './ingest.writer.js';
import { eventContentHash, prepareEvent } from './prepare-event.js';
import type { SourceLookup } from './source-lookup.js';

export interface BatchIngesterDeps {
  sources: SourceLookup;
  writer: Pick<EventWriter, 'store' | 'count'>;
  clock: Clock;
}

export function createBatchIngester(deps: BatchIngesterDeps) {
  const { writer, clock } = deps;

  return {
    /** Canonical events in bulk: all stored or none; every item's problem reported by its index. */
    async ingestBatch(items: CanonicalEventInput[]): Promise<{ status: 200 | 201; body: BatchResult }> {
      const sources = new Map<string, Awaited<ReturnType<SourceLookup['forIngest']>>>();
      for (const sourceId of new Set(items.map((item) => item.source_id))) sources.set(sourceId, await deps.sources.forIngest(sourceId));
      const errors: FieldError[] = [];
      const times = new Array<number>(items.length);
      items.forEach((item, index) => {
        const source = sources.get(item.source_id);
        if (!source || !source.enabled) errors.push({ path: `/body/events/${index}/source_id`, message: 'names no enabled source' });
        const time = Date.parse(item.occurred_at);
        times[index] = time;
        if (!(time >= 0 && time <= 253402300799999)) {
          errors.push({ path: `/body/events/${index}/occurred_at`, message: 'must lie within the years 1970–9999' });
        }
      });
      if (errors.length > 0) {
        throw new AppError('unprocessable', `${errors.length} of ${items.length} events cannot be stored; nothing was stored`, {
          errors: errors.slice(0, 100),
        });
      }
      const now = clock.now();
      const events = items.map((item, index) => {
        const occurredAt = new Date(times[index]!);
        const content: CanonicalEventContent = {
          event_type: item.event_type,
          entity_type: item.entity_type,
          entity_id: item.entity_id,
          occurred_at: occurredAt.toISOString(),
          sequence: item.sequence ?? null,
          agent_id: item.agent_id?.toLowerCase() ?? null,
          correlation_id: item.correlation_id ?? null,
          payload: item.payload === undefined ? {} : item.payload,
        };
        const hash = eventContentHash(content);
        return prepareEvent(
          sources.get(item.source_id)!,
          {
            external_event_id: item.external_event_id ?? null,
            // Without a key from the sender, the content itself is the key: an identical retry is stored once.
            idempotency_key: item.idempotency_key ?? item.external_event_id ?? `sha256:${hash}`,
            payload_hash: hash,
          },
          content,
          occurredAt,
          now,
        );
      });
      const outcomes = await writer.store(events);
      writer.count((index) => events[index]!.source_kind, outcomes);
      const accepted = outcomes.filter((outcome) => outcome.kind === 'accepted').length;
      return {
        status: accepted > 0 ? 201 : 200,
        body: {
          accepted,
          duplicates: outcomes.length - accepted,
          conflicts: outcomes.filter((outcome) => outcome.kind === 'conflict').length,
          ids: outcomes.map((outcome) => outcome.id),
        },
      };
    },
  };
}
