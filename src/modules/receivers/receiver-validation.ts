import { validateHeaderName, validateHeaderValue } from 'node:http';
import { AppError, type FieldError } from '../../platform/errors.js';
import type { ReceiverKind } from './receivers.schemas.js';

/** Headers ORCA sets on every delivery itself (framing, correlation, signatures): a receiver may not override them. */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
  'user-agent',
  'x-correlation-id',
  'traceparent',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
]);

const pointer = (name: string) => `/body/headers/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;

/**
 * The fields a kind takes, checked when a receiver is written so that a mistake is a 400 naming the field, not a
 * failed delivery later: only webhook receivers sign (a secret), a Slack URL is its own credential (no token),
 * extra headers must be valid HTTP and may not replace what ORCA sets.
 */
export function assertReceiverFields(kind: ReceiverKind, input: { secret?: string | undefined; token?: string | null | undefined; headers?: Record<string, string> | null | undefined }, hasToken: boolean): void {
  const errors: FieldError[] = [];
  if (input.secret !== undefined && kind !== 'webhook') errors.push({ path: '/body/secret', message: 'only webhook receivers sign their notifications; remove secret' });
  if (typeof input.token === 'string' && kind === 'slack') errors.push({ path: '/body/token', message: "a Slack incoming webhook's URL is its credential; it takes no token" });
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    try {
      validateHeaderName(name);
    } catch {
      errors.push({ path: pointer(name), message: 'is not a valid HTTP header name' });
      continue;
    }
    const lower = name.toLowerCase();
    if (RESERVED_HEADERS.has(lower)) errors.push({ path: pointer(name), message: 'is set by ORCA on every delivery' });
    else if (lower === 'authorization' && hasToken) errors.push({ path: pointer(name), message: 'conflicts with token (sent as Authorization: Bearer); give one or the other' });
    try {
      validateHeaderValue(name, value);
    } catch {
      errors.push({ path: pointer(name), message: 'has a value that is not valid in an HTTP header' });
    }
  }
  if (errors.length > 0) throw new AppError('validation_failed', `the receiver's ${errors[0]!.path.split('/')[2]} is not valid for a ${kind} receiver`, { errors });
}
