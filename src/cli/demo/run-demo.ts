/**
 * `orca demo`: builds a realistic organisation in a running ORCA through its public HTTP API only — agents, sources,
 * sync contracts, a few days of signed native webhooks, agent runs, policy decisions and incidents — so that a new
 * user sees non-trivial data at once (docs/demo.md).
 *
 * Running it again is safe: agents (found by their external id) and sources (found by kind and name) are reused,
 * each reused source gets a freshly generated secret (rotated without overlap), the demo's contracts replace their
 * previous version while other contracts are kept, and the business data of run N carries entity ids suffixed
 * `-R<N>` so it adds to what is there instead of colliding with it. A step the server refuses (a module not wired
 * yet, a route that changed) is reported in the summary; the other steps still run.
 */
import { DemoClient, DemoError, type ApiResponse } from './client.js';
import { AGENTS, DEMO_CONTRACT_PREFIX, DEMO_TAG, SOURCES, demoContracts, type AgentKey } from './organisation.js';
import { planScenario, type PlannedDelivery, type Scenario } from './scenario.js';
import { signDelivery, type DemoSourceKind } from './signing.js';

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

export interface DemoSummary {
  url: string;
  run: number;
  seed: number;
  days: number;
  agents: { created: number; reused: number };
  sources: { created: number; reused: number; byKind: Record<string, number> };
  contractsVersion: number | null;
  deliveries: { sent: number; failed: number };
  events: { planned: number; accepted: number; duplicates: number; conflicts: number };
  runs: { accepted: number; duplicates: number; byOutcome: Record<string, number> };
  decisions: Record<string, number>;
  incidents: number;
  lateFollowUps: { sent: number; closedAfterGapOpened: number };
  openGaps: Record<string, number> | null;
  kpis: Record<string, number | null> | null;
  anomalies: Scenario['anomalies'];
  /** steps the server refused or that could not run, one line each */
  problems: string[];
}

export { DemoError };

type Agent = { id: string; external_id: string | null; status: string };
type Source = { id: string; kind: string; name: string; ingest_path: string; generated_secret?: string };

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
    return await fillOrganisation(client, pusher, baseUrl, options, problems, note);
  } finally {
    if (ingestKey.status === 201) await client.request('DELETE', `/api/v1/keys/${ingestKey.body.key.id}`).catch(() => undefined);
  }
}

