/**
 * `npm run bench -- discovery`: a discovery run over 10,000 AWS Lambda functions (with their tags) and one over 5,000
 * n8n workflows, from local servers written from the vendors' API documentation (the same ones the tests use), on a
 * PostgreSQL server (issue 18: both complete in <= 30 s), then the same runs again over the unchanged sources,
 * which must write nothing but their run records. ORCA_BENCH_DISCOVERY_SCALE (default 1) shrinks the volumes for a
 * quick check, in which case the targets are reported but not judged.
 *
 * ORCA runs in this process (createContainer, production settings), the vendors in a worker thread (their own event
 * loop, as a remote vendor's), and each run is executed where `orca discover`
 * executes it (the run service, no job queue latency), so the time is the run's own: listing through the outbound
 * client (timeouts, breaker, SSRF guard), comparing with the registry, writing the differences in batches.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContainer, type Container } from '../../src/container.js';
import type { DiscoveryRun } from '../../src/modules/discovery/index.js';
import { loadConfig } from '../../src/platform/config/load.js';
import { createLogger } from '../../src/platform/telemetry/logger.js';
import { REGION } from '../../test/http/discovery/fakes/lambda.js';
import { startVendorsInWorker } from '../lib/discovery-vendors.js';
import { createSchema } from '../lib/postgres-schema.js';
import type { Measurement, Suite, SuiteContext, SuiteOutcome, TargetResult } from '../lib/types.js';

const POSTGRES_URL = process.env.ORCA_BENCH_DATABASE_URL;
const SCALE = Number(process.env.ORCA_BENCH_DISCOVERY_SCALE ?? '1');
const FULL = { functions: 10_000, workflows: 5_000 };
const MAX_FIRST_RUNS_S = 30;
const TITLE = 'Discovery over 10,000 Lambda functions and 5,000 n8n workflows (PostgreSQL)';
// secretlint-disable-next-line @secretlint/secretlint-rule-preset-recommend -- made-up credentials for the local fake vendors
const CREDENTIALS = { access_key_id: 'AKIAORCABENCHKEY0001', secret_access_key: 'orcaBenchSecretAccessKey000000000000000' };
const N8N_KEY = 'n8n_api_bench';

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const ACTOR = { id: 'bench', correlationId: null };

/** Rows of the registry written after `since`, whatever wrote them (the run record is in none of these tables). */
async function writesSince(container: Container, since: Date): Promise<number> {
  const counts = await container.db.query<{ count: number }>(
    `select ((select count(*) from agent where updated_at > $1) + (select count(*) from agent_event where at > $1)
           + (select count(*) from agent_identities where updated_at > $1) + (select count(*) from discovery_finding where detected_at > $1)
           + (select count(*) from audit_entry where at > $1 and action <> 'discovery.run.request'))::int as count`,
    [since],
  );
  return counts.rows[0]!.count;
}

function runMeasurement(id: string, label: string, runs: DiscoveryRun[], seconds: number, extra: Measurement['details']): Measurement {
  const agents = runs.reduce((sum, run) => sum + run.found, 0);
  const ms = seconds * 1000;
  return {
    id,
    label,
    operation: 'two discovery runs, one after the other (Lambda, then n8n)',
    throughput: { unit: 'agents/s', mean: round(agents / seconds, 1) },
    latencyMs: { mean: round(ms, 0), p50: round(ms, 0), p97_5: round(ms, 0), p99: round(ms, 0), max: round(ms, 0) },
    completed: runs.length,
    errors: runs.filter((run) => run.status !== 'succeeded').length,
    timeouts: 0,
    non2xx: 0,
    details: [
      ...runs.map((run, index) => ({ key: `run_${index + 1}`, label: `run ${run.found} found: new ${run.new}, changed ${run.changed}, unchanged ${run.unchanged}`, value: round((Date.parse(run.finished_at!) - Date.parse(run.started_at!)) / 1000), unit: 's' })),
      ...extra,
    ],
  };
}

function notMeasured(reason: string): SuiteOutcome {
  return { title: TITLE, summary: reason, settings: {}, measurements: [], targets: [], warnings: [reason], method: [] };
}

