import { SerializerSelector, type SerializerFactory } from '@fastify/fast-json-stringify-compiler';

const buildSerializer = SerializerSelector();

/**
 * Fastify's own response serializers (fast-json-stringify), each compiled at its first use instead of at start-up:
 * Fastify compiles one for every status of every route (GET routes twice, with their HEAD twin) when the app becomes
 * ready, and a server then carries the generated code of answers it never sends. A schema that does not compile
 * fails its first answer (a 500 with the error logged) instead of the start.
 */
export const buildLazySerializer: SerializerFactory = (externalSchemas, options) => {
  const compile = buildSerializer(externalSchemas, options);
  return (route) => {
    let serialize: ((document: unknown) => string) | undefined;
    return (document) => (serialize ??= compile(route))(document);
  };
};
