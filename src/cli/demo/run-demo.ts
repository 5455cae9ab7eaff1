/**
 * `orca demo`: builds a realistic organisation in a running ORCA through its public HTTP API only — agents, sources,
 * sync contracts, a few days of signed native webhooks, agent runs, policy decisions and incidents — so that a new
 * user sees non-trivial data at once (docs/demo.md). Each step lives in steps/<step>.ts.
 *
 * Running it again is safe: agents (found by their external id) and sources (found by kind and name) are reused,
 * each reused source gets a freshly generated secret (rotated without overlap), the demo's contracts replace their
 * previous version while other contracts are kept, and the business data of run N carries entity ids suffixed
 * `-R<N>` so it adds to what is there instead of colliding with it. A step the server refuses (a module not wired
 * yet, a route that changed) is reported in the summary; the other steps still run.
 */
import { DemoClient, DemoError } from './client.js';
import { planScenario } from './scenario.js';
import { checkAccess } from './steps/access.js';
import { askPolicy, postRuns } from './steps/activity.js';
import { ensureAgents, withPlaceholders } from './steps/agents.js';
import { putDemoContracts } from './steps/contracts.js';
import { createIncidents } from './steps/incidents.js';
import { readOutcome } from './steps/outcome.js';
import type { DemoSession } from './steps/session.js';
import { ensureSources } from './steps/sources.js';
import { createWebhookSender, nextRunNumber, sendLateFollowUps } from './steps/webhooks.js';
import type { DemoSummary } from './summary.js';

export { DemoError };
export { formatSummary, type DemoSummary } from './summary.js';

export interface DemoOptions {
  /** ORCA base URL, e.g. http://127.0.0.1:3000 */
  url: string;
  /** an admin API key (sources are admin-only) */
  apiKey: string;
  days: number;
  seed: number;
  /** how long to wait for the sweep to open the gaps that late follow-ups then close (0: send them at once) */
  settleSeconds: number;
  /** progress lines (default: none) */
  log?: (line: string) => void;
}

export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const log = options.log ?? (() => {});
  const baseUrl = options.url.replace(/\/+$/, '');
  const client = new DemoClient(baseUrl, options.apiKey);
  const problems: string[] = [];
  const note = (line: string) => {
    problems.push(line);
    log(`  ! ${line}`);
  };

  await checkAccess(client, baseUrl);
  // Systems push data with an ingest key, not an admin one (docs/SECURITY.md); a temporary one, revoked at the end,
  // also keeps the demo's few hundred deliveries out of the admin key's rate-limit budget.
  const ingestKey = await client.post<{ key: { id: string }; secret: string }>('/api/v1/keys', { name: 'orca-demo-ingest', role: 'ingest', expires_in: '1h' });
  const pusher = ingestKey.status === 201 ? client.withKey(ingestKey.body.secret) : client;
  if (ingestKey.status !== 201) note(`no temporary ingest key (${ingestKey.status} ${ingestKey.problem ?? ''}); pushing with the admin key`);
  try {
    return await fillOrganisation({ baseUrl, client, pusher, log, note }, options, problems);
  } finally {
    if (ingestKey.status === 201) await client.request('DELETE', `/api/v1/keys/${ingestKey.body.key.id}`).catch(() => undefined);
  }
}

async function fillOrganisation(session: DemoSession, options: DemoOptions, problems: string[]): Promise<DemoSummary> {
  const { log } = session;
  log('agents …');
  const agents = await ensureAgents(session);
  log('sources …');
  const sources = await ensureSources(session);
  log('sync contracts …');
  const contractsVersion = await putDemoContracts(session, agents.ids);

  const run = await nextRunNumber(session.client, sources.byKind.get('zapier'));
  const scenario = planScenario({ seed: options.seed, run, days: options.days, now: new Date(), agentIds: withPlaceholders(agents.ids) });
  const webhooks = createWebhookSender(session, sources.byKind, scenario.deliveries);
  const main = webhooks.deliverable.filter((delivery) => delivery.phase === 'main');
  log(`webhooks: ${main.length} signed deliveries from ${sources.byKind.size} sources (run ${run}) …`);
  for (const delivery of main) await webhooks.send(delivery);

  log(`agent runs: ${scenario.runs.length} …`);
  const runs = await postRuns(session, agents.ids, scenario.runs);
  log(`policy evaluations: ${scenario.evaluations.length} …`);
  const decisions = await askPolicy(session, agents.ids, scenario.evaluations);

  await sendLateFollowUps(session, webhooks, options.settleSeconds, contractsVersion !== null);
  webhooks.noteRefusals();

  log('incidents …');
  const incidents = await createIncidents(session, agents.ids, scenario.anomalies);
  const { openGaps, kpis } = await readOutcome(session);

  return {
    url: session.baseUrl,
    run,
    seed: options.seed,
    days: options.days,
    agents: agents.summary,
    sources: sources.summary,
    contractsVersion,
    deliveries: webhooks.tally.deliveries,
    events: webhooks.tally.events,
    runs,
    decisions,
    incidents,
    lateFollowUps: webhooks.tally.lateFollowUps,
    openGaps,
    kpis,
    anomalies: scenario.anomalies,
    problems,
  };
}
