import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { waitForQuietMachine } from '../lib/cpu.js';
import { startBare } from '../lib/bare.js';
import { contentionWarnings, measureTargets, withRatios, type HttpTarget } from '../lib/measure.js';
import { BENCH_RATE_LIMIT_MAX, seedAgent, startOrca, type OrcaServer } from '../lib/orca.js';
import { createSchema } from '../lib/postgres-schema.js';
import { withServers, type ServerProcess } from '../lib/server-process.js';
import type { Measurement, Suite, SuiteContext, SuiteOutcome, TargetResult } from '../lib/types.js';
import type { EvaluationFacts } from '../../src/modules/policies/evaluate.js';
import type { CompiledPolicy } from '../../src/modules/policies/compile-policy.js';
import { percentile, standardDeviation } from '../lib/stats.js';

/** The policy core as shipped: the build in dist/ (`npm run bench` builds first), not the TypeScript sources. */
interface BuiltPolicyCore {
  evaluate: typeof import('../../src/modules/policies/evaluate.js');
  defaults: typeof import('../../src/modules/policies/default-policy.js');
  document: typeof import('../../src/modules/policies/compile-policy.js');
  pii: typeof import('../../src/modules/policies/pii.js');
}

async function loadBuiltCore(repoRoot: string): Promise<BuiltPolicyCore> {
  const load = (path: string) => import(pathToFileURL(join(repoRoot, 'dist', 'modules', 'policies', path)).href);
  return {
    evaluate: await load('evaluate.js'),
    defaults: await load('default-policy.js'),
    document: await load('compile-policy.js'),
    pii: await load('pii.js'),
  };
}

const POSTGRES_URL = process.env.ORCA_BENCH_DATABASE_URL;
/** Redis for the two-replica deployment's shared rate limits; without it that measurement is skipped. */
const REDIS_URL = process.env.ORCA_BENCH_REDIS_URL;

/** Targets of the issue: in-process >= 20,000 evaluations/s on one core with p99 <= 1 ms; HTTP >= 5,000 req/s. */
const MIN_IN_PROCESS_PER_SECOND = 20_000;
const MAX_IN_PROCESS_P99_MS = 1;
const MIN_HTTP_PER_SECOND = 5_000;

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * A 2 KB business message of the kind an agent sends: mostly prose, with an email address, a phone number, an IP
 * address and an order number that fails Luhn. Every built-in detector and every prompt-injection phrase runs over it.
 */
export function benchMessage(): string {
  const paragraph =
    'Following up on the renewal for the Northwind account: the customer asked us to confirm the invoice totals for Q3, ' +
    'order 4111111111111112 included, and to send the updated contract to their procurement lead before Friday. ';
  let message = 'From: jane.roe@northwind-traders.com, phone +1 (415) 555-2671. ';
  while (message.length < 1990) message += paragraph;
  return `${message.slice(0, 1990)} Gateway 10.20.30.40 logged it.`.slice(0, 2048).padEnd(2048, '.');
}



function latencySummary(latencies: number[]) {
  const sorted = Float64Array.from(latencies).sort();
  return {
    mean: round(latencies.reduce((total, value) => total + value, 0) / Math.max(1, latencies.length), 4),
    p50: round(percentile(sorted, 0.5), 4),
    p97_5: round(percentile(sorted, 0.975), 4),
    p99: round(percentile(sorted, 0.99), 4),
    max: round(sorted[sorted.length - 1] ?? 0, 4),
  };
}

const AGENT = '018f0000-0000-7000-8000-000000000001';

/** What POST /policy/evaluate does in-process, minus the database: scan, decide, redact when asked. */
function evaluateOnce(core: BuiltPolicyCore['evaluate'], policy: CompiledPolicy, content: string): string {
  const { scanContent, decide, redactContent, injectionFacts } = core;
  const scan = scanContent(policy, content);
  const facts: EvaluationFacts = {
    agent_id: AGENT,
    agent: { id: AGENT, status: 'active', role: 'analyst', classification: 'confidential' },
    action: 'summarize',
    classification: 'public',
    pii: scan.counts,
    // Builds of earlier releases have no injection detector (and no injectionFacts): the same command measures both.
    ...(injectionFacts ? injectionFacts(scan) : { injection: scan.injection }),
  };
  const outcome = decide(policy, facts);
  return outcome.decision === 'redact' ? redactContent(content, scan.findings, outcome.redact) : outcome.decision;
}

