import { join } from 'node:path';
import { compileStandalone } from '../lib/compile.js';
import { contentionWarnings, measureTargets, withRatios, type HttpTarget } from '../lib/measure.js';
import { seedAgent, startOrca, type OrcaServer } from '../lib/orca.js';
import { startReceiver } from '../lib/receiver.js';
import { withServers } from '../lib/server-process.js';
import type { Measurement, Suite, SuiteContext, SuiteOutcome, TargetResult } from '../lib/types.js';

/**
 * Issue 3: the security edge may add at most 1 ms to p99. At saturation p99 is mostly queueing (it grows with
 * whatever costs CPU), so the edge's latency is measured at a fixed rate well below what either variant sustains,
 * from one connection: autocannon paces each connection separately, so 50 paced connections fire in bursts of 50
 * and p99 becomes the wait behind 49 others (50 × the CPU cost of a request), not the latency a request sees.
 */
const FIXED_RATE_PER_SECOND = 1000;
const FIXED_RATE_CONNECTIONS = 1;
const MAX_EDGE_P99_MS = 1;

function edgeLatencyTarget(measurements: Measurement[]): TargetResult {
  const shipped = measurements.find((measurement) => measurement.id === 'shipped-fixed-rate')!;
  const edgeOff = measurements.find((measurement) => measurement.id === 'edge-off-fixed-rate')!;
  const added = Math.round((shipped.latencyMs.p99 - edgeOff.latencyMs.p99) * 100) / 100;
  return {
    description: `p99 added by the security edge at a fixed ${FIXED_RATE_PER_SECOND} req/s from ${FIXED_RATE_CONNECTIONS} connection (shipped p99 − edge-off p99)`,
    measurement: 'shipped-fixed-rate',
    actual: added,
    unit: 'ms',
    comparator: '<=',
    threshold: MAX_EDGE_P99_MS,
    pass: added <= MAX_EDGE_P99_MS,
  };
}

interface Variant {
  id: string;
  label: string;
  logLevel: string;
  /** Builds the entry arguments; undefined runs `dist/main.js start`. */
  args?: (context: SuiteContext) => string[];
  /** With tracing on: OTEL_EXPORTER_OTLP_ENDPOINT set to a local collector that accepts every export. */
  tracing?: boolean;
}

/**
 * A build of ORCA without the tracing seams (`dist/` of the commit before them), to show that tracing off costs
 * nothing: ORCA_BENCH_PLAIN_DIST names it; unset, that variant is left out.
 */
const PLAIN_DIST = process.env.ORCA_BENCH_PLAIN_DIST;

const VARIANTS: Variant[] = [
  { id: 'shipped', label: 'ORCA as shipped (baseline)', logLevel: 'info' },
  { id: 'log-silent', label: 'ORCA, LOG_LEVEL=silent', logLevel: 'silent' },
  {
    id: 'edge-off',
    label: 'ORCA, security edge off',
    logLevel: 'info',
    args: (context) => [
      compileStandalone(join(context.repoRoot, 'bench', 'orca-without-edge.ts'), join(context.workDir, 'variant'), context.repoRoot),
      join(context.repoRoot, 'dist'),
    ],
  },
  { id: 'tracing-on', label: 'ORCA, tracing on (OTLP/HTTP to a local collector)', logLevel: 'info', tracing: true },
  ...(PLAIN_DIST ? [{ id: 'plain-build', label: 'ORCA built without the tracing seams', logLevel: 'info', args: () => [join(PLAIN_DIST, 'main.js'), 'start'] }] : []),
];

async function startVariant(context: SuiteContext, variant: Variant, collectorUrl: string): Promise<OrcaServer> {
  context.progress(`starting ${variant.label}`);
  return startOrca({
    ...(variant.tracing ? { env: { OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl } } : {}),
    repoRoot: context.repoRoot,
    workDir: context.workDir,
    name: `orca-${variant.id}`,
    logLevel: variant.logLevel,
    ...(variant.args ? { args: variant.args(context) } : {}),
  });
}

/**
 * Where the time of one agent-by-id request goes, by switching off one part of the shipped server at a time:
 * the request log, then the security edge; then the edge's latency at a fixed rate (issue 3's ≤ 1 ms p99 target).
 */
