import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OrcaConfig } from '../platform/config/schema.js';
import { readServerEndpoint, type ServerEndpoint } from '../platform/server-endpoint.js';

/** A refusal the CLI prints as one line (the problem's detail) and exits 1 on. */
export class ServerApiError extends Error {}

export interface ServerApi {
  endpoint: ServerEndpoint;
  request<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** A GET whose answer is streamed (an archive), with no time limit; a refusal throws like `request`. */
  download(path: string): Promise<Response>;
}

/** The one line a refusal prints: the problem's detail when the body is a problem document. */
function refusal(status: number, text: string): ServerApiError {
  let detail = text;
  try {
    detail = (JSON.parse(text) as { detail?: string }).detail ?? text;
  } catch {
    // not problem+json: show the body as it came
  }
  return new ServerApiError(`the running ORCA answered ${status}: ${detail}`);
}

/**
 * With the embedded database and a server running on the same data directory, the CLI cannot open the database
 * (the server holds its lock): it calls that server's API instead, as the admin key the first start saved beside
 * the database. Returns undefined when the CLI should open the database itself.
 */
export function runningServerApi(config: Readonly<OrcaConfig>): ServerApi | undefined {
  if (config.databaseUrl) return undefined;
  const endpoint = readServerEndpoint(config.dataDir);
  if (!endpoint) return undefined;
  const keyFile = join(config.dataDir, 'admin.key');
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is the admin key file under ORCA_DATA_DIR, from configuration, never a request's
  if (!existsSync(keyFile)) {
    throw new ServerApiError(
      `ORCA is running on ${config.dataDir} (pid ${endpoint.pid}, ${endpoint.url}) and holds its database, and ${keyFile} is gone: ` +
        'stop the server and run the command again, or call the API with an admin key',
    );
  }
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is the admin key file under ORCA_DATA_DIR, from configuration, never a request's
  const key = readFileSync(keyFile, 'utf8').trim();
  return {
    endpoint,
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      let response: Response;
      try {
        response = await fetch(new URL(path, endpoint.url), {
          method,
          headers: { 'x-api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(10_000),
        });
      } catch (error) {
        throw new ServerApiError(`the running ORCA (pid ${endpoint.pid}) did not answer at ${endpoint.url}: ${(error as Error).message}`);
      }
      const text = await response.text();
      if (!response.ok) throw refusal(response.status, text);
      return JSON.parse(text) as T;
    },
    async download(path: string): Promise<Response> {
      let response: Response;
      try {
        response = await fetch(new URL(path, endpoint.url), { headers: { 'x-api-key': key } });
      } catch (error) {
        throw new ServerApiError(`the running ORCA (pid ${endpoint.pid}) did not answer at ${endpoint.url}: ${(error as Error).message}`);
      }
      if (!response.ok) throw refusal(response.status, await response.text());
      return response;
    },
  };
}
