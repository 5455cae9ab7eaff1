/**
 * What approvals cost the hot path, measured in one run: POST /policy/evaluate on ORCA with approvals on and with
 * APPROVALS_ENABLED=false (the same build, the same database kind, in the same rounds); evaluations that open an
 * approval each; and the evaluate path on a server holding 1,000 long-polls (GET /approvals/{id}?wait=25s) against
 * one holding none.
 */
import { contentionWarnings, measureTargets, withRatios, type HttpTarget } from '../lib/measure.js';
import { SAMPLE_AGENT, startOrca, type OrcaServer } from '../lib/orca.js';
import { createSchema } from '../lib/postgres-schema.js';
import { withServers, type ServerProcess } from '../lib/server-process.js';
import type { Measurement, Suite, SuiteContext, SuiteOutcome, TargetResult } from '../lib/types.js';
import { benchMessage } from './policy.js';

const POSTGRES_URL = process.env.ORCA_BENCH_DATABASE_URL;
const WAITERS = 1000;
const WAIT = '25s';
/** The targets: approvals on, and 1,000 waiters, each cost at most 5 % of evaluate throughput. */
const MAX_LOSS_PERCENT = 5;
/**
 * Evaluations that open an approval each write an audit entry, whose hash chain takes one lock: a human-scale event,
 * measured at a few connections (at 50, a 2 s round may end before the queue of writers answers its first request).
 */
const HELD_CONNECTIONS = 4;
/**
 * Alert rules are off on every server: the suite measures approvals alone (the alerts suite measures rules), and the
 * approval_requested rule would raise one alert per pending approval — thousands here, hundreds of times a person's.
 */
const SERVER_ENV = { ALERTS_ENABLED: 'false' };

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

async function post(server: OrcaServer, path: string, body: unknown, key = server.keys.admin): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify(body) });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`POST ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** An agent whose policy role may transfer funds, and the default policy with a quota the benchmark cannot exhaust. */
async function prepare(server: OrcaServer): Promise<string> {
  const agent = await post(server, '/api/v1/agents', { ...SAMPLE_AGENT, name: 'approvals-bench-payer', role: 'operator', classification: 'restricted' }, server.keys.operator);
  const active = await fetch(`${server.baseUrl}/api/v1/policies`, { headers: { 'x-api-key': server.keys.viewer } });
  const { document } = (await active.json()) as { document: Record<string, unknown> };
  const response = await fetch(`${server.baseUrl}/api/v1/policies`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'x-api-key': server.keys.operator },
    body: JSON.stringify({ ...document, quotas: { agents: { [agent.id as string]: { calls: 1_000_000_000, window: '1m' } } } }),
  });
  if (response.status !== 200) throw new Error(`PUT /api/v1/policies answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return agent.id as string;
}

const readBody = (agentId: string, message: string) => JSON.stringify({ agent_id: agentId, action: 'read', resource: 'crm.accounts', classification: 'internal', content: message, tokens: 512 });
const transferBody = (agentId: string) => JSON.stringify({ agent_id: agentId, action: 'transfer_funds', resource: 'bank:acct-4242', classification: 'internal', content: 'Pay invoice INV-2291' });

/**
 * Holds `count` long-polls on pending approvals of `server` for as long as the measurement runs: each poll that
 * answers (after WAIT, still pending) is asked again at once. Returns a stop function.
 */
