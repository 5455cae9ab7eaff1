import { setTimeout as delay } from 'node:timers/promises';
import { alertLatencies, burstViolations, driveViolations, registerAgents, violationBody, waitForAlerts, waitForFiring } from '../lib/alert-load.js';
import { waitForQuietMachine } from '../lib/cpu.js';
import { contentionWarnings } from '../lib/measure.js';
import { startOrca, type OrcaServer } from '../lib/orca.js';
import { createSchema } from '../lib/postgres-schema.js';
import { scrape, sumOf } from '../lib/prometheus.js';
import { postgresCpuBetween, samplePostgresCpu } from '../lib/postgres-cpu.js';
import { startReceiver, type Receiver } from '../lib/receiver.js';
import { withServers, type ServerProcess } from '../lib/server-process.js';
import { percentile } from '../lib/stats.js';
import type { Detail, Measurement, Suite, SuiteContext, SuiteOutcome } from '../lib/types.js';
import { measureRulesOnOff } from './alerts-on-off.js';
import { alertTargets, MAX_LOSS_PERCENT } from './alerts-targets.js';

/** Issue 16: p99 <= 1 s from violation to notification at 100 alert-worthy events/s; >= 1,000 deliveries/s on PostgreSQL. */
export const EVENTS_PER_SECOND = 100;
/** A notification that has not arrived this long after its event counts as this late (and as missing). */
const ARRIVAL_TIMEOUT_MS = 30_000;
const POSTGRES_URL = process.env.ORCA_BENCH_DATABASE_URL;
const STATEMENTS = 'orca_db_query_duration_seconds_count';

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

export function latencySummary(latencies: number[]) {
  const sorted = Float64Array.from(latencies).sort();
  return {
    mean: round(latencies.reduce((total, value) => total + value, 0) / Math.max(1, latencies.length), 2),
    p50: round(percentile(sorted, 0.5), 2),
    p97_5: round(percentile(sorted, 0.975), 2),
    p99: round(percentile(sorted, 0.99), 2),
    max: round(sorted[sorted.length - 1] ?? 0, 2),
  };
}

