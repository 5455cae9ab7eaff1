import type { Command } from 'commander';
import { exitOnSignals, startServer } from '../../server.js';
import type { ProcessRole } from '../../platform/config/schema.js';
import { announceAdminKey } from '../admin-key-announcement.js';
import { configHelp } from '../config-help.js';
import { startDemoInBackground } from '../demo/start-demo.js';
import { loadConfigOrExit } from '../load-config.js';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('serve the ORCA API (migrates the database first, under an advisory lock)')
    .option('--role <role>', 'api | worker | all', 'all')
    .option('--demo', 'once listening, fill this ORCA with demo data (as `orca demo`; docs/demo.md)')
    .addHelpText('after', configHelp())
    .action(async (options: { role: string; demo?: boolean }) => {
      if (!['api', 'worker', 'all'].includes(options.role)) {
        console.error(`orca start: --role must be api, worker or all (got "${options.role}")`);
        process.exitCode = 2;
        return;
      }
      const config = loadConfigOrExit();
      // Before anything slow starts: a signal during start-up is held, not lost (docs/OPERATIONS.md, "Shutdown").
      const signals = exitOnSignals(config.shutdownTimeoutMs);
      let announcedKey: string | undefined;
      const server = await startServer(config, {
        role: options.role as ProcessRole,
        bootstrapKeys: {
          // Shown outside the logger (which would rightly redact it), and only to a terminal.
          announce: (secret, file) => {
            announcedKey = secret;
            announceAdminKey(process.stdout, secret, file, `http://${config.host}:${config.port}`);
          },
        },
      });
      signals.attach(server);
      if (options.demo) void startDemoInBackground({ server, dataDir: config.dataDir, announcedKey });
    });
}
