import { join } from 'node:path';
import { measureLoops, type LoopResult } from '../lib/loop.js';
import { contentionWarnings, withRatios } from '../lib/measure.js';
import type { Measurement, Suite, SuiteContext, SuiteOutcome } from '../lib/types.js';
import { openPglite } from '../../src/platform/db/pglite.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { createAgentRepository } from '../../src/modules/agents/agents.repository.js';
import type { Database } from '../../src/platform/db/index.js';
import { newId } from '../../src/platform/ids.js';
import { standardDeviation } from '../lib/stats.js';

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;


function toMeasurement(
  spec: { id: string; label: string; operation: string; baseline?: string; concurrency: number },
  result: LoopResult,
): Measurement {
  return {
    id: spec.id,
    label: spec.label,
    operation: spec.operation,
    ...(spec.baseline ? { baseline: spec.baseline } : {}),
    throughput: { unit: 'statements/s', mean: round(result.operationsPerSecond, 1), stddev: round(standardDeviation(result.roundRates), 1) },
    latencyMs: {
      mean: round(result.latencyMs.mean, 4),
      p50: round(result.latencyMs.p50, 4),
      p97_5: round(result.latencyMs.p97_5, 4),
      p99: round(result.latencyMs.p99, 4),
      max: round(result.latencyMs.max, 4),
    },
    completed: result.completed,
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    details: [
      { key: 'concurrency', label: 'concurrent callers', value: spec.concurrency, unit: '' },
      { key: 'cpu_us_per_statement', label: 'CPU per statement', value: round(result.cpuMicrosPerOperation, 1), unit: 'µs' },
      ...(result.otherCpuPercent === undefined
        ? []
        : [{ key: 'other_cpu_percent', label: 'CPU used by everything else', value: round(result.otherCpuPercent, 1), unit: '% of a core' }]),
    ],
  };
}

async function seed(db: Database): Promise<string> {
  const repository = createAgentRepository(db);
  const id = newId();
  await repository.insert({
    id,
    name: 'invoice-triage',
    kind: 'llm_agent',
    source: 'manual',
    external_id: null,
    owner: 'finance-ops@example.com',
    vendor: 'example-ai',
    model: 'example-model-2',
    version: '1.4.0',
    description: 'Reads incoming supplier invoices, matches them to purchase orders and flags mismatches for review.',
    prompt: 'You triage supplier invoices. For each invoice, find the purchase order, compare amounts and lines, and report mismatches.',
    config: { temperature: 0.2, max_tokens: 2048, retries: 2 },
    tools: ['lookup_purchase_order', 'read_invoice', 'flag_mismatch'].map((name) => ({ name, description: `tool ${name}`, input_schema_hash: 'a'.repeat(64) })),
    fingerprint: 'b'.repeat(64),
    status: 'active',
    status_reason: null,
    classification: 'confidential',
    role: null,
    targets: ['sap', 'salesforce'],
    tags: ['finance', 'invoices', 'tier-1'],
    metadata: { cost_center: 'FIN-204' },
  });
  return id;
}

/**
 * The statement behind GET /api/v1/agents/{id}, on its own: no HTTP, no logging, the product's own driver and
 * repository in this process, on an embedded database in a fresh directory (as `orca start` opens it).
 */
export const dbSuite: Suite = {
  name: 'db',
  description: 'the embedded-database statement behind GET /api/v1/agents/{id}, in-process, against `select 1`',
  async run(context: SuiteContext): Promise<SuiteOutcome> {
    const { load, progress } = context;
    const db = await openPglite(join(context.workDir, 'pgdata'), () => {});
    try {
      await migrate(db);
      const id = await seed(db);
      const repository = createAgentRepository(db);
      const cases = [
        { id: 'select-1', label: '`select 1` (baseline)', operation: 'select 1', concurrency: 1, run: () => db.query('select 1') },
        {
          id: 'find-by-id',
          label: 'agent by id',
          operation: 'select * from agent where id = $1',
          baseline: 'select-1',
          concurrency: 1,
          run: () => repository.findById(id),
        },
        {
          id: 'find-by-id-concurrent',
          label: `agent by id, ${load.connections} callers`,
          operation: 'select * from agent where id = $1',
          baseline: 'select-1',
          concurrency: load.connections,
          run: () => repository.findById(id),
        },
      ];
      const results = await measureLoops(cases, load, progress);
      const measurements = cases.map((item) => toMeasurement(item, results.get(item.id)!));
      return {
        title: 'Embedded database: the statement behind agent by id',
        summary:
          'What one `GET /api/v1/agents/{id}` asks of PGlite when the agent is not in ORCA\'s agent cache, without HTTP: the repository statement through the ORCA driver, ' +
          'compared with the cheapest statement there is (`select 1`) in the same run.',
        settings: {
          'warm-up per statement': `${load.warmupSeconds} s`,
          'measured time per statement': `${load.durationSeconds} s in ${load.rounds} rounds of ${load.durationSeconds / load.rounds} s, statements taking turns`,
          'wait for a quiet machine before each round': load.waitQuietSeconds > 0 ? `up to ${load.waitQuietSeconds} s` : 'no',
        },
        measurements: withRatios(measurements),
        targets: [],
        warnings: contentionWarnings(measurements),
        method: [
          'In the harness process (run by tsx): ORCA\'s PGlite driver (src/platform/db/pglite.ts) and agent repository, on a database in a fresh temporary directory migrated as at start-up, holding one agent.',
          'Each statement is timed from call to result; percentiles are exact over all calls of all rounds. Throughput is statements completed per second of measured time (± standard deviation across rounds).',
          'PGlite is a single connection: concurrent callers queue in-process, so their latency grows while throughput does not.',
          '"CPU used by everything else" is the busy time of the whole machine (/proc/stat) minus this process.',
        ],
      };
    } finally {
      await db.close();
    }
  },
};
