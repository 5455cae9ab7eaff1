import type { Command } from 'commander';
import { createHealthChecks } from '../../modules/system/index.js';
import { openDatabase } from '../../platform/db/index.js';
import { createLogger } from '../../platform/telemetry/logger.js';
import { createMetrics } from '../../platform/telemetry/metrics.js';
import { configHelp } from '../config-help.js';
import { loadConfigOrExit } from '../load-config.js';

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check configuration and dependencies with the same checks as /readyz; exit 1 when any fails')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', configHelp())
    .action(async (options: { json?: boolean }) => {
      const config = loadConfigOrExit();
      const logger = createLogger({ level: 'silent' });
      let db;
      try {
        db = await openDatabase(config, logger, createMetrics());
      } catch (error) {
        const detail = (error as Error).message;
        if (options.json) console.log(JSON.stringify({ status: 'down', checks: { database: { status: 'down', detail } } }));
        else console.error(`database: down — ${detail}`);
        process.exitCode = 1;
        return;
      }
      try {
        const report = await createHealthChecks(db).run();
        if (options.json) console.log(JSON.stringify({ status: report.status, database: db.kind, checks: report.checks }));
        else {
          console.log('configuration: ok');
          for (const [name, check] of Object.entries(report.checks)) {
            console.log(`${name}: ${check.status} (${check.latency_ms} ms)${check.detail ? ` — ${check.detail}` : ''}`);
          }
          if (report.checks.migrations?.status === 'down') console.log('hint: run `orca migrate` (or start ORCA once) to apply them');
        }
        if (report.status !== 'ok') process.exitCode = 1;
      } finally {
        await db.close();
      }
    });
}
