// `npm run console:screenshots`: screenshots of every console page into docs/console/, shown in the README and
// docs/console.md. A real run: the console built, `orca start` serving it, `orca demo` filling it, Debian's Chromium
// (`apt-get install chromium`) signed in with an admin key.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupOrcaProcesses } from '../test/helpers/orca-process.js';
import { CHROMIUM_PATH, chromiumAvailable, consolePages, launchChromium, settled, signInThroughForm, startConsoleOrca } from '../test/helpers/console-browser.js';
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
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(`${live.baseUrl}/console/`);
    await page.waitForURL(/\/console\/sign-in/);
    await page.screenshot({ path: join(OUT, 'sign-in.png') });
    await signInThroughForm(page, live.baseUrl, live.adminKey, '/console/?window=7d');
    for (const target of consolePages(agentId)) {
      await page.goto(`${live.baseUrl}${target.path}${target.name === 'overview' ? '?window=7d' : ''}`);
      await settled(page);
      await page.screenshot({ path: join(OUT, `${target.name}.png`), fullPage: true });
      console.log(`docs/console/${target.name}.png`);
    }
  } finally {
    await browser.close();
  }
} finally {
  await cleanupOrcaProcesses();
}
