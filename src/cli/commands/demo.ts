import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { OrcaConfig } from '../../platform/config/schema.js';
import { DemoError, formatSummary, runDemo } from '../demo/run-demo.js';
import { EXIT } from '../exit-codes.js';
import { loadConfigOrExit } from '../load-config.js';

function fail(message: string): void {
  console.error(`orca demo: ${message}`);
  process.exitCode = EXIT.failure;
}

/** The URL a local client reaches this configuration's server at (a wildcard listen address is reached on loopback). */
export function localUrl(config: Pick<OrcaConfig, 'host' | 'port'>): string {
  const host = ['0.0.0.0', '::', ''].includes(config.host) ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host}:${config.port}`;
}

/** The admin key the first start wrote to ORCA_DATA_DIR/admin.key, or null when there is none. */
export function readAdminKey(dataDir: string): string | null {
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is the admin key file under ORCA_DATA_DIR, from configuration, never a request's
    const key = readFileSync(join(dataDir, 'admin.key'), 'utf8').trim();
    return key === '' ? null : key;
  } catch {
    return null;
  }
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('fill a running ORCA with a realistic demo organisation through its HTTP API (docs/demo.md)')
    .option('--url <url>', 'ORCA base URL (default: http://HOST:PORT from the configuration)')
    .option('--key <key>', 'admin API key (default: the one in $ORCA_DATA_DIR/admin.key)')
    .option('--days <days>', 'days of history to generate (1 to 30)', '3')
    .option('--seed <seed>', 'seed of the generator: the same seed gives the same data', '42')
    .option('--settle <seconds>', 'how long to wait for the sweep before sending the late follow-ups (0 sends them at once)', '40')
    .option('--json', 'print the summary as JSON')
    .action(async (options: { url?: string; key?: string; days: string; seed: string; settle: string; json?: boolean }) => {
      const days = Number(options.days);
      const seed = Number(options.seed);
      const settle = Number(options.settle);
      if (!Number.isInteger(days) || days < 1 || days > 30) return fail('--days must be an integer from 1 to 30');
      if (!Number.isInteger(seed) || seed < 0 || seed > 4_294_967_295) return fail('--seed must be an integer from 0 to 4294967295');
      if (!Number.isFinite(settle) || settle < 0 || settle > 600) return fail('--settle must be a number of seconds from 0 to 600');
      let url = options.url;
      let key = options.key;
      if (url === undefined || key === undefined) {
        const config = loadConfigOrExit();
        url ??= localUrl(config);
        key ??= readAdminKey(config.dataDir) ?? undefined;
        if (key === undefined) return fail(`no --key given and no admin key in ${join(config.dataDir, 'admin.key')}`);
      }
      if (!/^https?:\/\/[^\s]+$/.test(url)) return fail('--url must be an http(s) URL such as http://127.0.0.1:3000');
      try {
        const summary = await runDemo({
          url,
          apiKey: key,
          days,
          seed,
          settleSeconds: settle,
          log: options.json ? undefined : (line) => console.log(line),
        });
        console.log(options.json ? JSON.stringify(summary) : `\n${formatSummary(summary)}`);
      } catch (error) {
        if (error instanceof DemoError) return fail(error.message);
        throw error;
      }
    });
}
