import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { HOST } from './server-process.js';

/** One notification as it arrived: when (performance.now() of this process), its id and its firing alerts' agents. */
export interface Arrival {
  at: number;
  webhookId: string;
  agentIds: string[];
}

/**
 * A local webhook receiver in the harness process (the outside world, not the system under test): it records when
 * each notification arrives and answers 200 — or, while held, keeps the answers back until `release()`, so that a
 * backlog of deliveries can build up in ORCA's queue before it is drained.
 */
export async function startReceiver() {
  const arrivals: Arrival[] = [];
  const held: ServerResponse[] = [];
  let holding = false;
  let answered = 0;
  let waiter: { count: number; resolve: () => void } | undefined;

  function answer(response: ServerResponse): void {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    answered += 1;
    if (waiter && answered >= waiter.count) waiter.resolve();
  }

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const at = performance.now();
      let agentIds: string[] = [];
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { alerts?: Array<{ status: string; labels: Record<string, string> }> };
        agentIds = (body.alerts ?? []).filter((alert) => alert.status === 'firing').flatMap((alert) => (alert.labels.agent_id ? [alert.labels.agent_id] : []));
      } catch {
        // not JSON: counted, matched to nothing
      }
      arrivals.push({ at, webhookId: String(request.headers['webhook-id'] ?? ''), agentIds });
      if (holding) held.push(response);
      else answer(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('the receiver got no port');

  return {
    url: `http://${HOST}:${address.port}/hook`,
    arrivals,
    /** Notifications answered 200 so far. */
    answered: () => answered,
    hold(): void {
      holding = true;
    },
    /** Answers every held request and every later one at once; returns when it did (performance.now()). */
    release(): number {
      holding = false;
      const at = performance.now();
      for (const response of held.splice(0)) answer(response);
      return at;
    },
    /** Resolves once `count` notifications have been answered, or after `timeoutMs` (false). */
    async waitForAnswered(count: number, timeoutMs: number): Promise<boolean> {
      if (answered >= count) return true;
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          waiter = undefined;
          resolve(false);
        }, timeoutMs);
        waiter = {
          count,
          resolve: () => {
            clearTimeout(timer);
            waiter = undefined;
            resolve(true);
          },
        };
      });
    },
    async close(): Promise<void> {
      for (const response of held.splice(0)) answer(response);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
