import { readFileSync } from 'node:fs';
import type { CacheInvalidation, ReadThroughCache } from '../../platform/cache/index.js';
import type { Clock } from '../../platform/clock.js';
import type { Database, Queryable } from '../../platform/db/index.js';
import { createGroupCommitter } from '../../platform/db/group-commit.js';
import { AppError } from '../../platform/errors.js';
import { decodeCursor, pageOf } from '../../platform/http/cursor.js';
import { newId } from '../../platform/ids.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { Actor } from '../../platform/http/actor.js';
import { parseDocument } from '../../platform/documents/parse-document.js';
import type { AuditService } from '../audit/index.js';
import type { AgentService } from '../agents/index.js';
import { decide, quotaViolations, redactContent, scanContent, type AgentFacts, type Decision, type EvaluationFacts, type Outcome } from './evaluate.js';
import type { PolicyMetrics } from './policies.metrics.js';
import type { DecisionValues, PolicyRepository, PolicyRow, QuotaDecisionValues, QuotaGroup, ReplayRow, Usage } from './policies.repository.js';
import type { EvaluateInput, EvaluateOutput, PolicyView, SimulateInput, SimulateOutput, ViolationsQueryInput } from './policies.schemas.js';
import { compilePolicy, quotaFor, type CompiledPolicy, type QuotaLimits } from './policy-document.js';

/** The built-in default policy (version 0), active until a document is PUT. */
export const DEFAULT_POLICY_SOURCE = readFileSync(new URL('./default-policy.yaml', import.meta.url), 'utf8');
const DEFAULT_CREATED_AT = new Date(0).toISOString();

export function compileDefaultPolicy(): CompiledPolicy {
  return compilePolicy(parseDocument(DEFAULT_POLICY_SOURCE, 'yaml'), 0);
}

/** A simulation replays at most this many decisions (newest ranges should be narrowed instead). */
export const SIMULATION_LIMIT = 100_000;
const REPLAY_PAGE = 2_000;
const DAY_MS = 86_400_000;

export interface PolicyServiceDeps {
  db: Database;
  repository: PolicyRepository;
  audit: Pick<AuditService, 'append'>;
  /** Compiled policies (SPEC §9: 100 entries, 10 min), invalidated on every PUT on every replica. */
  cache: ReadThroughCache<CompiledPolicy>;
  invalidation: Pick<CacheInvalidation, 'notify'>;
  agents: Pick<AgentService, 'get'>;
  clock: Clock;
  logger: Logger;
  metrics: PolicyMetrics;
  /** Share of violation-free allow decisions that are recorded (POLICY_ALLOW_SAMPLE_RATE). */
  allowSampleRate: number;
  random?: () => number;
}

const ACTIVE_KEY = 'active';

function toView(row: PolicyRow): PolicyView {
  return {
    version: row.version,
    mode: row.mode,
    active: row.active,
    format: row.format,
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    document: row.document,
    source: row.source,
  };
}

function isNotFound(error: unknown): boolean {
  return error instanceof AppError && error.code === 'not_found';
}

