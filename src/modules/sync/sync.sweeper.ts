/**
 * The sweep: what the analyzer does on a timer rather than per ingested batch — batches whose analysis failed
 * analysed again, stored events no analysis reached caught up, time-based rules judged (streams silent past their
 * SLO, follow-ups past their deadline), idle memory forgotten — and the runner the scheduled sweep job calls.
 */
import type { Clock } from '../../platform/clock.js';
import type { AfterCommit, Queryable } from '../../platform/db/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import { ownerOf, type ActiveContracts, type ActiveContractsStore } from './active-contracts.js';
import { freshnessOf, isStale, streamMatches, type AnalyzedEvent } from './analyzer.js';
import { DEFAULT_FORGET_AFTER_MS } from './contract.js';
import { gapBase, type GapRecorder } from './gap-recorder.js';
import { streamRule } from './rule-names.js';
import type { SyncRepositories } from './sync.repositories.js';

export interface SweepReport {
  skipped: boolean;
  stale_opened: number;
  missing_opened: number;
  retried_events: number;
  /** Stored events the sweep analysed because no earlier analysis had (lost with a process, or failed). */
  caught_up_events: number;
  /** Idle per-entity memories (and satisfied follow-ups) forgotten (contract `forget_after`). */
  forgotten: number;
}

/** Events younger than this are left to the ingest path (their transaction may not have committed yet). */
export const SETTLE_MS = 10_000;
const SWEEP_BATCH = 1000;
const CATCH_UP_PAGE = 500;
const MAX_PAGES = 20;
/** Rows forgotten per contract and table per sweep: a large backlog is worked off over several sweeps. */
const FORGET_BATCH = 1000;

/** The smallest UUIDv7 of a millisecond: ids below it were generated before that instant. */
export function uuidFloor(ms: number): string {
  const hex = Math.max(0, Math.trunc(ms)).toString(16).padStart(12, '0').slice(-12);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}