async function holdWaiters(server: OrcaServer, agentId: string, count: number, progress: (message: string) => void): Promise<() => Promise<void>> {
  progress(`opening ${count} approvals to wait on`);
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const decided = await post(server, '/api/v1/policy/evaluate', JSON.parse(transferBody(agentId)));
    ids.push((decided.approval as { id: string }).id);
  }
  // One controller per request in flight, so that stopping aborts them all and no signal collects listeners.
  const inFlight = new Set<AbortController>();
  let stopping = false;
  // Spread over one wait, as agents asking at different moments are: started together, the polls would all answer
  // (and be asked again) in the same instant every WAIT, a burst no real population of agents makes.
  const spreadMs = Number.parseInt(WAIT, 10) * 1000;
  const loops = ids.map(async (id, index) => {
    await new Promise((resolve) => setTimeout(resolve, Math.floor((index * spreadMs) / ids.length)));
    while (!stopping) {
      const controller = new AbortController();
      inFlight.add(controller);
      try {
        const response = await fetch(`${server.baseUrl}/api/v1/approvals/${id}?wait=${WAIT}`, { headers: { 'x-api-key': server.keys.viewer }, signal: controller.signal });
        await response.arrayBuffer();
      } catch {
        if (!stopping) await new Promise((resolve) => setTimeout(resolve, 100));
      } finally {
        inFlight.delete(controller);
      }
    }
  });
  // Every poll is waiting before the measurement starts.
  for (let attempt = 0; attempt < 900; attempt += 1) {
    const metrics = await (await fetch(`${server.baseUrl}/metrics`)).text();
    const waiting = Number(/^orca_approval_waiters (\d+)/m.exec(metrics)?.[1] ?? 0);
    if (waiting >= count) break;
    if (attempt === 899) throw new Error(`only ${waiting} of ${count} long-polls are waiting`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  progress(`${count} long-polls waiting`);
  return async () => {
    stopping = true;
    for (const controller of inFlight) controller.abort();
    await Promise.allSettled(loops);
  };
}

function lossTarget(measurements: Measurement[], id: string, description: string): TargetResult {
  const measured = measurements.find((measurement) => measurement.id === id);
  const loss = measured?.ratioToBaseline === undefined ? undefined : round((1 - measured.ratioToBaseline) * 100);
  return {
    description,
    measurement: id,
    actual: loss ?? 0,
    unit: '%',
    comparator: '<=',
    threshold: MAX_LOSS_PERCENT,
    pass: loss === undefined ? null : loss <= MAX_LOSS_PERCENT,
  };
}

export const approvalsSuite: Suite = {
  name: 'approvals',
  description: 'POST /policy/evaluate with approvals on vs APPROVALS_ENABLED=false, and with 1,000 long-polls waiting vs none, in the same rounds',
  async run(context: SuiteContext): Promise<SuiteOutcome> {
    const message = benchMessage();
    const database = POSTGRES_URL ? 'postgres' : 'pglite';
    const drops: Array<() => Promise<void>> = [];
    const servers: ServerProcess[] = [];
    let measurements: Measurement[];
    try {
      // Every server started is stopped however the run ends (withServers), the long-polls first.
      measurements = await withServers(servers, async () => {
        const start = async (name: string, env: Record<string, string>) => {
          const schema = POSTGRES_URL ? await createSchema(POSTGRES_URL) : undefined;
          if (schema) drops.push(schema.drop);
          context.progress(`starting ORCA ${name} (${database})`);
          const server = await startOrca({ repoRoot: context.repoRoot, workDir: context.workDir, name, logLevel: 'info', env, ...(schema ? { databaseUrl: schema.url } : {}) });
          servers.push(server);
          return { server, agentId: await prepare(server) };
        };
        const on = await start('orca-approvals-on', SERVER_ENV);
        const off = await start('orca-approvals-off', { ...SERVER_ENV, APPROVALS_ENABLED: 'false' });
        const waiting = await start('orca-approvals-waiters', SERVER_ENV);
        const stopWaiters = await holdWaiters(waiting.server, waiting.agentId, WAITERS, context.progress);
        try {
          const target = (id: string, label: string, operation: string, entry: { server: OrcaServer; agentId: string }, body: string, baseline?: string): HttpTarget => ({
            id,
            label,
            operation,
            ...(baseline ? { baseline } : {}),
            server: entry.server,
            path: '/api/v1/policy/evaluate',
            headers: { 'content-type': 'application/json', 'x-api-key': entry.server.keys.admin },
            request: { method: 'POST', body },
            orcaMetrics: { route: '/api/v1/policy/evaluate' },
            logPath: entry.server.logPath,
            postgres: database === 'postgres',
          });
          const read = 'POST /api/v1/policy/evaluate (2 KB content, read: allowed, nothing to approve)';
          const evaluations = await measureTargets(
            [
              target('evaluate-approvals-off', `${database}: evaluate, APPROVALS_ENABLED=false`, read, off, readBody(off.agentId, message)),
              target('evaluate-approvals-on', `${database}: evaluate, approvals on`, read, on, readBody(on.agentId, message), 'evaluate-approvals-off'),
              target('evaluate-with-waiters', `${database}: evaluate, approvals on, ${WAITERS} long-polls waiting`, read, waiting, readBody(waiting.agentId, message), 'evaluate-approvals-on'),
            ],
            context.load,
            context.progress,
          );
          const held = await measureTargets(
            [
              target('held-approvals-off', `${database}: transfer_funds held, APPROVALS_ENABLED=false, ${HELD_CONNECTIONS} connections`, 'POST /api/v1/policy/evaluate (require_approval; the decision is final)', off, transferBody(off.agentId)),
              target(
                'held-approvals-on',
                `${database}: transfer_funds held, approvals on, ${HELD_CONNECTIONS} connections`,
                'POST /api/v1/policy/evaluate (require_approval; each opens an approval: a row and an audit entry)',
                on,
                transferBody(on.agentId),
                'held-approvals-off',
              ),
            ],
            { ...context.load, connections: HELD_CONNECTIONS },
            context.progress,
          );
          return withRatios([...evaluations, ...held]);
        } finally {
          await stopWaiters();
        }
      });
    } finally {
      for (const drop of drops) await drop();
    }
    const { load } = context;
    return {
      title: 'Approvals: the cost to evaluation, and of 1,000 long-polls',
      summary:
        'POST /api/v1/policy/evaluate on three ORCA servers of the same build, measured in the same rounds: approvals on, APPROVALS_ENABLED=false, and approvals on ' +
        `with ${WAITERS} long-polls (GET /api/v1/approvals/{id}?wait=${WAIT}) held open throughout; plus evaluations that each open an approval.`,
      settings: {
        database: database === 'postgres' ? 'PostgreSQL (ORCA_BENCH_DATABASE_URL, a fresh schema per server)' : 'embedded PGlite (ORCA_BENCH_DATABASE_URL unset)',
        'warm-up per target': `${load.warmupSeconds} s`,
        'measured time per target': `${load.durationSeconds} s in ${load.rounds} rounds; the targets take turns`,
        'HTTP connections': `${load.connections} (evaluate rows), ${HELD_CONNECTIONS} (held rows)`,
        'alert rules': 'off on every server (ALERTS_ENABLED=false): approvals are measured alone',
        'long-polls held': `${WAITERS} on the waiters server, each asked again as soon as it answers (after ${WAIT}, still pending)`,
      },
      measurements,
      targets: [
        lossTarget(measurements, 'evaluate-approvals-on', 'evaluate throughput lost with approvals on (vs APPROVALS_ENABLED=false, same run)'),
        lossTarget(measurements, 'evaluate-with-waiters', `evaluate throughput lost with ${WAITERS} long-polls waiting (vs none, same run)`),
      ],
      warnings: contentionWarnings(measurements),
      method: [
        'Three servers of the build in dist/ (`node dist/main.js start`), each on its own database (a fresh schema of ORCA_BENCH_DATABASE_URL, or its own PGlite data directory), LOG_LEVEL=info to a file, security edge on (admin key, rate limiter counting), ALERTS_ENABLED=false (the alerts suite measures rules; here the approval_requested rule would raise one alert per pending approval, thousands of them).',
        'Each PUTs the default policy with a quota its agent cannot exhaust, and registers an agent of policy role `operator` (restricted ceiling), which may transfer funds.',
        'evaluate rows: the 2 KB message of the policy suite for an internal destination, action read: allowed, recorded (POLICY_ALLOW_SAMPLE_RATE=1); nothing to approve, so the rows show what approvals add to every evaluation.',
        `held rows: transfer_funds for an internal destination: require_approval, at ${HELD_CONNECTIONS} connections. With approvals on, each request opens an approval (one insert and one audit entry, whose hash chain serialises writers) after its decision is recorded; with APPROVALS_ENABLED=false the decision is final, as before approvals existed.`,
        `waiters row: before the measurement, ${WAITERS} approvals are opened on that server and one long-poll is held on each from the harness (fetch, one connection each), their starts spread over one wait (${WAIT}) so that they do not all answer in the same instant; a poll that answers is asked again at once. The measurement starts once orca_approval_waiters reports all of them waiting.`,
        'Load: autocannon in the harness process; the targets take turns in rounds whose order rotates, after a warm-up each. Ratios compare rows of the same run.',
      ],
    };
  },
};
