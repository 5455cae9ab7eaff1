import { Command } from 'commander';
import { ORCA_VERSION } from './platform/version.js';

type Register = (program: Command) => void;

/**
 * Every command, by the name that runs it, loaded on demand: a server (`orca start`) then carries none of the other
 * commands' code (the demo generator, the SLO compiler, doctor's checks) in its heap for its whole life.
 */
const COMMANDS: Record<string, () => Promise<Register[]>> = {
  start: async () => [(await import('./cli/commands/start.js')).registerStartCommand],
  migrate: async () => [(await import('./cli/commands/migrate.js')).registerMigrateCommand],
  doctor: async () => [(await import('./cli/commands/doctor.js')).registerDoctorCommand],
  keys: async () => [(await import('./cli/commands/keys.js')).registerKeysCommand],
  audit: async () => [(await import('./cli/commands/audit.js')).registerAuditCommand],
  // One module registers backup, restore and verify.
  backup: async () => [(await import('./cli/commands/backup.js')).registerBackupCommands],
  demo: async () => [(await import('./cli/commands/demo.js')).registerDemoCommand],
  slo: async () => [(await import('./cli/commands/slo.js')).registerSloCommand],
  discover: async () => [(await import('./cli/commands/discover.js')).registerDiscoverCommand],
  evidence: async () => [(await import('./cli/commands/evidence.js')).registerEvidenceCommand],
};
COMMANDS.restore = COMMANDS.backup!;
COMMANDS.verify = COMMANDS.backup!;

/** The command named first on the command line alone; every command for anything else (help, --version, a typo). */
async function commandsFor(argv: string[]): Promise<Register[]> {
  const named = argv[2];
  const load = named !== undefined && Object.hasOwn(COMMANDS, named) ? COMMANDS[named] : undefined;
  if (load) return load();
  const seen = new Set<() => Promise<Register[]>>();
  const all: Register[] = [];
  for (const loadOne of Object.values(COMMANDS)) {
    if (seen.has(loadOne)) continue;
    seen.add(loadOne);
    all.push(...(await loadOne()));
  }
  return all;
}

async function main(): Promise<void> {
  const program = new Command()
    .name('orca')
    .description('ORCA — control plane for AI agents and automations')
    .version(ORCA_VERSION)
    .showHelpAfterError();
  for (const register of await commandsFor(process.argv)) register(program);
  await program.parseAsync(process.argv);
}

main().catch((error: unknown) => {
  console.error(`orca: ${(error as Error).message}`);
  process.exitCode = 1;
});