export function createPolicyService(deps: PolicyServiceDeps) {
  const { db, repository, audit, cache, invalidation, agents, clock, logger, metrics } = deps;
  const random = deps.random ?? Math.random;
  const defaultPolicy = compileDefaultPolicy();
  async function activePolicy(): Promise<CompiledPolicy> {
    const policy = await cache.get(ACTIVE_KEY, async () => {
      const row = await repository.findActive();
      return row ? compilePolicy(row.document, row.version) : defaultPolicy;
    });
    return policy ?? defaultPolicy;
  }

  /**
   * The lists of the policy version that recorded a decision: version 0 is the built-in default. null when the
   * version is unknown or no longer compiles; its decisions then replay without a limitation being named.
   */
  async function scannedByRecordingPolicy(version: number): Promise<ScannedLists | null> {
    if (version === 0) return scannedBy(defaultPolicy);
    const row = await repository.findVersion(version);
    if (!row) return null;
    try {
      return scannedBy(compilePolicy(row.document, row.version));
    } catch {
      return null;
    }
  }

  async function agentFacts(agentId: string): Promise<AgentFacts | null> {
    try {
      const agent = await agents.get(agentId);
      return { id: agent.id, status: agent.status, role: agent.role, classification: agent.classification };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  function quotaWindows(now: Date, windowMs: number) {
    const time = now.getTime();
    return { callsStart: new Date(time - (time % windowMs)), dayStart: new Date(time - (time % DAY_MS)) };
  }

  /** Whether a decision is kept in the decision log: every violation, and the configured share of clean allows. */
  function recorded(outcome: Outcome): boolean {
    return outcome.violations.length > 0 || deps.allowSampleRate >= 1 || random() < deps.allowSampleRate;
  }

  /** The row of a decision; its quota fields (for `recordWithinQuotas`) are null until a counted call sets them. */
  function decisionRow(item: Evaluation, outcome: Outcome, usage: Usage | null = null): QuotaDecisionValues {
    const { input, policy } = item;
    return {
      id: newId(),
      at: clock.now(),
      agent_id: input.agent_id,
      action: input.action,
      resource: input.resource,
      classification: input.classification,
      decision: outcome.decision,
      violations: outcome.violations,
      max_severity: outcome.maxSeverity,
      compliant: outcome.compliant,
      latency_us: Number((process.hrtime.bigint() - item.started) / 1000n),
      policy_version: policy.version,
      mode: policy.mode,
      risk_avoided_usd: outcome.riskAvoidedUsd,
      risk_weight: policy.classifications.get(input.classification)?.riskWeight ?? 0,
      tokens: input.tokens ?? 0,
      cost_usd: input.cost_usd ?? 0,
      correlation_id: item.correlationId,
      facts: item.facts,
      usage,
      violation_ids: outcome.violations.map(() => newId()),
      quota_agent: null,
      calls_offset: null,
      tokens_offset: null,
      cost_offset: null,
    };
  }

  /**
   * Counts quotas and records decisions exactly, in a transaction: the calls of a batch are added per agent in
   * one upsert, then judged in arrival order as if counted one by one (each sees the usage including itself and
   * the accepted calls before it); calls a quota refuses in enforce mode are taken back in the same transaction.
   * Exact across replicas: the agent's row lock serialises every writer. Decisions: the rows of the whole batch in
   * one insert, the quota denials among them. Used for the agents that `writeWithinQuotas` leaves to it.
   */
  async function writeExactly(tx: Queryable, items: Evaluation[]): Promise<Settled[]> {
    const usages: Array<Usage | undefined> = new Array<Usage | undefined>(items.length);
    const groups = new Map<string, number[]>();
    items.forEach((item, index) => {
      if (!item.quota) return;
      const key = `${item.quota.agentId}|${item.quota.windows.callsStart.getTime()}|${item.quota.windows.dayStart.getTime()}`;
      const group = groups.get(key);
      if (group) group.push(index);
      else groups.set(key, [index]);
    });
    // Agent id order: batches of every replica take the quota row locks in the same order, so two of them
    // queue on a row instead of deadlocking.
    const ordered = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, indexes]) => indexes);
    for (const indexes of ordered) {
      const { agentId, windows } = items[indexes[0]!]!.quota!;
      const sums = indexes.reduce<Usage>(
        (total, index) => ({ calls: total.calls + 1, tokens: total.tokens + items[index]!.quota!.tokens, cost_usd: total.cost_usd + items[index]!.quota!.cost_usd }),
        { calls: 0, tokens: 0, cost_usd: 0 },
      );
      const totals = await repository.addUsage(agentId, windows, sums, tx);
      let running: Usage = { calls: totals.calls - sums.calls, tokens: totals.tokens - sums.tokens, cost_usd: roundUsd(totals.cost_usd - sums.cost_usd) };
      const refund: Usage = { calls: 0, tokens: 0, cost_usd: 0 };
      for (const index of indexes) {
        const { policy, facts, quota } = items[index]!;
        const usage = { calls: running.calls + 1, tokens: running.tokens + quota!.tokens, cost_usd: roundUsd(running.cost_usd + quota!.cost_usd) };
        usages[index] = usage;
        const refused = policy.mode === 'enforce' && quotaViolations(policy, { ...facts, usage }).length > 0;
        if (refused) {
          refund.calls += 1;
          refund.tokens += quota!.tokens;
          refund.cost_usd += quota!.cost_usd;
        } else {
          running = usage;
        }
      }
      if (refund.calls > 0) await repository.removeUsage(agentId, windows, refund, tx);
    }
    const rows: DecisionValues[] = [];
    const settled = items.map((item, index): Settled => {
      const usage = usages[index];
      // A new facts object: a batch that fails is written again item by item, from the same items. The row keeps
      // the usage in columns of its own, beside the facts without it.
      const facts = usage ? { ...item.facts, usage } : item.facts;
      // Within its quotas a call is decided exactly as before its usage was known: decide again only if not.
      const outcome = usage && quotaViolations(item.policy, facts).length > 0 ? decide(item.policy, facts) : item.outcome;
      if (!item.record && !recorded(outcome)) return { outcome, decisionId: null };
      const row = decisionRow(item, outcome, usage ?? null);
      rows.push(row);
      return { outcome, decisionId: row.id };
    });
    await repository.insertDecisions(rows, tx);
    return settled;
  }

  /**
   * The common case in one statement, committed on its own (`recordWithinQuotas`): every agent whose totals stay
   * within its limits after the whole batch is counted and its decisions recorded as decided before the usage was
   * known (within its quotas each call's prefix is within them too). The rest — agents near a limit, or whose calls
   * fall in two windows — go to `writeExactly` in a transaction of their own. Nothing written by the statement is
   * written again: when that transaction fails, each of its items is tried alone, and the ones that still fail are
   * answered with their error.
   */
  async function writeWithinQuotas(autocommit: Queryable, items: Evaluation[]): Promise<Array<Settled | { error: unknown }>> {
    const byAgent = new Map<string, { group: QuotaGroup; callsStart: number; dayStart: number; indexes: number[] }>();
    const mixedWindows = new Set<string>();
    items.forEach((item, index) => {
      if (!item.quota) return;
      const { agentId, windows, limits, tokens, cost_usd } = item.quota;
      const entry = byAgent.get(agentId);
      if (!entry) {
        byAgent.set(agentId, {
          callsStart: windows.callsStart.getTime(),
          dayStart: windows.dayStart.getTime(),
          group: {
            agent_id: agentId,
            window_start: windows.callsStart.toISOString(),
            day_start: windows.dayStart.toISOString(),
            calls: 1,
            tokens,
            cost_usd,
            max_calls: limits.calls ?? null,
            max_tokens: limits.tokensPerDay ?? null,
            max_cost_usd: limits.costUsdPerDay ?? null,
          },
          indexes: [index],
        });
        return;
      }
      const { group } = entry;
      if (entry.callsStart !== windows.callsStart.getTime() || entry.dayStart !== windows.dayStart.getTime()) mixedWindows.add(agentId);
      group.calls += 1;
      group.tokens += tokens;
      group.cost_usd = roundUsd(group.cost_usd + cost_usd);
      // The policy may have changed within the batch: the strictest limit of its calls' policies applies to all.
      group.max_calls = strictest(group.max_calls, limits.calls);
      group.max_tokens = strictest(group.max_tokens, limits.tokensPerDay);
      group.max_cost_usd = strictest(group.max_cost_usd, limits.costUsdPerDay);
      entry.indexes.push(index);
    });
    for (const agentId of mixedWindows) byAgent.delete(agentId);

    const results = new Array<Settled | { error: unknown }>(items.length);
    const rows: QuotaDecisionValues[] = [];
    const keep = (index: number, row: QuotaDecisionValues | null) => {
      if (row) rows.push(row);
      results[index] = { outcome: items[index]!.outcome, decisionId: row?.id ?? null };
    };
    items.forEach((item, index) => {
      if (!item.quota) keep(index, decisionRow(item, item.outcome));
    });
    for (const { group, indexes } of byAgent.values()) {
      let calls = 0;
      let tokens = 0;
      let cost = 0;
      for (const index of indexes) {
        const item = items[index]!;
        calls += 1;
        tokens += item.quota!.tokens;
        cost = roundUsd(cost + item.quota!.cost_usd);
        const row = recorded(item.outcome) ? decisionRow(item, item.outcome) : null;
        if (row) {
          row.quota_agent = group.agent_id;
          row.calls_offset = calls - group.calls;
          row.tokens_offset = tokens - group.tokens;
          row.cost_offset = roundUsd(cost - group.cost_usd);
        }
        keep(index, row);
      }
    }

    const { skipped } = await repository.recordWithinQuotas([...byAgent.values()].map(({ group }) => group), rows, autocommit);
    const exact = items.flatMap((item, index) => (item.quota && (skipped.has(item.quota.agentId) || mixedWindows.has(item.quota.agentId)) ? [index] : []));
    if (exact.length === 0) return results;
    metrics.exactQuotaItems.inc(exact.length);
    try {
      const settled = await db.transaction((tx) => writeExactly(tx, exact.map((index) => items[index]!)));
      exact.forEach((index, position) => (results[index] = settled[position]!));
    } catch {
      for (const index of exact) {
        try {
          results[index] = (await db.transaction((tx) => writeExactly(tx, [items[index]!])))[0]!;
        } catch (error) {
          results[index] = { error };
        }
      }
    }
    return results;
  }

  /**
   * The database side of evaluations, group-committed: one statement per batch in the common case
   * (`writeWithinQuotas`), a transaction for the agents near a quota limit; every caller is answered after the
   * commit that holds its call.
   */
  const committer = createGroupCommitter<Evaluation, Settled | { error: unknown }>({
    db,
    autocommit: db,
    maxWaitMs: 2,
    maxBatch: 256,
    // On a PostgreSQL server, two batches at a time: one gathers and runs its statement while the other waits for
    // its commit, so neither ORCA nor PostgreSQL idles through the other's turn. Quotas stay exact: a second batch
    // for the same agent waits for the first's row lock.
    // The embedded database is one connection: a second batch would only queue behind the first.
    maxInFlight: db.kind === 'postgres' ? 2 : 1,
    write: writeWithinQuotas,
    onBatch: (size) => metrics.batchSize.observe(size),
  });

  /** Counts the call against the agent's quotas, decides again with the usage, records the decision if kept. */
  async function settle(policy: CompiledPolicy, facts: EvaluationFacts, input: EvaluateInput, outcome: Outcome, started: bigint, correlationId: string | null): Promise<Settled> {
    const agent = facts.agent;
    const limits = agent && !(outcome.decision === 'deny' && policy.mode === 'enforce') ? quotaFor(policy, agent.id, agent.role ?? policy.defaultRole ?? null) : undefined;
    // Without a quota the outcome is final: a decision the log does not keep needs no database at all.
    const record = limits ? false : recorded(outcome);
    if (!limits && !record) return { outcome, decisionId: null };
    const settled = await committer.submit({
      policy,
      facts,
      input,
      outcome,
      started,
      correlationId,
      record,
      ...(limits
        ? { quota: { agentId: agent!.id, windows: quotaWindows(clock.now(), limits.windowMs), limits, tokens: input.tokens ?? 0, cost_usd: input.cost_usd ?? 0 } }
        : {}),
    });
    if ('error' in settled) throw settled.error;
    return settled;
  }

  return {
    activePolicy,

    /** Writes the quota counts and decisions still waiting for their batch (shutdown). */
    async close() {
      await committer.close();
    },

    async getActive(): Promise<PolicyView> {
      const row = await repository.findActive();
      if (row) return toView(row);
      return {
        version: 0,
        mode: defaultPolicy.mode,
        active: true,
        format: 'yaml',
        created_by: 'orca',
        created_at: DEFAULT_CREATED_AT,
        document: defaultPolicy.document as Record<string, unknown>,
        source: DEFAULT_POLICY_SOURCE,
      };
    },

    async listVersions(query: { limit?: number; cursor?: string }) {
      const limit = query.limit ?? 50;
      const before = decodeVersionCursor(query.cursor);
      const rows = await repository.listVersions(limit + 1, before);
      const items = rows.slice(0, limit).map((row) => {
        const { document: _document, source: _source, ...rest } = toView(row);
        return rest;
      });
      const last = items[items.length - 1];
      return { items, next_cursor: rows.length > limit && last ? encodeVersionCursor(last.version) : null };
    },

    /** Validates, stores a new version and makes it active everywhere (this replica now, others via NOTIFY). */
    async put(actor: Actor, body: unknown, format: 'yaml' | 'json', source: string | undefined): Promise<PolicyView> {
      const compiled = compilePolicy(body, 0, '/body');
      // PostgreSQL stores no NUL character, in text or in jsonb: refuse it here rather than fail the insert.
      if ((source ?? '').includes('\u0000') || JSON.stringify(body).includes('\\u0000')) {
        throw new AppError('validation_failed', 'the policy document contains a NUL character', { errors: [{ path: '/body', message: 'must not contain NUL characters' }] });
      }
      const row = await db.transaction(async (tx) => {
        const version = await repository.lockAndNextVersion(tx);
        const previous = await repository.findActive(tx);
        const inserted = await repository.insertActive(
          {
            id: newId(),
            version,
            document: body,
            source: source ?? JSON.stringify(body, null, 2),
            format,
            mode: compiled.mode,
            created_by: actor.id,
          },
          tx,
        );
        await audit.append(tx, {
          actor: actor.id,
          action: 'policy.update',
          target: `policy:${version}`,
          before: previous ? { version: previous.version, mode: previous.mode } : { version: 0, mode: defaultPolicy.mode },
          after: { version, mode: compiled.mode, document: body },
          correlationId: actor.correlationId,
        });
        await invalidation.notify(tx, cache.name, ACTIVE_KEY);
        return inserted;
      });
      cache.invalidate(ACTIVE_KEY);
      logger.info({ policy_version: row.version, mode: row.mode, actor: actor.id }, 'policy activated');
      return toView(row);
    },

    async evaluate(input: EvaluateInput, correlationId: string | null): Promise<EvaluateOutput> {
      const started = process.hrtime.bigint();
      const policy = await activePolicy();
      const agent = await agentFacts(input.agent_id);
      const scan = scanContent(policy, input.content);
      const facts: EvaluationFacts = {
        agent_id: input.agent_id,
        agent,
        action: input.action,
        classification: input.classification,
        pii: scan.counts,
        injection: scan.injection,
      };
      const { outcome, decisionId } = await settle(policy, facts, input, decide(policy, facts), started, correlationId);

      if (outcome.violations.length === 0) metrics.decisions.inc({ decision: outcome.decision, rule: 'none' });
      for (const rule of new Set(outcome.violations.map((violation) => violation.rule))) metrics.decisions.inc({ decision: outcome.decision, rule });
      metrics.duration.observe({ decision: outcome.decision }, Number(process.hrtime.bigint() - started) / 1e9);

      const result: EvaluateOutput = {
        decision: outcome.decision,
        violations: outcome.violations,
        policy_version: policy.version,
        mode: policy.mode,
        decision_id: decisionId,
      };
      if (outcome.decision === 'redact' && input.content !== undefined) {
        result.redacted_content = redactContent(input.content, scan.findings, outcome.redact);
      }
      return result;
    },

    async listViolations(query: ViolationsQueryInput) {
      const limit = query.limit ?? 50;
      const rows = await repository.listViolations({
        ...(query.agent_id ? { agent_id: query.agent_id } : {}),
        ...(query.rule ? { rule: query.rule } : {}),
        ...(query.severity ? { severity: query.severity } : {}),
        ...(query.decision ? { decision: query.decision } : {}),
        ...(query.since ? { since: instant(query.since, '/querystring/since') } : {}),
        ...(query.until ? { until: instant(query.until, '/querystring/until') } : {}),
        after: decodeCursor(query.cursor),
        limit: limit + 1,
      });
      return pageOf(
        rows.map((row) => ({ ...row, at: row.at.toISOString() })),
        limit,
      );
    },

    /** Replays recorded decisions against a draft; reads only, enforces and writes nothing. */
    async simulate(input: SimulateInput): Promise<SimulateOutput> {
      const draft = compilePolicy(input.policy, -1, '/body/policy');
      const since = instant(input.since, '/body/since');
      const until = instant(input.until, '/body/until');
      if (!(since.getTime() < until.getTime())) {
        throw new AppError('validation_failed', 'since must be before until', { errors: [{ path: '/body/until', message: 'must be after since' }] });
      }
      const transitions = new Map<string, number>();
      const byRule = new Map<string, { recorded: number; simulated: number }>();
      const byAgent = new Map<string | null, { newly_denied: number; newly_allowed: number; changed: number }>();
      const missingDetectors = new Map<string, number>();
      let replayed = 0;
      let newlyDenied = 0;
      let newlyAllowed = 0;
      let changed = 0;
      let truncated = false;
      let after: string | undefined;
      const draftScans = scannedBy(draft);
      // What each recording policy version scanned for, compiled once per version met in the range.
      const scannedByVersion = new Map<number, ScannedLists | null>();
      const scannedFor = async (row: ReplayRow): Promise<ScannedLists | null> => {
        if (row.facts.scanned) return row.facts.scanned; // rows recorded before the lists were derived from the version
        if (!scannedByVersion.has(row.policy_version)) scannedByVersion.set(row.policy_version, await scannedByRecordingPolicy(row.policy_version));
        return scannedByVersion.get(row.policy_version)!;
      };

      for (;;) {
        const rows = await repository.replayPage({ since, until, ...(input.agent_id ? { agent_id: input.agent_id } : {}), ...(after ? { after } : {}), limit: REPLAY_PAGE });
        for (const row of rows) {
          if (replayed >= SIMULATION_LIMIT) {
            truncated = true;
            break;
          }
          replayed += 1;
          const facts = row.facts;
          const scanned = await scannedFor(row);
          if (scanned) {
            for (const detector of draftScans.detectors) {
              if (!scanned.detectors.includes(detector)) missingDetectors.set(`detector ${detector}`, (missingDetectors.get(`detector ${detector}`) ?? 0) + 1);
            }
            for (const pattern of draftScans.injection) {
              const name = `prompt-injection pattern ${pattern}`;
              if (!scanned.injection.includes(pattern)) missingDetectors.set(name, (missingDetectors.get(name) ?? 0) + 1);
            }
          }
          const outcome = decide(draft, facts);
          const from: Decision = row.decision;
          const to = outcome.decision;
          const recordedRules = row.violations.map((violation) => violation.rule);
          for (const rule of recordedRules) {
            const entry = byRule.get(rule) ?? { recorded: 0, simulated: 0 };
            entry.recorded += 1;
            byRule.set(rule, entry);
          }
          for (const violation of outcome.violations) {
            const entry = byRule.get(violation.rule) ?? { recorded: 0, simulated: 0 };
            entry.simulated += 1;
            byRule.set(violation.rule, entry);
          }
          if (from === to) continue;
          changed += 1;
          const key = `${from}>${to}`;
          transitions.set(key, (transitions.get(key) ?? 0) + 1);
          const agent = byAgent.get(row.agent_id) ?? { newly_denied: 0, newly_allowed: 0, changed: 0 };
          agent.changed += 1;
          if (to === 'deny') {
            newlyDenied += 1;
            agent.newly_denied += 1;
          }
          if (to === 'allow') {
            newlyAllowed += 1;
            agent.newly_allowed += 1;
          }
          byAgent.set(row.agent_id, agent);
        }
        if (truncated || rows.length < REPLAY_PAGE) break;
        after = rows[rows.length - 1]!.id;
      }

      const limitations = [...missingDetectors.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, count]) => `${count} decision${count === 1 ? ' was' : 's were'} recorded without ${name}: its findings cannot be replayed (content is never stored)`);
      if (deps.allowSampleRate < 1) {
        limitations.push(`allow decisions without violations are sampled at ${deps.allowSampleRate}: the replay sees only that share of them`);
      }
      return {
        replayed,
        unchanged: replayed - changed,
        newly_denied: newlyDenied,
        newly_allowed: newlyAllowed,
        changed,
        transitions: [...transitions.entries()]
          .map(([key, count]) => {
            const [from, to] = key.split('>') as [Decision, Decision];
            return { from, to, count };
          })
          .sort((a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to)),
        by_rule: [...byRule.entries()].map(([rule, counts]) => ({ rule, ...counts })).sort((a, b) => a.rule.localeCompare(b.rule)),
        by_agent: [...byAgent.entries()]
          .map(([agent_id, counts]) => ({ agent_id, ...counts }))
          .sort((a, b) => b.changed - a.changed || String(a.agent_id).localeCompare(String(b.agent_id))),
        limitations,
        truncated,
      };
    },
  };
}

