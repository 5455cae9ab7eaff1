import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const CORRELATION_HEADER = 'x-correlation-id';

// Printable token characters only, bounded: the value is echoed in headers and written to every log line.
export const VALID_CORRELATION_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** Accepts a caller's X-Correlation-ID when it is well-formed; otherwise generates one. */
export function correlationIdFor(request: IncomingMessage): string {
  const supplied = request.headers[CORRELATION_HEADER];
  if (typeof supplied === 'string' && VALID_CORRELATION_ID.test(supplied)) return supplied;
  return randomUUID();
}
