/**
 * Requests that arrive while the server drains (SIGTERM, docs/OPERATIONS.md "Shutdown") on a keep-alive connection
 * that was busy when draining began. Fastify's own answer to them (`return503OnClosing`) is plain JSON without
 * `Retry-After`; ORCA answers in its one error format instead — `503 unavailable` with `Retry-After` — and closes the
 * connection, so that a client or load balancer retries on another replica.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';

/** Seconds a client should wait before retrying: another replica (or this one, restarted) answers by then. */
export const DRAINING_RETRY_AFTER_SECONDS = 1;

export function drainingError(): AppError {
  return new AppError('unavailable', 'the server is shutting down; retry on another replica', { retryAfterSeconds: DRAINING_RETRY_AFTER_SECONDS });
}

/** Registers the gate: the first onRequest hook, so that a draining server runs no authentication or handler. */
export function installDrainGate(app: FastifyInstance): void {
  let draining = false;
  app.addHook('preClose', (done) => {
    draining = true;
    done();
  });
  app.addHook('onRequest', (_request, reply, done) => {
    if (!draining) return done();
    reply.header('connection', 'close');
    done(drainingError());
  });
}
