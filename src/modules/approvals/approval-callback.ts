/**
 * The callback of an approval's outcome (docs/approvals.md "Callbacks"): one POST to the URL the agent gave at
 * evaluation, signed with Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature` over the exact
 * bytes sent, by the reference library), through the outbound client (SSRF guard on the resolved address, timeout,
 * a circuit breaker per callback origin). Sent by a durable job that retries with backoff (approvals.jobs.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { Clock } from '../../platform/clock.js';
import type { SecretBox } from '../../platform/crypto/secret-box.js';
import { OutboundError, isTransientStatus, type OutboundClient } from '../../platform/outbound/index.js';
import { scrubString } from '../../platform/telemetry/redact.js';
import { toRecord, type ApprovalRow } from './approvals.repository.js';
import type { ApprovalRecord } from './approvals.schemas.js';

export interface CallbackEnvelope {
  type: 'approval.decided';
  timestamp: string;
  data: Omit<ApprovalRecord, 'callback'>;
}

/** The secret box context of a sealed field: a ciphertext copied onto another approval does not open. */
export const sealContext = (approvalId: string, field: 'callback_url' | 'callback_secret') => `approval:${approvalId}:${field}`;

/** A Standard Webhooks secret as the spec writes it: whsec_ and base64 of 32 random bytes. */
export function generateCallbackSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** The breaker of a callback: one per origin (scheme, host, port), named by a digest so that no host name is shown in /status. */
export function callbackTarget(url: string): string {
  return `callback-${createHash('sha256').update(new URL(url).origin).digest('hex').slice(0, 16)}`;
}

/**
 * The body holds nothing that changes between attempts (the send time is `webhook-timestamp`), and `webhook-id` is
 * the approval's own: a receiver that keeps the ids it processed drops a retry it already handled.
 */
export function callbackBody(row: ApprovalRow): string {
  const { callback: _callback, ...data } = toRecord(row);
  const envelope: CallbackEnvelope = { type: 'approval.decided', timestamp: (row.decided_at ?? row.updated_at).toISOString(), data };
  return JSON.stringify(envelope);
}

export type CallbackAttempt = { result: 'delivered'; status: number } | { result: 'retry' | 'final'; status: number | null; error: string };

/** One attempt, no retries inside (the job retries with its own backoff, so a dead endpoint holds no worker). */
export async function attemptCallback(
  deps: { outbound: Pick<OutboundClient, 'request'>; box: SecretBox; clock: Clock },
  row: ApprovalRow,
  correlationId: string | undefined,
): Promise<CallbackAttempt> {
  const url = deps.box.open(row.callback_url_sealed!, sealContext(row.id, 'callback_url'));
  const secret = deps.box.open(row.callback_secret_sealed!, sealContext(row.id, 'callback_secret'));
  const body = callbackBody(row);
  const messageId = `approval_${row.id}`;
  const now = deps.clock.now();
  const headers = {
    'content-type': 'application/json',
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(messageId, now, body),
  };
  try {
    const answer = await deps.outbound.request({ kind: 'callback', id: callbackTarget(url) }, { url, method: 'POST', headers, body, retries: 0, ...(correlationId ? { correlationId } : {}) });
    if (answer.status >= 200 && answer.status < 300) return { result: 'delivered', status: answer.status };
    const excerpt = scrubString(answer.body.trim().slice(0, 300));
    return { result: isTransientStatus(answer.status) ? 'retry' : 'final', status: answer.status, error: `the callback answered HTTP ${answer.status}${excerpt ? `: ${excerpt}` : ''}` };
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    const final = error.reason === 'refused' || error.reason === 'too_large';
    return { result: final ? 'final' : 'retry', status: null, error: `${error.reason}: ${scrubString(error.message)}` };
  }
}
