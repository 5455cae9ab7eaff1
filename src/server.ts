import diagnosticsChannel from 'node:diagnostics_channel';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { createContainer, type Container, type ContainerOptions } from './container.js';
import type { OrcaConfig } from './platform/config/schema.js';
import { publishServerEndpoint } from './platform/server-endpoint.js';

export interface RunningServer {
  app: FastifyInstance;
  container: Container;
  address: string;
  /** Stops accepting connections, lets in-flight requests finish, then closes the database. */
  stop(): Promise<void>;
}

export async function startServer(config: Readonly<OrcaConfig>, options: ContainerOptions = {}): Promise<RunningServer> {
  const container = await createContainer(config, options);
  let app: FastifyInstance;
  let url: string;
  try {
    app = await buildApp(container);
    url = await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await container.close();
    throw error;
  }
  container.logger.info(
    { url, role: container.role, database: container.db.kind, version: container.version, pid: process.pid },
    'ORCA is listening',
  );
  // Only the embedded database locks its data directory; with DATABASE_URL the CLI opens the database itself.
  const unpublish = container.db.kind === 'pglite' ? publishServerEndpoint(config.dataDir, url) : () => {};
  let stopping: Promise<void> | undefined;
  return {
    app,
    container,
    address: url,
    stop() {
      stopping ??= (async () => {
        // Fastify closes the connections that are idle when draining starts; a keep-alive connection whose request
        // is still in flight becomes idle only after its response, and Node then keeps it open for
        // KEEP_ALIVE_TIMEOUT (+1 s). Behind a load balancer that is longer than SHUTDOWN_TIMEOUT, so every drain
        // with a request in flight timed out and exited 1 (test/e2e/shutdown.test.ts). Close each such connection
        // as soon as its response has been handed to the OS.
        const closeWhenIdle = (message: unknown) => {
          if ((message as { server?: unknown }).server === app.server) setImmediate(() => app.server.closeIdleConnections());
        };
        diagnosticsChannel.subscribe('http.server.response.finish', closeWhenIdle);
        try {
          unpublish();
          await app.close();
        } finally {
          diagnosticsChannel.unsubscribe('http.server.response.finish', closeWhenIdle);
          await container.close();
        }
      })();
      return stopping;
    },
  };
}

/**
 * SIGTERM/SIGINT: drain and exit 0; if draining takes longer than the shutdown timeout, exit 1 anyway so an
 * orchestrator is never left waiting. A second signal exits at once.
 *
 * Installed before the server starts, attached to it once it has. In a container ORCA is PID 1, and the kernel
 * ignores a signal sent to PID 1 that has no handler: without one during start-up (migrations, the embedded
 * database's first load), a `docker stop` then would be lost and end in SIGKILL. A signal received while starting
 * is held: the drain begins as soon as the server is up, and the shutdown timeout runs from the signal.
 */
export function exitOnSignals(timeoutMs: number): { attach(server: RunningServer): void } {
  let server: RunningServer | undefined;
  let received = false;
  const exitNow = (level: 'warn' | 'error', fields: Record<string, unknown>, message: string) => {
    if (server) {
      server.container.logger[level](fields, message);
      server.container.logger.flush();
    } else {
      console.error(`orca: ${message}`);
    }
    process.exit(1);
  };
  const drain = (running: RunningServer, signal: NodeJS.Signals) => {
    const { logger } = running.container;
    logger.info({ signal, timeout_ms: timeoutMs }, 'shutting down: draining in-flight requests');
    running
      .stop()
      .then(() => {
        logger.info('shutdown complete');
        logger.flush();
        process.exitCode = 0;
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'error during shutdown');
        logger.flush();
        process.exitCode = 1;
      });
  };
  let heldSignal: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) exitNow('warn', { signal }, 'second signal: exiting now');
    received = true;
    const timer = setTimeout(() => exitNow('error', { timeout_ms: timeoutMs }, 'graceful shutdown timed out; exiting'), timeoutMs);
    timer.unref();
    if (server) {
      drain(server, signal);
    } else {
      heldSignal = signal;
      console.error(`orca: ${signal} received while starting: shutting down as soon as started`);
    }
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return {
    attach(running) {
      server = running;
      if (heldSignal) drain(running, heldSignal);
    },
  };
}
