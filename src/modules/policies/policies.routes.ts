import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../platform/errors.js';
import { actorOf } from '../../platform/http/actor.js';
import { exceedsDepth, hasLoneSurrogate, MAX_JSON_DEPTH } from '../../platform/http/json-body.js';
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
import { parseDocumentText } from './policy-document.js';

const tags = ['Policies'];
const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

/** The text of a YAML body, kept so that GET /policies shows the document with its comments. */
const yamlSources = new WeakMap<FastifyRequest, string>();

export function policyRoutes(service: PolicyService): FastifyPluginAsyncTypebox {
  return async (app) => {
    // YAML documents are parsed here (the only non-JSON body in this plugin); errors become 400 with a path.
    app.addContentTypeParser(YAML_TYPES, { parseAs: 'string' }, (request, body, done) => {
      try {
        const text = body as string;
        const parsed = parseDocumentText(text, 'yaml');
        // The same limits as JSON bodies (src/platform/http/json-body.ts).
        if (exceedsDepth(parsed, MAX_JSON_DEPTH) || hasLoneSurrogate(parsed)) {
          throw new AppError('validation_failed', 'the YAML document nests too deeply or holds an invalid Unicode string', {
            errors: [{ path: '/body', message: `must nest at most ${MAX_JSON_DEPTH} levels and hold valid Unicode` }],
          });
        }
        yamlSources.set(request, text);
        done(null, parsed);
      } catch (error) {
        done(error as Error, undefined);
      }
    });

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
        config: { access: 'operator' },
        schema: {
          tags,
          operationId: 'replacePolicy',
          summary: 'Store a new policy version and activate it',
          description:
            'JSON, or YAML with Content-Type application/yaml. Validated against the document schema (errors name the path); ' +
            'every version is kept; the new one is active on every replica within a second.',
          consumes: ['application/json', ...YAML_TYPES],
          body: PolicyDocumentBody,
          response: { 200: Policy },
        },
      },
      async (request) => {
        const source = yamlSources.get(request);
        return service.put(actorOf(request), request.body, source !== undefined ? 'yaml' : 'json', source);
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
        // SPEC §4 "ingest may evaluate": the `ingest` access level (ingest and admin keys) is the one agents' runtimes hold.
        config: { access: 'ingest' },
        schema: {
          tags,
          operationId: 'evaluatePolicy',
          summary: 'Evaluate an action of an agent against the active policy',
          description: 'The content is scanned and never stored or logged; the decision is recorded (allows may be sampled).',
          body: EvaluateBody,
          response: { 200: EvaluateResult },
        },
      },
      async (request) => service.evaluate(request.body, request.id),
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