async function fillOrganisation(
  client: DemoClient,
  pusher: DemoClient,
  baseUrl: string,
  options: DemoOptions,
  problems: string[],
  note: (line: string) => void,
): Promise<DemoSummary> {
  const log = options.log ?? (() => {});

  // ── Agents ──────────────────────────────────────────────────────────────────────────────────────────────────
  log('agents …');
  const agentIds = {} as Record<AgentKey, string>;
  const agentSummary = { created: 0, reused: 0 };
  const existing = (await client.listAll<Agent>(`/api/v1/agents?tag=${DEMO_TAG}`)) ?? [];
  for (const definition of AGENTS) {
    const externalId = definition.body.external_id as string;
    const found = existing.find((agent) => agent.external_id === externalId && agent.status !== 'retired');
    if (found) {
      agentIds[definition.key] = found.id;
      agentSummary.reused++;
      continue;
    }
    const created = await client.post<Agent>('/api/v1/agents', definition.body);
    if (created.status === 201) {
      agentIds[definition.key] = created.body.id;
      agentSummary.created++;
    } else {
      note(`agent "${String(definition.body.name)}" was not created (${created.status} ${created.problem ?? ''})`);
    }
  }

  // ── Sources, each with a secret ORCA generated (shown once, kept here in memory to sign) ───────────────────────
  log('sources …');
  const sources = new Map<DemoSourceKind, { id: string; path: string; secret: string; reused: boolean }>();
  const sourceSummary = { created: 0, reused: 0, byKind: {} as Record<string, number> };
  const existingSources = await client.listAll<Source>('/api/v1/sources');
  if (existingSources === null) note('GET /api/v1/sources failed: sources are not available on this server');
  else {
    for (const definition of SOURCES) {
      const signing =
        definition.kind === 'hubspot'
          ? { ...definition.signing, options: { ...(definition.signing?.options ?? {}), public_base_url: baseUrl } }
          : definition.signing;
      const found = existingSources.find((source) => source.kind === definition.kind && source.name === definition.name);
      let answer: ApiResponse<Source>;
      if (found) {
        // The secret is write-only, so a reused source gets a new one; no overlap: only the demo sends to it.
        answer = await client.post<Source>(`/api/v1/sources/${found.id}/rotate-secret`, { overlap: '0s' });
        if (answer.status === 200) {
          const patched = await client.patch(`/api/v1/sources/${found.id}`, { enabled: true, ...(signing ? { signing } : {}) });
          if (patched.status !== 200) note(`source "${definition.name}" could not be updated (${patched.status} ${patched.problem ?? ''})`);
        }
      } else {
        answer = await client.post<Source>('/api/v1/sources', {
          kind: definition.kind,
          name: definition.name,
          description: definition.description,
          ...(signing ? { signing } : {}),
        });
      }
      const secret = answer.body?.generated_secret;
      if ((answer.status === 200 || answer.status === 201) && secret) {
        sources.set(definition.kind, { id: answer.body.id, path: answer.body.ingest_path, secret, reused: Boolean(found) });
        if (found) sourceSummary.reused++;
        else sourceSummary.created++;
        sourceSummary.byKind[definition.kind] = 1;
      } else {
        note(`source "${definition.name}" is not usable (${answer.status} ${answer.problem ?? 'no generated secret'})`);
      }
    }
  }

  // ── Sync contracts: the demo's replace their previous version, anyone else's are kept ────────────────────────
  log('sync contracts …');
  let contractsVersion: number | null = null;
  if (AGENTS.every((definition) => agentIds[definition.key] !== undefined)) {
    const current = await client.get<{ document: { contracts: Array<{ name: string }> } }>('/api/v1/sync/contracts');
    const others = current.status === 200 ? current.body.document.contracts.filter((contract) => !contract.name.startsWith(DEMO_CONTRACT_PREFIX)) : [];
    if (current.status !== 200 && current.status !== 404) note(`GET /api/v1/sync/contracts answered ${current.status}; the demo contracts replace the document`);
    const put = await client.put<{ version: number }>('/api/v1/sync/contracts', { contracts: [...others, ...demoContracts(agentIds)] });
    if (put.status === 200) contractsVersion = put.body.version;
    else note(`the sync contracts were refused (${put.status} ${put.problem ?? ''}): no gaps will be detected`);
  } else {
    note('some demo agents are missing: the sync contracts (which name owner agents) were not sent');
  }

  // ── The business data ──────────────────────────────────────────────────────────────────────────────────────
  const run = await nextRunNumber(client, sources.get('zapier'));
  const scenario = planScenario({ seed: options.seed, run, days: options.days, now: new Date(), agentIds: withPlaceholders(agentIds) });
  const deliverable = scenario.deliveries.filter((delivery) => sources.has(delivery.kind));
  const skippedKinds = new Set(scenario.deliveries.filter((delivery) => !sources.has(delivery.kind)).map((delivery) => delivery.kind));
  if (skippedKinds.size > 0) note(`no usable source for ${[...skippedKinds].join(', ')}: those webhooks were not sent`);
  const events = { planned: 0, accepted: 0, duplicates: 0, conflicts: 0 };
  for (const delivery of deliverable) if (delivery.expect === 'new') events.planned += delivery.events;
  const deliveryStats = { sent: 0, failed: 0 };
  const failuresByKind = new Map<string, string>();

  const send = async (delivery: PlannedDelivery) => {
    const source = sources.get(delivery.kind)!;
    const signed = signDelivery({
      kind: delivery.kind,
      secret: source.secret,
      path: source.path,
      body: delivery.body,
      now: new Date(),
      messageId: delivery.messageId,
      publicBaseUrl: baseUrl,
    });
    const answer = await pusher.request<{ accepted?: number; duplicates?: number; conflict?: boolean }>('POST', signed.path, {
      body: signed.body,
      headers: signed.headers,
    });
    if (answer.status === 200 || answer.status === 201) {
      deliveryStats.sent++;
      if (typeof answer.body === 'object' && answer.body !== null) {
        events.accepted += answer.body.accepted ?? 0;
        events.duplicates += answer.body.duplicates ?? 0;
        if (answer.body.conflict) events.conflicts++;
      } else if (delivery.expect === 'new') {
        // Salesforce is answered with the SOAP Ack, which carries no counts.
        events.accepted += delivery.events;
      }
      return true;
    }
    deliveryStats.failed++;
    if (!failuresByKind.has(delivery.kind)) failuresByKind.set(delivery.kind, `${answer.status} ${answer.problem ?? ''}`.trim());
    return false;
  };

  const main = deliverable.filter((delivery) => delivery.phase === 'main');
  log(`webhooks: ${main.length} signed deliveries from ${sources.size} sources (run ${run}) …`);
  for (const delivery of main) await send(delivery);

  // ── Agent runs ─────────────────────────────────────────────────────────────────────────────────────────────
  log(`agent runs: ${scenario.runs.length} …`);
  const runs = { accepted: 0, duplicates: 0, byOutcome: {} as Record<string, number> };
  const knownRuns = scenario.runs.filter((item) => agentIds[item.agent] !== undefined);
  for (let offset = 0; offset < knownRuns.length; offset += 500) {
    const batch = knownRuns.slice(offset, offset + 500);
    const answer = await pusher.post<{ accepted: number; duplicates: number }>('/api/v1/runs', {
      runs: batch.map(({ agent, ...item }) => ({ ...item, agent_id: agentIds[agent] })),
    });
    if (answer.status === 200 || answer.status === 201) {
      runs.accepted += answer.body.accepted;
      runs.duplicates += answer.body.duplicates;
      for (const item of batch) runs.byOutcome[item.outcome] = (runs.byOutcome[item.outcome] ?? 0) + 1;
    } else {
      note(`POST /api/v1/runs answered ${answer.status} ${answer.problem ?? ''}`);
      break;
    }
  }

  // ── Policy decisions ───────────────────────────────────────────────────────────────────────────────────────
  log(`policy evaluations: ${scenario.evaluations.length} …`);
  const decisions: Record<string, number> = {};
  for (const evaluation of scenario.evaluations) {
    const agentId = agentIds[evaluation.agent];
    if (agentId === undefined) continue;
    const answer = await pusher.post<{ decision: string }>('/api/v1/policy/evaluate', {
      agent_id: agentId,
      action: evaluation.action,
      resource: evaluation.resource,
      classification: evaluation.classification,
      ...(evaluation.content !== undefined ? { content: evaluation.content } : {}),
      ...(evaluation.tokens !== undefined ? { tokens: evaluation.tokens } : {}),
    });
    if (answer.status === 200) decisions[answer.body.decision] = (decisions[answer.body.decision] ?? 0) + 1;
    else {
      note(`POST /api/v1/policy/evaluate answered ${answer.status} ${answer.problem ?? ''}; the remaining evaluations were skipped`);
      break;
    }
  }

  // ── Late follow-ups: wait for the sweep to open their gaps, then deliver them (the gaps close by themselves) ──
  const late = deliverable.filter((delivery) => delivery.phase === 'late');
  const lateFollowUps = { sent: 0, closedAfterGapOpened: 0 };
  if (late.length > 0) {
    let opened = new Set<string>();
    if (options.settleSeconds > 0 && contractsVersion !== null) {
      log(`waiting up to ${options.settleSeconds}s for the sweep to notice ${late.length} overdue follow-ups …`);
      opened = await waitForGaps(client, late.map((delivery) => delivery.closes!.entity), options.settleSeconds * 1000);
    }
    for (const delivery of late) {
      if (await send(delivery)) {
        lateFollowUps.sent++;
        if (opened.has(delivery.closes!.entity)) lateFollowUps.closedAfterGapOpened++;
      }
    }
  }
  for (const [kind, reason] of failuresByKind) note(`webhooks to the ${kind} source were refused (${reason})`);

  // ── Incidents ──────────────────────────────────────────────────────────────────────────────────────────────
  log('incidents …');
  const incidents = await createIncidents(client, agentIds, scenario, note);

  // ── What it looks like now ─────────────────────────────────────────────────────────────────────────────────
  const gaps = await client.listAll<{ type: string; contract: string | null }>('/api/v1/sync/gaps?status=open');
  let openGaps: Record<string, number> | null = null;
  if (gaps) {
    openGaps = {};
    for (const gap of gaps) openGaps[gap.type] = (openGaps[gap.type] ?? 0) + 1;
  }
  const kpiAnswer = await client.get<{ kpis: Record<string, { value: number | null }> }>('/api/v1/kpis?window=7d');
  const kpis = kpiAnswer.status === 200 ? Object.fromEntries(Object.entries(kpiAnswer.body.kpis).map(([name, kpi]) => [name, kpi.value])) : null;
  if (kpiAnswer.status !== 200) note(`GET /api/v1/kpis answered ${kpiAnswer.status}`);

  return {
    url: baseUrl,
    run,
    seed: options.seed,
    days: options.days,
    agents: agentSummary,
    sources: sourceSummary,
    contractsVersion,
    deliveries: deliveryStats,
    events,
    runs,
    decisions,
    incidents,
    lateFollowUps,
    openGaps,
    kpis,
    anomalies: scenario.anomalies,
    problems,
  };
}

