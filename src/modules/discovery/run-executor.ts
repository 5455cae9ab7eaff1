/**
 * One discovery run, start to finish: claim the run, open the source's credentials, list through its connector under
 * the run's deadline, refuse what breaks the bounds, compare with the registry and write the differences, and
 * record the outcome — succeeded, partial (something listed, something went wrong) or failed (nothing could be
 * listed). Whatever a connector or a hostile server does, the run ends with its error recorded: nothing it throws
 * escapes to the job queue, and no credential reaches the record or the logs.
 */
import type { Clock } from '../../platform/clock.js';
import type { SecretBox } from '../../platform/crypto/secret-box.js';
import type { Database } from '../../platform/db/index.js';
import type { OutboundClient } from '../../platform/outbound/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { AuditService } from '../audit/index.js';
import type { Applied, ApplyContext } from './apply-discovery.js';
import { CONNECTORS } from './connectors/index.js';
import { ConnectorFailure, type ConnectorResult, type DiscoveredAgent, type DiscoveryLimits, type RunError } from './connectors/types.js';
import type { DiscoveryMetrics } from './discovery.metrics.js';
import type { DiscoveryRun } from './discovery.schemas.js';
import type { DiscoveryRunRepository, RunOutcome } from './discovery-runs.repository.js';
import type { DiscoverySourceRepository } from './discovery-sources.repository.js';
import type { IdentityRepository } from './identities.repository.js';
import { linkKeysOf, type LinkRule } from './link-keys.js';
import { observe, reconcile, type Reconciliation } from './reconcile.js';

/** Errors kept on a run record; beyond them one line says how many more there were. */
const ERRORS_KEPT = 100;
/** How often the count found so far is written to the run record while listing. */
const PROGRESS_EVERY_MS = 1000;

export interface RunExecutorDeps {
  db: Database;
  sources: DiscoverySourceRepository;
  runs: DiscoveryRunRepository;
  identities: IdentityRepository;
  apply: (context: ApplyContext, plan: Reconciliation) => Promise<Applied>;
  box: SecretBox;
  outbound: Pick<OutboundClient, 'request' | 'fetch'>;
  audit: Pick<AuditService, 'append'>;
  clock: Clock;
  logger: Logger;
  metrics: DiscoveryMetrics;
  settings: { runTimeoutMs: number; stdioCommands: readonly string[]; limits: DiscoveryLimits; linkRules: readonly LinkRule[] };
  /** After a run changed the registry (committed): alert rules look at new and changed agents. */
  onAgentsChanged: (correlationId: string) => void;
}

/** Every string in the credentials, longest first: replaced wherever it appears in an error. */
function secretsOf(credentials: unknown): string[] {
  const found: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === 'string' && value.length >= 4) found.push(value);
    else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) walk(item);
  };
  walk(credentials);
  return found.sort((a, b) => b.length - a.length);
}

function redactText(text: string, secrets: readonly string[]): string {
  return secrets.reduce((result, secret) => result.split(secret).join('[redacted]'), text);
}

export function redact(errors: RunError[], secrets: readonly string[]): RunError[] {
  const clean = (text: string) => redactText(text, secrets);
  const redacted = errors.map((error) => ({ ...error, message: clean(error.message), ...(error.external_id !== undefined ? { external_id: clean(error.external_id) } : {}) }));
  if (redacted.length <= ERRORS_KEPT) return redacted;
  return [...redacted.slice(0, ERRORS_KEPT), { code: 'more_errors', message: `${redacted.length - ERRORS_KEPT} more errors were not kept` }];
}

/** The bounds each listed agent must keep; an agent breaking one is refused (left as it was) with the reason recorded. */
function refusalOf(agent: DiscoveredAgent, limits: DiscoveryLimits): RunError | undefined {
  if (agent.tools.length > limits.maxTools) {
    return { code: 'too_many_tools', message: `lists more than DISCOVERY_MAX_TOOLS (${limits.maxTools}) tools: refused, left as it was`, external_id: agent.external_id };
  }
  const large = agent.tools.find((tool) => tool.description !== null && Buffer.byteLength(tool.description) > limits.maxDescriptionBytes);
  if (large) {
    return {
      code: 'description_too_large',
      message: `the description of a tool is ${Buffer.byteLength(large.description ?? '')} bytes, over DISCOVERY_MAX_DESCRIPTION_BYTES (${limits.maxDescriptionBytes}): refused, left as it was`,
      external_id: agent.external_id,
    };
  }
  return undefined;
}

/** How long a connector has, once the deadline passed, to return what it listed before the run gives up on it. */
const GRACE_MS = 2000;

/**
 * The listing, or a failure when the deadline passes and the connector has not returned within GRACE_MS: connectors
 * stop at the signal and return what they have (a partial run); one that ignores it is left behind.
 */
async function listUntil(listing: Promise<ConnectorResult>, signal: AbortSignal): Promise<ConnectorResult> {
  listing.catch(() => undefined);
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      timer = setTimeout(() => reject(new ConnectorFailure('timeout', 'the run reached DISCOVERY_RUN_TIMEOUT before the source finished answering')), GRACE_MS);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    listing.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    });
  });
}