export const discoverySuite: Suite = {
  name: 'discovery',
  description: 'discovery runs over 10,000 Lambda functions and 5,000 n8n workflows from local vendor servers, then again unchanged, on PostgreSQL (ORCA_BENCH_DATABASE_URL)',
  async run(context: SuiteContext): Promise<SuiteOutcome> {
    if (!POSTGRES_URL) return notMeasured('not measured: set ORCA_BENCH_DATABASE_URL to a PostgreSQL server');
    if (!Number.isFinite(SCALE) || SCALE <= 0 || SCALE > 1) throw new Error('ORCA_BENCH_DISCOVERY_SCALE must be a number in (0, 1]');
    const volume = { functions: Math.max(10, Math.round(FULL.functions * SCALE)), workflows: Math.max(10, Math.round(FULL.workflows * SCALE)) };
    const full = SCALE === 1;
    context.progress(`starting the local vendors: ${volume.functions} Lambda functions, ${volume.workflows} n8n workflows`);
    const vendors = await startVendorsInWorker({ ...volume, accessKeyId: CREDENTIALS.access_key_id, n8nApiKey: N8N_KEY });
    const schema = await createSchema(POSTGRES_URL);
    const dataDir = mkdtempSync(join(tmpdir(), 'orca-bench-discovery-'));
    try {
      const config = loadConfig({ ORCA_DATA_DIR: dataDir, DATABASE_URL: schema.url, LOG_LEVEL: 'warn', OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8', ALERTS_ENABLED: 'false' }, dataDir);
      const container = await createContainer(config, { logger: createLogger({ level: 'warn' }), role: 'api' });
      try {
        const { sources, runs } = container.modules.discovery;
        const lambdaSource = await sources.create(ACTOR, { kind: 'lambda', name: 'bench-lambda', config: { region: REGION, endpoint: vendors.lambdaUrl }, credentials: CREDENTIALS });
        const n8nSource = await sources.create(ACTOR, { kind: 'n8n', name: 'bench-n8n', config: { url: vendors.n8nUrl }, credentials: { api_key: N8N_KEY } });
        const both = async (label: string) => {
          context.progress(`${label}: Lambda`);
          const started = performance.now();
          const first = await runs.runHere(ACTOR, lambdaSource.id, AbortSignal.timeout(600_000));
          context.progress(`${label}: n8n`);
          const second = await runs.runHere(ACTOR, n8nSource.id, AbortSignal.timeout(600_000));
          return { runs: [first, second], seconds: (performance.now() - started) / 1000 };
        };
        const initial = await both('first runs (every agent new)');
        for (const run of initial.runs) if (run.status !== 'succeeded') throw new Error(`a first run ended ${run.status}: ${JSON.stringify(run.errors.slice(0, 3))}`);
        const since = (await container.db.query<{ now: Date }>('select clock_timestamp() as now')).rows[0]!.now;
        const again = await both('second runs (nothing changed)');
        const written = await writesSince(container, since);
        const runRecords = (await container.db.query<{ count: number }>('select count(*)::int as count from discovery_run where updated_at > $1', [since])).rows[0]!.count;
        const measurements = [
          runMeasurement('first', 'first runs: every agent new (registered in quarantine)', initial.runs, initial.seconds, []),
          runMeasurement('unchanged', 'second runs over unchanged sources', again.runs, again.seconds, [
            { key: 'rows_written', label: 'registry rows written (agents, history, identities, findings, audit)', value: written, unit: 'rows' },
            { key: 'run_records', label: 'run records written', value: runRecords, unit: 'rows' },
          ]),
        ];
        const judged = (pass: boolean) => (full ? pass : null);
        const note = full ? {} : { note: `reduced volume (ORCA_BENCH_DISCOVERY_SCALE=${SCALE}): not judged` };
        const targets: TargetResult[] = [
          { description: 'first runs over both sources, every agent new', measurement: 'first', actual: round(initial.seconds), unit: 's', comparator: '<=', threshold: MAX_FIRST_RUNS_S, pass: judged(initial.seconds <= MAX_FIRST_RUNS_S), ...note },
          { description: 'registry rows written by the unchanged second runs (only their run records)', measurement: 'unchanged', actual: written, unit: 'rows', comparator: '<=', threshold: 0, pass: written === 0 },
        ];
        return {
          title: TITLE,
          summary:
            'Each run lists its source page by page through the outbound client (ListFunctions 50 a page and one ListTags per function, 16 at a time; ' +
            'n8n 250 workflows a page), compares each agent with what the registry knows through its identity (fingerprint and observed hash), ' +
            'and writes only the differences, 500 agents per transaction.',
          settings: {
            volume: `${volume.functions} Lambda functions (a tenth tagged), ${volume.workflows} n8n workflows (a fifth with AI nodes) (scale ${SCALE})`,
            database: 'fresh schema of ORCA_BENCH_DATABASE_URL',
            vendors: 'local HTTP servers in a worker thread of the harness (test/http/discovery/fakes, bench/lib/discovery-vendors.ts), written from the AWS Lambda and n8n API references',
          },
          measurements,
          targets,
          warnings: full ? [] : [`reduced volume (scale ${SCALE}): the time target is defined for the full volume`],
          method: [
            'ORCA in-process (createContainer, production settings, role api); each run executed by the run service as `orca discover` does, one source after the other.',
            'The vendors answer from a worker thread, as remote servers would from their own machine: their work is not done on the event loop of the ORCA under measurement.',
            'Run durations are the run records\' own (started_at to finished_at); the total is the wall time of both runs.',
            'Rows written by the second runs: rows of agent, agent_event, agent_identities, discovery_finding and audit_entry stamped after the first runs ended (the audit entry of each run\'s request is the request\'s, not the run\'s, and is not counted).',
          ],
        };
      } finally {
        await container.close();
      }
    } finally {
      await schema.drop();
      rmSync(dataDir, { recursive: true, force: true });
      await vendors.close();
    }
  },
};
