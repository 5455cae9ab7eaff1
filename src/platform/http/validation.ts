import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

/**
 * Two validators: query strings, path params and headers arrive as text and are coerced to the declared
 * types; JSON bodies are validated as sent, so `{"limit":"5"}` is a 400 rather than silently accepted.
 * Unknown properties are rejected (not stripped) wherever a schema says `additionalProperties: false`.
 */
function createAjv(options: Options): Ajv {
  const ajv = new Ajv({
    allErrors: false,
    removeAdditional: false,
    useDefaults: true,
    allowUnionTypes: true,
    strict: false,
    ...options,
  });
  addFormats.default(ajv);
  return ajv;
}

const bodyAjv = createAjv({ coerceTypes: false });
const textAjv = createAjv({ coerceTypes: 'array' });

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? bodyAjv : textAjv;
  return ajv.compile(schema as object);
};

type RouteValidator = ((data: unknown, context?: Parameters<ValidateFunction>[1]) => boolean) & { errors?: ErrorObject[] | null; schemaEnv?: unknown };

/**
 * A route's validator, compiled at the route's first request instead of at start-up: Fastify compiles every part of
 * every route (and of every GET's HEAD twin) when the app becomes ready, and a server then carries the compiled code
 * of routes its clients never call. Fastify reads `errors` from the function it was given, and hands an Ajv
 * function (one with `schemaEnv`) the request as parent, through which a coerced root value reaches the request.
 */
export const lazyValidatorCompiler: FastifySchemaCompiler<unknown> = (route) => {
  let compiled: ValidateFunction | undefined;
  const validate: RouteValidator = (data, context) => {
    compiled ??= validatorCompiler(route) as ValidateFunction;
    const valid = compiled(data, context);
    validate.errors = compiled.errors ?? null;
    return valid;
  };
  validate.schemaEnv = true;
  return validate;
};
