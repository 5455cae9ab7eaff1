import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '../../platform/telemetry/logger.js';

/**
 * The chain head, read from the database at scrape time (every replica reports the same head). Removing the newest
 * entries leaves a valid, shorter chain that `verify` cannot tell from the real one; an operator who keeps the head's
 * history elsewhere (Prometheus does, by scraping this) sees the sequence go backwards or the hash change at a
 * sequence it already had.
 */
export function registerAuditMetrics(registry: Registry, readHead: () => Promise<{ seq: number; hash: string } | undefined>, logger: Logger): void {
  let head: { seq: number; hash: string } | undefined;
  // prom-client collects every metric of a scrape concurrently: both gauges wait for the same one read.
  let reading: Promise<void> | undefined;
  const refresh = () =>
    (reading ??= readHead()
      .then((read) => {
        head = read;
      })
      .catch((error: unknown) => {
        // An unreachable database must not break the scrape: keep the last head; readiness reports the outage.
        logger.debug({ err: error }, 'orca_audit_chain_head: could not read the head');
      })
      .finally(() => {
        reading = undefined;
      }));
  new Gauge({
    name: 'orca_audit_chain_head_seq',
    help: 'Sequence number of the newest audit entry (0 when the log is empty)',
    registers: [registry],
    async collect() {
      await refresh();
      this.set(head?.seq ?? 0);
    },
  });
  new Gauge({
    name: 'orca_audit_chain_head_info',
    help: 'Always 1; the hash label is the newest audit entry\'s hash (one series at a time)',
    labelNames: ['hash'] as const,
    registers: [registry],
    async collect() {
      await refresh();
      // Reset first so that only the current head is exposed: the label changes with every audited write.
      this.reset();
      if (head) this.set({ hash: head.hash }, 1);
    },
  });
}
