import type { Command } from 'commander';
import { AppError } from '../../platform/errors.js';
import { ROLES, type Role } from '../../platform/http/roles.js';
import { withKeyStore, type KeyStore } from '../key-store.js';
import { loadConfigOrExit } from '../load-config.js';
import { ServerApiError } from '../server-api.js';

function fail(message: string): void {
  console.error(`orca keys: ${message}`);
  process.exitCode = 1;
}

/** Opens the key store (database, or the running server's API) and turns a refusal into one line and exit 1. */
async function withKeys(fn: (store: KeyStore) => Promise<void>): Promise<void> {
  try {
    await withKeyStore(loadConfigOrExit(), async (store) => {
      if (store.via) console.error(`orca keys: ${store.via}`);
      await fn(store);
    });
  } catch (error) {
    if (error instanceof ServerApiError) return fail(error.message);
    throw error;
  }
}

export function registerKeysCommand(program: Command): void {
  const keys = program
    .command('keys')
    .description('create, list and revoke API keys (on the database; through the running server when it holds the embedded one)');

  keys
    .command('create')
    .description('create a key and print its secret once')
    .requiredOption('--name <name>', 'a name saying who or what uses the key')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--expires <duration>', 'lifetime such as 30d or 12h (default: never)')
    .option('--json', 'print the result as JSON')
    .action(async (options: { name: string; role: string; expires?: string; json?: boolean }) => {
      if (!ROLES.includes(options.role as Role)) return fail(`--role must be one of ${ROLES.join(', ')}`);
      if (options.name.trim() === '' || options.name.length > 100) return fail('--name must be 1 to 100 characters');
      await withKeys(async (store) => {
        let created;
        try {
          created = await store.create({ name: options.name, role: options.role as Role, expiresIn: options.expires });
        } catch (error) {
          if (error instanceof AppError && error.code === 'validation_failed') return fail(`--expires ${error.message.replace(/^expires_in /, '')}`);
          throw error;
        }
        if (options.json) console.log(JSON.stringify(created));
        else {
          console.log(`created ${created.key.role} key "${created.key.name}" (id ${created.key.id}, prefix ${created.key.prefix})`);
          console.log(`expires: ${created.key.expires_at ?? 'never'}`);
          console.log('secret (shown only now):');
          console.log(created.secret);
        }
      });
    });

  keys
    .command('list')
    .description('list keys (never their secrets)')
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean }) => {
      await withKeys(async (store) => {
        const all = await store.listAll();
        if (options.json) return console.log(JSON.stringify(all));
        if (all.length === 0) return console.log('no keys');
        for (const key of all) {
          console.log(
            `${key.id}  ${key.prefix.padEnd(14)} ${key.role.padEnd(8)} ${key.status.padEnd(7)} ${key.name}  last used: ${key.last_used_at ?? 'never'}  expires: ${key.expires_at ?? 'never'}`,
          );
        }
      });
    });

  keys
    .command('revoke <id>')
    .description('revoke a key (takes effect within 1 s on every replica)')
    .option('--json', 'print the result as JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return fail('the id must be a key id as printed by `orca keys list`');
      await withKeys(async (store) => {
        const revoked = await store.revoke(id);
        if (options.json) console.log(JSON.stringify(revoked));
        else console.log(`revoked key ${revoked.id} ("${revoked.name}")`);
      });
    });
}
