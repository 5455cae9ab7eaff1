import { hash as sha } from 'node:crypto';
import type { Clock } from '../../platform/clock.js';
import type { Database, Queryable } from '../../platform/db/index.js';
import { createGroupCommitter, type GroupCommitter } from '../../platform/db/group-commit.js';
import { AppError, notFound, type FieldError } from '../../platform/errors.js';
import { decodeCursor, pageOf } from '../../platform/http/cursor.js';
import { assertStorableJson } from '../../platform/json/storable.js';
import { newId } from '../../platform/ids.js';
import { canonicalJson } from '../../platform/json/canonical.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import { ADAPTERS, DEFAULT_MAPPINGS, EnvelopeError, MappingError, applyMapping, type CanonicalFields, type RawDelivery } from './adapters/index.js';
import { canonicalEventContent, type CanonicalEventContent } from './canonical-json.js';
import type { IngestMetrics } from './ingest.metrics.js';
import type { IngestObserver, StoredEvent } from './ingest.observer.js';
import type { ExistingEvent, IngestRepository, NewEvent } from './ingest.repository.js';
import type { BatchResult, CanonicalEventInput, Event, IngestResult, ListEventsQuery, RunInput, RunsResult } from './ingest.schemas.js';

/** The narrow view of the sources module ingestion needs (resolved per request, cached there). */
export interface SourceLookup {
  forIngest(id: string): Promise<
    | {
        id: string;
        kind: keyof typeof ADAPTERS;
        enabled: boolean;
        mapping: Record<string, unknown>;
        toleranceSeconds: number;
        options: Record<string, unknown>;
        secret: string;
        previousSecret: string | null;
        previousSecretExpiresAt: Date | null;
      }
    | undefined
  >;
}

interface PreparedEvent extends NewEvent {
  source_kind: string;
}

type Outcome =
  | { kind: 'accepted'; id: string }
  | { kind: 'duplicate'; id: string }
  | { kind: 'conflict'; id: string; existing: ExistingEvent };

/** One request's events: they commit together with whatever else gathered in the same few milliseconds. */
interface Submission {
  events: PreparedEvent[];
}

/** What a webhook is answered with: ORCA's JSON, or the adapter's own acknowledgement (Salesforce's SOAP Ack). */
export type WebhookReply =
  | { kind: 'json'; status: 200 | 201; body: IngestResult }
  | { kind: 'native'; status: number; contentType: string; body: string };

export interface IngestServiceDeps {
  db: Database;
  repository: IngestRepository;
  sources: SourceLookup;
  observer: IngestObserver;
  metrics: IngestMetrics;
  logger: Logger;
  clock: Clock;
  /** Group commit: how long the first request of a batch waits for company, and the most requests per transaction. */
  groupCommit?: { maxWaitMs: number; maxBatch: number; maxInFlight?: number };
}

/**
 * Batches written at once on a PostgreSQL server: while one commits (its fsync), the next one's rows are already
 * being inserted on another connection. PGlite has one connection: concurrent batches would only queue there.
 */
const POSTGRES_BATCHES_IN_FLIGHT = 4;

/**
 * A submission of at least this many events commits alone (see soloCommitter): as many rows as the largest group of
 * webhook deliveries a shared transaction gathers (maxBatch 256), so its commit is amortised at least as well.
 */
const SOLO_SUBMISSION_EVENTS = 256;

/** sha256 of the RFC 8785 canonical JSON: the same document hashes the same whatever its key order or spacing. */
export function payloadHash(value: unknown): string {
  // One-shot hash: no Hash object per event (a batch hashes up to 10,000).
  return sha('sha256', canonicalJson(value ?? null), 'hex');
}

/** payloadHash of a `/events` item's content, written without building and key-sorting an object per event. */
function eventContentHash(content: CanonicalEventContent): string {
  return sha('sha256', canonicalEventContent(content), 'hex');
}

const keyOf = (event: { source_id: string; idempotency_key: string }) => `${event.source_id}\u0000${event.idempotency_key}`;

export function secretsAt(source: { secret: string; previousSecret: string | null; previousSecretExpiresAt: Date | null }, now: Date): string[] {
  return source.previousSecret !== null && source.previousSecretExpiresAt !== null && now.getTime() < source.previousSecretExpiresAt.getTime()
    ? [source.secret, source.previousSecret]
    : [source.secret];
}


