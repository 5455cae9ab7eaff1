// `npm run console:screenshots`: screenshots of every console page into docs/console/, shown in the README and
// docs/console.md. A real run: the console built, `orca start` serving it, `orca demo` filling it, Debian's Chromium
// (`apt-get install chromium`) signed in with an admin key.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupOrcaProcesses } from '../test/helpers/orca-process.js';
import {
  CHROMIUM_PATH,
  chromiumAvailable,
  consolePages,
  KILL_SWITCH_TAG,
  launchChromium,
  runDiscovery,
  seedGovernance,
  settled,
  signInThroughForm,
  startConsoleOrca,
} from '../test/helpers/console-browser.js';
import { REPO } from './lib/console-build.js';

const OUT = join(REPO, 'docs/console');

if (!chromiumAvailable()) {
  console.error(`console:screenshots needs Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`);
  process.exit(1);
}

try {
  mkdirSync(OUT, { recursive: true });
  console.log('starting ORCA and filling it with `orca demo` …');
  const live = await startConsoleOrca();
  const report = await live.call<{ top_risky_agents: Array<{ agent_id: string }> }>('GET', '/api/v1/reports/executive?window=7d', live.adminKey);
  const agentId = report.body.top_risky_agents[0]?.agent_id;
  if (!agentId) throw new Error('the demo left no agent with a trust score');
  // The governance pages' data: a discovery source whose second run sends a changed agent to review, a pending
  // approval, and one kill switch executed (on an agent of its own).
  const seed = await seedGovernance(live);
  await runDiscovery(live, seed.sourceId);
  const preview = await live.call<{ preview_token: string }>('POST', '/api/v1/kill-switch/preview', live.adminKey, { selector: { tags: [KILL_SWITCH_TAG] } });
  await live.call('POST', '/api/v1/kill-switch', live.adminKey, { preview_token: preview.body.preview_token, reason: 'pricing bot sent wrong prices' });
  // Signed in with a key of its own: the pending approval was asked with the admin key, which may not decide it.
  const person = await live.createKey('admin', 'platform-lead');
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(`${live.baseUrl}/console/`);
    await page.waitForURL(/\/console\/sign-in/);
    await page.screenshot({ path: join(OUT, 'sign-in.png') });
    await signInThroughForm(page, live.baseUrl, person.secret, '/console/?window=7d');
    for (const target of consolePages(agentId)) {
      await page.goto(`${live.baseUrl}${target.path}${target.name === 'overview' ? '?window=7d' : ''}`);
      await settled(page);
      if (target.name === 'kill-switch') {
        // With a blast radius shown: the demo organisation's agents.
        await page.getByLabel('Tags', { exact: true }).fill('orca-demo');
        await page.getByRole('button', { name: 'Preview blast radius' }).click();
        await page.getByRole('heading', { name: 'Blast radius' }).waitFor();
      }
      await page.screenshot({ path: join(OUT, `${target.name}.png`), fullPage: true });
      console.log(`docs/console/${target.name}.png`);
    }
  } finally {
    await browser.close();
    await seed.n8n.close();
  }
} finally {
  await cleanupOrcaProcesses();
}
