import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { problemType } from './problem.js';

type ClientError = Error & { code?: string };

const ANSWERS: Record<string, { status: number; title: string; detail: string; code: 'bad_request' | 'payload_too_large' }> = {
  HPE_HEADER_OVERFLOW: { status: 431, title: 'Request Header Fields Too Large', detail: 'the request headers are larger than this server accepts', code: 'bad_request' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, title: 'Request Timeout', detail: 'the request was not received in time', code: 'bad_request' },
};

/**
 * Errors Node's HTTP parser raises before a request exists (oversized headers, a client too slow to send
 * them, garbage on the wire) never reach Fastify's handlers. They are answered here, still as problem+json
 * with a correlation id and the basic security headers, and the connection is closed.
 */
export function handleClientError(error: Error, socket: Socket): void {
  const code = (error as ClientError).code;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const answer = (code && ANSWERS[code]) || { status: 400, title: 'Bad Request', detail: 'the request could not be parsed', code: 'bad_request' as const };
  const correlationId = randomUUID();
  const body = JSON.stringify({
    type: problemType(answer.code),
    title: answer.title,
    status: answer.status,
    detail: answer.detail,
    instance: '/',
    correlation_id: correlationId,
  });
  socket.end(
    [
      `HTTP/1.1 ${answer.status} ${answer.title}`,
      'Content-Type: application/problem+json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      `X-Correlation-ID: ${correlationId}`,
      'X-Content-Type-Options: nosniff',
      "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'",
      'Connection: close',
      '',
      body,
    ].join('\r\n'),
  );
}