export function createSyncSweep(deps: {
  repositories: Pick<SyncRepositories, 'gaps' | 'streamStates' | 'entityStates' | 'followUps' | 'progress'>;
  contracts: ActiveContractsStore;
  afterCommit: AfterCommit;
  recorder: GapRecorder;
  clock: Clock;
  /** Analyses again the batches whose incremental analysis failed; returns how many events it retried. */
  retryFailed: () => Promise<number>;
  /** Analyses stored events in `tx`, taking every row it touches first; returns how many events it applied. */
  analyseStored: (tx: Queryable, active: ActiveContracts, events: AnalyzedEvent[]) => Promise<number>;
}) {
  const { repositories, afterCommit, recorder, clock } = deps;
  const { gaps, streamStates, entityStates, followUps, progress } = repositories;

  /**
   * The durable path: analyses, in id (arrival) order, every stored event above the persisted watermark that no
   * transaction has claimed yet — events whose analysis was lost (the process died after the ingest commit) or
   * failed — then advances the watermark. Only events received more than SETTLE_MS ago are considered (their
   * ingest transaction has committed and their incremental analysis had its chance). One page per transaction,
   * under the sweep's advisory lock; at most MAX_PAGES pages per sweep (the next sweep continues).
   */
  async function catchUp(report: SweepReport): Promise<void> {
    const before = uuidFloor(Date.now() - SETTLE_MS);
    for (let page = 0; page < MAX_PAGES; page += 1) {
      // Read outside the transaction: on PGlite (one connection) a read of the contracts inside it would wait for it.
      const active = await deps.contracts.get();
      const more = await afterCommit.transaction(async (tx) => {
        if (!(await progress.tryLockSweep(tx))) {
          report.skipped = true;
          return false;
        }
        const checkpoint = await progress.lockCheckpoint(tx);
        const rows = await progress.eventsAfter(tx, checkpoint, before, CATCH_UP_PAGE);
        if (rows.length === 0) return false;
        const pending = rows.filter((row) => !row.analyzed && active.contracts.some((contract) => contract.streams.some((stream) => streamMatches(stream, row))));
        if (pending.length > 0) report.caught_up_events += await deps.analyseStored(tx, active, await progress.loadEvents(pending.map((row) => row.id), tx));
        await progress.advanceCheckpoint(tx, rows[rows.length - 1]!.id);
        return rows.length === CATCH_UP_PAGE;
      });
      if (!more) return;
    }
  }

  /** Streams silent past their SLO get a stale gap (and lose it once they are fresh again). */
  async function judgeFreshness(tx: Queryable, active: ActiveContracts, now: Date, report: SweepReport): Promise<void> {
    const states = new Map((await streamStates.streamStates(tx)).map((row) => [`${row.contract}\u0000${row.stream}`, row]));
    for (const contract of active.contracts) {
      for (const stream of contract.streams) {
        const state = states.get(`${contract.name}\u0000${stream.name}`);
        const freshness = freshnessOf(stream, state?.last_event_at ?? null, active.activated_at, now);
        if (!isStale(freshness, now)) {
          // Normally the stream's next event closed its stale gap already; this also closes one that a sweep
          // opened while that event was being analysed on another replica.
          if (freshness.status === 'within_slo') {
            recorder.resolved(
              tx,
              await gaps.autoResolve(tx, { type: 'stale', contract: contract.name, rule: streamRule.stale(stream.name), entity_id: null }, now, {
                resumed_at: state?.last_event_at?.toISOString() ?? null,
              }),
            );
          }
          continue;
        }
        const result = await recorder.open(tx, {
          ...gapBase(contract, {
            type: 'stale',
            severity: stream.severity.stale,
            stream,
            rule: streamRule.stale(stream.name),
            entity_id: null,
            cost: contract.costs.stale,
            dueInMs: contract.resolve_within_ms,
            now,
          }),
          detail: {
            last_event_at: state?.last_event_at?.toISOString() ?? null,
            slo_seconds: stream.freshness_ms / 1000,
            stale_since: freshness.stale_at.toISOString(),
            no_data: freshness.status === 'no_data',
          },
        });
        if (result.opened) report.stale_opened += 1;
      }
    }
  }

  /** Follow-ups past their deadline get a missing_record gap; those of rules no longer active are retired. */
  async function judgeFollowUps(tx: Queryable, active: ActiveContracts, now: Date, report: SweepReport): Promise<void> {
    for (const pending of await followUps.dueFollowUps(tx, now, SWEEP_BATCH)) {
      const contract = ownerOf(active, pending.contract);
      const rule = contract?.follow_ups.find((candidate) => candidate.name === pending.rule);
      if (!contract || !rule) {
        await followUps.retireFollowUp(tx, pending.id, now);
        continue;
      }
      const stream = contract.streams.find((candidate) => candidate.name === rule.then.stream);
      const result = await recorder.open(tx, {
        ...gapBase(contract, { type: 'missing_record', severity: rule.severity, stream, rule: rule.name, entity_id: pending.key, cost: rule.cost, dueInMs: 0, now }),
        due_at: pending.due_at,
        detail: {
          trigger_event_id: pending.trigger_event_id,
          trigger_event_type: rule.when.event_type,
          expected_event_type: rule.then.event_type,
          expected_stream: rule.then.stream,
          deadline: (rule.warn_before_ms > 0 ? pending.due_at : pending.open_at).toISOString(),
        },
      });
      await followUps.linkFollowUpGap(tx, pending.id, result.id);
      if (result.opened) report.missing_opened += 1;
    }
  }

  /** Retention: per-entity memory idle past its contract's forget_after (memory of removed contracts: the default). */
  async function forget(report: SweepReport): Promise<void> {
    const active = await deps.contracts.get();
    await afterCommit.transaction(async (tx) => {
      if (!(await progress.tryLockSweep(tx))) return;
      const scopes = [
        ...active.contracts.map((contract) => ({ scope: { contract: contract.name }, idleMs: contract.forget_after_ms })),
        { scope: { otherThan: active.contracts.map((contract) => contract.name) }, idleMs: DEFAULT_FORGET_AFTER_MS },
      ];
      for (const { scope, idleMs } of scopes) {
        report.forgotten += await entityStates.forgetIdle(scope, idleMs, FORGET_BATCH, tx);
        report.forgotten += await followUps.forgetSatisfied(scope, idleMs, FORGET_BATCH, tx);
      }
    });
  }

  return {
    /**
     * One sweep. One sweeper at a time across replicas (transaction-scoped advisory lock); a replica that finds it
     * taken skips this round.
     */
    async sweep(): Promise<SweepReport> {
      const report: SweepReport = { skipped: false, stale_opened: 0, missing_opened: 0, retried_events: 0, caught_up_events: 0, forgotten: 0 };
      report.retried_events = await deps.retryFailed();
      await catchUp(report);
      const active = await deps.contracts.get();
      const now = clock.now();
      await afterCommit.transaction(async (tx) => {
        if (!(await progress.tryLockSweep(tx))) {
          report.skipped = true;
          return;
        }
        await judgeFreshness(tx, active, now, report);
        await judgeFollowUps(tx, active, now, report);
      });
      if (!report.skipped) await forget(report);
      return report;
    },
  };
}

/**
 * Runs the sweep for the scheduled job (sync.jobs.ts) and for tests and commands: never two at once in this process
 * (a second call waits for the first, then sweeps), each timed and counted, and logged when it changed something.
 */
export function createSweeper(deps: { sweep: () => Promise<SweepReport>; logger: Logger; observe: (seconds: number, failed: boolean) => void }) {
  let inFlight: Promise<SweepReport> | undefined;

  function run(): Promise<SweepReport> {
    inFlight ??= (async () => {
      const started = process.hrtime.bigint();
      let failed = false;
      try {
        const report = await deps.sweep();
        if (report.stale_opened + report.missing_opened + report.retried_events + report.caught_up_events > 0) deps.logger.info({ ...report }, 'sync sweep');
        return report;
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        deps.observe(Number(process.hrtime.bigint() - started) / 1e9, failed);
        inFlight = undefined;
      }
    })();
    return inFlight;
  }

  return {
    /** One sweep now (after the one in flight, if any); rejects when it fails. */
    async runOnce(): Promise<SweepReport> {
      await inFlight?.catch(() => undefined);
      return run();
    },
  };
}

export type Sweeper = ReturnType<typeof createSweeper>;
