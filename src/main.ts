import { Command } from 'commander';
import { registerAuditCommand } from './cli/commands/audit.js';
import { registerBackupCommands } from './cli/commands/backup.js';
import { registerDemoCommand } from './cli/commands/demo.js';
import { registerDiscoverCommand } from './cli/commands/discover.js';
import { registerDoctorCommand } from './cli/commands/doctor.js';
import { registerEvidenceCommand } from './cli/commands/evidence.js';
import { registerKeysCommand } from './cli/commands/keys.js';
import { registerMigrateCommand } from './cli/commands/migrate.js';
import { registerSloCommand } from './cli/commands/slo.js';
import { registerStartCommand } from './cli/commands/start.js';
import { ORCA_VERSION } from './platform/version.js';

const program = new Command()
  .name('orca')
  .description('ORCA — control plane for AI agents and automations')
  .version(ORCA_VERSION)
  .showHelpAfterError();

registerStartCommand(program);
registerMigrateCommand(program);
registerDoctorCommand(program);
registerKeysCommand(program);
registerAuditCommand(program);
registerBackupCommands(program);
registerDemoCommand(program);
registerSloCommand(program);
registerDiscoverCommand(program);
registerEvidenceCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`orca: ${(error as Error).message}`);
  process.exitCode = 1;
});
