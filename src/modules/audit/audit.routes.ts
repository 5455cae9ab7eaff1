import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Page, PaginationQuery, Timestamp } from '../../platform/http/schemas.js';
import type { AuditService } from './audit.service.js';

const AuditEntry = Type.Object(
  {
    seq: Type.Integer(),
    at: Timestamp,
    actor: Type.String({ description: 'API key id, or "system"' }),
    action: Type.String(),
    target: Type.String(),
    before: Type.Unknown({ description: 'the target before the change (JSON), or null' }),
    after: Type.Unknown({ description: 'the target after the change (JSON), or null' }),
    correlation_id: Type.Union([Type.String(), Type.Null()]),
    prev_hash: Type.String(),
    hash: Type.String(),
  },
  { title: 'AuditEntry' },
);

const AuditQuery = Type.Object(
  {
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    target: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    ...PaginationQuery,
  },
  { additionalProperties: false },
);

const VerifyReport = Type.Object(
  {
    valid: Type.Boolean(),
    entries_checked: Type.Integer(),
    head_seq: Type.Integer(),
    head_hash: Type.String(),
    problems: Type.Array(Type.Object({ seq: Type.Integer(), problem: Type.String(), detail: Type.String() })),
  },
  { title: 'AuditChainReport' },
);

const tags = ['Audit'];

export function auditRoutes(service: AuditService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/audit',
      {
        config: { access: 'admin' },
        schema: {
          tags,
          operationId: 'listAuditEntries',
          summary: 'Audit log, newest first',
          querystring: AuditQuery,
          response: { 200: Page(AuditEntry, 'AuditEntryPage') },
        },
      },
      async (request) => service.list(request.query),
    );
    app.get(
      '/audit/verify',
      {
        config: { access: 'admin' },
        schema: {
          tags,
          operationId: 'verifyAuditChain',
          summary: 'Verify the audit hash chain',
          description: 'Recomputes every hash; reports modified entries and entries missing from the middle of the chain.',
          response: { 200: VerifyReport },
        },
      },
      async () => service.verify(),
    );
  };
}
