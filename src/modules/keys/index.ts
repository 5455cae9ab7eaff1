import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { AuditService } from '../audit/index.js';
import { createKeyRepository } from './keys.repository.js';
import { keyRoutes } from './keys.routes.js';
import { createKeyService } from './keys.service.js';

export type { KeyService, ApiKeyView } from './keys.service.js';

export function createKeysModule(deps: { db: Database; audit: Pick<AuditService, 'append'>; clock: Clock; logger: Logger }) {
  const service = createKeyService({ ...deps, repository: createKeyRepository(deps.db) });
  return { service, routes: keyRoutes(service) };
}
