import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildConsole } from '../../scripts/lib/console-build.js';
import { startFakeN8n, workflow, type FakeN8n } from '../http/discovery/fakes/n8n.js';
import { freePort, runOrca, startOrca, tempDir, waitUntilReady, type OrcaProcess } from './orca-process.js';

/**
 * A live ORCA with the demo organisation and its web console, and Debian's Chromium driven by playwright-core (no
 * browser download): shared by the console's browser test (test/e2e/console-browser.test.ts) and
 * `npm run console:screenshots`.
 */

/** Debian's package (`apt-get install chromium`), which .ci/run installs. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export function launchChromium(): Promise<Browser> {
  // As root (CI containers) Chromium refuses to start with its sandbox on; elsewhere it keeps it.
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, chromiumSandbox: !root });
}

export interface ConsoleOrca {
  orca: OrcaProcess;
  baseUrl: string;
  adminKey: string;
  /** Authenticated JSON call with a key header. */
  call<T = unknown>(method: string, path: string, key: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** A new API key of the role; returns its id and secret. */
  createKey(role: 'viewer' | 'operator' | 'admin' | 'ingest', name: string): Promise<{ id: string; secret: string }>;
}

/**
 * Builds the console into a temp folder, starts `orca start` serving it (sweeps every second, KPI snapshots every few
 * seconds so that trends have points), and fills it with `orca demo`.
 */
