import type { DemoClient } from '../client.js';

/** What every step of a demo run shares: the server, the two keys' clients, and where progress and problems go. */
export interface DemoSession {
  /** ORCA base URL without a trailing slash */
  baseUrl: string;
  /** the admin key's client: agents, sources, contracts, incidents, reads */
  client: DemoClient;
  /** the client that pushes business data (a temporary ingest key, or the admin key when none could be made) */
  pusher: DemoClient;
  log: (line: string) => void;
  /** records a step the server refused or that could not run; the run goes on */
  note: (line: string) => void;
}
