/**
 * `orca start --demo`: once the server listens, the demo generator runs against it over HTTP, exactly as
 * `orca demo` would from another terminal. It runs in the background so that the server answers (and drains on
 * SIGTERM) meanwhile; its failure never stops the server.
 */
import type { RunningServer } from '../../server.js';
import { readAdminKey } from '../commands/demo.js';
import { DemoError, formatSummary, runDemo } from './run-demo.js';

export interface StartDemoOptions {
  server: RunningServer;
  dataDir: string;
  /** the admin key this start created and announced, if it did */
  announcedKey: string | undefined;
  write?: (text: string) => void;
}

/** Which key to drive the API with: the one just announced, else ORCA_DATA_DIR/admin.key, else a fresh one for 1 h. */
async function demoKey(options: StartDemoOptions): Promise<string> {
  const known = options.announcedKey ?? readAdminKey(options.dataDir);
  if (known) return known;
  // No key on disk (e.g. keys come from API_KEYS): a short-lived admin key made for the demo, audited as such.
  const created = await options.server.container.modules.keys.service.create(
    { id: 'system:demo', correlationId: null },
    { name: 'orca-demo (start --demo)', role: 'admin', expiresIn: '1h' },
    'cli',
  );
  return created.secret;
}

export function startDemoInBackground(options: StartDemoOptions): Promise<void> {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const { logger } = options.server.container;
  return (async () => {
    if (options.server.container.role === 'worker') {
      logger.warn('--demo needs the API: a worker serves only probes and metrics; run the demo against an api or all process');
      return;
    }
    try {
      const apiKey = await demoKey(options);
      write(`\nGenerating demo data against ${options.server.address} (orca demo --help for the options) …\n`);
      const summary = await runDemo({ url: options.server.address, apiKey, days: 3, seed: 42, settleSeconds: 40 });
      write(`\n${formatSummary(summary)}\n\n`);
    } catch (error) {
      if (error instanceof DemoError) logger.warn({ reason: error.message }, 'demo data not generated');
      else logger.warn({ err: error }, 'demo data generation stopped');
    }
  })();
}
