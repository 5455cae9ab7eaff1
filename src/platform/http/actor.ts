import type { FastifyRequest } from 'fastify';
import type { Role } from './roles.js';

/** The authenticated caller: an API key's id, role and name. */
export interface Principal {
  id: string;
  role: Role;
  name: string;
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
