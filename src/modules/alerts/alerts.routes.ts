import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { documentSourceOf, installDocumentBodyParsers } from '../../platform/documents/document-body.js';
import { YAML_MEDIA_TYPES } from '../../platform/documents/parse-document.js';
import { actorOf } from '../../platform/http/actor.js';
import { IdParams, problems } from '../../platform/http/schemas.js';
import type { AlertRulesService } from './alert-rules.service.js';
import { AlertPage, AlertRules, AlertRulesBody, AlertsQuery, Silence, SilenceBody, SilencePage, SilencesQuery } from './alerts.schemas.js';
import type { AlertsService } from './alerts.service.js';
import type { SilenceService } from './silences.service.js';

const tags = ['Alerts'];

export function alertRoutes(services: { rules: AlertRulesService; alerts: AlertsService; silences: SilenceService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    installDocumentBodyParsers(app);

    app.get(
      '/alert-rules',
      { config: { access: 'viewer' }, schema: { tags, operationId: 'getAlertRules', summary: 'The active alert-rules document', response: { 200: AlertRules } } },
      async () => services.rules.getActive(),
    );

    app.put(
      '/alert-rules',
      {
        config: { access: 'operator', documentBody: true },
        schema: {
          tags,
          operationId: 'replaceAlertRules',
          summary: 'Store a new alert-rules version and activate it',
          description:
            'JSON, or YAML with Content-Type application/yaml. Every problem (unknown kind, bad duration, a route naming a receiver ' +
            'that does not exist, a matcher that does not parse) is a 400 naming its path; the active version then stays in force.',
          consumes: ['application/json', ...YAML_MEDIA_TYPES],
          body: AlertRulesBody,
          response: { 200: AlertRules },
        },
      },
      async (request) => {
        const source = documentSourceOf(request);
        return services.rules.put(actorOf(request), request.body, source?.format ?? 'json', source?.format === 'yaml' ? source.text : undefined);
      },
    );

    app.get(
      '/alerts',
      {
        config: { access: 'viewer' },
        schema: {
          tags,
          operationId: 'listAlerts',
          summary: 'Alerts, silenced ones included (with the silences that mute them)',
          querystring: AlertsQuery,
          response: { 200: AlertPage },
        },
      },
      async (request) => services.alerts.list(request.query),
    );

    app.get(
      '/silences',
      { config: { access: 'viewer' }, schema: { tags, operationId: 'listSilences', summary: 'Silences, newest first', querystring: SilencesQuery, response: { 200: SilencePage } } },
      async (request) => services.silences.list(request.query),
    );

    app.post(
      '/silences',
      {
        config: { access: 'operator' },
        schema: {
          tags,
          operationId: 'createSilence',
          summary: 'Silence the alerts matching every matcher, from starts_at (default now) to ends_at',
          description: 'Silenced alerts are still evaluated and listed, but not delivered. Audited.',
          body: SilenceBody,
          response: { 201: Silence },
        },
      },
      async (request, reply) => reply.code(201).send(await services.silences.create(actorOf(request), request.body)),
    );

    app.delete(
      '/silences/:id',
      {
        config: { access: 'operator' },
        schema: {
          tags,
          operationId: 'expireSilence',
          summary: 'Expire a silence now (it is kept, expired)',
          params: IdParams,
          response: { 200: Silence, ...problems(409) },
        },
      },
      async (request) => services.silences.expire(actorOf(request), request.params.id),
    );
  };
}
