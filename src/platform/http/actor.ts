import type { FastifyRequest } from 'fastify';
import type { Role } from './roles.js';

/** The authenticated caller: an API key's id, role and name. */
export interface Principal {
  id: string;
  role: Role;
  name: string;
  /**
   * Set when the request was authenticated by a console session cookie (docs/console.md) rather than a key header:
   * the session acts with its key's id and role, and its writes must echo csrfToken.
   */
  session?: ConsoleSessionFacts;
}

export interface ConsoleSessionFacts {
  id: string;
  csrfToken: string;
  expiresAt: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/**
 * Who performed a write and under which request, recorded with every change and in the audit log: an API key's id
 * (`anonymous` on an open route) and the request's correlation id, or `cli:<user>` and no correlation id for the CLI.
 */
export interface Actor {
  id: string;
  correlationId: string | null;
}

/** The actor of an HTTP request. */
export function actorOf(request: FastifyRequest): Actor & { correlationId: string } {
  return { id: request.principal?.id ?? 'anonymous', correlationId: request.id };
}
