import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Logger } from '../../platform/telemetry/logger.js';

export type RefusalReason = 'unknown_token' | 'used' | 'expired' | 'selection_changed' | 'empty';

export interface KillSwitchMetrics {
  previews: Counter;
  activations: Counter;
  agentsSuspended: Counter;
  releases: Counter;
  agentsRestored: Counter;
  refusals: Counter<'reason'>;
  executeDuration: Histogram;
}

export function createKillSwitchMetrics(registry: Registry, countActive: () => Promise<number>, logger: Logger): KillSwitchMetrics {
  new Gauge({
    name: 'orca_kill_switch_active',
    help: 'Kill switch activations not released yet (read from the database at scrape time, the same on every replica)',
    registers: [registry],
    async collect() {
      try {
        this.set(await countActive());
      } catch (error) {
        // An unreachable database must not break the scrape: keep the last value; readiness reports the outage.
        logger.debug({ err: error }, 'orca_kill_switch_active: could not count activations');
      }
    },
  });
  return {
    previews: new Counter({ name: 'orca_kill_switch_previews_total', help: 'Kill switch previews (blast radius computed, token issued)', registers: [registry] }),
    activations: new Counter({ name: 'orca_kill_switch_activations_total', help: 'Kill switch activations executed', registers: [registry] }),
    agentsSuspended: new Counter({ name: 'orca_kill_switch_agents_suspended_total', help: 'Agents suspended by kill switch activations', registers: [registry] }),
    releases: new Counter({ name: 'orca_kill_switch_releases_total', help: 'Kill switch activations released', registers: [registry] }),
    agentsRestored: new Counter({ name: 'orca_kill_switch_agents_restored_total', help: 'Agents restored to their previous status by releases', registers: [registry] }),
    refusals: new Counter({
      name: 'orca_kill_switch_refusals_total',
      help: 'Kill switch executions refused, by reason (unknown_token, used, expired, selection_changed, empty)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    executeDuration: new Histogram({
      name: 'orca_kill_switch_execute_duration_seconds',
      help: 'Time to execute a kill switch: lock and check the selection, suspend every agent, record and audit, commit',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
      registers: [registry],
    }),
  };
}