export async function startConsoleOrca(settings: Record<string, string> = {}): Promise<ConsoleOrca> {
  const consoleDir = join(tempDir('orca-console-build-'), 'console');
  await buildConsole(consoleDir);
  const dataDir = tempDir('orca-console-data-');
  const orca = startOrca(
    // Outbound calls to loopback allowed: the governance pages' discovery source is a local fake n8n.
    { ORCA_DATA_DIR: dataDir, CONSOLE_DIR: consoleDir, SYNC_SWEEP_INTERVAL: '1s', TRUST_SNAPSHOT_INTERVAL: '3s', RATE_LIMIT_MAX: '100000', OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8', ...settings },
    await freePort(),
  );
  // A loaded machine compiles ORCA's sources slowly (tsx): slack rather than a flaky start.
  await waitUntilReady(orca, 600_000);
  const baseUrl = `http://127.0.0.1:${orca.port}`;
  const adminKey = readFileSync(join(dataDir, 'admin.key'), 'utf8').trim();
  const call = async <T>(method: string, path: string, key: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { 'x-api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const demo = await runOrca(['demo', '--url', baseUrl, '--key', adminKey, '--settle', '5', '--json'], {}, 400_000);
  // With the server's last lines: a demo request that failed at the network level says nothing by itself.
  if (demo.code !== 0) throw new Error(`orca demo failed:\n${demo.stdout}\n${demo.stderr}\nserver output (last 3000 characters):\n${orca.output().slice(-3000)}`);
  return {
    orca,
    baseUrl,
    adminKey,
    call,
    async createKey(role, name) {
      const created = await call<{ key: { id: string }; secret: string }>('POST', '/api/v1/keys', adminKey, { name, role });
      if (created.status !== 201) throw new Error(`could not create a ${role} key: ${created.status}`);
      return { id: created.body.key.id, secret: created.body.secret };
    },
  };
}

/** Signs in through the console's own form, and waits for the page it leads to. */
export async function signInThroughForm(page: Page, baseUrl: string, key: string, path = '/console/'): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.waitForURL(/\/console\/sign-in\?next=/);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/console/sign-in'));
  await settled(page);
}

/** Waits until the page shows no loading state any more (every section has its data, its empty or its error state). */
export async function settled(page: Page): Promise<void> {
  await page.locator('main h1').first().waitFor();
  // A locator, not waitForFunction: a string predicate is evaluated with eval() in the page, which its CSP forbids.
  await page.locator('.state-loading').first().waitFor({ state: 'detached', timeout: 60_000 });
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

/**
 * axe-core's WCAG 2.x A/AA rules over the page as it is. The script is evaluated through the DevTools protocol (no
 * script element: the page's CSP would, rightly, refuse an inline one).
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate<{ violations: AxeViolation[]; passed: number }>(`(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return {
      passed: result.passes.length,
      violations: result.violations.map((violation) => ({
        id: violation.id, impact: violation.impact, help: violation.help, nodes: violation.nodes.map((node) => ({ target: node.target })),
      })),
    };
  })()`);
  // A run that checked nothing (axe failing inside the page) must not pass for a clean page.
  if (result.passed === 0) throw new Error('axe-core checked no rule on this page');
  return result.violations;
}

/** The console's pages, as a user reaches them (the agent page needs an agent id). */
export function consolePages(agentId: string): Array<{ name: string; path: string; heading: string }> {
  return [
    { name: 'overview', path: '/console/', heading: 'Overview' },
    { name: 'agents', path: '/console/agents', heading: 'Agents' },
    { name: 'agent', path: `/console/agents/${agentId}`, heading: '' },
    { name: 'sync', path: '/console/sync', heading: 'Sync' },
    { name: 'sync-gaps', path: '/console/sync/gaps', heading: 'Sync gaps' },
    { name: 'alerts', path: '/console/alerts', heading: 'Alerts' },
    { name: 'silences', path: '/console/alerts/silences', heading: 'Silences' },
    { name: 'receivers', path: '/console/alerts/receivers', heading: 'Receivers and deliveries' },
    { name: 'review', path: '/console/review', heading: 'Review queue' },
    { name: 'approvals', path: '/console/approvals', heading: 'Approvals' },
    { name: 'discovery', path: '/console/discovery', heading: 'Discovery' },
    { name: 'kill-switch', path: '/console/kill-switch', heading: 'Kill switch' },
    { name: 'reports', path: '/console/reports', heading: 'Executive report' },
  ];
}

// secretlint-disable-next-line @secretlint/secretlint-rule-preset-recommend -- a made-up key for the local fake n8n
const N8N_KEY = 'n8n_api_c0ns0le5eed';
/** The tag of the agent the kill switch is tried on: a selection that touches nothing of the demo. */
export const KILL_SWITCH_TAG = 'console-kill-switch';

export interface GovernanceSeed {
  n8n: FakeN8n;
  sourceId: string;
  /** The n8n AI workflow discovered, approved, then changed in n8n: the next run sends it to review. */
  changedAgentId: string;
  approvalId: string;
  /** The resource of that approval: HTML, shown as text. */
  approvalResource: string;
  killSwitchAgentId: string;
}

/** Waits until a discovery run ends (a background job). */
export async function waitForRun(live: ConsoleOrca, runId: string): Promise<{ status: string }> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const run = await live.call<{ status: string }>('GET', `/api/v1/discovery/runs/${runId}`, live.adminKey);
    if (!['queued', 'running'].includes(run.body.status)) return run.body;
    if (Date.now() > deadline) throw new Error(`discovery run ${runId} still ${run.body.status}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** Starts a discovery run through the API and waits until it ends. */
export async function runDiscovery(live: ConsoleOrca, sourceId: string): Promise<{ status: string }> {
  const queued = await live.call<{ id: string }>('POST', '/api/v1/discovery/runs', live.adminKey, { source_id: sourceId });
  if (queued.status !== 202) throw new Error(`discovery run refused: ${queued.status} ${JSON.stringify(queued.body)}`);
  return waitForRun(live, queued.body.id);
}

/**
 * What the review queue, approvals, discovery and kill-switch pages need beyond `orca demo`: a discovery source (a
 * local fake n8n) with a run, whose AI workflow was approved and has since changed in n8n; a pending approval of a
 * high-risk action asked with the admin key (so that another key may decide it); an agent only the kill switch's
 * selection names.
 */
export async function seedGovernance(live: ConsoleOrca): Promise<GovernanceSeed> {
  const n8n = await startFakeN8n({
    apiKey: N8N_KEY,
    workflows: [workflow('w1', { ai: true, name: 'Support agent', prompt: 'You answer support tickets.', tools: [{ name: 'lookup', description: 'Look up a customer' }] }), workflow('w2', { name: 'CRM sync' })],
  });
  const expect2xx = <T>(answer: { status: number; body: T }, what: string) => {
    if (answer.status >= 300) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const source = expect2xx(
    await live.call<{ id: string }>('POST', '/api/v1/discovery/sources', live.adminKey, { kind: 'n8n', name: 'n8n-production', config: { url: n8n.url }, credentials: { api_key: N8N_KEY } }),
    'create the n8n source',
  );
  const first = await runDiscovery(live, source.id);
  if (first.status !== 'succeeded') throw new Error(`the first discovery run ended ${JSON.stringify(first)}`);
  const found = expect2xx(await live.call<{ items: Array<{ id: string; name: string }> }>('GET', '/api/v1/agents?source=n8n&q=Support%20agent', live.adminKey), 'find the n8n agent');
  const changedAgentId = found.items[0]!.id;
  expect2xx(await live.call('POST', `/api/v1/agents/${changedAgentId}/approve`, live.adminKey, { reason: 'reviewed its workflow' }), 'approve the n8n agent');
  n8n.workflows = [workflow('w1', { ai: true, name: 'Support agent', prompt: 'You answer support tickets, and may issue refunds.', tools: [{ name: 'lookup', description: 'Look up a customer' }, { name: 'refund', description: 'Refund an order' }] }), n8n.workflows[1]!];

  const finance = expect2xx(await live.call<{ items: Array<{ id: string }> }>('GET', '/api/v1/agents?q=Finance%20reconciliation&tag=orca-demo', live.adminKey), 'find the finance agent');
  const approvalResource = 'bank/payouts/<img src=x onerror="window.__orcaXss=3">supplier-8812';
  const decision = expect2xx(
    await live.call<{ decision: string; approval?: { id: string } }>('POST', '/api/v1/policy/evaluate', live.adminKey, {
      agent_id: finance.items[0]!.id,
      action: 'transfer_funds',
      resource: approvalResource,
      classification: 'restricted',
      content: 'Pay invoice INV-2291 of 1,200 EUR to Northwind',
    }),
    'ask for a high-risk action',
  );
  if (decision.decision !== 'require_approval' || !decision.approval) throw new Error(`expected require_approval, got ${JSON.stringify(decision)}`);

  const target = expect2xx(
    await live.call<{ id: string }>('POST', '/api/v1/agents', live.adminKey, { name: 'Pricing experiment bot', kind: 'llm_agent', owner: 'growth', tags: [KILL_SWITCH_TAG] }),
    'create the kill-switch target',
  );
  return { n8n, sourceId: source.id, changedAgentId, approvalId: decision.approval.id, approvalResource, killSwitchAgentId: target.id };
}
