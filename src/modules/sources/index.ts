import type { CacheInvalidation, CacheMetrics } from '../../platform/cache/index.js';
import { createReadThroughCache } from '../../platform/cache/index.js';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import type { AuditService } from '../audit/index.js';
import type { SecretBox } from '../../platform/crypto/secret-box.js';
import { createSourceRepository } from './sources.repository.js';
import { sourceRoutes } from './sources.routes.js';
import { createSourceService, type IngestSource } from './sources.service.js';

export type { SourceService, IngestSource } from './sources.service.js';

export function createSourcesModule(deps: {
  db: Database;
  /** Seals signing secrets (one box per process, shared with the receivers module: one key). */
  box: SecretBox;
  clock: Clock;
  audit: Pick<AuditService, 'append'>;
  cacheMetrics: CacheMetrics;
  invalidation: Pick<CacheInvalidation, 'notify' | 'register'>;
}) {
  const cache = deps.invalidation.register(
    createReadThroughCache<IngestSource>({ name: 'sources', max: 1000, ttlMs: 5 * 60_000, metrics: deps.cacheMetrics }),
  );
  const service = createSourceService({
    db: deps.db,
    repository: createSourceRepository(deps.db),
    audit: deps.audit,
    box: deps.box,
    clock: deps.clock,
    cache,
    invalidation: deps.invalidation,
  });
  return { service, routes: sourceRoutes(service) };
}