export function createRunExecutor(deps: RunExecutorDeps) {
  const { sources, runs, identities, clock, metrics, settings } = deps;

  return async function execute(runId: string, options: { signal: AbortSignal; correlationId: string; logger?: Logger }): Promise<DiscoveryRun | undefined> {
    const run = await runs.start(runId, clock.now());
    if (!run) return runs.findById(runId);
    const logger = (options.logger ?? deps.logger).child({ run_id: runId, source_id: run.source_id, correlation_id: options.correlationId });
    const source = await sources.findById(run.source_id);
    const started = performance.now();
    const finish = async (outcome: RunOutcome, applied?: Applied): Promise<DiscoveryRun> => {
      const finished = await deps.db.transaction(async (tx) => {
        if (applied && applied.touched.length > 0 && source) {
          await deps.audit.append(tx, {
            actor: `discovery:${source.id}`,
            action: 'discovery.run.apply',
            target: `discovery_source:${source.id}`,
            before: null,
            after: { run_id: runId, new: applied.new, linked: applied.linked, changed: applied.changed, missing: applied.missing, findings: applied.findings, agents: applied.touched.slice(0, 1000) },
            correlationId: options.correlationId,
          });
        }
        return runs.finish(runId, outcome, clock.now(), tx);
      });
      metrics.runFinished(source?.kind ?? 'unknown', outcome.status, (performance.now() - started) / 1000, outcome);
      const fields = { kind: source?.kind, status: outcome.status, found: outcome.found, new: outcome.new, linked: outcome.linked, changed: outcome.changed, unchanged: outcome.unchanged, missing: outcome.missing, errors: outcome.errors.length };
      if (outcome.status === 'failed') logger.warn({ ...fields, error: outcome.errors[0]?.message }, 'discovery run failed');
      else logger.info(fields, 'discovery run finished');
      if (applied && applied.touched.length > 0) deps.onAgentsChanged(options.correlationId);
      return finished;
    };
    const empty = { found: 0, new: 0, linked: 0, changed: 0, unchanged: 0, missing: 0 };
    if (!source) return finish({ status: 'failed', ...empty, errors: [{ code: 'source_deleted', message: 'the discovery source was deleted before the run started' }] });

    let secrets: string[] = [];
    const deadline = AbortSignal.any([options.signal, AbortSignal.timeout(settings.runTimeoutMs)]);
    try {
      const credentials = source.credentials_ciphertext ? (JSON.parse(deps.box.open(source.credentials_ciphertext, source.id)) as Record<string, unknown>) : null;
      secrets = secretsOf(credentials);
      let lastProgress = 0;
      const listing = await listUntil(
        CONNECTORS[source.kind].discover({
          sourceId: source.id,
          config: source.config,
          credentials,
          outbound: deps.outbound,
          signal: deadline,
          limits: settings.limits,
          stdioCommands: settings.stdioCommands,
          correlationId: options.correlationId,
          logger,
          progress: (found) => {
            const now = performance.now();
            if (now - lastProgress < PROGRESS_EVERY_MS) return;
            lastProgress = now;
            runs.recordFound(runId, found).catch((error: unknown) => logger.debug({ err: error }, 'could not record discovery progress'));
          },
        }),
        deadline,
      );
      const errors = [...listing.errors];
      const accepted: DiscoveredAgent[] = [];
      const seenIds = new Set<string>();
      const seenAgentIds = new Set<string>();
      for (const agent of listing.agents) {
        if (seenIds.has(agent.external_id) || seenAgentIds.has(agent.agent_external_id)) {
          errors.push({ code: 'duplicate', message: 'listed twice in one run: the second was ignored', external_id: agent.external_id });
          continue;
        }
        seenIds.add(agent.external_id);
        seenAgentIds.add(agent.agent_external_id);
        const refusal = refusalOf(agent, settings.limits);
        if (refusal) errors.push(refusal);
        else accepted.push(agent);
      }
      // A refused agent was listed: it is not missing, only not updated.
      const acceptedIds = new Set(accepted.map((agent) => agent.external_id));
      const refusedIds = new Set([...seenIds].filter((id) => !acceptedIds.has(id)));
      const known = await identities.listForSource(source.id);
      const plan = reconcile(accepted.map((agent) => observe(agent, linkKeysOf(source.kind, agent, deps.settings.linkRules))), known.filter((identity) => !refusedIds.has(identity.external_id)), listing.complete);
      const applied = await deps.apply({ source: { id: source.id, kind: source.kind, name: source.name }, runId, correlationId: options.correlationId }, plan);
      return await finish(
        { status: errors.length > 0 ? 'partial' : 'succeeded', found: seenIds.size, new: applied.new, linked: applied.linked, changed: applied.changed, unchanged: applied.unchanged, missing: applied.missing, errors: redact(errors, secrets) },
        applied,
      );
    } catch (error) {
      if (error instanceof ConnectorFailure) return finish({ status: 'failed', ...empty, errors: redact([{ code: error.code, message: error.message }], secrets) });
      // A bug or a database failure: the details go to the log (redacted), the record says where to look.
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      logger.error({ error: redactText(text, secrets) }, 'discovery run failed unexpectedly');
      return finish({ status: 'failed', ...empty, errors: [{ code: 'internal', message: `an unexpected error ended the run; the log has it under correlation id ${options.correlationId}` }] });
    }
  };
}

export type RunExecutor = ReturnType<typeof createRunExecutor>;