export const httpCostSuite: Suite = {
  name: 'http-cost',
  description: 'GET /api/v1/agents/{id} of ORCA as shipped against the same build with logging off, the security edge off and tracing on',
  async run(context: SuiteContext): Promise<SuiteOutcome> {
    const servers: OrcaServer[] = [];
    const collector = await startReceiver();
    const raw = await withServers(servers, async () => {
      const targets: HttpTarget[] = [];
      for (const variant of VARIANTS) {
        const server = await startVariant(context, variant, collector.url);
        servers.push(server);
        const agent = await seedAgent(server);
        targets.push({
          id: variant.id,
          label: variant.label,
          operation: 'GET /api/v1/agents/{id}',
          ...(variant.id === 'shipped' ? {} : { baseline: 'shipped' }),
          server,
          path: `/api/v1/agents/${agent.id}`,
          headers: { 'x-api-key': server.keys.viewer },
          orcaMetrics: { route: '/api/v1/agents/:id' },
          logPath: server.logPath,
        });
      }
      const saturated = await measureTargets(targets, context.load, context.progress);
      const paced = targets
        .filter((target) => target.id !== 'log-silent')
        .map((target) => ({
          ...target,
          id: `${target.id}-fixed-rate`,
          label: `${target.label}, fixed ${FIXED_RATE_PER_SECOND} req/s`,
          ...(target.baseline ? { baseline: `${target.baseline}-fixed-rate` } : {}),
        }));
      const fixedRate = await measureTargets(
        paced,
        { ...context.load, connections: FIXED_RATE_CONNECTIONS, ratePerSecond: FIXED_RATE_PER_SECOND },
        context.progress,
      );
      return [...saturated, ...fixedRate];
    }).finally(() => collector.close());
    const measurements = withRatios(raw);
    const { load } = context;
    return {
      title: 'What agent by id costs: logging and the security edge',
      summary:
        'The same build, the same agent-by-id request and load, with one part switched off at a time. A ratio above 100 % is how much ' +
        'more throughput the server has without that part; the difference in server CPU per request is what the part costs per request.',
      settings: {
        'warm-up per variant': `${load.warmupSeconds} s`,
        'measured time per variant': `${load.durationSeconds} s in ${load.rounds} rounds of ${load.durationSeconds / load.rounds} s, variants taking turns`,
        connections: String(load.connections),
        pipelining: String(load.pipelining),
        'wait for a quiet machine before each round': load.waitQuietSeconds > 0 ? `up to ${load.waitQuietSeconds} s` : 'no',
      },
      measurements,
      targets: [edgeLatencyTarget(measurements)],
      warnings: contentionWarnings(measurements),
      method: [
        'Each variant is its own ORCA child process on its own fresh embedded database, seeded with one agent and measured like the `http` suite (same keys, rate-limit setting, log file, warm-up, and rounds in which the variants take turns).',
        'As shipped: `node dist/main.js start`, LOG_LEVEL=info. Logging off: the same with LOG_LEVEL=silent (no request line, no per-request child-logger output).',
        `Then as shipped and with the edge off again at a fixed ${FIXED_RATE_PER_SECOND} req/s (autocannon overallRate) from ${FIXED_RATE_CONNECTIONS} connection, well below saturation, so that p99 shows what the edge adds to a request rather than queueing (paced connections fire together: with 50 of them p99 would be the wait behind 49 other requests): the target row compares those two p99s.`,
        'Tracing on: OTEL_EXPORTER_OTLP_ENDPOINT set to a local HTTP server that answers every export with 200 (a server span, its statements and the trace fields on the log line for every request). As shipped is tracing off. With ORCA_BENCH_PLAIN_DIST naming the `dist/` of a build from before the tracing seams, that build runs as one more variant: as shipped against it is what tracing costs when it is off.',
        'Security edge off: bench/orca-without-edge.ts loads the same build and calls `buildApp(container, { edge: false })` — no IP blocklist, authentication, rate limiting, helmet headers or CORS; everything else as shipped.',
      ],
    };
  },
};
