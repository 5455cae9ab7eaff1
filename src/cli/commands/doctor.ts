import type { Command } from 'commander';
import { configHelp } from '../config-help.js';
import { checkConfiguration } from '../doctor/configuration-check.js';
import { diagnose } from '../doctor/diagnose.js';
import { renderDiagnosis } from '../doctor/render.js';
import { EXIT } from '../exit-codes.js';

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description(
      'check everything a run needs: configuration, data and backup directories, database and migrations, Redis when REDIS_URL is set, ' +
        'clock skew, receivers, backup age; each problem with its fix (docs/CLI.md); exit 1 when any fails, 2 on invalid configuration',
    )
    .option('--json', 'print the result as JSON')
    .addHelpText('after', configHelp())
    .action(async (options: { json?: boolean }) => {
      const configuration = checkConfiguration();
      const diagnosis = await diagnose(configuration);
      if (options.json) console.log(JSON.stringify(diagnosis));
      else for (const text of renderDiagnosis(diagnosis)) console.log(text);
      // Degraded (warnings, or only Redis down) still serves and stays ready: exit 0, with the hints printed above.
      if (!configuration.config) process.exitCode = EXIT.invalidConfig;
      else if (diagnosis.status === 'down') process.exitCode = EXIT.failure;
    });
}
