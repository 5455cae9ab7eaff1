import { violationBody } from '../lib/alert-load.js';
import { waitForQuietMachine } from '../lib/cpu.js';
import { measureTargets, withRatios, type HttpTarget } from '../lib/measure.js';
import { SAMPLE_AGENT } from '../lib/orca.js';
import { createSchema } from '../lib/postgres-schema.js';
import { startReceiver } from '../lib/receiver.js';
import { withServers, type ServerProcess } from '../lib/server-process.js';
import { percentile, standardDeviation } from '../lib/stats.js';
import type { Measurement, SuiteContext } from '../lib/types.js';
import { fire, startIngestServer, webhookRequest, type IngestServer } from './ingest.js';

const INGEST_CONNECTIONS = 16;
const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

async function registerAgent(server: IngestServer): Promise<string> {
  const response = await fetch(`${server.baseUrl}/api/v1/agents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': server.adminKey },
    body: JSON.stringify({ ...SAMPLE_AGENT, name: 'alert-bench-on-off' }),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`POST /api/v1/agents answered ${response.status}: ${text.slice(0, 300)}`);
  return (JSON.parse(text) as { id: string }).id;
}

/** Signed webhooks on both servers, in rounds whose order rotates (the ingest suite's generator and load). */
async function measureIngest(context: SuiteContext, pair: Array<{ id: string; label: string; server: IngestServer; baseline?: string }>): Promise<Measurement[]> {
  const { load, progress } = context;
  for (const item of pair) {
    if (load.warmupSeconds <= 0) break;
    progress(`warm-up ${load.warmupSeconds} s: ${item.label}`);
    await fire(item.server, webhookRequest(item.server), INGEST_CONNECTIONS, load.warmupSeconds);
  }
  const tallies = new Map(pair.map((item) => [item.id, { rates: [] as number[], latencies: [] as number[], completed: 0, wall: 0, failed: 0 }]));
  const roundSeconds = load.durationSeconds / load.rounds;
  for (let index = 0; index < load.rounds; index += 1) {
    await waitForQuietMachine(load.waitQuietSeconds, progress);
    for (let position = 0; position < pair.length; position += 1) {
      const item = pair[(position + index) % pair.length]!;
      const tally = tallies.get(item.id)!;
      progress(`round ${index + 1}/${load.rounds}, ${roundSeconds} s: ${item.label}`);
      const started = performance.now();
      const { result, latencies } = await fire(item.server, webhookRequest(item.server), INGEST_CONNECTIONS, roundSeconds);
      const wall = (performance.now() - started) / 1000;
      if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
        throw new Error(`${item.label}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx responses`);
      }
      tally.rates.push(result['2xx'] / wall);
      tally.latencies.push(...latencies);
      tally.completed += result['2xx'];
      tally.wall += wall;
    }
  }
  return pair.map((item) => {
    const tally = tallies.get(item.id)!;
    const sorted = Float64Array.from(tally.latencies).sort();
    return {
      id: item.id,
      label: item.label,
      operation: 'POST /api/v1/ingest/{sourceId} (1 event, Standard Webhooks)',
      ...(item.baseline ? { baseline: item.baseline } : {}),
      throughput: { unit: 'events/s', mean: round(tally.completed / tally.wall, 1), stddev: round(standardDeviation(tally.rates), 1) },
      latencyMs: {
        mean: round(tally.latencies.reduce((total, value) => total + value, 0) / Math.max(1, tally.latencies.length), 3),
        p50: percentile(sorted, 0.5),
        p97_5: percentile(sorted, 0.975),
        p99: percentile(sorted, 0.99),
        max: sorted[sorted.length - 1] ?? 0,
      },
      completed: tally.completed,
      errors: 0,
      timeouts: 0,
      non2xx: 0,
      details: [],
    };
  });
}

/**
 * The hot ingest and evaluate paths on two otherwise identical servers, the default alert rules active on one and
 * ALERTS_ENABLED=false on the other, measured in the same rounds. "on" rows name their "off" twin as baseline.
 */
export async function measureRulesOnOff(context: SuiteContext, postgresUrl: string, drops: Array<() => Promise<void>>): Promise<Measurement[]> {
  const receiver = await startReceiver();
  const servers: ServerProcess[] = [];
  try {
    const started: Array<{ state: 'on' | 'off'; server: IngestServer; agentId: string }> = [];
    for (const state of ['on', 'off'] as const) {
      const schema = await createSchema(postgresUrl);
      drops.push(schema.drop);
      const server = await startIngestServer(context, `orca-alerts-${state}`, schema.url, {
        ALERT_WEBHOOK_URL: receiver.url,
        OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8',
        ALERTS_ENABLED: state === 'on' ? 'true' : 'false',
      });
      servers.push(server);
      started.push({ state, server, agentId: await registerAgent(server) });
    }
    return await withServers(servers, async () => {
      const ingest = await measureIngest(
        context,
        started.map(({ state, server }) => ({
          id: `ingest-rules-${state}`,
          label: `postgres: signed webhook, ${INGEST_CONNECTIONS} connections, alerts ${state}`,
          server,
          ...(state === 'on' ? { baseline: 'ingest-rules-off' } : {}),
        })),
      );
      const targets: HttpTarget[] = started.map(({ state, server, agentId }) => ({
        id: `evaluate-rules-${state}`,
        label: `postgres: POST /policy/evaluate with a violation, alerts ${state}`,
        operation: 'POST /api/v1/policy/evaluate (prompt injection: a violation recorded, an evaluation asked for)',
        ...(state === 'on' ? { baseline: 'evaluate-rules-off' } : {}),
        server,
        path: '/api/v1/policy/evaluate',
        headers: { 'content-type': 'application/json', 'x-api-key': server.adminKey },
        request: { method: 'POST', body: violationBody(agentId) },
        orcaMetrics: { route: '/api/v1/policy/evaluate' },
        postgres: true,
      }));
      const evaluate = await measureTargets(targets, context.load, context.progress);
      return withRatios([...ingest, ...evaluate]);
    });
  } finally {
    await receiver.close();
  }
}