interface LoopCase {
  id: string;
  label: string;
  policy: CompiledPolicy;
}

/** Synchronous loop on this thread (one core): every call timed with performance.now(). */
async function measureInProcess(core: BuiltPolicyCore['evaluate'], cases: LoopCase[], context: SuiteContext, message: string): Promise<Measurement[]> {
  const { load, progress } = context;
  await waitForQuietMachine(load.waitQuietSeconds, progress);
  const runFor = (item: LoopCase, seconds: number, latencies?: number[]) => {
    const end = performance.now() + seconds * 1000;
    let completed = 0;
    let previous = performance.now();
    while (previous < end) {
      evaluateOnce(core, item.policy, message);
      const now = performance.now();
      latencies?.push(now - previous);
      previous = now;
      completed += 1;
    }
    return completed;
  };
  for (const item of cases) {
    if (load.warmupSeconds > 0) {
      progress(`warm-up ${load.warmupSeconds} s: ${item.label}`);
      runFor(item, load.warmupSeconds);
    }
  }
  const tallies = new Map(cases.map((item) => [item.id, { latencies: [] as number[], rates: [] as number[], completed: 0, wall: 0, cpu: 0 }]));
  const roundSeconds = load.durationSeconds / load.rounds;
  for (let index = 0; index < load.rounds; index += 1) {
    await waitForQuietMachine(load.waitQuietSeconds, progress);
    for (let position = 0; position < cases.length; position += 1) {
      const item = cases[(position + index) % cases.length]!;
      const tally = tallies.get(item.id)!;
      progress(`round ${index + 1}/${load.rounds}, ${roundSeconds} s: ${item.label}`);
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const completed = runFor(item, roundSeconds, tally.latencies);
      const wall = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      tally.completed += completed;
      tally.rates.push(completed / wall);
      tally.wall += wall;
      tally.cpu += (cpu.user + cpu.system) / 1e6;
      // Yield so that timers (progress output) run between rounds.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return cases.map((item) => {
    const tally = tallies.get(item.id)!;
    return {
      id: item.id,
      label: item.label,
      operation: 'scan + decide + redact, in process',
      throughput: { unit: 'evaluations/s', mean: round(tally.completed / tally.wall, 1), stddev: round(standardDeviation(tally.rates), 1) },
      latencyMs: latencySummary(tally.latencies),
      completed: tally.completed,
      errors: 0,
      timeouts: 0,
      non2xx: 0,
      details: [
        { key: 'cpu_us_per_evaluation', label: 'CPU per evaluation', value: round((tally.cpu / tally.completed) * 1e6, 1), unit: 'µs' },
        { key: 'message_bytes', label: 'message size', value: Buffer.byteLength(message), unit: 'B' },
      ],
    };
  });
}