export function createIngestService(deps: IngestServiceDeps) {
  const { repository, observer, metrics, logger, clock } = deps;

  /**
   * Stores every event of the gathered submissions in one statement. Repeats of a stored key (from earlier
   * transactions, from concurrent ones, or from inside this very batch) are not inserted: the first occurrence wins
   * and the later ones are answered as duplicates of it, or as conflicts when their payload differs.
   * The insert is the only write, so the committers run it on its own, without BEGIN/COMMIT: it commits atomically
   * by itself. The lookup that may follow reads rows committed before it (a conflicting insert waits for the
   * transaction that holds the key to end), and stored events are never changed.
   */
  async function writeEvents(db: Queryable, submissions: Submission[]): Promise<Outcome[][]> {
    const firstByKey = new Map<string, PreparedEvent>();
    const candidates: PreparedEvent[] = [];
    let repeatsInside = false;
    for (const submission of submissions) {
      for (const event of submission.events) {
        const key = keyOf(event);
        if (!firstByKey.has(key)) {
          firstByKey.set(key, event);
          candidates.push(event);
        } else repeatsInside = true;
      }
    }
    const inserted = await repository.insertEvents(candidates, db);
    // The usual case — every event new — needs no lookup by key: each is answered with its own id.
    if (!repeatsInside && inserted.size === candidates.length) {
      return submissions.map((submission) => submission.events.map((event): Outcome => ({ kind: 'accepted', id: event.id })));
    }
    const missing = candidates.filter((event) => !inserted.has(event.id));
    const existing = new Map((await repository.findByKeys(missing, db)).map((row) => [keyOf(row), row]));

    // What each key now names: the event just inserted (a prepared event carries every field of a stored one), or
    // the row stored before.
    const stored = new Map<string, ExistingEvent>();
    for (const [key, event] of firstByKey) {
      if (inserted.has(event.id)) stored.set(key, event);
      else {
        const row = existing.get(key);
        if (!row) throw new Error('an event was neither inserted nor found under its idempotency key');
        stored.set(key, row);
      }
    }
    return submissions.map((submission) =>
      submission.events.map((event): Outcome => {
        const original = stored.get(keyOf(event))!;
        if (original.id === event.id) return { kind: 'accepted', id: event.id };
        if (original.payload_hash === event.payload_hash) return { kind: 'duplicate', id: original.id };
        return { kind: 'conflict', id: original.id, existing: original };
      }),
    );
  }

  /** After the commit, before anyone is answered: the analyzer sees what was stored. Never throws. */
  async function announce(submissions: Submission[], outcomes: Outcome[][]): Promise<void> {
    const committed: StoredEvent[] = [];
    const conflicts: Array<{ event: PreparedEvent; existing: ExistingEvent }> = [];
    submissions.forEach((submission, index) => {
      submission.events.forEach((event, position) => {
        const outcome = outcomes[index]![position]!;
        // A prepared event is a stored event plus what only ingestion needs: handed over as is, not copied.
        if (outcome.kind === 'accepted') committed.push(event);
        else if (outcome.kind === 'conflict') conflicts.push({ event, existing: outcome.existing });
      });
    });
    const report = (error: unknown, what: string) => {
      metrics.observerFailures.inc();
      logger.error({ err: error }, `ingest observer failed on ${what}; the periodic sweep will catch up`);
    };
    if (committed.length > 0) {
      try {
        await observer.eventsCommitted(committed);
      } catch (error) {
        report(error, 'eventsCommitted');
      }
    }
    for (const { event, existing } of conflicts) {
      try {
        await observer.duplicateConflict({
          source_id: event.source_id,
          idempotency_key: event.idempotency_key,
          existing_event_id: existing.id,
          entity_type: existing.entity_type,
          entity_id: existing.entity_id,
          received_at: event.received_at,
        });
      } catch (error) {
        report(error, 'duplicateConflict');
      }
    }
  }

  /**
   * Post-commit analysis runs one call at a time across both committers below, in the order their batches settle
   * (each committer settles its own batches in start order, merging those that committed during a running call).
   */
  let analysisTail: Promise<void> = Promise.resolve();
  function announceInTurn(submissions: Submission[], outcomes: Outcome[][]): Promise<void> {
    const turn = analysisTail.then(() => announce(submissions, outcomes));
    analysisTail = turn;
    return turn;
  }

  const inFlight = deps.groupCommit?.maxInFlight ?? (deps.db.kind === 'postgres' ? POSTGRES_BATCHES_IN_FLIGHT : 1);
  const committerOptions = {
    db: deps.db,
    autocommit: deps.db,
    maxInFlight: inFlight,
    write: writeEvents,
    afterCommit: announceInTurn,
    onAfterCommitError: (error: unknown) => {
      metrics.observerFailures.inc();
      logger.error({ err: error }, 'ingest post-commit step failed');
    },
    onBatch: (size: number) => metrics.batchSize.observe(size),
  };
  /** Small submissions (webhook deliveries, small /events batches) share transactions: one WAL flush for many. */
  const committer: GroupCommitter<Submission, Outcome[]> = createGroupCommitter<Submission, Outcome[]>({
    ...committerOptions,
    maxWaitMs: deps.groupCommit?.maxWaitMs ?? 2,
    maxBatch: deps.groupCommit?.maxBatch ?? 256,
  });
  /**
   * Large submissions are written in transactions of their own, up to `inFlight` at once: their commit is already
   * amortised over hundreds of rows, and merging them would only have one database connection insert them one after
   * the other while the others (and the second core) wait — and every request of the merged batch wait for all.
   */
  const soloCommitter: GroupCommitter<Submission, Outcome[]> = createGroupCommitter<Submission, Outcome[]>({
    ...committerOptions,
    maxWaitMs: 0,
    maxBatch: 1,
  });
  const submit = (submission: Submission) =>
    (submission.events.length >= SOLO_SUBMISSION_EVENTS ? soloCommitter : committer).submit(submission);

  /** One counter update per source kind and outcome, not per event (a batch has up to 10,000). */
  function count(kinds: (index: number) => string, outcomes: Outcome[]): void {
    const totals = new Map<string, { kind: string; outcome: Outcome['kind']; n: number }>();
    outcomes.forEach((outcome, index) => {
      const kind = kinds(index);
      const key = `${kind}\u0000${outcome.kind}`;
      const total = totals.get(key);
      if (total) total.n += 1;
      else totals.set(key, { kind, outcome: outcome.kind, n: 1 });
    });
    for (const { kind, outcome, n } of totals.values()) metrics.events.inc({ source_kind: kind, outcome }, n);
  }

  async function requireSource(sourceId: string) {
    const source = await deps.sources.forIngest(sourceId);
    // A disabled source is indistinguishable from an unknown one for senders: nothing about it leaks.
    if (!source || !source.enabled) throw notFound(`source ${sourceId}`);
    return source;
  }

  function mappingFailure(kind: string, index: number | undefined, error: MappingError): AppError {
    metrics.events.inc({ source_kind: kind, outcome: 'rejected' });
    const where = index === undefined ? '' : ` (event ${index})`;
    return new AppError('unprocessable', `the delivery does not map to canonical events${where}: ${error.message}`, {
      errors: [{ path: error.path, message: error.message }],
    });
  }

  return {
    /**
     * A native webhook: verify over the raw bytes, parse the envelope, map each native event to canonical fields,
     * then store through the group committer and answer only after the commit (SPEC §5).
     */
    async receiveWebhook(sourceId: string, delivery: RawDelivery): Promise<WebhookReply> {
      const source = await requireSource(sourceId);
      const adapter = ADAPTERS[source.kind];
      const now = clock.now();
      const verification = adapter.verify(
        delivery,
        { secrets: secretsAt(source, now), toleranceSeconds: source.toleranceSeconds, options: source.options },
        now,
      );
      if (!verification.ok) {
        metrics.signatureFailures.inc({ source_kind: source.kind, reason: verification.reason });
        // Which source and why, never the signature, the secret or the body.
        logger.warn({ source_id: source.id, source_kind: source.kind, reason: verification.reason }, 'webhook signature rejected');
        throw new AppError('unauthorized', `the delivery's signature did not verify (${verification.reason})`);
      }
      let natives;
      try {
        natives = adapter.parse(delivery, source.options);
      } catch (error) {
        if (error instanceof EnvelopeError) {
          metrics.events.inc({ source_kind: source.kind, outcome: 'rejected' });
          throw new AppError('bad_request', `not a valid ${source.kind} delivery: ${error.message}`, {
            ...(error.path ? { errors: [{ path: error.path, message: error.message }] } : {}),
          });
        }
        throw error;
      }
      // The limits of every JSON document ORCA stores, whatever format the delivery came in.
      try {
        for (const native of natives) assertStorableJson(native.document, { subject: 'the event' });
      } catch (error) {
        metrics.events.inc({ source_kind: source.kind, outcome: 'rejected' });
        throw error;
      }
      const mapping = { ...DEFAULT_MAPPINGS[source.kind], ...source.mapping };
      const events: PreparedEvent[] = natives.map((native, index) => {
        let fields: CanonicalFields;
        try {
          fields = applyMapping(native, mapping);
        } catch (error) {
          if (error instanceof MappingError) throw mappingFailure(source.kind, natives.length > 1 ? index : undefined, error);
          throw error;
        }
        return {
          id: newId(),
          source_id: source.id,
          source_kind: source.kind,
          external_event_id: native.externalEventId,
          idempotency_key: native.idempotencyKey,
          payload_hash: payloadHash(native.document),
          event_type: fields.event_type,
          entity_type: fields.entity_type,
          entity_id: fields.entity_id,
          occurred_at: new Date(fields.occurred_at),
          received_at: now,
          sequence: fields.sequence,
          agent_id: fields.agent_id,
          correlation_id: fields.correlation_key,
          payload: native.document,
        };
      });
      const outcomes = events.length === 0 ? [] : await submit({ events });
      count(() => source.kind, outcomes);
      const accepted = outcomes.filter((outcome) => outcome.kind === 'accepted').length;
      const duplicates = outcomes.length - accepted;
      const native = adapter.acknowledge({ accepted, duplicates });
      if (native) return { kind: 'native', ...native };
      return {
        kind: 'json',
        status: accepted > 0 ? 201 : 200,
        body: {
          accepted,
          duplicates,
          duplicate: accepted === 0 && duplicates > 0,
          conflict: outcomes.some((outcome) => outcome.kind === 'conflict'),
          events: outcomes.map((outcome) => ({ id: outcome.id, duplicate: outcome.kind !== 'accepted', conflict: outcome.kind === 'conflict' })),
        },
      };
    },

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
      const events: PreparedEvent[] = items.map((item, index) => {
        const payload = item.payload === undefined ? {} : item.payload;
        const occurredAt = new Date(times[index]!);
        const content: CanonicalEventContent = {
          event_type: item.event_type,
          entity_type: item.entity_type,
          entity_id: item.entity_id,
          occurred_at: occurredAt.toISOString(),
          sequence: item.sequence ?? null,
          agent_id: item.agent_id?.toLowerCase() ?? null,
          correlation_id: item.correlation_id ?? null,
          payload,
        };
        const hash = eventContentHash(content);
        return {
          id: newId(),
          source_id: item.source_id.toLowerCase(),
          source_kind: sources.get(item.source_id)!.kind,
          external_event_id: item.external_event_id ?? null,
          // Without a key from the sender, the content itself is the key: an identical retry is stored once.
          idempotency_key: item.idempotency_key ?? item.external_event_id ?? `sha256:${hash}`,
          payload_hash: hash,
          event_type: content.event_type,
          entity_type: content.entity_type,
          entity_id: content.entity_id,
          occurred_at: occurredAt,
          received_at: now,
          sequence: content.sequence,
          agent_id: content.agent_id,
          correlation_id: content.correlation_id,
          payload,
        };
      });
      const outcomes = await submit({ events });
      count((index) => events[index]!.source_kind, outcomes);
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

    /** Agent runs in bulk (SPEC §3 run): every agent must exist; all stored or none. A run's id makes retries safe. */
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
      const inserted = await deps.db.transaction((tx) => repository.insertRuns(runs, tx));
      return {
        status: inserted.size > 0 ? 201 : 200,
        body: { accepted: inserted.size, duplicates: runs.length - inserted.size, ids: runs.map((run) => run.id) },
      };
    },

    async listEvents(query: ListEventsQuery): Promise<{ items: Event[]; next_cursor: string | null }> {
      const limit = query.limit ?? 50;
      const rows = await repository.listEvents({ ...query, limit: limit + 1, after: decodeCursor(query.cursor) });
      return pageOf(rows, limit);
    },

    /** Writes what is waiting, then refuses new work (graceful shutdown: HTTP first, then this, then the database). */
    close: async () => {
      await Promise.all([committer.close(), soloCommitter.close()]);
    },
  };
}

export type IngestService = ReturnType<typeof createIngestService>;
