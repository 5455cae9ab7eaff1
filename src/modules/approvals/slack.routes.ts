import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { AppError } from '../../platform/errors.js';
import { rawBodyOf, withRawBody } from '../../platform/http/raw-body.js';
import type { SlackApprovals } from './slack-approvals.js';

/** The edge's rate-limit bucket of verified Slack requests (per "source", like a webhook source). */
const SLACK_BUCKET = 'slack';

const header = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

export function slackRoutes(slack: SlackApprovals): FastifyPluginAsyncTypebox {
  return async (app) => {
    // The signature covers the exact bytes Slack sent: the body stays a Buffer, parsed only after it verified.
    await withRawBody(app, (raw) => {
      raw.post(
        '/integrations/slack/interactions',
        {
          // Slack cannot send an ORCA key: the request is authenticated by Slack's signature (v0, the app's signing secret).
          config: { access: 'signed' },
          schema: {
            tags: ['Approvals'],
            operationId: 'receiveSlackInteraction',
            summary: "Slack's interactivity request URL: Approve and Deny buttons of approval messages",
            description:
              'Verified with the Slack app signing secret (X-Slack-Signature v0 over the raw body, X-Slack-Request-Timestamp within 5 minutes): ' +
              'anything else is 401. The Slack user must be mapped to an operator key (APPROVALS_SLACK_APPROVERS). Answered 200 at once; the ' +
              'message is updated through its response_url (docs/approvals.md). 401 while APPROVALS_SLACK_SIGNING_SECRET is not set. Slack sends ' +
              'application/x-www-form-urlencoded; the body is read raw, whatever its media type, since the signature covers the exact bytes.',
            consumes: ['*/*'],
            documentedBody: Type.Unknown({ description: 'payload=<the interaction JSON>, form-encoded, exactly as Slack signed it' }),
            response: { 200: Type.Null({ description: 'received; the outcome is posted to the message (Slack shows an error for anything but a 200)' }) },
          },
        },
        async (request, reply) => {
          const admission = request.webhookAdmission;
          try {
            await slack.handle(
              { timestamp: header(request.headers['x-slack-request-timestamp']), signature: header(request.headers['x-slack-signature']) },
              rawBodyOf(request),
              request.id,
              admission ? () => admission.verified(SLACK_BUCKET) : undefined,
            );
          } catch (error) {
            // A request that did not authenticate counts against its address's anonymous budget, which may refuse it (429).
            if (admission && error instanceof AppError && error.code === 'unauthorized') await admission.refused();
            throw error;
          }
          // An empty 200, as the document declares (no content): Slack only needs the status.
          return (reply as FastifyReply).code(200).send();
        },
      );
    });
  };
}
