import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createSchema, serverUrl } from '../helpers/db.js';
import {
  axeViolations,
  chromiumAvailable,
  CHROMIUM_PATH,
  consolePages,
  KILL_SWITCH_TAG,
  launchChromium,
  seedGovernance,
  settled,
  signInThroughForm,
  startConsoleOrca,
  waitForRun,
  type ConsoleOrca,
  type GovernanceSeed,
} from '../helpers/console-browser.js';
import { cleanupOrcaProcesses, deferCleanup } from '../helpers/orca-process.js';

/**
 * The web console in a real browser (Debian's Chromium through playwright-core) against a live ORCA filled by
 * `orca demo`: sign-in with keys of each role, every page walked with axe-core (no serious or critical violation),
 * the writes an operator makes from the console, HTML in stored fields shown as text, CSRF, sign-out and an ended
 * session. Skipped with a message when Chromium is not installed, unless ORCA_REQUIRE_CHROMIUM=1 (CI) makes that a
 * failure.
 */

const REQUIRED = process.env.ORCA_REQUIRE_CHROMIUM === '1';
const AVAILABLE = chromiumAvailable();
const TIMEOUT_MS = 900_000;
/** An agent name that would run a script if the console ever rendered stored text as HTML. */
const XSS_NAME = '<img src=x onerror="window.__orcaXss=1">Evil agent';

afterAll(cleanupOrcaProcesses);

if (!AVAILABLE && REQUIRED) {
  it('has Chromium to drive (ORCA_REQUIRE_CHROMIUM=1)', () => {
    expect.fail(`ORCA_REQUIRE_CHROMIUM=1 but ${CHROMIUM_PATH} is missing: apt-get install -y chromium`);
  });
}

