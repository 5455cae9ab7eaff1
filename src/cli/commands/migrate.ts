import type { Command } from 'commander';
import { openDatabase } from '../../platform/db/index.js';
import { migrate } from '../../platform/db/migrate.js';
import { createLogger } from '../../platform/telemetry/logger.js';
import { createMetrics } from '../../platform/telemetry/metrics.js';
import { configHelp } from '../config-help.js';
import { loadConfigOrExit } from '../load-config.js';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (safe to run while replicas start: an advisory lock serialises them)')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', configHelp())
    .action(async (options: { json?: boolean }) => {
      const config = loadConfigOrExit();
      const logger = createLogger({ level: 'warn' });
      const db = await openDatabase(config, logger, createMetrics());
      try {
        const report = await migrate(db);
        const applied = report.applied.map((m) => `${String(m.version).padStart(4, '0')}_${m.name}`);
        if (options.json) console.log(JSON.stringify({ applied, schema_version: report.current, database: db.kind }));
        else if (applied.length === 0) console.log(`database (${db.kind}) is up to date at schema version ${report.current}`);
        else console.log(`applied ${applied.join(', ')}; schema version is now ${report.current}`);
      } finally {
        await db.close();
        logger.flush();
      }
    });
}
