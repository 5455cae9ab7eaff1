import { createReadThroughCache, type CacheInvalidation, type CacheMetrics } from '../../platform/cache/index.js';
import type { Clock } from '../../platform/clock.js';
import type { SecretBox } from '../../platform/crypto/secret-box.js';
import type { Database } from '../../platform/db/index.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import type { OutboundClient } from '../../platform/outbound/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { Metrics } from '../../platform/telemetry/metrics.js';
import type { AuditService } from '../audit/index.js';
import { createDeliveryRepository } from './deliveries.repository.js';
import { deliveryRoutes } from './deliveries.routes.js';
import { createDeliveryBatches } from './delivery-batches.js';
import { createDeliveryService } from './deliveries.service.js';
import { registerDeliveryJobs, type DeliverySettings } from './receivers.jobs.js';
import { createReceiverCache } from './receiver-cache.js';
import { createReceiverNames, RECEIVER_NAMES_CACHE } from './receiver-names.js';
import { registerReceiverMetrics } from './receivers.metrics.js';
import { createReceiverRepository } from './receivers.repository.js';
import { receiverRoutes } from './receivers.routes.js';
import { createReceiverService, openReceiver } from './receivers.service.js';
import { keepReceiversFromSettings, type ReceiverSettings } from './receiver-settings.js';

export type { AlertInstance, DeadLetteredDelivery, Notification, NotificationSink, ReportAttachment } from './notification.js';
export type { ReceiverService } from './receivers.service.js';
export type { DeliveryService } from './deliveries.service.js';
export { DELIVERY_QUEUE } from './deliveries.service.js';
export type { DeliverySettings } from './receivers.jobs.js';
export type { ReceiverSettings } from './receiver-settings.js';
export type { OpenedReceiver } from './receiver-request.js';
export { standardWebhookHeaders } from './webhook-payload.js';
export { deliveryUrl } from './receiver-url.js';
export { listReceiverEndpoints, withSettingsReceivers, type ReceiverEndpoint } from './receiver-endpoints.js';
export { RECEIVER_KINDS, type ReceiverKind } from './receivers.schemas.js';

/**
 * Alert receivers (Alertmanager, Slack, Standard Webhooks) and durable deliveries to them. `sink` is what the alerts
 * module hands notifications to (notification.ts); `routes` serve /receivers and /deliveries.
 */
export function createReceiversModule(deps: {
  db: Database;
  metrics: Metrics;
  logger: Logger;
  clock: Clock;
  audit: Pick<AuditService, 'append'>;
  /** Seals receiver URLs, secrets, tokens and header values (the process's one box). */
  box: SecretBox;
  outbound: Pick<OutboundClient, 'request' | 'assertAllowedUrl'>;
  /** Where the module declares its delivery queue, and sends deliveries. */
  jobs: Pick<JobQueue, 'define' | 'send' | 'sendMany'>;
  settings: DeliverySettings;
  cacheMetrics: CacheMetrics;
  /** Keeps every replica's list of receiver names coherent (receiver-names.ts). */
  invalidation: Pick<CacheInvalidation, 'notify' | 'register'>;
}) {
  const logger = deps.logger.child({ module: 'receivers' });
  const names = createReceiverNames({
    read: () => receivers.names(),
    // One entry; the TTL is only a backstop behind the invalidation feed.
    cache: deps.invalidation.register(createReadThroughCache<{ names: string[] }>({ name: RECEIVER_NAMES_CACHE, max: 1, ttlMs: 5 * 60_000, metrics: deps.cacheMetrics })),
    invalidation: deps.invalidation,
  });
  const receivers = createReceiverRepository(deps.db, { onWrite: names.announce });
  const deliveries = createDeliveryRepository(deps.db);
  const metrics = registerReceiverMetrics(deps.metrics.registry);
  const receiverCache = createReceiverCache();
  const service = createReceiverService({ db: deps.db, repository: receivers, audit: deps.audit, box: deps.box, clock: deps.clock, outbound: deps.outbound, onChanged: (id) => {
      receiverCache.forget(id);
      names.forget();
    },
  });
  const deliveryService = createDeliveryService({ db: deps.db, deliveries, receivers, receiverNames: names.names, jobs: deps.jobs, audit: deps.audit, clock: deps.clock, logger });
  registerDeliveryJobs(deps.jobs, {
    deliveries,
    batches: createDeliveryBatches(deps.db, deliveries),
    receivers,
    receiverCache,
    box: deps.box,
    outbound: deps.outbound,
    clock: deps.clock,
    metrics,
    announceDeadLetter: deliveryService.announceDeadLetter,
    settings: deps.settings,
  });
  const routes = [receiverRoutes(service), deliveryRoutes(deliveryService)];
  return {
    service,
    deliveries: deliveryService,
    sink: deliveryService.sink,
    routes,
    /** A receiver by name with its sealed fields opened, for one call (self-healing's resync requests); undefined when none. */
    openByName: async (name: string) => {
      const row = await receivers.findByName(name);
      return row ? openReceiver(deps.box, row) : undefined;
    },
    /** Creates or updates the receivers ALERTMANAGER_URL and ALERT_WEBHOOK_URL keep; at every start-up. */
    keepFromSettings: (settings: ReceiverSettings) =>
      keepReceiversFromSettings({ db: deps.db, repository: receivers, box: deps.box, audit: deps.audit, outbound: deps.outbound, logger }, settings).finally(names.forget),
  };
}

export type ReceiversModule = ReturnType<typeof createReceiversModule>;
