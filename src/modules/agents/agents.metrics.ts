import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '../../platform/telemetry/logger.js';
import { AGENT_STATUSES, type AgentStatus } from './lifecycle.js';

/** `orca_agents{status}`, read from the database at scrape time so every replica reports the same truth. */
export function registerAgentMetrics(
  registry: Registry,
  countByStatus: () => Promise<Array<{ status: AgentStatus; count: number }>>,
  logger: Logger,
): void {
  new Gauge({
    name: 'orca_agents',
    help: 'Registered agents by lifecycle status',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      try {
        const counts = new Map((await countByStatus()).map((row) => [row.status, row.count]));
        for (const status of AGENT_STATUSES) this.set({ status }, counts.get(status) ?? 0);
      } catch (error) {
        // An unreachable database must not break the scrape: keep the last values; readiness reports the outage.
        logger.debug({ err: error }, 'orca_agents: could not count agents');
      }
    },
  });
}
