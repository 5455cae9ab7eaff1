import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { AppError } from '../../platform/errors.js';
import { actorOf } from '../../platform/http/actor.js';
import { exceedsDepth, hasLoneSurrogate, MAX_JSON_DEPTH } from '../../platform/http/json-body.js';
import { IdParams, problems } from '../../platform/http/schemas.js';
import { ContractsQuery, ContractsVersion, FreshnessReport, Gap, GapPage, GapQuery, ResolveBody, SyncContractsDocument } from './sync.schemas.js';
import type { SyncService } from './sync.service.js';

const tags = ['Sync'];
const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

/** Bodies that arrived as YAML (the document is stored with its format). */
const yamlBodies = new WeakSet<object>();

/**
 * YAML for the contracts document only (registered inside this plugin, so no other route accepts it). Aliases are
 * capped (no "billion laughs"), duplicate keys refused, and errors name the line and column without quoting input.
 */
function parseYamlBody(text: string): unknown {
  if (text.trim() === '') throw new AppError('bad_request', 'the request body is empty but Content-Type is YAML');
  let parsed: unknown;
  try {
    parsed = parseYaml(text, { maxAliasCount: 100, uniqueKeys: true, prettyErrors: false, strict: true });
  } catch (error) {
    if (error instanceof YAMLParseError) {
      // The position, never the offending text: the body may hold secrets pasted by mistake.
      const offset = Math.min(error.pos[0], text.length);
      const before = text.slice(0, offset);
      const line = before.split('\n').length;
      const column = offset - before.lastIndexOf('\n');
      throw new AppError('bad_request', `the request body is not valid YAML (${error.code} at line ${line}, column ${column})`);
    }
    throw new AppError('bad_request', 'the request body is not valid YAML');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AppError('validation_failed', 'the YAML document must be a mapping with a "contracts" list', {
      errors: [{ path: '/body', message: 'must be object' }],
    });
  }
  if (exceedsDepth(parsed, MAX_JSON_DEPTH)) throw new AppError('bad_request', `the request body nests deeper than ${MAX_JSON_DEPTH} levels`);
  if (hasLoneSurrogate(parsed)) throw new AppError('bad_request', 'the request body contains a lone UTF-16 surrogate, which is not Unicode text');
  yamlBodies.add(parsed);
  return parsed;
}

export function syncRoutes(service: SyncService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addContentTypeParser(YAML_TYPES, { parseAs: 'string' }, (_request, body, done) => {
      try {
        done(null, parseYamlBody(body as string));
      } catch (error) {
        done(error as Error, undefined);
      }
    });

    app.get(
      '/sync/contracts',
      {
        config: { access: 'viewer' },
        schema: {
          tags,
          operationId: 'getSyncContracts',
          summary: 'The active sync contracts document (or a past version)',
          description: '404 when no contracts were written yet, or the version asked for does not exist.',
          querystring: ContractsQuery,
          response: { 200: ContractsVersion, ...problems(404) },
        },
      },
      async (request) => service.getContracts(request.query.version),
    );

    app.put(
      '/sync/contracts',
      {
        config: { access: 'operator' },
        schema: {
          tags,
          operationId: 'replaceSyncContracts',
          summary: 'Replace the sync contracts (a new version; every version is kept)',
          description:
            'YAML (application/yaml, text/yaml) or JSON. Invalid documents are 400 with the path of each problem; an owner agent that does not exist is 422. Format: docs/sync.md.',
          consumes: ['application/json', ...YAML_TYPES],
          body: SyncContractsDocument,
          response: { 200: ContractsVersion, ...problems(422) },
        },
      },
      async (request) => service.putContracts(actorOf(request), request.body, yamlBodies.has(request.body as object) ? 'yaml' : 'json'),
    );

    app.get(
      '/sync/gaps',
      {
        config: { access: 'viewer' },
        schema: {
          tags,
          operationId: 'listGaps',
          summary: 'Sync gaps, newest first',
          description: 'Filters combine with AND; pass next_cursor as cursor for the next page.',
          querystring: GapQuery,
          response: { 200: GapPage },
        },
      },
      async (request) => service.listGaps(request.query),
    );

    app.get(
      '/sync/gaps/:id',
      {
        config: { access: 'viewer' },
        schema: { tags, operationId: 'getGap', summary: 'One sync gap', params: IdParams, response: { 200: Gap } },
      },
      async (request) => service.getGap(request.params.id),
    );

    app.post(
      '/sync/gaps/:id/resolve',
      {
        config: { access: 'operator' },
        schema: {
          tags,
          operationId: 'resolveGap',
          summary: 'Resolve a gap by hand',
          description: '409 when the gap is already resolved (automatically or by hand).',
          params: IdParams,
          body: ResolveBody,
          response: { 200: Gap, ...problems(409) },
        },
      },
      async (request) => service.resolveGap(actorOf(request), request.params.id, request.body.reason),
    );

    app.get(
      '/sync/freshness',
      {
        config: { access: 'viewer' },
        schema: {
          tags,
          operationId: 'getSyncFreshness',
          summary: 'Freshness of every stream of the active contracts',
          description: 'Per stream: last event received, lag, SLO and status (within_slo, stale, no_data).',
          response: { 200: FreshnessReport },
        },
      },
      async () => service.freshness(),
    );
  };
}