async function checkAccess(client: DemoClient, baseUrl: string): Promise<void> {
  let answer: ApiResponse;
  try {
    answer = await client.get('/api/v1/sources?limit=1');
  } catch (error) {
    if (error instanceof DemoError) throw error;
    const reason = (error as Error).name === 'TimeoutError' ? 'no answer in time' : ((error as Error & { cause?: Error }).cause?.message ?? (error as Error).message);
    throw new DemoError(`cannot reach ORCA at ${baseUrl} (${reason}); start it with "orca start" or pass --url`);
  }
  if (answer.status === 401) throw new DemoError(`ORCA at ${baseUrl} refused the API key (401); pass an admin key with --key`);
  if (answer.status === 403) throw new DemoError('the API key is not an admin key (403): creating sources needs one');
}

/**
 * 1 on a fresh ORCA; after that, one more than the run that wrote the newest demo order (its id ends in -R<N>, or
 * has no suffix for run 1). Keeps the data of successive runs apart without any state outside ORCA.
 */
async function nextRunNumber(client: DemoClient, zapier: { id: string; reused: boolean } | undefined): Promise<number> {
  if (!zapier?.reused) return 1;
  const newest = await client.get<{ items: Array<{ entity_id: string }> }>(`/api/v1/events?source_id=${zapier.id}&event_type=order.created&limit=1`);
  if (newest.status !== 200) return 1;
  const last = newest.body.items[0];
  if (!last) return 1;
  const match = /-R(\d+)$/.exec(last.entity_id);
  return match ? Number(match[1]) + 1 : 2;
}

