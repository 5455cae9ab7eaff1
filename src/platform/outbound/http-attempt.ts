/**
 * One HTTP exchange, with nothing around it (no retry, no breaker, no timer: the client adds those). It resolves
 * with any answer the server gives, whatever its status, and rejects with an `OutboundError` when there is none.
 * Redirects are answers like any other: following one would connect to an address nobody checked.
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { OutboundError } from './outbound-error.js';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface HttpAttempt {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  maxResponseBytes: number;
  /** Aborted by the timeout: the request and its socket are destroyed. */
  signal: AbortSignal;
  lookup: LookupFunction;
  agent: http.Agent;
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}

function tooLarge(limit: number): OutboundError {
  return new OutboundError('too_large', `the answer's body exceeds OUTBOUND_MAX_RESPONSE_BYTES (${limit} bytes)`);
}

/** An error of the exchange as the client reports it; the guard's refusal (from the lookup) passes unchanged. */
function asOutboundError(error: unknown): OutboundError {
  if (error instanceof OutboundError) return error;
  const { code, message } = error as NodeJS.ErrnoException;
  return new OutboundError('network', code && !message.includes(code) ? `${code}: ${message}` : message, { cause: error });
}

export function sendHttpAttempt(attempt: HttpAttempt): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const fail = (error: unknown) => reject(asOutboundError(error));
    const transport = attempt.url.protocol === 'https:' ? https : http;
    let request: http.ClientRequest;
    try {
      request = transport.request(attempt.url, {
        method: attempt.method,
        headers: attempt.headers,
        agent: attempt.agent,
        lookup: attempt.lookup,
        signal: attempt.signal,
      });
    } catch (error) {
      fail(error);
      return;
    }
    request.on('error', fail);
    request.on('response', (response) => {
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > attempt.maxResponseBytes) {
        request.destroy();
        reject(tooLarge(attempt.maxResponseBytes));
        return;
      }
      const chunks: Buffer[] = [];
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > attempt.maxResponseBytes) {
          request.destroy();
          reject(tooLarge(attempt.maxResponseBytes));
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', fail);
      // The server closed the connection before the end of the body (a settled promise ignores this after 'end').
      response.on('close', () => {
        if (!response.complete) fail(new Error('the connection closed before the end of the answer'));
      });
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: flattenHeaders(response.headers), body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    request.end(attempt.body);
  });
}
