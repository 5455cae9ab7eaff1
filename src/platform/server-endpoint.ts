import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The embedded database belongs to one process (its data directory is locked), so a CLI command started beside a
 * running `orca start` cannot open it. The server leaves its address in the data directory, and such a command
 * talks to the server's API instead (docs/CLI.md). The file holds no secret: the address and the owner's pid.
 */
export interface ServerEndpoint {
  pid: number;
  url: string;
}

const FILE_NAME = 'orca.server.json';

export function serverEndpointFile(dataDir: string): string {
  return join(dataDir, FILE_NAME);
}

/** Written once listening; returns the function that removes it (only if it is still this process's). */
export function publishServerEndpoint(dataDir: string, url: string): () => void {
  const file = serverEndpointFile(dataDir);
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is ORCA_DATA_DIR/orca.server.json, from configuration, never a request's
  writeFileSync(file, `${JSON.stringify({ pid: process.pid, url } satisfies ServerEndpoint)}\n`, { mode: 0o600 });
  return () => {
    if (readServerEndpoint(dataDir)?.pid === process.pid) rmSync(file, { force: true });
  };
}

/** The endpoint of a live server on this data directory, or undefined (none, or left by a process that died). */
export function readServerEndpoint(dataDir: string): ServerEndpoint | undefined {
  let parsed: unknown;
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is ORCA_DATA_DIR/orca.server.json, from configuration, never a request's
    parsed = JSON.parse(readFileSync(serverEndpointFile(dataDir), 'utf8'));
  } catch {
    return undefined;
  }
  const { pid, url } = (parsed ?? {}) as Partial<ServerEndpoint>;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0 || typeof url !== 'string') return undefined;
  return isAlive(pid) ? { pid, url } : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
