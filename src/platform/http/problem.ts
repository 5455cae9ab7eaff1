import type { FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_STATUS, ERROR_TITLES, type ErrorCode, type FieldError } from '../errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  correlation_id: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export function problemType(code: ErrorCode): string {
  return `urn:orca:problem:${code}`;
}

/** Builds an RFC 9457 body; `instance` is the path without its query string (which may carry secrets). */
export function problemBody(
  request: FastifyRequest,
  code: ErrorCode,
  detail: string,
  extensions: { errors?: FieldError[]; [key: string]: unknown } = {},
): ProblemBody {
  return {
    type: problemType(code),
    title: ERROR_TITLES[code],
    status: ERROR_STATUS[code],
    detail,
    instance: request.url.split('?')[0] ?? '/',
    correlation_id: request.id,
    ...extensions,
  };
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ErrorCode,
  detail: string,
  extensions: { errors?: FieldError[]; [key: string]: unknown } = {},
): FastifyReply {
  return reply.code(ERROR_STATUS[code]).type(PROBLEM_CONTENT_TYPE).send(problemBody(request, code, detail, extensions));
}
