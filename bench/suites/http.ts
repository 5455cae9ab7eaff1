import { startBare } from '../lib/bare.js';
import { contentionWarnings, measureTargets, withRatios } from '../lib/measure.js';
import { BENCH_RATE_LIMIT_MAX, seedAgent, startOrca } from '../lib/orca.js';
import { withServers, type ServerProcess } from '../lib/server-process.js';
import type { Measurement, Suite, SuiteContext, SuiteOutcome, TargetResult } from '../lib/types.js';

/** The targets of the issue, defined at 50 connections without pipelining. */
const TARGET_CONNECTIONS = 50;
const TARGET_PIPELINING = 1;
const MIN_RATIO_TO_BARE = 0.4;
const MAX_P99_MS = 20;

function evaluateTargets(context: SuiteContext, measurements: Measurement[]): TargetResult[] {
  const agentById = measurements.find((measurement) => measurement.id === 'agent-by-id')!;
  const comparable = context.load.connections === TARGET_CONNECTIONS && context.load.pipelining === TARGET_PIPELINING;
  const note = comparable ? undefined : `the target is defined at ${TARGET_CONNECTIONS} connections, pipelining ${TARGET_PIPELINING}`;
  const ratio = agentById.ratioToBaseline ?? 0;
  const p99 = agentById.latencyMs.p99;
  return [
    {
      description: 'agent-by-id throughput relative to bare Fastify',
      measurement: 'agent-by-id',
      actual: Math.round(ratio * 1000) / 10,
      unit: '%',
      comparator: '>=',
      threshold: MIN_RATIO_TO_BARE * 100,
      pass: comparable ? ratio >= MIN_RATIO_TO_BARE : null,
      ...(note ? { note } : {}),
    },
    {
      description: `agent-by-id p99 latency at ${TARGET_CONNECTIONS} connections`,
      measurement: 'agent-by-id',
      actual: p99,
      unit: 'ms',
      comparator: '<=',
      threshold: MAX_P99_MS,
      pass: comparable ? p99 <= MAX_P99_MS : null,
      ...(note ? { note } : {}),
    },
  ];
}

export const httpSuite: Suite = {
  name: 'http',
  description: 'GET /api/v1/agents/{id} and /livez of ORCA on the embedded database against a bare Fastify route',
  async run(context: SuiteContext): Promise<SuiteOutcome> {
    const servers: ServerProcess[] = [];
    const bare = await startBare(context);
    servers.push(bare);
    const { orca, agent, raw } = await withServers(servers, async () => {
      context.progress('starting ORCA (dist/main.js start, embedded database, LOG_LEVEL=info)');
      const started = await startOrca({ repoRoot: context.repoRoot, workDir: context.workDir, name: 'orca', logLevel: 'info' });
      servers.push(started);
      const seeded = await seedAgent(started);
      const orcaCommon = { server: started, logPath: started.logPath, baseline: 'bare' };
      const measured = await measureTargets(
        [
          { id: 'bare', label: 'bare Fastify (baseline)', operation: 'GET /bare', server: bare, path: '/bare' },
          {
            ...orcaCommon,
            id: 'livez',
            label: 'ORCA /livez',
            operation: 'GET /livez',
            path: '/livez',
            orcaMetrics: { route: '/livez' },
          },
          {
            ...orcaCommon,
            id: 'agent-by-id',
            label: 'ORCA agent by id',
            operation: 'GET /api/v1/agents/{id}',
            path: `/api/v1/agents/${seeded.id}`,
            headers: { 'x-api-key': started.keys.viewer },
            orcaMetrics: { route: '/api/v1/agents/:id' },
          },
        ],
        context.load,
        context.progress,
      );
      return { orca: started, agent: seeded, raw: measured };
    });
    const measurements = withRatios(raw);
    const { load } = context;
    return {
      title: 'HTTP read path: agent by id and /livez vs bare Fastify',
      summary:
        'Throughput and latency of ORCA reading one agent (embedded database, PGlite) and answering its liveness probe, ' +
        'each compared with a bare Fastify route measured in the same run on the same machine.',
      settings: {
        'warm-up per target': `${load.warmupSeconds} s`,
        'measured time per target': `${load.durationSeconds} s in ${load.rounds} rounds of ${load.durationSeconds / load.rounds} s, targets taking turns`,
        connections: String(load.connections),
        pipelining: String(load.pipelining),
        'wait for a quiet machine before each round': load.waitQuietSeconds > 0 ? `up to ${load.waitQuietSeconds} s` : 'no',
        'ORCA start-up (spawn to first /livez 200)': `${(orca.startupMs / 1000).toFixed(1)} s`,
        'agent response body': `${agent.bodyBytes} B`,
      },
      measurements,
      targets: evaluateTargets(context, measurements),
      warnings: contentionWarnings(measurements),
      method: [
        'Servers are child processes of the harness, started once and kept running side by side (idle while another is measured): `node <entry>` with no Node flags and an environment holding only PATH, HOST=127.0.0.1 and PORT (plus the ORCA settings below).',
        'ORCA: the build in dist/ (`node dist/main.js start`, role all), embedded PGlite in a fresh temporary ORCA_DATA_DIR, LOG_LEVEL=info with stdout redirected to a file in the temporary directory — one JSON log line per request is written, as in production, so logging is part of the measured cost.',
        `Security edge as in production: API keys for the run come from API_KEYS (operator to register, viewer to read); /metrics is public and scraped without a key. Every agent-by-id request presents the viewer key in X-API-Key and passes authentication, the rate limiter (RATE_LIMIT_MAX=${BENCH_RATE_LIMIT_MAX}, so it counts but never refuses), the role check, helmet headers and CORS. /livez is public, as in production.`,
        'Bare baseline: bench/bare-server.ts compiled to JavaScript — Fastify with the logger off, no hooks and no schemas; GET /bare answers {"status":"ok"}, the same body as ORCA\'s /livez.',
        'One agent (tools, prompt, configuration, tags) is registered with POST /api/v1/agents and read back before measuring; every measured request reads that agent, so after the first read it comes from ORCA\'s agent cache (see cache hits); the `db` suite measures a read that reaches the database.',
        'Load: autocannon inside the harness process, on the same machine as the servers (they share its cores; see load generator CPU). Each target gets a warm-up; then the targets take turns in rounds (the order rotates each round), so that background load falls on all of them alike.',
        'req/s is 2xx responses over measured time (± standard deviation across rounds). Latency percentiles are exact over every 2xx response of all rounds, from autocannon\'s per-request timing (request written to response read). Any error, timeout or non-2xx response fails the run.',
        'Server CPU comes from /proc/<pid>/stat (all threads; PGlite runs inside the ORCA process). DB statements, DB call time (including waiting for the single embedded connection), server handling time and cache hits come from ORCA\'s own /metrics, read around each round. "CPU used by everything else" is the busy time of the whole machine (/proc/stat) minus the server and the load generator.',
      ],
    };
  },
};
