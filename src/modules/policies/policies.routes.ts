import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { documentSourceOf, installDocumentBodyParsers } from '../../platform/documents/document-body.js';
import { actorOf } from '../../platform/http/actor.js';
import { YAML_MEDIA_TYPES } from '../../platform/documents/parse-document.js';
import {
  EvaluateBody,
  EvaluateResult,
  Policy,
  PolicyDocumentBody,
  PolicyVersionPage,
  PolicyVersionsQuery,
  SimulateBody,
  SimulateResult,
  ViolationPage,
  ViolationsQuery,
} from './policies.schemas.js';
import type { PolicyService } from './policies.service.js';

const tags = ['Policies'];

export function policyRoutes(service: PolicyService): FastifyPluginAsyncTypebox {
  return async (app) => {
    installDocumentBodyParsers(app);

    app.get(
      '/policies',
      {
        config: { access: 'viewer' },
        schema: { tags, operationId: 'getActivePolicy', summary: 'The active policy document', response: { 200: Policy } },
      },
      async () => service.getActive(),
    );

    app.put(
      '/policies',
      {
        config: { access: 'operator', documentBody: true },
        schema: {
          tags,
          operationId: 'replacePolicy',
          summary: 'Store a new policy version and activate it',
          description:
            'JSON, or YAML with Content-Type application/yaml. Validated against the document schema (errors name the path); ' +
            'every version is kept; the new one is active on every replica within a second.',
          consumes: ['application/json', ...YAML_MEDIA_TYPES],
          body: PolicyDocumentBody,
          response: { 200: Policy },
        },
      },
      async (request) => {
        // YAML is stored as written, so that GET /policies shows the document with its comments.
        const source = documentSourceOf(request);
        return service.put(actorOf(request), request.body, source?.format ?? 'json', source?.format === 'yaml' ? source.text : undefined);
      },
    );

    app.get(
      '/policies/versions',
      {
        config: { access: 'viewer' },
        schema: {
          tags,
          operationId: 'listPolicyVersions',
          summary: 'Every stored policy version, newest first (documents omitted)',
          querystring: PolicyVersionsQuery,
          response: { 200: PolicyVersionPage },
        },
      },
      async (request) => service.listVersions(request.query),
    );

    app.post(
      '/policy/evaluate',
      {
        // "Ingest may evaluate" (docs/SECURITY.md): the `ingest` access level (ingest and admin keys) is the one agents' runtimes hold.
        config: { access: 'ingest' },
        schema: {
          tags,
          operationId: 'evaluatePolicy',
          summary: 'Evaluate an action of an agent against the active policy',
          description:
            'The content is scanned and never stored or logged; the decision is recorded (allows may be sampled). A require_approval decision opens an ' +
            'approval (its id in `approval`); proceed by evaluating again with `approval_id` (docs/approvals.md). 400 when the SSRF guard refuses `callback_url`.',
          body: EvaluateBody,
          response: { 200: EvaluateResult },
        },
      },
      async (request) => service.evaluate(request.body, request.id, request.principal?.id ?? null),
    );

    app.post(
      '/policy/simulate',
      {
        config: { access: 'operator' },
        schema: {
          tags,
          operationId: 'simulatePolicy',
          summary: 'Replay recorded decisions against a draft policy',
          description: 'Reports what would change (newly denied, newly allowed, by rule and agent). Enforces and writes nothing.',
          body: SimulateBody,
          response: { 200: SimulateResult },
        },
      },
      async (request) => service.simulate(request.body),
    );

    app.get(
      '/violations',
      {
        config: { access: 'viewer' },
        schema: {
          tags,
          operationId: 'listViolations',
          summary: 'Recorded policy violations, newest first',
          querystring: ViolationsQuery,
          response: { 200: ViolationPage },
        },
      },
      async (request) => service.listViolations(request.query),
    );
  };
}
