import type { Command } from 'commander';
import { withContainer } from '../open-container.js';

export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('inspect the audit log');
  audit
    .command('verify')
    .description('recompute the audit hash chain; exit 1 when an entry was modified or removed')
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean }) => {
      await withContainer(async (container) => {
        const report = await container.modules.audit.service.verify();
        if (options.json) console.log(JSON.stringify(report));
        else if (report.valid) console.log(`audit chain valid: ${report.entries_checked} entries, head ${report.head_seq} ${report.head_hash}`);
        else {
          console.log(`audit chain BROKEN (${report.entries_checked} entries checked):`);
          for (const problem of report.problems) console.log(`  seq ${problem.seq}: ${problem.problem} — ${problem.detail}`);
        }
        if (!report.valid) process.exitCode = 1;
      });
    });
}
