import { userInfo } from 'node:os';
import { createContainer, type Container } from '../container.js';
import type { OrcaConfig } from '../platform/config/schema.js';
import { createLogger } from '../platform/telemetry/logger.js';
import { loadConfigOrExit } from './load-config.js';

/**
 * CLI commands that act on data (keys, audit) work directly on the database with the same services the API
 * uses; they migrate first so that they work on a fresh data directory too.
 */
export async function withContainer<T>(fn: (container: Container) => Promise<T>, config: Readonly<OrcaConfig> = loadConfigOrExit()): Promise<T> {
  // Role `api` starts no background loop: a one-shot command must not sweep, snapshot or quarantine on the side.
  const container = await createContainer(config, { role: 'api', logger: createLogger({ level: 'warn', destination: process.stderr }) });
  try {
    return await fn(container);
  } finally {
    await container.close();
  }
}

/** Who the CLI acts as, in the audit log: the operating-system user on this machine. */
export function cliActor(): { id: string; correlationId: string | null } {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (some containers): keep "unknown"
  }
  return { id: `cli:${user}`, correlationId: null };
}
