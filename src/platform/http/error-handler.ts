import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_STATUS, type ErrorCode, type FieldError } from '../errors.js';
import { classifyDatabaseError } from '../db/errors.js';
import { CORRELATION_HEADER } from './correlation.js';
import { sendProblem } from './problem.js';

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Turns an ajv error into `{path, message}` where path is a JSON Pointer prefixed by the request part. */
export function fieldErrorOf(part: string, error: AjvError): FieldError {
  let path = error.instancePath;
  if (error.keyword === 'required' && typeof error.params.missingProperty === 'string') {
    path = `${path}/${error.params.missingProperty}`;
  } else if (error.keyword === 'additionalProperties' && typeof error.params.additionalProperty === 'string') {
    path = `${path}/${error.params.additionalProperty}`;
  }
  let message = error.message ?? 'is invalid';
  if (error.keyword === 'additionalProperties') message = 'is not an allowed property';
  if (error.keyword === 'enum' && Array.isArray(error.params.allowedValues)) {
    message = `must be one of ${error.params.allowedValues.map(String).join(', ')}`;
  }
  return { path: `/${part}${path}`, message };
}

const INTERNAL_DETAIL = 'an unexpected error occurred; quote the correlation id when reporting it';

// Fastify's own client errors, mapped onto ORCA's codes.
const FASTIFY_CODES: Record<string, { code: ErrorCode; detail: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'bad_request', detail: 'the request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'bad_request', detail: 'the request body is empty but Content-Type is application/json' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large', detail: 'the request body is larger than this route accepts' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type', detail: 'this route accepts application/json bodies only' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'bad_request', detail: 'Content-Length does not match the body' },
  FST_ERR_CTP_INVALID_TYPE: { code: 'unsupported_media_type', detail: 'the Content-Type header is invalid' },
  FST_ERR_BAD_URL: { code: 'bad_request', detail: 'the request URL is malformed' },
  FST_ERR_ASYNC_CONSTRAINT: { code: 'bad_request', detail: 'the request cannot be routed' },
};

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
  503: 'unavailable',
};

/**
 * Errors Fastify raises before routing (an undecodable URL, a failing route constraint) bypass the error
 * handler and every hook; `frameworkErrors` sends them here so they too are problem+json with a correlation id.
 */
export function handleFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const known = FASTIFY_CODES[error.code] ?? { code: 'bad_request' as const, detail: 'the request cannot be processed' };
  reply.header(CORRELATION_HEADER, request.id);
  request.log.info({ method: request.method, status_code: ERROR_STATUS[known.code], error_code: error.code }, 'request refused before routing');
  void sendProblem(request, reply, known.code, known.detail);
}

/**
 * Every error leaves as problem+json. Client mistakes are 4xx with a precise detail; anything else is a 500
 * whose body says nothing internal — the full error goes to the log with the correlation id.
 */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) {
      if (error.details.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.details.retryAfterSeconds));
      if (error.status >= 500) request.log.error({ err: error }, 'request failed');
      // A 500 is a bug and its message is written for the log (it may hold a connection string or a key):
      // an AppError('internal', …) sent it to the client verbatim (found by test/security/log-secrets.test.ts).
      // 503 messages ("the database is unavailable; retry shortly") are written for clients and stay.
      const detail = error.code === 'internal' ? INTERNAL_DETAIL : error.message;
      return sendProblem(request, reply, error.code, detail, error.details.errors ? { errors: error.details.errors } : {});
    }
    const fastifyError = error as FastifyError & { validation?: AjvError[]; validationContext?: string };
    if (fastifyError.validation) {
      const errors = fastifyError.validation.map((item) => fieldErrorOf(fastifyError.validationContext ?? 'body', item));
      const first = errors[0];
      return sendProblem(request, reply, 'validation_failed', first ? `${first.path} ${first.message}` : 'the request is invalid', {
        errors,
      });
    }
    if (fastifyError.code === 'FST_ERR_HANDLER_TIMEOUT') {
      // HANDLER_TIMEOUT: the answer the client would otherwise wait for forever (a dependency that stopped answering).
      request.log.error({ err: error }, 'request timed out');
      reply.header('retry-after', '5');
      return sendProblem(request, reply, 'unavailable', 'the request took too long to process; retry shortly');
    }
    const known = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
    if (known) return sendProblem(request, reply, known.code, known.detail);
    const database = classifyDatabaseError(error);
    if (database === 'unavailable') {
      request.log.error({ err: error }, 'database unavailable');
      reply.header('retry-after', '5');
      return sendProblem(request, reply, 'unavailable', 'the database is unavailable; retry shortly');
    }
    if (database === 'bad_value') {
      return sendProblem(request, reply, 'bad_request', 'a value in the request cannot be stored (for example a NUL character in text)');
    }
    const status = fastifyError.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return sendProblem(request, reply, STATUS_CODES[status] ?? 'bad_request', error.message);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(request, reply, 'internal', INTERNAL_DETAIL);
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, 'not_found', `no route for ${request.method} ${request.url.split('?')[0]}`),
  );
}