type ScannedLists = NonNullable<EvaluationFacts['scanned']>;

/**
 * What a policy scans for (detectors and injection pattern names). A decision row records the policy version, and
 * every version is kept, so a replay derives these lists from the version instead of each row carrying them
 * (they were three quarters of a row's `facts`).
 */
const scannedLists = new WeakMap<CompiledPolicy, ScannedLists>();
function scannedBy(policy: CompiledPolicy): ScannedLists {
  let scanned = scannedLists.get(policy);
  if (!scanned) {
    scanned = {
      detectors: [...policy.enabledEntities, ...policy.custom.map((detector) => detector.entity)],
      injection: [...new Set([...policy.injection.phrases, ...policy.injection.regexes].map((pattern) => pattern.name))],
    };
    scannedLists.set(policy, scanned);
  }
  return scanned;
}

/** A date-time the database can hold (PostgreSQL has no year 0; JSON Schema's date-time allows it). */
function instant(value: string, path: string): Date {
  const date = new Date(value);
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 1 || year > 9999) {
    throw new AppError('validation_failed', `${path} is not a supported date-time`, { errors: [{ path, message: 'must be a date-time between years 1 and 9999' }] });
  }
  return date;
}

/** One evaluation handed to the committer. */
interface Evaluation {
  policy: CompiledPolicy;
  facts: EvaluationFacts;
  input: EvaluateInput;
  /** The decision before quotas: final when there is no quota to count. */
  outcome: Outcome;
  started: bigint;
  correlationId: string | null;
  /** Record the decision whatever it turns out to be (already sampled in; quota-free evaluations only). */
  record: boolean;
  quota?: {
    agentId: string;
    windows: { callsStart: Date; dayStart: Date };
    /** The limits of `policy` for this agent. */
    limits: QuotaLimits;
    tokens: number;
    cost_usd: number;
  };
}

interface Settled {
  outcome: Outcome;
  decisionId: string | null;
}

/** The lower of two limits, where null and undefined mean none. */
function strictest(current: number | null, next: number | undefined): number | null {
  if (next === undefined) return current;
  return current === null ? next : Math.min(current, next);
}

/** Cost sums in JavaScript floats: rounded to a billionth of a dollar so that 0.1 + 0.2 reads 0.3. */
function roundUsd(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

function encodeVersionCursor(version: number): string {
  return Buffer.from(JSON.stringify({ before_version: version })).toString('base64url');
}

function decodeVersionCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { before_version?: unknown };
    if (typeof decoded.before_version === 'number' && Number.isSafeInteger(decoded.before_version) && decoded.before_version > 0) return decoded.before_version;
  } catch {
    // fall through to the client error below
  }
  throw new AppError('validation_failed', 'cursor is not a value returned as next_cursor', {
    errors: [{ path: '/querystring/cursor', message: 'is not a valid cursor' }],
  });
}

export type PolicyService = ReturnType<typeof createPolicyService>;
