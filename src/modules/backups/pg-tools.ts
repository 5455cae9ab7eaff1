import { spawn } from 'node:child_process';
import { BackupError } from './manifest.js';

export type PgTool = 'pg_dump' | 'pg_restore';

function missingClient(program: PgTool): BackupError {
  return new BackupError(
    `${program} was not found on PATH: backing up or restoring a PostgreSQL server needs the PostgreSQL client programs ` +
      "(Debian/Ubuntu: apt-get install postgresql-client; its major version must be at least the server's)",
  );
}

/**
 * Runs a PostgreSQL client program (found on PATH by the system, never through a shell) and resolves with its
 * stdout; rejects with a BackupError carrying the end of its stderr, or naming the missing client.
 */
export function runPgTool(program: PgTool, args: string[], signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(signal ? { signal } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 16_384) stderr += chunk.toString('utf8');
    });
    child.on('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? missingClient(program) : new BackupError(`${program} could not run: ${error.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new BackupError(`${program} failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' / ')}`));
    });
  });
}

/** Checks the client is installed before any work starts, so a missing client fails fast and says which. */
export async function requirePgTool(program: PgTool): Promise<void> {
  await runPgTool(program, ['--version']);
}

/**
 * DATABASE_URL as libpq reads it. node-postgres decodes a query string as a form (`+` is a space, as in
 * `options=-c+search_path=…`); libpq decodes only percent escapes, so every parameter is re-encoded with them.
 */
export function libpqUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  const query = [...url.searchParams].map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&');
  url.search = query;
  return url.toString();
}
