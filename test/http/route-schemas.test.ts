import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validatorCompiler } from '../../src/platform/http/validation.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/db.js';

/**
 * Route schemas compile at each route's first request (src/platform/http/validation.ts and serialization.ts), so a
 * schema that does not compile would only fail the first request that needs it. This compiles every part of every
 * route up front — request validators with the app's own compiler, each response status with Fastify's serializer
 * compiler — so that such a schema fails here instead.
 */
const REQUEST_PARTS = ['body', 'querystring', 'params', 'headers'] as const;

/** A response entry is a schema, or `{ content: { <type>: { schema } } }` per content type. */
function responseSchemas(entry: unknown): Array<{ contentType: string | undefined; schema: unknown }> {
  const content = (entry as { content?: Record<string, { schema?: unknown }> }).content;
  if (content && typeof content === 'object') return Object.entries(content).map(([contentType, value]) => ({ contentType, schema: value.schema ?? {} }));
  return [{ contentType: undefined, schema: entry }];
}

for (const target of databaseTargets) {
  describe(`route schemas [${target.name}]`, () => {
    const routes: RouteOptions[] = [];
    let testApp: TestApp | undefined;
    beforeAll(async () => {
      testApp = await createTestApp(target, {}, { onRoute: (route) => void routes.push(route) });
    });
    afterAll(async () => {
      await testApp?.close();
    });

    it('every request validator and response serializer of every route compiles', () => {
      const serializers = SerializerSelector()(testApp!.app.getSchemas(), {});
      const failures: string[] = [];
      let compiled = 0;
      for (const route of routes) {
        const methods = Array.isArray(route.method) ? route.method : [route.method];
        const schema = (route.schema ?? {}) as Record<string, unknown>;
        for (const method of methods) {
          for (const httpPart of REQUEST_PARTS) {
            if (schema[httpPart] === undefined) continue;
            try {
              validatorCompiler({ schema: schema[httpPart] as object, method, url: route.url, httpPart });
              compiled += 1;
            } catch (error) {
              failures.push(`${method} ${route.url} ${httpPart}: ${(error as Error).message}`);
            }
          }
          for (const [httpStatus, entry] of Object.entries((schema.response ?? {}) as Record<string, unknown>)) {
            for (const { contentType, schema: body } of responseSchemas(entry)) {
              try {
                serializers({ schema: body as object, method, url: route.url, httpStatus, ...(contentType ? { contentType } : {}) } as never);
                compiled += 1;
              } catch (error) {
                failures.push(`${method} ${route.url} ${httpStatus} ${contentType ?? ''}: ${(error as Error).message}`);
              }
            }
          }
        }
      }
      expect(failures).toEqual([]);
      // Not vacuous: the API's routes were seen, each with several schemas.
      expect(routes.some((route) => route.url === '/api/v1/agents/:id')).toBe(true);
      expect(compiled).toBeGreaterThan(routes.length);
    });
  });
}
