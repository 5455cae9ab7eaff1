import type { Command } from 'commander';
import { configHelp } from '../config-help.js';
import { diagnose } from '../doctor/diagnose.js';
import { EXIT } from '../exit-codes.js';
import { loadConfigOrExit } from '../load-config.js';

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check configuration and dependencies with the same checks as /readyz (database, migrations, Redis when REDIS_URL is set); exit 1 when any fails')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', configHelp())
    .action(async (options: { json?: boolean }) => {
      const config = loadConfigOrExit();
      const diagnosis = await diagnose(config);
      if (options.json) console.log(JSON.stringify(diagnosis));
      else {
        console.log('configuration: ok');
        if (diagnosis.via) console.log(`checked by: ${diagnosis.via}, which holds the embedded database`);
        for (const [name, check] of Object.entries(diagnosis.checks)) {
          console.log(`${name}: ${check.status} (${check.latency_ms} ms)${check.detail ? ` — ${check.detail}` : ''}`);
        }
        for (const hint of diagnosis.hints) console.log(`hint: ${hint}`);
      }
      // Degraded (only Redis down) still serves and stays ready: exit 0, with the hint printed above.
      if (diagnosis.status === 'down') process.exitCode = EXIT.failure;
    });
}
