import type { FastifyRequest } from 'fastify';

/** The authenticated caller, once the auth layer has identified one. */
export interface Principal {
  id: string;
  role: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** Who performed a write, for history and audit: the principal's id, or `anonymous` on an open route. */
export function actorOf(request: FastifyRequest): { id: string; correlationId: string } {
  return { id: request.principal?.id ?? 'anonymous', correlationId: request.id };
}
