import http from 'node:http';

/**
 * The bounded load generator of the resilience suite: real HTTP on loopback (keep-alive sockets, like a client
 * fleet behind one load balancer), open loop at a fixed rate, so that a server that slows down during a fault is
 * still offered the same load rather than a politely smaller one. It is bounded: at most `maxInFlight` requests are
 * outstanding; a request due while the bound is reached is not sent and counted as `shed by the generator`, so that
 * neither the generator's memory nor the server's queue grows without end during a fault.
 *
 * Every request's outcome is kept with the phase (before, fault, recovery, after) it was sent in; the tests count
 * acknowledged writes from them and the report tallies them by kind.
 */

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** What identifies the write this request makes (an idempotency key), so that the test can look for it later. */
  key?: string;
}

export interface Outcome {
  phase: string;
  sentAt: number;
  doneAt: number;
  /** HTTP status, or 0 when no response came (see `error`). */
  status: number;
  /** The problem type of a problem+json answer, the body of a 2xx when `captureBody` is set. */
  body: string | undefined;
  error: string | undefined;
  key: string | undefined;
}

export interface LoadOptions {
  port: number;
  /** Requests per second offered. */
  rate: number;
  maxInFlight: number;
  next: () => LoadRequest;
  /** Keep 2xx bodies (e.g. to read the id of the row a request wrote). */
  captureBody?: boolean;
  /** A request without an answer after this long counts as `timeout` (it was never acknowledged). */
  requestTimeoutMs?: number;
}

export interface LoadRun {
  /** Requests sent from now on belong to `phase`. */
  mark(phase: string): void;
  /** Resolves with the time of the first 2xx to a request sent at or after `since` (performance.now()). */
  firstSuccessSince(since: number): Promise<number>;
  readonly outcomes: readonly Outcome[];
  /** Requests not sent because `maxInFlight` were outstanding, per phase. */
  readonly shed: Readonly<Record<string, number>>;
  /** Stops sending and waits for every outstanding request to settle. */
  stop(): Promise<void>;
}

/** The body marker of the 503 a closing server answers new requests with (docs/OPERATIONS.md, "Probes"). */
const CLOSING = 'fastify:closing';

/** What the tally and the assertions call an outcome: `2xx`, `503 unavailable`, `500`, `network ECONNRESET`, `timeout`. */
export function kindOf(outcome: Outcome): string {
  if (outcome.status === 0) return outcome.error === 'timeout' ? 'timeout' : `network ${outcome.error ?? 'error'}`;
  if (outcome.status >= 200 && outcome.status < 300) return '2xx';
  if (outcome.body === CLOSING) return `${outcome.status} shutting down`;
  const problem = outcome.body?.startsWith('urn:orca:problem:') ? ` ${outcome.body.slice('urn:orca:problem:'.length)}` : '';
  return `${outcome.status}${problem}`;
}

function send(agent: http.Agent, port: number, request: LoadRequest, captureBody: boolean, timeoutMs: number): Promise<Pick<Outcome, 'status' | 'body' | 'error'>> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (value: Pick<Outcome, 'status' | 'body' | 'error'>) => {
      if (settled) return;
      settled = true;
      resolve(value);
    };
    const outgoing = http.request({ host: '127.0.0.1', port, method: request.method, path: request.path, headers: request.headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (error: NodeJS.ErrnoException) => settle({ status: 0, body: undefined, error: error.code ?? error.message }));
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        const text = Buffer.concat(chunks).toString('utf8');
        let body: string | undefined;
        if (status >= 200 && status < 300) body = captureBody ? text : undefined;
        else {
          try {
            const parsed = JSON.parse(text) as { type?: unknown; error?: unknown };
            // Fastify's own answer while the server closes (return503OnClosing) is plain JSON; ORCA's drain gate replaces it,
            // so seeing it again is a regression the cases report as `503 shutting down`.
            body = parsed.type !== undefined ? String(parsed.type) : status === 503 && parsed.error === 'Service Unavailable' ? CLOSING : '';
          } catch {
            body = '';
          }
        }
        settle({ status, body, error: undefined });
      });
    });
    outgoing.setTimeout(timeoutMs, () => {
      settle({ status: 0, body: undefined, error: 'timeout' });
      outgoing.destroy();
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => settle({ status: 0, body: undefined, error: error.code ?? error.message }));
    outgoing.end(request.body);
  });
}

/** Starts offering `rate` requests per second until stop(). */
export function startLoad(options: LoadOptions): LoadRun {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxInFlight });
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const outcomes: Outcome[] = [];
  const shed: Record<string, number> = {};
  const pending = new Set<Promise<void>>();
  let waiters: Array<{ since: number; wake: (at: number) => void }> = [];
  let phase = 'before';
  let issued = 0;
  let stopped = false;
  const started = performance.now();

  const fire = () => {
    const request = options.next();
    const sentAt = performance.now();
    const sentPhase = phase;
    const done = send(agent, options.port, request, options.captureBody ?? false, timeoutMs).then((answer) => {
      const outcome: Outcome = { phase: sentPhase, sentAt, doneAt: performance.now(), key: request.key, ...answer };
      outcomes.push(outcome);
      if (outcome.status >= 200 && outcome.status < 300 && waiters.length > 0) {
        const woken = waiters.filter((waiter) => sentAt >= waiter.since);
        waiters = waiters.filter((waiter) => sentAt < waiter.since);
        for (const waiter of woken) waiter.wake(outcome.doneAt);
      }
    });
    pending.add(done);
    void done.finally(() => pending.delete(done));
  };

  // Each tick sends what the rate says is due by now; what the bound does not allow is shed, not postponed, so that a
  // stalled server is not hit by a backlog all at once when it comes back (the load stays the offered rate).
  const tick = () => {
    if (stopped) return;
    const due = Math.floor(((performance.now() - started) / 1000) * options.rate) - issued;
    for (let index = 0; index < due; index += 1) {
      issued += 1;
      if (pending.size >= options.maxInFlight) shed[phase] = (shed[phase] ?? 0) + 1;
      else fire();
    }
    setTimeout(tick, 2);
  };
  tick();

  return {
    mark(next) {
      phase = next;
    },
    firstSuccessSince(since) {
      const already = outcomes.find((outcome) => outcome.sentAt >= since && outcome.status >= 200 && outcome.status < 300);
      if (already) return Promise.resolve(already.doneAt);
      return new Promise((wake) => waiters.push({ since, wake }));
    },
    outcomes,
    shed,
    async stop() {
      stopped = true;
      while (pending.size > 0) await Promise.all([...pending]);
      agent.destroy();
    },
  };
}

/**
 * The rate this server sustains on this machine now: `connections` closed-loop clients for `durationMs`, counting
 * 2xx answers per second. The suite offers twice this (docs/OPERATIONS.md, "Failures ORCA survives").
 */
export async function measureRate(options: { port: number; connections: number; durationMs: number; next: () => LoadRequest }): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const started = performance.now();
  let ok = 0;
  const client = async () => {
    while (performance.now() - started < options.durationMs) {
      const answer = await send(agent, options.port, options.next(), false, 30_000);
      if (answer.status >= 200 && answer.status < 300) ok += 1;
    }
  };
  await Promise.all(Array.from({ length: options.connections }, client));
  agent.destroy();
  return ok / ((performance.now() - started) / 1000);
}