function consoleSuite(name: string, settings: () => Promise<Record<string, string>>) {
  describe.skipIf(!AVAILABLE)(AVAILABLE ? name : `${name} [skipped: ${CHROMIUM_PATH} not found; apt-get install -y chromium, or set ORCA_REQUIRE_CHROMIUM=1 to fail]`, { timeout: TIMEOUT_MS }, () => {
    let live: ConsoleOrca;
    let browser: Browser;
    let keys: Record<'viewer' | 'operator' | 'admin' | 'ingest', { id: string; secret: string }>;
    let xssAgentId: string;
    let quarantinedId: string;
    let seed: GovernanceSeed;

    beforeAll(async () => {
      live = await startConsoleOrca(await settings());
      keys = {
        viewer: await live.createKey('viewer', 'console-viewer'),
        operator: await live.createKey('operator', 'console-operator'),
        admin: await live.createKey('admin', 'console-admin'),
        ingest: await live.createKey('ingest', 'console-ingest'),
      };
      const created = await live.call<{ id: string }>('POST', '/api/v1/agents', live.adminKey, {
        name: XSS_NAME,
        kind: 'llm_agent',
        description: '<script>window.__orcaXss=2</script>',
        // In quarantine: the review queue lists it too.
        status: 'quarantined',
      });
      expect(created.status).toBe(201);
      xssAgentId = created.body.id;
      const quarantined = await live.call<{ items: Array<{ id: string }> }>('GET', '/api/v1/agents?status=quarantined&tag=orca-demo', live.adminKey);
      quarantinedId = quarantined.body.items[0]!.id;
      seed = await seedGovernance(live);
      // The demo's high-severity gaps fire the default sync-gap-opened rule; wait for the evaluation that records it.
      const deadline = Date.now() + 120_000;
      while ((await live.call<{ items: unknown[] }>('GET', '/api/v1/alerts?status=firing', live.adminKey)).body.items.length === 0) {
        if (Date.now() > deadline) throw new Error('no alert fired after the demo');
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      browser = await launchChromium();
    }, TIMEOUT_MS);

    afterAll(async () => {
      await browser?.close();
      await seed?.n8n.close();
    });

    const newPage = async (): Promise<{ context: BrowserContext; page: Page }> => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error' && !/Failed to load resource: the server responded with a status of (401|403|404)/.test(message.text())) problems.push(message.text());
      });
      (page as Page & { problems: string[] }).problems = problems;
      return { context, page };
    };
    const problemsOf = (page: Page) => (page as Page & { problems: string[] }).problems;

    it('sends / and any console page to the sign-in page, keeping the page wanted', async () => {
      const { context, page } = await newPage();
      await page.goto(`${live.baseUrl}/`);
      await page.waitForURL(`${live.baseUrl}/console/sign-in?next=%2Fconsole%2F`);
      await page.goto(`${live.baseUrl}/console/sync/gaps?status=open`);
      await page.waitForURL(`${live.baseUrl}/console/sign-in?next=${encodeURIComponent('/console/sync/gaps?status=open')}`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in to ORCA');
      expect(await axeViolations(page).then((found) => found.filter((v) => v.impact === 'serious' || v.impact === 'critical'))).toEqual([]);
      await context.close();
    });

    it('refuses a wrong, revoked or ingest key with a message that does not say whether the key exists', async () => {
      const { context, page } = await newPage();
      const revoked = await live.createKey('viewer', 'console-revoked');
      expect((await live.call('DELETE', `/api/v1/keys/${revoked.id}`, live.adminKey)).status).toBe(200);
      await page.goto(`${live.baseUrl}/console/sign-in`);
      const messages: string[] = [];
      for (const key of [`${keys.viewer.secret.slice(0, -3)}zzz`, revoked.secret, 'not-a-key', keys.ingest.secret]) {
        await page.getByLabel('API key').fill(key);
        await page.getByRole('button', { name: 'Sign in' }).click();
        const alert = page.locator('#sign-in-error');
        await alert.waitFor();
        messages.push((await alert.textContent()) ?? '');
        expect(await page.getByLabel('API key').inputValue()).toBe('');
      }
      expect(messages).toEqual([
        'This API key was not accepted.',
        'This API key was not accepted.',
        'This API key was not accepted.',
        'ingest keys only push data in; sign in with a viewer, operator or admin key',
      ]);
      expect((await context.cookies()).filter((cookie) => cookie.name === 'orca_session')).toEqual([]);
      await context.close();
    });

    it('as a viewer: every page loads with data, shows no write control, passes axe, and keeps the key out of the browser', async () => {
      const { context, page } = await newPage();
      await signInThroughForm(page, live.baseUrl, keys.viewer.secret);
      expect(new URL(page.url()).pathname).toBe('/console/');

      const [cookie] = (await context.cookies()).filter((candidate) => candidate.name === 'orca_session');
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: false, path: '/' });
      expect(cookie!.expires * 1000 - Date.now()).toBeGreaterThan(7.9 * 3_600_000);
      const stored = await page.evaluate<{ cookie: string; local: number; session: number; html: string }>(
        '({ cookie: document.cookie, local: localStorage.length, session: sessionStorage.length, html: document.documentElement.outerHTML })',
      );
      expect(stored.cookie).toBe('');
      expect(stored.local).toBe(0);
      expect(stored.session).toBe(0);
      expect(stored.html).not.toContain(keys.viewer.secret);

      const serious: string[] = [];
      for (const target of consolePages(quarantinedId)) {
        await page.goto(`${live.baseUrl}${target.path}`);
        await settled(page);
        const heading = (await page.locator('main h1').first().textContent()) ?? '';
        if (target.name === 'receivers') {
          expect(heading, target.path).toBe('Not available to your role');
          continue;
        }
        if (target.heading) expect(heading, target.path).toBe(target.heading);
        expect(await page.locator('.state-error').count(), `${target.path}: ${await page.locator('.state-error').allTextContents()}`).toBe(0);
        for (const label of ['Approve', 'Resolve', 'Silence…', 'Suspend', 'Retire', 'Quarantine', 'Expire now', 'Retry', 'Reject', 'Deny', 'Release', 'Preview blast radius']) {
          expect(await page.getByRole('button', { name: label, exact: true }).count(), `${target.path} shows ${label}`).toBe(0);
        }
        expect(await page.getByRole('button', { name: /^Run .* (now|again)$/ }).count(), `${target.path} offers a discovery run`).toBe(0);
        for (const violation of await axeViolations(page)) {
          if (violation.impact === 'serious' || violation.impact === 'critical') serious.push(`${target.path}: ${violation.id} (${violation.help}) at ${JSON.stringify(violation.nodes.slice(0, 3))}`);
        }
      }
      expect(serious).toEqual([]);
      // The new pages show the seeded data, stored HTML as text: the XSS agent waits in the review queue, the
      // approval's resource carries a payload too.
      await page.goto(`${live.baseUrl}/console/review`);
      await settled(page);
      expect(await page.getByRole('link', { name: XSS_NAME }).count()).toBe(1);
      await page.locator('.review-cause').first().waitFor();
      await page.goto(`${live.baseUrl}/console/approvals`);
      await settled(page);
      expect(await page.getByText(seed.approvalResource, { exact: true }).count()).toBeGreaterThan(0);
      expect(await page.evaluate<{ ran: unknown; images: number }>('({ ran: window.__orcaXss, images: document.querySelectorAll("img").length })')).toEqual({ ran: undefined, images: 0 });
      await page.goto(`${live.baseUrl}/console/discovery`);
      await settled(page);
      // A viewer sees runs, not sources (admin only: they hold credentials).
      expect(await page.getByRole('heading', { name: 'Sources' }).count()).toBe(0);
      expect(await page.locator('main table').first().locator('tbody tr').first().textContent()).toContain('found2new2linked0changed0unchanged0missing0');
      // Data arrived: the overview lists KPIs and the agents page the demo's agents.
      await page.goto(`${live.baseUrl}/console/agents?tag=orca-demo`);
      await settled(page);
      expect(await page.locator('main tbody tr').count()).toBe(12);
      // Keyboard: the first Tab reaches the skip link, which moves the focus to the page's content.
      await page.goto(`${live.baseUrl}/console/agents`);
      await settled(page);
      await page.keyboard.press('Tab');
      expect(await page.evaluate<string>('document.activeElement.textContent')).toBe('Skip to content');
      await page.keyboard.press('Enter');
      expect(await page.evaluate<string>('document.activeElement.id')).toBe('main');
      // The navigation lists the pages of the viewer's role only.
      expect(await page.getByRole('navigation', { name: 'Console' }).getByRole('link').allTextContents()).toEqual(['Overview', 'Agents', 'Review queue', 'Approvals', 'Sync', 'Alerts', 'Discovery', 'Kill switch', 'Reports']);
      expect(problemsOf(page)).toEqual([]);
      await context.close();
    });

    it('shows HTML in stored fields as text: the payload is visible, no element is made from it, no script runs', async () => {
      const { context, page } = await newPage();
      await signInThroughForm(page, live.baseUrl, keys.viewer.secret, '/console/agents?q=Evil');
      const link = page.getByRole('link', { name: XSS_NAME });
      expect(await link.count()).toBe(1);
      await link.click();
      await settled(page);
      expect(await page.locator('main h1').textContent()).toBe(XSS_NAME);
      expect(await page.getByText('<script>window.__orcaXss=2</script>').count()).toBe(1);
      const injected = await page.evaluate<{ ran: unknown; images: number; scripts: number }>(
        '({ ran: window.__orcaXss, images: document.querySelectorAll("img").length, scripts: [...document.querySelectorAll("script")].filter((script) => !script.src).length })',
      );
      expect(injected).toEqual({ ran: undefined, images: 0, scripts: 0 });
      expect(page.url()).toBe(`${live.baseUrl}/console/agents/${xssAgentId}`);
      await context.close();
    });

    it('as an operator: approves the quarantined agent, resolves a gap by hand, silences a firing alert; a write without the CSRF token is refused', async () => {
      const { context, page } = await newPage();
      await signInThroughForm(page, live.baseUrl, keys.operator.secret, `/console/agents/${quarantinedId}`);
      await page.getByRole('button', { name: 'Approve', exact: true }).click();
      await page.getByLabel('Reason (approve)').fill('reviewed in the console');
      await Promise.all([
        page.waitForResponse((response) => response.url().endsWith(`/api/v1/agents/${quarantinedId}/approve`) && response.status() === 200),
        page.getByRole('button', { name: 'Approve', exact: true }).click(),
      ]);
      await page.locator('main .page-header .badge', { hasText: 'active' }).waitFor();
      const approved = await live.call<{ status: string; status_reason: string }>('GET', `/api/v1/agents/${quarantinedId}`, live.adminKey);
      expect(approved.body).toMatchObject({ status: 'active', status_reason: 'reviewed in the console' });
      const history = await live.call<{ items: Array<{ action: string; actor: string }> }>('GET', `/api/v1/agents/${quarantinedId}/history?limit=200`, live.adminKey);
      expect(history.body.items.at(-1)).toMatchObject({ action: 'approve', actor: keys.operator.id });

      // Newest first, resolved ones included: the first Resolve button is the newest open duplicate gap's.
      await page.goto(`${live.baseUrl}/console/sync/gaps?type=duplicate`);
      await settled(page);
      const openBefore = (await live.call<{ items: Array<{ id: string }> }>('GET', '/api/v1/sync/gaps?status=open&type=duplicate', live.adminKey)).body.items;
      expect(openBefore.length).toBeGreaterThan(0);
      await page.getByRole('button', { name: 'Resolve', exact: true }).first().click();
      await page.getByLabel('Why is this gap resolved?').fill('<b>merged</b> by hand');
      await Promise.all([
        page.waitForResponse((response) => response.url().endsWith(`/api/v1/sync/gaps/${openBefore[0]!.id}/resolve`) && response.status() === 200),
        page.getByRole('button', { name: 'Resolve', exact: true }).first().click(),
      ]);
      await page.getByText('<b>merged</b> by hand', { exact: false }).waitFor();
      const resolved = await live.call<{ status: string; resolution: string; resolution_reason: string }>('GET', `/api/v1/sync/gaps/${openBefore[0]!.id}`, live.adminKey);
      expect(resolved.body).toMatchObject({ status: 'resolved', resolution: 'manual', resolution_reason: '<b>merged</b> by hand' });

      await page.goto(`${live.baseUrl}/console/alerts?status=firing`);
      await settled(page);
      const silencesBefore = (await live.call<{ items: unknown[] }>('GET', '/api/v1/silences', live.adminKey)).body.items.length;
      await page.getByRole('button', { name: 'Silence…' }).first().click();
      const form = page.locator('form.action-form');
      const matchers = (await form.getByLabel('Matchers (one per line; all must match)').inputValue()).split('\n');
      expect(matchers[0]).toMatch(/^alertname="/);
      await form.getByLabel('Comment').fill('known: the demo’s duplicates');
      await Promise.all([
        page.waitForResponse((response) => response.url().endsWith('/api/v1/silences') && response.request().method() === 'POST' && response.status() === 201),
        form.getByRole('button', { name: 'Create silence' }).click(),
      ]);
      const silences = (await live.call<{ items: Array<{ matchers: string[]; comment: string; created_by: string }> }>('GET', '/api/v1/silences', live.adminKey)).body.items;
      expect(silences.length).toBe(silencesBefore + 1);
      expect(silences[0]).toMatchObject({ matchers, comment: 'known: the demo’s duplicates', created_by: keys.operator.id });
      // (The alert itself may have resolved meanwhile — its gap was just resolved above — so the silence is checked on
      // the silences page.)
      await page.getByRole('link', { name: 'Silences' }).click();
      await settled(page);
      expect(await page.getByRole('cell', { name: 'known: the demo’s duplicates' }).count()).toBe(1);

      // The page's own session, without the token: refused, and nothing resolved.
      const gap = (await live.call<{ items: Array<{ id: string }> }>('GET', '/api/v1/sync/gaps?status=open', live.adminKey)).body.items[0]!;
      const forged = await page.evaluate(async (id) => {
        const response = await fetch(`/api/v1/sync/gaps/${id}/resolve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'forged' }) });
        return { status: response.status, body: (await response.json()) as { detail: string } };
      }, gap.id);
      expect(forged).toEqual({ status: 403, body: expect.objectContaining({ detail: 'a write made with a console session needs the X-CSRF-Token header of that session' }) });
      expect((await live.call<{ status: string }>('GET', `/api/v1/sync/gaps/${gap.id}`, live.adminKey)).body.status).toBe('open');
      expect(problemsOf(page)).toEqual([]);
      await context.close();
    });

    it('as an operator: starts a discovery run, approves the agent it sent to review, approves an action; previews a kill switch but may not execute it', async () => {
      const { context, page } = await newPage();
      await signInThroughForm(page, live.baseUrl, keys.operator.secret, '/console/discovery');
      // Not an admin: no sources section, so the run starts from the source's latest run.
      const [started] = await Promise.all([
        page.waitForResponse((response) => response.url().endsWith('/api/v1/discovery/runs') && response.request().method() === 'POST' && response.status() === 202),
        page.getByRole('button', { name: /^Run .* again$/ }).click(),
      ]);
      const run = await waitForRun(live, ((await started.json()) as { id: string }).id);
      expect(run).toMatchObject({ status: 'succeeded', found: 2, new: 0, linked: 0, changed: 1, unchanged: 1, missing: 0, trigger: 'api', requested_by: keys.operator.id });
      await page.getByRole('button', { name: 'Refresh runs' }).click();
      await settled(page);
      const newest = page.locator('main table').first().locator('tbody tr').first();
      expect(await newest.textContent()).toContain('found2new0linked0changed1unchanged1missing0');
      expect(await newest.locator('.badge').first().textContent()).toBe('succeeded');

      // The changed agent waits in the review queue with what changed.
      await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Review queue' }).click();
      await settled(page);
      const changed = page.locator('section', { has: page.getByRole('heading', { name: 'Changed since approval' }) }).locator('tbody tr', { hasText: 'Support agent' });
      await changed.locator('.review-cause').waitFor();
      expect(await changed.getByRole('list', { name: 'What changed' }).getByRole('listitem').allTextContents()).toEqual(['tool added: refund', 'prompt changed', 'config changed: nodes']);
      expect(await changed.locator('.review-cause').textContent()).toMatch(/Fingerprint [0-9a-f]{12} → [0-9a-f]{12}/);
      await changed.getByRole('button', { name: 'Approve', exact: true }).click();
      await changed.getByLabel('Why may it run?').fill('the refund tool is expected');
      await Promise.all([
        page.waitForResponse((response) => response.url().endsWith(`/api/v1/agents/${seed.changedAgentId}/approve`) && response.status() === 200),
        changed.getByRole('button', { name: 'Approve', exact: true }).click(),
      ]);
      await page.getByText('No approved agent has changed: nothing to review.').waitFor();
      const reviewed = await live.call<{ status: string; status_reason: string }>('GET', `/api/v1/agents/${seed.changedAgentId}`, live.adminKey);
      expect(reviewed.body).toMatchObject({ status: 'active', status_reason: 'the refund tool is expected' });

      // The pending approval, with its context; approved with a reason.
      await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Approvals' }).click();
      await settled(page);
      const pending = page.locator('section', { has: page.getByRole('heading', { name: 'Waiting for a decision' }) }).locator('tbody tr', { hasText: seed.approvalResource });
      expect(await pending.textContent()).toContain('transfer_funds');
      await pending.getByRole('link', { name: 'Finance reconciliation agent' }).waitFor();
      await pending.getByRole('button', { name: 'Approve', exact: true }).click();
      await pending.getByLabel('Why approve?').fill('invoice INV-2291 checked');
      await Promise.all([
        page.waitForResponse((response) => response.url().endsWith(`/api/v1/approvals/${seed.approvalId}/approve`) && response.status() === 200),
        pending.getByRole('button', { name: 'Approve', exact: true }).click(),
      ]);
      await page.locator('section', { has: page.getByRole('heading', { name: 'Waiting for a decision' }) }).locator('tbody tr', { hasText: seed.approvalResource }).waitFor({ state: 'detached' });
      const approval = await live.call<{ status: string; decided_by: string; reason: string }>('GET', `/api/v1/approvals/${seed.approvalId}`, live.adminKey);
      expect(approval.body).toMatchObject({ status: 'approved', decided_by: keys.operator.id, reason: 'invoice INV-2291 checked' });

      // An operator prepares the blast radius; only an admin executes it.
      await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Kill switch' }).click();
      await settled(page);
      await page.getByLabel('Tags', { exact: true }).fill(KILL_SWITCH_TAG);
      await page.getByRole('button', { name: 'Preview blast radius' }).click();
      await page.getByRole('heading', { name: 'Blast radius' }).waitFor();
      expect(await page.getByText('Only an admin may execute a kill switch').count()).toBe(1);
      expect(await page.getByRole('button', { name: /^Suspend / }).count()).toBe(0);
      expect(problemsOf(page)).toEqual([]);
      await context.close();
    });

    it('as an admin: previews a kill switch, executes it with a reason and releases it', async () => {
      const { context, page } = await newPage();
      await signInThroughForm(page, live.baseUrl, keys.admin.secret, '/console/kill-switch');
      // The form says what is wrong before asking ORCA.
      await page.getByRole('button', { name: 'Preview blast radius' }).click();
      expect(await page.getByRole('alert').textContent()).toBe('Give at least one criterion, or tick “every agent”.');
      await page.getByLabel('Tags', { exact: true }).fill(KILL_SWITCH_TAG);
      await page.getByRole('button', { name: 'Preview blast radius' }).click();
      const preview = page.locator('section', { has: page.getByRole('heading', { name: 'Blast radius' }) });
      await preview.waitFor();
      expect(await preview.locator('p').first().textContent()).toBe(`Selects 1 agent (tags: ${KILL_SWITCH_TAG}): 1 to suspend, 0 already suspended. By status: active 1.`);
      expect(await preview.locator('tbody tr').allTextContents()).toEqual(['Pricing experiment botllm agent, owner growthactivesuspend00']);
      const serious = (await axeViolations(page)).filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
      expect(serious).toEqual([]);
      await preview.getByRole('button', { name: 'Suspend 1 agent' }).click();
      await preview.getByLabel('Why stop these agents?', { exact: false }).fill('pricing bot misbehaves');
      const [executed] = await Promise.all([
        page.waitForResponse((response) => response.url().endsWith('/api/v1/kill-switch') && response.request().method() === 'POST' && response.status() === 201),
        preview.getByRole('button', { name: 'Suspend 1 agent' }).click(),
      ]);
      const activationId = ((await executed.json()) as { id: string }).id;
      expect((await live.call<{ status: string }>('GET', `/api/v1/agents/${seed.killSwitchAgentId}`, live.adminKey)).body.status).toBe('suspended');
      // Back to the form; the activation is listed, holding.
      await page.getByRole('button', { name: 'Preview blast radius' }).waitFor();
      const row = page.locator('section', { has: page.getByRole('heading', { name: 'Executed kill switches' }) }).locator('tbody tr', { hasText: 'pricing bot misbehaves' });
      expect(await row.textContent()).toContain(`tags: ${KILL_SWITCH_TAG}`);
      expect(await row.locator('.badge').textContent()).toBe('active');
      await row.getByRole('button', { name: 'Release', exact: true }).click();
      await row.getByLabel('Why release these agents?').fill('fixed the pricing bot');
      await Promise.all([
        page.waitForResponse((response) => response.url().endsWith(`/api/v1/kill-switch/${activationId}/release`) && response.status() === 200),
        row.getByRole('button', { name: 'Release', exact: true }).click(),
      ]);
      await row.locator('.badge', { hasText: 'released' }).waitFor();
      expect(await row.textContent()).toContain('released: 1 restored, 0 skipped, 0 held by another');
      expect((await live.call<{ status: string }>('GET', `/api/v1/agents/${seed.killSwitchAgentId}`, live.adminKey)).body.status).toBe('active');
      // The admin sees the discovery source (and may run it from there).
      await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Discovery' }).click();
      await settled(page);
      expect(await page.getByRole('button', { name: 'Run n8n-production now' }).count()).toBe(1);
      expect(problemsOf(page)).toEqual([]);
      await context.close();
    });

    it('as an admin: sees receivers and deliveries', async () => {
      const { context, page } = await newPage();
      await signInThroughForm(page, live.baseUrl, keys.admin.secret, '/console/alerts/receivers');
      expect(await page.getByRole('heading', { level: 2, name: 'Receivers' }).count()).toBe(1);
      expect(await page.getByRole('heading', { level: 2, name: 'Deliveries' }).count()).toBe(1);
      expect(await page.locator('.state-error').count()).toBe(0);
      await context.close();
    });

    it('sends a browser whose session ended back to sign-in with the page it wanted, and there after signing in', async () => {
      const { context, page } = await newPage();
      const doomed = await live.createKey('operator', 'console-doomed');
      await signInThroughForm(page, live.baseUrl, doomed.secret, '/console/agents');
      expect((await live.call('DELETE', `/api/v1/keys/${doomed.id}`, live.adminKey)).status).toBe(200);
      await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Sync' }).click();
      await page.waitForURL(`${live.baseUrl}/console/sign-in?next=${encodeURIComponent('/console/sync')}`);
      // By keyboard alone: Enter in the field submits the form.
      await page.getByLabel('API key').fill(keys.viewer.secret);
      await page.getByLabel('API key').press('Enter');
      await page.waitForURL(`${live.baseUrl}/console/sync`);
      await settled(page);
      expect(await page.locator('main h1').textContent()).toBe('Sync');
      await context.close();
    });

    it('signs out: the session is revoked on the server, not only forgotten by the browser', async () => {
      const { context, page } = await newPage();
      await signInThroughForm(page, live.baseUrl, keys.viewer.secret);
      const cookie = (await context.cookies()).find((candidate) => candidate.name === 'orca_session')!;
      const before = await fetch(`${live.baseUrl}/api/v1/session`, { headers: { cookie: `orca_session=${cookie.value}` } });
      expect(before.status).toBe(200);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/\/console\/sign-in/);
      expect((await context.cookies()).filter((candidate) => candidate.name === 'orca_session')).toEqual([]);
      const after = await fetch(`${live.baseUrl}/api/v1/session`, { headers: { cookie: `orca_session=${cookie.value}` } });
      expect(after.status).toBe(401);
      await context.close();
    });
  });
}

consoleSuite('the web console in Chromium [pglite]', async () => ({}));

describe.skipIf(!serverUrl)(serverUrl ? 'postgres leg' : 'postgres leg [skipped: ORCA_TEST_DATABASE_URL is unset]', () => {
  consoleSuite('the web console in Chromium [postgres]', async () => {
    const schema = await createSchema(serverUrl as string);
    deferCleanup(schema.drop);
    return { DATABASE_URL: schema.url };
  });
});
