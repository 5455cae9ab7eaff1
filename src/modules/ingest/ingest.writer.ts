/**
 * The step every event goes through, whichever way it arrived: stored once per idempotency key (group-committed),
 * and announced to the observer after the commit, before anyone is answered.
 */
import type { Database, Queryable } from '../../platform/db/index.js';
import { createGroupCommitter, type GroupCommitter } from '../../platform/db/group-commit.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { ExistingEvent, PreparedEvent, StoredEvent } from './event.types.js';
import type { IngestMetrics } from './ingest.metrics.js';
import type { IngestObserver } from './ingest.observer.js';
import type { IngestRepository } from './ingest.repository.js';

/** What storing an event came to: new, a repeat of a stored key with the same payload, or with a different one. */
export type Outcome =
  | { kind: 'accepted'; id: string }
  | { kind: 'duplicate'; id: string }
  | { kind: 'conflict'; id: string; existing: ExistingEvent };

/** One request's events: they commit together with whatever else gathered in the same few milliseconds. */
interface Submission {
  events: PreparedEvent[];
}

export interface EventWriterDeps {
  db: Database;
  repository: IngestRepository;
  observer: IngestObserver;
  metrics: IngestMetrics;
  logger: Logger;
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

const keyOf = (event: { source_id: string; idempotency_key: string }) => `${event.source_id}\u0000${event.idempotency_key}`;

export function createEventWriter(deps: EventWriterDeps) {
  const { repository, observer, metrics, logger } = deps;

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

  return {
    /** Stores one request's events; resolves once they are committed and announced, one outcome per event. */
    store: (events: PreparedEvent[]): Promise<Outcome[]> => submit({ events }),
    count,
    /** Writes what is waiting, then refuses new work. */
    close: async () => {
      await Promise.all([committer.close(), soloCommitter.close()]);
    },
  };
}

export type EventWriter = ReturnType<typeof createEventWriter>;
