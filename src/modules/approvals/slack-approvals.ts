/**
 * Approving and denying from Slack (docs/approvals.md "Slack"): a click on an approval's Approve or Deny button
 * reaches POST /api/v1/integrations/slack/interactions. The request is verified with the app's signing secret, the
 * Slack user is mapped to an ORCA API key (APPROVALS_SLACK_APPROVERS) that must be an active operator or admin key,
 * and the decision is taken as that key — so the key that asked can never approve its own request from Slack either.
 * The message is then updated through its `response_url` by a durable job (the outbound client, with retries).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.js';
import type { SecretBox } from '../../platform/crypto/secret-box.js';
import { AppError } from '../../platform/errors.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { ApprovalMetrics } from './approvals.metrics.js';
import type { ApprovalService } from './approvals.service.js';
import { ephemeral, outcomeLine, readInteraction, updatedMessage, type ApprovalClick } from './slack-interactions.js';
import { verifySlackRequest } from './slack-signature.js';

export const SLACK_RESPONSE_QUEUE = 'approvals.slack-response';

export interface SlackResponseJob {
  /** Names the sealed URL's context: a ciphertext copied into another job does not open. */
  nonce: string;
  /** The interaction's response_url, sealed: for 30 minutes it lets anyone post into the conversation. */
  url_sealed: string;
  body: string;
}

export const slackResponseContext = (nonce: string) => `slack-response:${nonce}`;

export interface SlackSettings {
  /** APPROVALS_SLACK_SIGNING_SECRET; undefined: nothing can be verified, every request is a 401. */
  signingSecret: string | undefined;
  /** APPROVALS_SLACK_APPROVERS: Slack user id → ORCA API key id. */
  approvers: Readonly<Record<string, string>>;
}

export interface SlackApprovalsDeps {
  settings: SlackSettings;
  service: Pick<ApprovalService, 'decide'>;
  /** The keys service's read: the mapped key must still be an active operator or admin key. */
  keys: { get(id: string): Promise<{ role: string; status: string }> };
  jobs: Pick<JobQueue, 'send'>;
  box: SecretBox;
  clock: Clock;
  metrics: ApprovalMetrics;
  logger: Logger;
}

export function createSlackApprovals(deps: SlackApprovalsDeps) {
  const { settings, metrics, logger } = deps;

  async function respond(click: ApprovalClick, body: object, correlationId: string): Promise<void> {
    const nonce = randomUUID();
    await deps.jobs.send<SlackResponseJob>(
      SLACK_RESPONSE_QUEUE,
      { nonce, url_sealed: deps.box.seal(click.responseUrl, slackResponseContext(nonce)), body: JSON.stringify(body) },
      { correlationId },
    );
  }

  /** Why the mapped key may not decide, or undefined when it may. */
  async function keyRefusal(keyId: string): Promise<string | undefined> {
    try {
      const key = await deps.keys.get(keyId);
      if (key.status !== 'active') return `the ORCA API key mapped to your Slack user is ${key.status}`;
      if (key.role !== 'operator' && key.role !== 'admin') return `the ORCA API key mapped to your Slack user is a ${key.role} key; deciding needs an operator key`;
      return undefined;
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found') return 'the ORCA API key mapped to your Slack user does not exist';
      throw error;
    }
  }

  async function refuse(click: ApprovalClick, text: string, correlationId: string): Promise<void> {
    metrics.slack('refused');
    logger.info({ correlation_id: correlationId, slack_user: click.userId, approval_id: click.approvalId, reason: text }, 'slack approval click refused');
    await respond(click, ephemeral(text), correlationId);
  }

  return {
    /**
     * Handles one interaction request. Throws 401 when the signature or the timestamp does not verify (or no signing
     * secret is configured to verify them with), 400 for a verified body that is not an interaction payload. Refusals of a verified
     * click (unmapped user, the requester, an approval already decided) are told to the user in Slack, not as an
     * HTTP error: Slack shows an error icon for anything but a 200.
     */
    async handle(headers: { timestamp: string | undefined; signature: string | undefined }, body: Buffer, correlationId: string, onVerified?: () => Promise<void>): Promise<void> {
      if (settings.signingSecret === undefined) {
        metrics.slack('rejected');
        throw new AppError('unauthorized', 'the Slack request cannot be verified: APPROVALS_SLACK_SIGNING_SECRET is not set');
      }
      const verification = verifySlackRequest(settings.signingSecret, headers, body, deps.clock.now());
      if (!verification.ok) {
        metrics.slack('rejected');
        logger.warn({ correlation_id: correlationId, reason: verification.reason }, 'slack interaction rejected');
        throw new AppError('unauthorized', `the Slack request did not verify (${verification.reason})`);
      }
      await onVerified?.();
      const interaction = readInteraction(body);
      if (interaction.kind === 'malformed') throw new AppError('bad_request', `the Slack interaction is not one ORCA can read: ${interaction.why}`);
      if (interaction.kind === 'ignored') {
        metrics.slack('ignored');
        return;
      }
      const click = interaction;
      const keyId = settings.approvers[click.userId];
      if (keyId === undefined) {
        await refuse(click, 'You are not an ORCA approver: an ORCA administrator maps Slack users to operator keys (APPROVALS_SLACK_APPROVERS).', correlationId);
        return;
      }
      const refusal = await keyRefusal(keyId);
      if (refusal) {
        await refuse(click, `${refusal}.`, correlationId);
        return;
      }
      const reason = `${click.verdict === 'approve' ? 'approved' : 'denied'} in Slack by ${click.userId}`;
      let decided;
      try {
        decided = await deps.service.decide({ id: keyId, correlationId }, click.approvalId, click.verdict, reason, 'slack');
      } catch (error) {
        if (error instanceof AppError && ['forbidden', 'conflict', 'not_found'].includes(error.code)) {
          await refuse(click, `${error.message}.`, correlationId);
          return;
        }
        throw error;
      }
      metrics.slack('decided');
      const line = outcomeLine(decided.status, click.userId, decided.approvals.length, decided.approvals_required);
      await respond(click, updatedMessage(click, line, decided.status !== 'pending'), correlationId);
    },
  };
}

export type SlackApprovals = ReturnType<typeof createSlackApprovals>;
