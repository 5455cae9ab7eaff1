import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import { actorOf } from '../../platform/http/actor.js';
import type { EvidenceService } from './evidence.service.js';

const EvidenceQuery = Type.Object(
  {
    from: Type.String({ format: 'date-time', description: 'start of the period, inclusive (RFC 3339, e.g. 2026-01-01T00:00:00Z)' }),
    to: Type.String({ format: 'date-time', description: 'end of the period, exclusive; not in the future' }),
  },
  { additionalProperties: false },
);

/** An evidence pack holds the whole governance record of a period, audit log included: admin only. */
export function evidenceRoutes(service: EvidenceService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/evidence',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['Evidence'],
          operationId: 'exportEvidencePack',
          summary: 'Export the evidence pack of a period (a .tar.gz with a SHA-256 manifest)',
          description:
            'One gzipped tar: agent inventory and lifecycle, policy versions in force, decisions summary and every violation, approvals, KPIs with inputs, incidents, ' +
            'remediations, the period\'s audit log with its verification, manifest.json and SHA256SUMS (`sha256sum -c SHA256SUMS` after extraction). Streamed as it is ' +
            'built. 400 when from is not before to, to is in the future, the period is longer than 365 days or starts before EVIDENCE_RETENTION (docs/evidence.md). Audited.',
          querystring: EvidenceQuery,
          produces: ['application/gzip'],
          response: {
            200: {
              description: 'the archive (Content-Disposition names it orca-evidence-<from>-<to>.tar.gz)',
              content: { 'application/gzip': { schema: Type.Unsafe<Readable>({ type: 'string', format: 'binary' }) } },
            },
          },
        },
      },
      async (request, reply) => {
        const pack = await service.export(actorOf(request), { from: new Date(request.query.from), to: new Date(request.query.to) });
        return reply
          .type('application/gzip')
          .header('content-disposition', `attachment; filename="${pack.fileName}"`)
          .header('cache-control', 'no-store')
          .send(pack.stream);
      },
    );
  };
}
