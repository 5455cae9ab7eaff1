import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { parseDuration } from '../../platform/config/duration.js';
import { actorOf } from '../../platform/http/actor.js';
import { AppError } from '../../platform/errors.js';
import { IdParams, problems } from '../../platform/http/schemas.js';
import { Approval, ApprovalPage, DecideApprovalBody, GetApprovalQuery, ListApprovalsQuery } from './approvals.schemas.js';
import type { ApprovalService } from './approvals.service.js';

const tags = ['Approvals'];

function waitMs(wait: string | undefined): number {
  if (wait === undefined) return 0;
  const ms = parseDuration(wait);
  if (ms === undefined) throw new AppError('validation_failed', 'wait is not a duration', { errors: [{ path: '/querystring/wait', message: 'must be a duration such as 30s or 500ms' }] });
  return ms;
}

export function approvalRoutes(service: ApprovalService): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Before the server drains its in-flight requests: a long-poll answers at once instead of holding the shutdown.
    app.addHook('preClose', (done) => {
      service.drainWaiters();
      done();
    });

    app.get(
      '/approvals',
      {
        config: { access: 'viewer' },
        schema: {
          tags,
          operationId: 'listApprovals',
          summary: 'List approvals, newest first',
          description: 'Approvals past their expiry are recorded as expired first, so that the status filter sees them.',
          querystring: ListApprovalsQuery,
          response: { 200: ApprovalPage },
        },
      },
      async (request) => service.list(request.query),
    );

    app.get(
      '/approvals/:id',
      {
        // Viewers read any approval; an ingest key only the ones it asked for (others are 404 to it): the agent polls.
        config: { access: 'viewer_or_requester' },
        schema: {
          tags,
          operationId: 'getApproval',
          summary: 'Read an approval; ?wait= long-polls until it is decided',
          description:
            'With wait (e.g. 30s, at most APPROVALS_MAX_WAIT), the answer comes as soon as the approval is decided or expires, or when the wait is over ' +
            '(still pending). Viewers, operators and admins read any approval; an ingest key only those it asked for.',
          params: IdParams,
          querystring: GetApprovalQuery,
          response: { 200: Approval },
        },
      },
      async (request, reply) => {
        const controller = new AbortController();
        // The client went away before the answer: stop waiting for it.
        reply.raw.once('close', () => {
          if (!reply.raw.writableFinished) controller.abort();
        });
        return service.get(request.principal!, request.params.id, waitMs(request.query.wait), controller.signal);
      },
    );

    for (const verdict of ['approve', 'deny'] as const) {
      app.post(
        `/approvals/:id/${verdict}`,
        {
          config: { access: 'operator' },
          schema: {
            tags,
            operationId: verdict === 'approve' ? 'approveApproval' : 'denyApproval',
            summary: verdict === 'approve' ? 'Approve a pending approval' : 'Deny a pending approval',
            description:
              (verdict === 'approve'
                ? 'With the policy setting approval.approvers: 2, the first approval is recorded and the approval stays pending until a second, distinct key approves. '
                : 'One deny decides. ') +
              '403 for the API key that asked for the approval; 409 when it was already decided or has expired; audited.',
            params: IdParams,
            body: DecideApprovalBody,
            response: { 200: Approval, ...problems(409) },
          },
        },
        async (request) => service.decide(actorOf(request), request.params.id, verdict, request.body.reason),
      );
    }
  };
}
