import swagger, { type SwaggerTransformObject } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { docsContentSecurityPolicy } from '../../edge/index.js';
import { SESSION_COOKIE } from '../../edge/session-cookie.js';
import type { TSchema } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { hoistTitledSchemas } from './components.js';
import type { OpenApiDocument } from './document.js';
import { withDocumentedSchemas } from './documented.js';
import { addStandardErrorResponses } from './error-responses.js';

export { documentedAs } from './documented.js';

declare module 'fastify' {
  interface FastifySchema {
    /**
     * Documentation only: the request body the OpenAPI document describes for a route that reads its body raw (a
     * webhook, whose signature covers the exact bytes). Fastify never validates against it.
     */
    documentedBody?: TSchema;
  }
}

const DESCRIPTION = `Control plane for AI agents and automations.

**Authentication.** Send an API key as \`X-API-Key: <key>\` or \`Authorization: Bearer <key>\`. Each operation names
the role it needs in \`x-orca-role\` (viewer, operator, admin, ingest; docs/SECURITY.md has the permission matrix).
\`public\` operations (probes, metrics) need no key; \`signed\` ones (webhooks) are authenticated by the sender's
signature over the raw body.

**Errors** are RFC 9457 \`application/problem+json\` documents (schema \`Problem\`) whose \`type\` is
\`urn:orca:problem:<code>\` (docs/errors.md). Every answer carries \`X-Correlation-ID\` (yours, or a new one); quote it
when reporting a problem. A client mistake is never answered with a 5xx.

**Rate limits** apply per API key (per client address without one) on every operation except the public ones; answers
carry the IETF \`RateLimit\` and \`RateLimit-Policy\` headers, and a 429 carries \`Retry-After\`.

**Pagination.** Lists return \`{ items, next_cursor }\`, newest first; pass \`next_cursor\` back as \`cursor\` until it is null.

Two answers are not described per operation: a client address listed in BLOCKED_IPS is answered 403 everywhere (declared
as \`AddressBlocked\` or \`Forbidden\`), and while the server drains for shutdown, a request that still reaches it may be
answered 503 with Fastify's own JSON body rather than a problem document.`;

const TAGS = [
  { name: 'Agents', description: 'The agent registry: definitions, lifecycle, history.' },
  { name: 'Audit', description: 'The hash-chained audit log of every change.' },
  { name: 'Console', description: 'Sign-in sessions of the web console at /console (docs/console.md).' },
  { name: 'Evidence', description: 'Evidence packs for auditors: one archive of a period with a SHA-256 manifest.' },
  { name: 'Ingestion', description: 'Webhooks from business systems, canonical event batches and agent runs.' },
  { name: 'Keys', description: 'API keys and their roles.' },
  { name: 'Kill switch', description: 'Stop many agents at once: blast-radius preview, one audited activation, release.' },
  { name: 'Policies', description: 'The policy document, evaluation of agent actions, simulation and violations.' },
  { name: 'Probes', description: 'Liveness, readiness, health and runtime status.' },
  { name: 'Remediation', description: 'Self-healing: the actions sync gaps called for, their attempts and outcomes.' },
  { name: 'Reports', description: 'The executive summary, drift and healing reports in JSON, Markdown, CSV or HTML, and report schedules.' },
  { name: 'Sources', description: 'Business systems that deliver signed webhooks.' },
  { name: 'Sync', description: 'Sync contracts, the gaps they detect, and stream freshness.' },
  { name: 'Telemetry', description: 'Prometheus metrics.' },
  { name: 'Trust', description: 'Trust scores, KPIs and incidents.' },
];

const SUCCESS_DESCRIPTIONS: Record<string, string> = { '200': 'OK', '201': 'Created', '204': 'No Content' };

/** @fastify/swagger names a response without a description "Default Response"; the status says more. */
function describeSuccessResponses(document: OpenApiDocument): void {
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(item)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (response.description === 'Default Response') response.description = SUCCESS_DESCRIPTIONS[status] ?? 'Response';
      }
    }
  }
}

/**
 * Publishes the API contract: the OpenAPI 3.1 document at /openapi.json, built by @fastify/swagger from the route
 * schemas and their `config.access`, and the reference UI at /docs. Register before the routes it describes.
 * The document is completed here, once for every route: the security requirement and `x-orca-role` from the access,
 * the standard error responses from the access and the inputs (error-responses.ts), titled schemas as components
 * (components.ts). `servers` is the relative `/`: each instance serves its own document, and the address clients use
 * (behind a proxy, a load balancer) is not known to the process, so paths resolve against wherever it was fetched.
 */
export async function registerOpenApi(app: FastifyInstance, options: { version: string }): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'ORCA API',
        version: options.version,
        summary: 'Govern AI agents and automations: registry, policies, sync analysis, trust.',
        description: DESCRIPTION,
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      servers: [{ url: '/', description: 'the ORCA instance serving this document' }],
      tags: TAGS,
      components: {
        securitySchemes: {
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'an ORCA API key' },
          bearer: { type: 'http', scheme: 'bearer', description: 'an ORCA API key as a bearer token' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description: 'a web console session (POST /api/v1/session); writes must also send its csrf_token as X-CSRF-Token',
          },
        },
      },
    },
    transform: ({ schema, url, route }) => {
      const access = route.config?.access;
      const { documentedBody, ...rest } = withDocumentedSchemas(schema ?? {});
      const transformed: Record<string, unknown> = { ...rest, ...(documentedBody ? { body: documentedBody } : {}) };
      if (access === 'signed' || access === 'public' || access === undefined) {
        transformed.security = [];
        transformed['x-orca-role'] = access ?? 'public';
      } else {
        transformed.security = [{ apiKey: [] }, { bearer: [] }, { session: [] }];
        transformed['x-orca-role'] = access;
      }
      return { schema: transformed, url };
    },
    transformObject: (documentObject) => {
      const document = ('openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject) as OpenApiDocument;
      addStandardErrorResponses(document);
      hoistTitledSchemas(document);
      describeSuccessResponses(document);
      return document as ReturnType<SwaggerTransformObject>;
    },
  });
  // The UI's policy is set per request (docsContentSecurityPolicy): swagger-ui's `staticCSP` is one header for every
  // request, with `upgrade-insecure-requests` even over plain HTTP, which blanks /docs reached by name over HTTP.
  let docsPolicy: ((secure: boolean) => string) | undefined;
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { deepLinking: false, validatorUrl: null },
    uiHooks: {
      onRequest: (request, reply, done) => {
        docsPolicy ??= docsContentSecurityPolicy(app.swaggerCSP);
        // `protocol` is https over TLS, or from X-Forwarded-Proto when TRUST_PROXY trusts the peer that sent it.
        reply.header('content-security-policy', docsPolicy(request.protocol === 'https'));
        done();
      },
    },
  });

  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
}