/** ORCA as shipped, its default rules and a `webhook` receiver (ALERT_WEBHOOK_URL) at the harness's local server. */
function startAlertingOrca(context: SuiteContext, name: string, receiver: Receiver, databaseUrl: string | undefined, env: Record<string, string> = {}): Promise<OrcaServer> {
  context.progress(`starting ORCA (${name})`);
  return startOrca({
    repoRoot: context.repoRoot,
    workDir: context.workDir,
    name,
    logLevel: 'info',
    ...(databaseUrl ? { databaseUrl } : {}),
    env: { ALERT_WEBHOOK_URL: receiver.url, OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8', ...env },
  });
}

/** Event-to-notification latency: violations of distinct agents at EVENTS_PER_SECOND, each matched to its notification. */
async function measureLatency(context: SuiteContext, database: { name: string; url?: string }): Promise<Measurement> {
  const receiver = await startReceiver();
  const servers: ServerProcess[] = [];
  try {
    const server = await startAlertingOrca(context, `orca-alerts-${database.name}`, receiver, database.url);
    servers.push(server);
    return await withServers(servers, async () => {
      const { load, progress } = context;
      const warmupCount = Math.round(EVENTS_PER_SECOND * Math.min(load.warmupSeconds, 3));
      const count = Math.round(EVENTS_PER_SECOND * load.durationSeconds);
      progress(`registering ${warmupCount + count} agents (${database.name})`);
      const agents = await registerAgents(server, warmupCount + count);
      if (warmupCount > 0) {
        progress(`warm-up: ${warmupCount} violations at ${EVENTS_PER_SECOND}/s (${database.name})`);
        const warmup = await driveViolations(server, agents.slice(0, warmupCount), EVENTS_PER_SECOND);
        await warmup.answered;
        await waitForAlerts(warmup.sentAt, receiver, ARRIVAL_TIMEOUT_MS);
      }
      await waitForQuietMachine(load.waitQuietSeconds, progress);
      progress(`${load.durationSeconds} s: ${count} violations at ${EVENTS_PER_SECOND}/s (${database.name})`);
      const cpuBefore = server.cpuSeconds();
      const started = performance.now();
      const { sentAt, answered } = await driveViolations(server, agents.slice(warmupCount), EVENTS_PER_SECOND);
      const sending = (performance.now() - started) / 1000;
      await answered;
      const answering = (performance.now() - started) / 1000;
      await waitForAlerts(sentAt, receiver, ARRIVAL_TIMEOUT_MS);
      const wall = (performance.now() - started) / 1000;
      const cpuAfter = server.cpuSeconds();
      const { latencies, missing } = alertLatencies(sentAt, receiver);
      const counted = [...latencies, ...Array.from({ length: missing }, () => ARRIVAL_TIMEOUT_MS)];
      const details: Detail[] = [
        { key: 'events_per_second', label: 'violations sent', value: round(count / sending, 1), unit: '/s' },
        { key: 'answered_seconds', label: 'time until every violation was answered', value: round(answering, 2), unit: 's' },
        { key: 'alerts_missing', label: `notifications not arrived within ${ARRIVAL_TIMEOUT_MS / 1000} s`, value: missing, unit: '' },
        { key: 'notifications', label: 'notifications received (run and warm-up)', value: receiver.arrivals.length, unit: '' },
      ];
      if (cpuBefore !== undefined && cpuAfter !== undefined) {
        details.push({ key: 'server_cpu_percent', label: 'server CPU', value: round(((cpuAfter - cpuBefore) / wall) * 100, 1), unit: '% of a core' });
      }
      return {
        id: `latency-${database.name}`,
        label: `${database.name}: violation → notification at ${EVENTS_PER_SECOND} events/s`,
        operation: 'POST /api/v1/policy/evaluate (prompt injection, distinct agent) → webhook notification',
        throughput: { unit: 'alerts/s', mean: round(latencies.length / sending, 1) },
        latencyMs: latencySummary(counted),
        completed: latencies.length,
        errors: missing,
        timeouts: 0,
        non2xx: 0,
        details,
      };
    });
  } finally {
    await receiver.close();
  }
}

/**
 * Delivery throughput: the receiver holds its answers while a burst of violations (distinct agents) fires their
 * alerts and queues one delivery job each; once every alert fired, it answers, and the drain is timed.
 */
async function measureDelivery(context: SuiteContext, databaseUrl: string): Promise<Measurement> {
  const receiver = await startReceiver();
  const servers: ServerProcess[] = [];
  try {
    // A held answer must not time out: OUTBOUND_TIMEOUT above the longest the backlog is built for.
    const server = await startAlertingOrca(context, 'orca-alerts-delivery-postgres', receiver, databaseUrl, { OUTBOUND_TIMEOUT: '10m' });
    servers.push(server);
    return await withServers(servers, async () => {
      const { load, progress } = context;
      const count = Math.max(1000, Math.round(200 * load.durationSeconds));
      progress(`registering ${count} agents (delivery, postgres)`);
      const agents = await registerAgents(server, count);
      receiver.hold();
      progress(`${count} violations, receiver holding its answers`);
      await burstViolations(server, agents, 16);
      await waitForFiring(server, 'injection-attempts', count, 300_000);
      await waitForQuietMachine(load.waitQuietSeconds, progress);
      const queuedBefore = receiver.arrivals.length;
      progress(`draining ${count} deliveries`);
      const cpuBefore = server.cpuSeconds();
      const postgresBefore = samplePostgresCpu();
      const statementsBefore = sumOf(await scrape(`${server.baseUrl}/metrics`), STATEMENTS);
      const started = receiver.release();
      const done = await receiver.waitForAnswered(count, 300_000);
      const wall = (performance.now() - started) / 1000;
      const cpuAfter = server.cpuSeconds();
      const postgresSeconds = postgresCpuBetween(postgresBefore, samplePostgresCpu());
      if (!done) throw new Error(`only ${receiver.answered()} of ${count} notifications were delivered within 300 s`);
      await delay(200);
      const statements = sumOf(await scrape(`${server.baseUrl}/metrics`), STATEMENTS) - statementsBefore;
      const details: Detail[] = [
        { key: 'held', label: 'requests in flight when released (DELIVERY_CONCURRENCY)', value: queuedBefore, unit: '' },
        { key: 'notifications', label: 'notifications delivered', value: count, unit: '' },
        { key: 'statements_per_delivery', label: "database statements per delivery (orca_db_query_duration_seconds_count)", value: round(statements / count, 2), unit: '' },
      ];
      if (cpuBefore !== undefined && cpuAfter !== undefined) {
        details.push({ key: 'server_cpu_percent', label: 'server CPU', value: round(((cpuAfter - cpuBefore) / wall) * 100, 1), unit: '% of a core' });
        details.push({ key: 'server_cpu_ms_per_delivery', label: 'server CPU per delivery', value: round(((cpuAfter - cpuBefore) / count) * 1000, 2), unit: 'ms' });
      }
      if (postgresSeconds !== undefined) {
        details.push({ key: 'postgres_cpu_ms_per_delivery', label: 'PostgreSQL CPU per delivery', value: round((postgresSeconds / count) * 1000, 2), unit: 'ms' });
      }
      return {
        id: 'delivery-postgres',
        label: `postgres: ${count} queued deliveries drained to a local webhook receiver`,
        operation: 'delivery jobs (pg-boss) → signed webhook POST → 200',
        throughput: { unit: 'notifications/s', mean: round(count / wall, 1) },
        latencyMs: { mean: 0, p50: 0, p97_5: 0, p99: 0, max: 0 },
        completed: count,
        errors: 0,
        timeouts: 0,
        non2xx: 0,
        details,
      };
    });
  } finally {
    await receiver.close();
  }
}

export const alertsSuite: Suite = {
  name: 'alerts',
  description: `violation → notification latency at ${EVENTS_PER_SECOND} events/s (PostgreSQL and PGlite), delivery throughput (PostgreSQL), ingest and evaluate with the default rules on vs off`,
  async run(context: SuiteContext): Promise<SuiteOutcome> {
    const measurements: Measurement[] = [];
    const drops: Array<() => Promise<void>> = [];
    try {
      const databases: Array<{ name: string; url?: string }> = [];
      if (POSTGRES_URL) {
        const schema = await createSchema(POSTGRES_URL);
        drops.push(schema.drop);
        databases.push({ name: 'postgres', url: schema.url });
      }
      databases.push({ name: 'pglite' });
      for (const database of databases) measurements.push(await measureLatency(context, database));
      if (POSTGRES_URL) {
        const delivery = await createSchema(POSTGRES_URL);
        drops.push(delivery.drop);
        measurements.push(await measureDelivery(context, delivery.url));
        measurements.push(...(await measureRulesOnOff(context, POSTGRES_URL, drops)));
      }
    } finally {
      for (const drop of drops) await drop().catch(() => {});
    }
    const { load } = context;
    return {
      title: 'Alerts: event-to-notification latency, delivery throughput, cost of evaluation',
      summary:
        `How long an alert-worthy event takes to reach a receiver as a notification at ${EVENTS_PER_SECOND} events/s, how many ` +
        'notifications per second ORCA delivers from its queue to a local receiver, and what the default alert rules cost the ' +
        `hot ingest and evaluate paths (the same run with ALERTS_ENABLED=false; at most ${MAX_LOSS_PERCENT} % loss allowed).`,
      settings: {
        'warm-up': `${load.warmupSeconds} s (latency: up to 3 s of violations first; on/off: per target)`,
        'measured time': `${load.durationSeconds} s (latency: ${EVENTS_PER_SECOND} violations/s for that long; on/off: in ${load.rounds} rounds, targets taking turns)`,
        'PostgreSQL server': POSTGRES_URL ? 'ORCA_BENCH_DATABASE_URL (fresh schema per server)' : 'not configured (ORCA_BENCH_DATABASE_URL unset)',
        'alert rules': 'the default set (docs/alerts.md), routed to the `webhook` receiver (ALERT_WEBHOOK_URL) at a local server in the harness (OUTBOUND_ALLOW_CIDRS=127.0.0.0/8)',
      },
      measurements,
      targets: alertTargets(measurements),
      warnings: [...contentionWarnings(measurements), ...(POSTGRES_URL ? [] : ['PostgreSQL was not measured: the delivery and on/off targets are defined on PostgreSQL.'])],
      method: [
        `Alert-worthy event: POST /api/v1/policy/evaluate of a message holding a prompt-injection phrase (${JSON.stringify(violationBody('<agent>').length)} bytes of JSON), each for an agent of its own registered beforehand, so that the default rule injection-attempts (violations, for 0s, grouped by alertname and agent_id, group_wait 0s) fires one alert and sends one notification per event. ORCA: the build in dist/ (\`node dist/main.js start\`, role all), LOG_LEVEL=info to a file, default settings otherwise (DELIVERY_CONCURRENCY 20 on PostgreSQL, 1 on PGlite).`,
        `Latency: the harness sends the violations in an open loop at ${EVENTS_PER_SECOND}/s (a send does not wait for the previous answer) and records each send's moment; its local HTTP receiver records each notification's arrival and the agent_id labels of its firing alerts. Latency = first arrival naming the agent − the send of its violation (HTTP request, decision commit, evaluation job, delivery job, signed POST). A notification missing after ${ARRIVAL_TIMEOUT_MS / 1000} s counts as that late. A warm-up of up to 3 s of violations (other agents) runs first.`,
        'Delivery throughput (PostgreSQL): the real path — violations of distinct agents fire alerts whose evaluation queues one delivery job each — with delivery isolated from evaluation: the receiver holds its answers (OUTBOUND_TIMEOUT=10m so that none times out) until orca_alerts_firing counts every alert, i.e. every delivery is queued; then it answers everything at once and the time until the last notification is answered is the drain. Throughput = notifications / drain time.',
        `Rules on vs off (PostgreSQL): two ORCA servers side by side on fresh schemas, identical but for ALERTS_ENABLED=false on one, both with the webhook receiver. Ingest: signed single-event webhooks (the ingest suite's generator) at 16 connections. Evaluate: POST /api/v1/policy/evaluate at ${'the --connections'} setting, every request for one agent and holding a prompt-injection phrase, so every request records a violation and asks for an evaluation (the worst case for the rules: on the evaluating server an evaluation runs all the time). Targets take turns in rounds, order rotating. Loss = 1 − on/off.`,
        'CPU: the ORCA process from /proc/<pid>/stat; PostgreSQL as the sum over every local `postgres` process. The machine is shared: see the host speed line and the warnings.',
      ],
    };
  },
};