async function putBenchPolicy(server: OrcaServer, agentId: string, compileDefaultPolicy: BuiltPolicyCore['defaults']['compileDefaultPolicy']): Promise<void> {
  // The default policy with a quota the benchmark cannot exhaust: every request then takes the full path
  // (quota upsert + decision row) instead of stopping at a quota denial.
  const document = { ...compileDefaultPolicy().document, quotas: { agents: { [agentId]: { calls: 1_000_000_000, window: '1m' } } } };
  const response = await fetch(`${server.baseUrl}/api/v1/policies`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'x-api-key': server.keys.operator },
    body: JSON.stringify(document),
  });
  if (response.status !== 200) throw new Error(`PUT /api/v1/policies answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
}

/** The body of every measured request: the bench message for an internal destination. */
function evaluateBody(agentId: string, message: string): string {
  return JSON.stringify({ agent_id: agentId, action: 'read', resource: 'crm.accounts', classification: 'internal', content: message, tokens: 512, cost_usd: 0.002 });
}

function evaluateTargets(measurements: Measurement[]): TargetResult[] {
  const inProcess = measurements.find((measurement) => measurement.id === 'evaluate-in-process')!;
  const onPostgres = measurements.find((measurement) => measurement.id === 'evaluate-http-postgres');
  const onPglite = measurements.find((measurement) => measurement.id === 'evaluate-http-pglite')!;
  return [
    {
      description: 'in-process evaluation of a 2 KB message, every built-in detector on, one core',
      measurement: inProcess.id,
      actual: inProcess.throughput.mean,
      unit: 'evaluations/s',
      comparator: '>=',
      threshold: MIN_IN_PROCESS_PER_SECOND,
      pass: inProcess.throughput.mean >= MIN_IN_PROCESS_PER_SECOND,
    },
    {
      description: 'in-process evaluation p99 latency',
      measurement: inProcess.id,
      actual: inProcess.latencyMs.p99,
      unit: 'ms',
      comparator: '<=',
      threshold: MAX_IN_PROCESS_P99_MS,
      pass: inProcess.latencyMs.p99 <= MAX_IN_PROCESS_P99_MS,
    },
    {
      description: 'PostgreSQL: POST /policy/evaluate over HTTP with keys, limits and logging',
      measurement: 'evaluate-http-postgres',
      actual: onPostgres?.throughput.mean ?? 0,
      unit: 'req/s',
      comparator: '>=',
      threshold: MIN_HTTP_PER_SECOND,
      pass: onPostgres ? onPostgres.throughput.mean >= MIN_HTTP_PER_SECOND : null,
      ...(onPostgres ? {} : { note: 'not measured: set ORCA_BENCH_DATABASE_URL to a PostgreSQL server' }),
    },
    {
      description: 'embedded PGlite: POST /policy/evaluate over HTTP with keys, limits and logging',
      measurement: onPglite.id,
      actual: onPglite.throughput.mean,
      unit: 'req/s',
      comparator: '>=',
      threshold: MIN_HTTP_PER_SECOND,
      pass: onPglite.throughput.mean >= MIN_HTTP_PER_SECOND,
    },
  ];
}

export const policySuite: Suite = {
  name: 'policy',
  description: 'policy evaluation of a 2 KB message: in process (scan + decide) and POST /api/v1/policy/evaluate over HTTP',
  async run(context: SuiteContext): Promise<SuiteOutcome> {
    const message = benchMessage();
    const core = await loadBuiltCore(context.repoRoot);
    const defaultPolicy = core.defaults.compileDefaultPolicy();
    const withCustom = core.document.compilePolicy(
      {
        ...defaultPolicy.document,
        pii: {
          ...defaultPolicy.document.pii,
          custom: [{ name: 'employee_id', pattern: 'EMP-[0-9]{6}', severity: 'medium', actions: { public: 'redact', internal: 'allow', confidential: 'allow', restricted: 'allow', critical: 'allow' } }],
        },
      },
      1,
    );
    const findings = core.pii.detectPii(message).map((finding) => finding.entity);
    const inProcess = await measureInProcess(
      core.evaluate,
      [
        { id: 'evaluate-in-process', label: 'in process, default policy (9 built-in detectors, injection detector, 22 injection phrases)', policy: defaultPolicy },
        { id: 'evaluate-in-process-custom', label: 'in process, default policy + one custom RE2 detector', policy: withCustom },
      ],
      context,
      message,
    );

    const databases: Array<{ name: 'postgres' | 'pglite'; url?: string; drop?: () => Promise<void> }> = [];
    if (POSTGRES_URL) {
      const schema = await createSchema(POSTGRES_URL);
      databases.push({ name: 'postgres', url: schema.url, drop: schema.drop });
    }
    databases.push({ name: 'pglite' });
    const startups: string[] = [];
    let http: Measurement[];
    try {
      // The servers run side by side (idle while another is measured) and take turns in rounds, so that the ratio
      // to the bare baseline is measured in the same minutes: this machine's speed drifts by a third within minutes.
      const servers: ServerProcess[] = [];
      http = await withServers(servers, async () => {
        const bare = await startBare(context);
        servers.push(bare);
        const targets: HttpTarget[] = [];
        for (const database of databases) {
          context.progress(`starting ORCA (dist/main.js start, ${database.name}, LOG_LEVEL=info)`);
          const orca = await startOrca({
            repoRoot: context.repoRoot,
            workDir: context.workDir,
            name: `orca-policy-${database.name}`,
            logLevel: 'info',
            ...(database.url ? { databaseUrl: database.url } : {}),
          });
          servers.push(orca);
          const agent = await seedAgent(orca);
          await putBenchPolicy(orca, agent.id, core.defaults.compileDefaultPolicy);
          startups.push(`${database.name} ${(orca.startupMs / 1000).toFixed(1)} s`);
          targets.push({
            id: `evaluate-http-${database.name}`,
            label: `${database.name}: POST /policy/evaluate over HTTP`,
            operation: 'POST /api/v1/policy/evaluate (2 KB content)',
            baseline: 'evaluate-http-bare',
            server: orca,
            path: '/api/v1/policy/evaluate',
            headers: { 'content-type': 'application/json', 'x-api-key': orca.keys.admin },
            request: { method: 'POST', body: evaluateBody(agent.id, message) },
            orcaMetrics: { route: '/api/v1/policy/evaluate' },
            logPath: orca.logPath,
            postgres: database.name === 'postgres',
          });
        }
        if (POSTGRES_URL && REDIS_URL) {
          // The way to use the second core (docs/OPERATIONS.md, Capacity): two replicas of one deployment on one
          // PostgreSQL database, rate limits shared through Redis, the connections split between them.
          const schema = await createSchema(POSTGRES_URL);
          databases.push({ name: 'postgres', url: schema.url, drop: schema.drop });
          const env = { REDIS_URL };
          context.progress('starting two ORCA replicas (dist/main.js start, postgres, REDIS_URL, LOG_LEVEL=info)');
          const first = await startOrca({ repoRoot: context.repoRoot, workDir: context.workDir, name: 'orca-policy-replica-a', logLevel: 'info', databaseUrl: schema.url, env });
          servers.push(first);
          const second = await startOrca({ repoRoot: context.repoRoot, workDir: context.workDir, name: 'orca-policy-replica-b', logLevel: 'info', databaseUrl: schema.url, env, keys: first.keys });
          servers.push(second);
          const agent = await seedAgent(first);
          await putBenchPolicy(first, agent.id, core.defaults.compileDefaultPolicy);
          startups.push(`two replicas ${(first.startupMs / 1000).toFixed(1)} s and ${(second.startupMs / 1000).toFixed(1)} s`);
          targets.push({
            id: 'evaluate-http-postgres-2-replicas',
            label: 'postgres, two replicas: POST /policy/evaluate over HTTP',
            operation: 'POST /api/v1/policy/evaluate (2 KB content), connections split over two processes',
            baseline: 'evaluate-http-bare',
            server: first,
            replicas: [{ server: second, logPath: second.logPath }],
            path: '/api/v1/policy/evaluate',
            headers: { 'content-type': 'application/json', 'x-api-key': first.keys.admin },
            request: { method: 'POST', body: evaluateBody(agent.id, message) },
            orcaMetrics: { route: '/api/v1/policy/evaluate' },
            logPath: first.logPath,
            postgres: true,
          });
        }
        // The baseline parses the same bytes as the first ORCA target (the agent id differs only in its digits).
        targets.unshift({
          id: 'evaluate-http-bare',
          label: 'bare Fastify POST of the same body (baseline)',
          operation: 'POST /bare (JSON body parsed, nothing else)',
          server: bare,
          path: '/bare',
          headers: { 'content-type': 'application/json' },
          request: targets[0]!.request!,
        });
        return withRatios(await measureTargets(targets, context.load, context.progress));
      });
    } finally {
      for (const database of databases) await database.drop?.();
    }
    const measurements = [...inProcess, ...http];
    const { load } = context;
    return {
      title: 'Policy evaluation: in process and over HTTP',
      summary:
        'Evaluations of a 2 KB message against the default policy with every built-in PII detector, the prompt-injection detector and every prompt-injection ' +
        'phrase on: the pure core (as built in dist/) on one core of this process, and the full HTTP route on ORCA with a PostgreSQL ' +
        'server and with the embedded database, each compared with a bare Fastify route that parses the same JSON body, measured in ' +
        'the same rounds.',
      settings: {
        'warm-up per target': `${load.warmupSeconds} s`,
        'measured time per target': `${load.durationSeconds} s in ${load.rounds} rounds; over HTTP the targets take turns`,
        'HTTP connections': String(load.connections),
        pipelining: String(load.pipelining),
        'message findings': findings.join(', ') || 'none',
        'PostgreSQL server': POSTGRES_URL ? 'ORCA_BENCH_DATABASE_URL (fresh schema per run)' : 'not configured (ORCA_BENCH_DATABASE_URL unset)',
        'two replicas': POSTGRES_URL && REDIS_URL ? 'measured (Redis from ORCA_BENCH_REDIS_URL)' : 'not measured (needs ORCA_BENCH_DATABASE_URL and ORCA_BENCH_REDIS_URL)',
        'ORCA start-up (spawn to first /livez 200)': startups.join(', '),
      },
      measurements,
      targets: evaluateTargets(measurements),
      warnings: contentionWarnings(measurements),
      method: [
        'In process: scanContent (built-in detectors, custom RE2 detectors, injection detector and phrases) + decide + redaction when the decision is redact, from the build in dist/ (the code that ships, compiled by tsc), called back to back on the harness thread (one core), each call timed with performance.now(); no database. The message goes to a public destination, so its email, phone and IPv4 are redacted: the most expensive path.',
        `HTTP: the build in dist/ (\`node dist/main.js start\`), on a PostgreSQL server (DATABASE_URL on a fresh schema of ORCA_BENCH_DATABASE_URL, default pool; its CPU is the sum over every local \`postgres\` process) and on the embedded PGlite (a fresh ORCA_DATA_DIR; its statements run on ORCA's own thread), LOG_LEVEL=info to a file, security edge on: every request presents an API key (admin: the benchmark's API_KEYS define no ingest key), passes the rate limiter (RATE_LIMIT_MAX=${BENCH_RATE_LIMIT_MAX}) and schema validation, and writes one access log line.`,
        'Each HTTP request evaluates the same 2 KB message for an internal destination: agent read from the agent cache, policy from the policy cache, the quota counted and the decision row recorded (POLICY_ALLOW_SAMPLE_RATE=1). Concurrent requests are group-committed: far from the quota limit, one statement per batch holds the quota upsert and the multi-row decision insert (committed on its own), and each request is answered after its commit.',
        'The benchmark PUTs the default policy with a quota it cannot exhaust for its agent, so that no request stops at a quota denial.',
        'Two replicas (with ORCA_BENCH_DATABASE_URL and ORCA_BENCH_REDIS_URL): two ORCA processes of one deployment — the same fresh schema, the same API_KEYS, REDIS_URL so that rate limits are counted once across both (one Redis INCR per request) — with the connections split evenly between them, as a load balancer would. One Node.js process uses at most about one core (docs/OPERATIONS.md, Capacity); this row shows what a second process adds on this host. Every request is for the same agent, whose quota both replicas count in the same row, so the row lock orders their transactions (quotas stay exact across replicas). Their CPU, counters and log volume are summed. The targets are checked on the single process.',
        'Bare baseline: bench/bare-server.ts compiled to JavaScript — Fastify with the logger off, no hooks and no schemas; POST /bare parses the same 2 KB JSON body with Fastify\'s own parser and answers {"status":"ok"}. It is the floor for any route that receives this body on this machine: the ratio says how much of it ORCA keeps.',
        'Load: autocannon in the harness process on the same machine (they share its cores; see load generator CPU). The bare server and the ORCA servers run side by side (idle while another is measured); after a warm-up each, they take turns in rounds whose order rotates, so that the machine\'s drift falls on all of them alike. Any error, timeout or non-2xx response fails the run.',
        'Server CPU comes from /proc/<pid>/stat (all threads; PGlite runs inside the ORCA process); PostgreSQL CPU is the sum over every local `postgres` process, read around each round of the PostgreSQL target. DB statements, DB call time and server handling time come from ORCA\'s own /metrics, read around each round. "CPU used by everything else" is the busy time of the whole machine minus the server, PostgreSQL (for its target) and the load generator.',
      ],
    };
  },
};
