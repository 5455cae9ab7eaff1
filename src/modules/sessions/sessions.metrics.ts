import { Counter, type Registry } from 'prom-client';

/** Console sign-ins by outcome (success, rejected: a key not accepted, forbidden: an ingest key), sign-outs, purges. */
export function createSessionMetrics(registry: Registry) {
  return {
    signIns: new Counter({
      name: 'orca_console_sign_ins_total',
      help: 'Console sign-ins by outcome: success, rejected (the key was not accepted), forbidden (an ingest key)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    signOuts: new Counter({ name: 'orca_console_sign_outs_total', help: 'Console sessions ended by sign-out', registers: [registry] }),
    purged: new Counter({
      name: 'orca_console_sessions_purged_total',
      help: 'Ended console sessions deleted by the purge job (a day after they expired or were signed out)',
      registers: [registry],
    }),
  };
}

export type SessionMetrics = ReturnType<typeof createSessionMetrics>;
