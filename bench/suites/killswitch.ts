/**
 * `npm run bench -- killswitch`: the kill switch over 1,000 agents on a PostgreSQL server (issue 18: preview
 * <= 500 ms, execute <= 2 s, and the second replica denies the stopped agents within 1 s).
 *
 * Two ORCA replicas (createContainer + buildApp, production options, security edge on, role api) share one fresh
 * schema of ORCA_BENCH_DATABASE_URL and listen on ephemeral ports. 1,000 agents carry the selected tag (5 % of them
 * suspended already, 5 % quarantined) among 1,000 others, with 200,000 decisions over the last day, 20,000 runs over
 * the last hour and 50 sync contracts owned by selected agents. Each round: replica B evaluates sampled agents
 * (so its cache holds them as active); POST /kill-switch/preview on A (timed); POST /kill-switch on A (timed);
 * then B is polled for every sampled agent until each evaluation is denied (time from A's answer to B's first deny);
 * then the release on A (timed) restores the fleet for the next round.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../../src/app.js';
import { createContainer, type Container } from '../../src/container.js';
import { loadConfig } from '../../src/platform/config/load.js';
import { createLogger } from '../../src/platform/telemetry/logger.js';
import { createSchema } from '../lib/postgres-schema.js';
import { percentile } from '../lib/stats.js';
import type { Measurement, Suite, SuiteContext, SuiteOutcome, TargetResult } from '../lib/types.js';

const POSTGRES_URL = process.env.ORCA_BENCH_DATABASE_URL;
const FLEET = 1000;
const BYSTANDERS = 1000;
const DECISIONS = 200_000;
const RUNS = 20_000;
const CONTRACTS = 50;
const ROUNDS = 5;
const SAMPLED = 25;
const TARGETS = { previewMs: 500, executeMs: 2000, replicaDenyMs: 1000 };
const TAG = 'bench-fleet';

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

async function seed(url: string, progress: (message: string) => void): Promise<{ fleet: string[]; active: string[] }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    progress(`seeding ${FLEET} selected agents and ${BYSTANDERS} others`);
    await client.query(
      `insert into agent (id, name, kind, source, fingerprint, status, status_reason, classification, role, tags, owner, vendor)
       select gen_random_uuid(), 'bench-agent-' || g, 'llm_agent', 'manual', md5(g::text),
              case when g <= $1::int and g % 20 = 0 then 'suspended' when g <= $1::int and g % 20 = 1 then 'quarantined' else 'active' end,
              case when g <= $1::int and g % 20 in (0, 1) then 'bench set-up' end,
              'confidential', 'analyst',
              case when g <= $1::int then array[$3::text, 'team-' || (g % 10)] else array['other'] end,
              'team-' || (g % 10), 'vendor-' || (g % 3)
         from generate_series(1, $1::int + $2::int) g`,
      [FLEET, BYSTANDERS, TAG],
    );
    const { rows } = await client.query<{ id: string; status: string }>('select id, status from agent where tags @> array[$1]::text[] order by id', [TAG]);
    const fleet = rows.map((row) => row.id);
    const active = rows.filter((row) => row.status === 'active').map((row) => row.id);
    progress(`seeding ${DECISIONS} decisions over the last day and ${RUNS} runs over the last hour`);
    await client.query(
      `insert into decision (id, at, agent_id, action, resource, classification, decision, violations, max_severity, compliant,
                             latency_us, policy_version, mode, risk_avoided_usd, facts)
       select gen_random_uuid(), now() - (g % 86000) * interval '1 second', a.id, 'read', 'crm', 'internal',
              case when g % 25 = 0 then 'deny' else 'allow' end, '[]'::jsonb, null, true, 80, 0, 'enforce', 0, '{}'::jsonb
         from generate_series(1, $1::int) g join (select id, row_number() over (order by id) as rn from agent) a on a.rn = 1 + g % ($2::int + $3::int)`,
      [DECISIONS, FLEET, BYSTANDERS],
    );
    await client.query(
      `insert into run (id, agent_id, started_at, duration_ms, outcome, tokens_in, tokens_out, cost_usd, received_at)
       select gen_random_uuid(), a.id, now() - (g % 3500) * interval '1 second', 200, case when g % 10 = 0 then 'error' else 'success' end, 100, 50, 0.001, now()
         from generate_series(1, $1::int) g join (select id, row_number() over (order by id) as rn from agent) a on a.rn = 1 + g % ($2::int + $3::int)`,
      [RUNS, FLEET, BYSTANDERS],
    );
    await client.query('analyze');
    return { fleet, active };
  } finally {
    await client.end();
  }
}

interface Replica {
  container: Container;
  app: FastifyInstance;
  address: string;
}

async function openReplica(url: string, dataDir: string, keys: { admin: string; ingest: string }): Promise<Replica> {
  const config = loadConfig(
    {
      ORCA_DATA_DIR: dataDir,
      DATABASE_URL: url,
      LOG_LEVEL: 'warn',
      API_KEYS: `bench-admin:admin:${keys.admin},bench-ingest:ingest:${keys.ingest}`,
      RATE_LIMIT_MAX: '10000000',
    },
    dataDir,
  );
  const container = await createContainer(config, { logger: createLogger({ level: 'warn' }), role: 'api', bootstrapKeys: { announce: () => {} } });
  const app = await buildApp(container);
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { container, app, address };
}

async function call(replica: Replica, key: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${replica.address}${path}`, {
    method,
    headers: { 'x-api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return { status: response.status, json: JSON.parse(text) as unknown, ms };
}

function summary(id: string, label: string, operation: string, samples: number[], details: Measurement['details'] = []): Measurement {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
  return {
    id,
    label,
    operation,
    throughput: { unit: 'operations/s', mean: round(1000 / mean, 2) },
    latencyMs: { mean: round(mean), p50: round(percentile(sorted, 0.5)), p97_5: round(percentile(sorted, 0.975)), p99: round(percentile(sorted, 0.99)), max: round(sorted.at(-1)!) },
    completed: samples.length,
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    details,
  };
}

function notMeasured(reason: string): SuiteOutcome {
  const target = (description: string, measurement: string, threshold: number): TargetResult => ({ description, measurement, actual: 0, unit: 'ms', comparator: '<=', threshold, pass: null, note: reason });
  return {
    title: 'Kill switch over 1,000 agents, two replicas (PostgreSQL)',
    summary: reason,
    settings: {},
    measurements: [],
    targets: [
      target('preview, slowest round', 'preview', TARGETS.previewMs),
      target('execute, slowest round', 'execute', TARGETS.executeMs),
      target('second replica denies, slowest agent', 'replica-deny', TARGETS.replicaDenyMs),
    ],
    warnings: [reason],
    method: [],
  };
}

export const killSwitchSuite: Suite = {
  name: 'killswitch',
  description: 'kill switch over 1,000 agents: preview, execute, second replica denies (PostgreSQL, ORCA_BENCH_DATABASE_URL)',
  async run(context: SuiteContext): Promise<SuiteOutcome> {
    if (!POSTGRES_URL) return notMeasured('not measured: set ORCA_BENCH_DATABASE_URL to a PostgreSQL server');
    const schema = await createSchema(POSTGRES_URL);
    const dataDirs = [mkdtempSync(join(tmpdir(), 'orca-bench-ks-a-')), mkdtempSync(join(tmpdir(), 'orca-bench-ks-b-'))];
    const keys = { admin: randomBytes(24).toString('base64url'), ingest: randomBytes(24).toString('base64url') };
    const replicas: Replica[] = [];
    try {
      // A first: it migrates the schema; B then finds it current.
      replicas.push(await openReplica(schema.url, dataDirs[0]!, keys));
      replicas.push(await openReplica(schema.url, dataDirs[1]!, keys));
      const [a, b] = replicas as [Replica, Replica];
      const { fleet, active } = await seed(schema.url, context.progress);
      const contracts = {
        contracts: Array.from({ length: CONTRACTS }, (_, index) => ({
          name: `bench-contract-${index}`,
          owner: fleet[index * 7]!,
          streams: [{ name: `orders-${index}`, source: 'zapier', entity_type: `order_${index}`, freshness: '1h' }],
        })),
      };
      await call(a, keys.admin, 'PUT', '/api/v1/sync/contracts', contracts);
      // Spread over the selection, among the agents an evaluation allows before the kill switch.
      const sampled = Array.from({ length: SAMPLED }, (_, index) => active[Math.floor((index * active.length) / SAMPLED)]!);
      const evaluate = (agentId: string) =>
        call(b, keys.ingest, 'POST', '/api/v1/policy/evaluate', { agent_id: agentId, action: 'read', resource: 'crm', classification: 'internal' });

      const previews: number[] = [];
      const executions: number[] = [];
      const releases: number[] = [];
      const denials: number[] = [];
      let selected = 0;
      let suspended = 0;
      for (let index = 0; index < ROUNDS + 1; index += 1) {
        const warmUp = index === 0;
        context.progress(warmUp ? 'warm-up round' : `round ${index}/${ROUNDS}`);
        for (const agentId of sampled) {
          const { json } = await evaluate(agentId);
          if ((json as { decision: string }).decision !== 'allow') throw new Error(`agent ${agentId} was not allowed before the kill switch`);
        }
        const preview = await call(a, keys.admin, 'POST', '/api/v1/kill-switch/preview', { selector: { tags: [TAG] } });
        const view = preview.json as { preview_token: string; agents: { total: number; to_suspend: number } };
        const execute = await call(a, keys.admin, 'POST', '/api/v1/kill-switch', { preview_token: view.preview_token, reason: `bench round ${index}` });
        const executedAt = performance.now();
        const activation = execute.json as { id: string; suspended_count: number };
        const pending = new Set(sampled);
        const deniedAfter: number[] = [];
        while (pending.size > 0) {
          if (performance.now() - executedAt > 10_000) throw new Error(`replica B still allowed ${pending.size} agents 10 s after the kill switch`);
          // Every pending agent at once, so that a sweep costs one round trip rather than one per agent.
          await Promise.all(
            [...pending].map(async (agentId) => {
              const { json } = await evaluate(agentId);
              if ((json as { decision: string }).decision !== 'deny') return;
              deniedAfter.push(performance.now() - executedAt);
              pending.delete(agentId);
            }),
          );
        }
        const released = await call(a, keys.admin, 'POST', `/api/v1/kill-switch/${activation.id}/release`, { reason: 'bench round over' });
        if (warmUp) continue;
        previews.push(preview.ms);
        executions.push(execute.ms);
        releases.push(released.ms);
        denials.push(Math.max(...deniedAfter));
        selected = view.agents.total;
        suspended = activation.suspended_count;
      }

      const worst = (samples: number[]) => round(Math.max(...samples));
      // Other work on the machine inflates every latency here: say so rather than let a busy run pass for a quiet one.
      const [load] = loadavg();
      const cores = availableParallelism();
      const warnings =
        load! > cores
          ? [`the machine was busy: 1-minute load average ${round(load!, 1)} on ${cores} cores at the end of the measurement; latencies are inflated accordingly`]
          : [];
      const measurements = [
        summary('preview', 'POST /api/v1/kill-switch/preview (1,000 agents)', 'POST /api/v1/kill-switch/preview', previews, [
          { key: 'selected', label: 'agents selected', value: selected, unit: '' },
          { key: 'decisions', label: 'decisions seeded (last day, all agents)', value: DECISIONS, unit: '' },
          { key: 'runs', label: 'runs seeded (last hour, all agents)', value: RUNS, unit: '' },
        ]),
        summary('execute', 'POST /api/v1/kill-switch (1,000 agents)', 'POST /api/v1/kill-switch', executions, [{ key: 'suspended', label: 'agents suspended per round', value: suspended, unit: '' }]),
        summary('replica-deny', 'replica B: last sampled agent denied after A answered', 'POST /api/v1/policy/evaluate on B', denials, [{ key: 'sampled', label: 'agents polled on B per round', value: SAMPLED, unit: '' }]),
        summary('release', 'POST /api/v1/kill-switch/{id}/release (1,000 agents)', 'POST /api/v1/kill-switch/{id}/release', releases),
      ];
      const target = (description: string, measurement: string, actual: number, threshold: number): TargetResult => ({
        description,
        measurement,
        actual,
        unit: 'ms',
        comparator: '<=',
        threshold,
        pass: actual <= threshold,
      });
      return {
        title: 'Kill switch over 1,000 agents, two replicas (PostgreSQL)',
        summary:
          'A blast-radius preview and an execution over 1,000 selected agents (among 2,000, with 200,000 decisions and 20,000 runs), ' +
          'and how long a second replica on the same database keeps allowing them: each replica caches agents and drops them on the ' +
          "kill switch's one NOTIFY.",
        settings: {
          agents: `${FLEET} selected (tag ${TAG}; 5 % already suspended, 5 % quarantined) + ${BYSTANDERS} others`,
          data: `${DECISIONS} decisions over the last day, ${RUNS} runs over the last hour, ${CONTRACTS} sync contracts owned by selected agents`,
          rounds: `${ROUNDS} measured after 1 warm-up; each round previews, executes, polls B for ${SAMPLED} sampled agents, releases`,
          database: 'fresh schema of ORCA_BENCH_DATABASE_URL, analyzed after seeding; both replicas role api, security edge on',
        },
        measurements,
        targets: [
          target(`preview, slowest of ${ROUNDS} rounds`, 'preview', worst(previews), TARGETS.previewMs),
          target(`execute, slowest of ${ROUNDS} rounds`, 'execute', worst(executions), TARGETS.executeMs),
          target(`second replica denies every sampled agent, slowest of ${ROUNDS} rounds`, 'replica-deny', worst(denials), TARGETS.replicaDenyMs),
        ],
        warnings,
        method: [
          'Both replicas in this process, each with its own caches, LISTEN connection and pool; requests over HTTP with fetch (admin key on A, ingest key on B), one at a time except the sweeps on B.',
          'Replica deny: from the moment A answered the execution, B is asked to evaluate every sampled agent still allowed, all at once, sweep after sweep; the arrival of the first deny is recorded per agent and the slowest agent counts — an upper bound that includes the round trip of the sweep that saw it.',
        ],
      };
    } finally {
      for (const replica of replicas.reverse()) {
        await replica.app.close();
        await replica.container.close();
      }
      await schema.drop();
      for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
    }
  },
};