/** Agents that could not be created still need an id in payloads (agent_id is optional there): a nil UUID. */
function withPlaceholders(agentIds: Record<AgentKey, string>): Record<AgentKey, string> {
  const result = { ...agentIds };
  for (const definition of AGENTS) result[definition.key] ??= '00000000-0000-0000-0000-000000000000';
  return result;
}

async function waitForGaps(client: DemoClient, entities: string[], timeoutMs: number): Promise<Set<string>> {
  const deadline = Date.now() + timeoutMs;
  const opened = new Set<string>();
  // One list request per poll (the newest open missing_record gaps), every 2 s: cheap on the key's rate limit.
  while (Date.now() < deadline) {
    const answer = await client.get<{ items: Array<{ entity_id: string | null }> }>('/api/v1/sync/gaps?type=missing_record&status=open&limit=200');
    if (answer.status === 200) for (const gap of answer.body.items) if (gap.entity_id && entities.includes(gap.entity_id)) opened.add(gap.entity_id);
    if (opened.size === entities.length) break;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  return opened;
}

async function createIncidents(
  client: DemoClient,
  agentIds: Record<AgentKey, string>,
  scenario: Scenario,
  note: (line: string) => void,
): Promise<number> {
  let count = 0;
  const duplicateGap = await client.get<{ items: Array<{ id: string }> }>(
    '/api/v1/sync/gaps?type=duplicate&contract=demo-order-to-cash&status=open&limit=1',
  );
  const gapId = duplicateGap.status === 200 ? duplicateGap.body.items[0]?.id : undefined;
  const first = await client.post<{ id: string }>('/api/v1/incidents', {
    kind: 'order_duplication',
    severity: 'high',
    title: `Order ${scenario.anomalies.conflictingOrder ?? ''} replayed by Zapier with a different total`.replace('  ', ' '),
    ...(agentIds.orderSync ? { agent_id: agentIds.orderSync } : {}),
    ...(gapId ? { gap_id: gapId } : {}),
    loss_usd: 0,
    status: 'open',
  });
  if (first.status === 201) count++;
  else note(`POST /api/v1/incidents answered ${first.status} ${first.problem ?? ''}`);

  const second = await client.post<{ id: string }>('/api/v1/incidents', {
    kind: 'data_exposure',
    severity: 'medium',
    title: 'Support copilot drafted a reply containing a card number',
    ...(agentIds.supportCopilot ? { agent_id: agentIds.supportCopilot } : {}),
    loss_usd: 250,
    status: 'mitigated',
  });
  if (second.status === 201) {
    count++;
    const resolved = await client.post(`/api/v1/incidents/${second.body.id}/resolve`, {
      note: 'Reply blocked by the policy engine; prompt updated to never quote payment details',
    });
    if (resolved.status !== 200) note(`POST /api/v1/incidents/{id}/resolve answered ${resolved.status} ${resolved.problem ?? ''}`);
  } else if (first.status === 201) {
    note(`POST /api/v1/incidents answered ${second.status} ${second.problem ?? ''}`);
  }
  return count;
}

/** The summary the CLI prints: counts, then where to look. */
export function formatSummary(summary: DemoSummary): string {
  const lines: string[] = [];
  const entries = (record: Record<string, number>) =>
    Object.entries(record)
      .map(([name, value]) => `${name} ${value}`)
      .join(', ') || 'none';
  lines.push(`ORCA demo (run ${summary.run}, seed ${summary.seed}, ${summary.days} days) → ${summary.url}`);
  lines.push(`  agents        ${summary.agents.created} created, ${summary.agents.reused} reused`);
  lines.push(`  sources       ${summary.sources.created} created, ${summary.sources.reused} reused (${Object.keys(summary.sources.byKind).join(', ')})`);
  lines.push(`  contracts     ${summary.contractsVersion === null ? 'not set' : `version ${summary.contractsVersion}`}`);
  lines.push(
    `  webhooks      ${summary.deliveries.sent} signed deliveries: ${summary.events.accepted} events stored (planned ${summary.events.planned}), ` +
      `${summary.events.duplicates} duplicates, ${summary.events.conflicts} conflicting replay${summary.deliveries.failed ? `, ${summary.deliveries.failed} refused` : ''}`,
  );
  lines.push(`  late follow-ups ${summary.lateFollowUps.sent} sent, ${summary.lateFollowUps.closedAfterGapOpened} after their gap had opened`);
  lines.push(`  agent runs    ${summary.runs.accepted} stored (${entries(summary.runs.byOutcome)})`);
  lines.push(`  decisions     ${entries(summary.decisions)}`);
  lines.push(`  incidents     ${summary.incidents}`);
  lines.push(`  open gaps     ${summary.openGaps ? entries(summary.openGaps) : 'unknown'}`);
  if (summary.kpis) {
    const value = (name: string, digits = 1) => {
      const raw = summary.kpis?.[name];
      return raw === null || raw === undefined ? 'n/a' : raw.toFixed(digits);
    };
    lines.push(
      `  KPIs (7d)     trust ${value('trust_score')}, freshness ${value('sync_freshness')} %, drift ${value('drift_rate')} %, ` +
        `compliance ${value('compliance_sla')} %, risk avoided $${value('risk_avoided', 0)}`,
    );
  }
  if (summary.problems.length > 0) {
    lines.push('  not done:');
    for (const problem of summary.problems) lines.push(`    - ${problem}`);
  }
  lines.push('');
  lines.push('Where to look (send X-API-Key):');
  lines.push(`  ${summary.url}/api/v1/sync/gaps?status=open      gaps by type, with their evidence`);
  lines.push(`  ${summary.url}/api/v1/sync/freshness             every stream, its lag and SLO`);
  lines.push(`  ${summary.url}/api/v1/kpis                       organisation KPIs with their inputs`);
  lines.push(`  ${summary.url}/api/v1/reports/executive?format=html   the executive summary`);
  lines.push('Time-based gaps keep coming: the sweep opens missing_record gaps as deadlines pass, and the');
  lines.push('warehouse-shipments stream (declared, never fed) turns stale a minute after the contracts were set.');
  return lines.join('\n');
}
