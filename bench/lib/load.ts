import autocannon from 'autocannon';
import type { LoadSettings } from './types.js';

export class LoadError extends Error {}

export interface Burst {
  result: autocannon.Result;
  /** Time of every 2xx response in milliseconds, as autocannon measured it (request written → response read). */
  latenciesMs: number[];
}

/** A request with a body (every request of the run sends the same one); without it, a GET. */
export interface RequestBody {
  method: 'POST' | 'PUT';
  body: string;
}

/** One autocannon run against one URL; the caller decides what to do with errors (see `failures`). */
export function fire(url: string, settings: LoadSettings, seconds: number, headers: Record<string, string>, request?: RequestBody): Promise<Burst> {
  const latenciesMs: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        headers,
        ...(request ? { method: request.method, body: request.body } : {}),
        connections: settings.connections,
        pipelining: settings.pipelining,
        duration: seconds,
        ...(settings.ratePerSecond ? { overallRate: settings.ratePerSecond } : {}),
      },
      (error: Error | null, result: autocannon.Result) => (error ? reject(error) : resolve({ result, latenciesMs })),
    );
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      if (statusCode >= 200 && statusCode < 300) latenciesMs.push(responseTime);
    });
  });
}

/** Any error, timeout or non-2xx response: numbers from a server that answered errors would not mean anything. */
export function failures(result: autocannon.Result): string | undefined {
  if (result.errors === 0 && result.timeouts === 0 && result.non2xx === 0) return undefined;
  return `${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx responses`;
}
