import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server on 127.0.0.1 standing in for whatever ORCA calls out to (an alert receiver, a callback).
 * It records every request it receives and answers as the test scripts it: by default 200 `{"ok":true}`.
 */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** performance.now() when the request's body had arrived. */
  receivedAt: number;
}

export type Responder = (request: RecordedRequest, response: http.ServerResponse) => void;

export interface TestReceiver {
  /** `http://127.0.0.1:<port>` plus `path`. */
  url(path?: string): string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** How the next requests are answered (until changed). */
  respond(responder: Responder): void;
  /** Answers with `status` and an optional body and headers. */
  answer(status: number, body?: string, headers?: Record<string, string>): void;
  /** Answers each next request with the next status of the list (the last one repeats). */
  answerInTurn(statuses: number[], headers?: Record<string, string>): void;
  /** Resolves when `count` requests in total have arrived. */
  received(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startTestReceiver(): Promise<TestReceiver> {
  const requests: RecordedRequest[] = [];
  let responder: Responder = (_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  let waiters: Array<{ count: number; wake: () => void }> = [];

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const recorded = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), receivedAt: performance.now() };
      requests.push(recorded);
      responder(recorded, response);
      const ready = waiters.filter((waiter) => requests.length >= waiter.count);
      waiters = waiters.filter((waiter) => requests.length < waiter.count);
      for (const waiter of ready) waiter.wake();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;

  const receiver: TestReceiver = {
    url: (path = '/') => `http://127.0.0.1:${port}${path}`,
    port,
    requests,
    respond(next) {
      responder = next;
    },
    answer(status, body = '', headers = {}) {
      responder = (_request, response) => response.writeHead(status, headers).end(body);
    },
    answerInTurn(statuses, headers = {}) {
      let index = 0;
      responder = (_request, response) => {
        const status = statuses[Math.min(index, statuses.length - 1)]!;
        index += 1;
        response.writeHead(status, headers).end();
      };
    },
    received(count) {
      if (requests.length >= count) return Promise.resolve();
      return new Promise((wake) => waiters.push({ count, wake }));
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return receiver;
}
