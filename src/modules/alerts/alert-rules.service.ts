/**
 * The alert-rules document: the active one (compiled, per version), and activating a new one. Version 0 is the
 * built-in document (default-alert-rules.yaml), whose routes follow the receivers that exist (default-alert-rules.ts).
 */
import type { CacheInvalidation, ReadThroughCache } from '../../platform/cache/index.js';
import type { Database } from '../../platform/db/index.js';
import { AppError } from '../../platform/errors.js';
import type { Actor } from '../../platform/http/actor.js';
import { newId } from '../../platform/ids.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { AuditService } from '../audit/index.js';
import type { NotificationSink } from '../receivers/notification.js';
import type { AlertRulesRepository, AlertRulesRow } from './alert-rules.repository.js';
import { compileAlertRules, type CompiledAlertRules } from './compile-alert-rules.js';
import { DEFAULT_ALERT_RULES_SOURCE, defaultAlertRulesDocument } from './default-alert-rules.js';

const DEFAULT_CREATED_AT = new Date(0).toISOString();
/** The one key of the active-rules cache. */
const ACTIVE = 'active';
export const ALERT_RULES_CACHE = 'alert_rules';

export interface AlertRulesView {
  version: number;
  active: boolean;
  format: 'yaml' | 'json';
  created_by: string;
  created_at: string;
  document: Record<string, unknown>;
  source: string;
}

export function createAlertRulesService(deps: {
  db: Database;
  repository: AlertRulesRepository;
  audit: Pick<AuditService, 'append'>;
  sink: Pick<NotificationSink, 'receiverNames'>;
  logger: Logger;
  /**
   * The active row, kept between evaluations and dropped on every replica when a PUT commits (the invalidation feed;
   * read from the database while it is down). Without it, every evaluation reads the row.
   */
  activeCache?: { cache: ReadThroughCache<{ row: AlertRulesRow | undefined }>; invalidation: Pick<CacheInvalidation, 'notify'> };
}) {
  const { db, repository, audit, sink, logger, activeCache } = deps;
  const activeRow = async (): Promise<AlertRulesRow | undefined> =>
    activeCache ? (await activeCache.cache.get(ACTIVE, async () => ({ row: await repository.findActive() })))?.row : repository.findActive();
  /** Compiled documents by version: a stored version never changes, so its compilation is kept. */
  let compiled: CompiledAlertRules | undefined;
  /**
   * The built-in document compiled for the receivers that existed when it was: it changes only with them (its routes
   * follow the settings receivers), and parsing and compiling it at every evaluation cost more than the evaluation.
   */
  let compiledDefault: { receivers: string; rules: CompiledAlertRules } | undefined;

  async function receivers(): Promise<Set<string>> {
    return new Set(await sink.receiverNames());
  }

  /**
   * The rules and routes in force now (a PUT on any replica counts at the next evaluation: its commit drops the kept
   * row everywhere).
   * `receiverNames`: the receivers that exist, when the caller has them already (an evaluation reads them once for
   * this and for its deliveries); read here otherwise.
   */
  async function active(receiverNames?: readonly string[]): Promise<CompiledAlertRules> {
    const row = await activeRow();
    if (!row) {
      const names = receiverNames ?? (await sink.receiverNames());
      const key = JSON.stringify([...names].sort());
      if (compiledDefault?.receivers !== key) compiledDefault = { receivers: key, rules: compileAlertRules(defaultAlertRulesDocument(names), 0, new Set(names)) };
      return compiledDefault.rules;
    }
    if (compiled?.version === row.version) return compiled;
    // A receiver deleted after the PUT does not stop evaluation: every name counts, the sink reports a missing one.
    const names = new Set(receiverNames ?? (await sink.receiverNames()));
    collectReceivers(row.document.route, names);
    compiled = compileAlertRules(row.document, row.version, names);
    return compiled;
  }

  return {
    active,

    async getActive(): Promise<AlertRulesView> {
      const row = await repository.findActive();
      if (row) return toView(row);
      return {
        version: 0,
        active: true,
        format: 'yaml',
        created_by: 'orca',
        created_at: DEFAULT_CREATED_AT,
        document: defaultAlertRulesDocument(await sink.receiverNames()) as unknown as Record<string, unknown>,
        source: DEFAULT_ALERT_RULES_SOURCE,
      };
    },

    /** Validates (receivers included), stores a new version and makes it active; the previous one stays on a 400. */
    async put(actor: Actor, body: unknown, format: 'yaml' | 'json', source: string | undefined): Promise<AlertRulesView> {
      compileAlertRules(body, 0, await receivers(), '/body');
      // PostgreSQL stores no NUL character, in text or in jsonb: refuse it here rather than fail the insert.
      if ((source ?? '').includes('\u0000') || JSON.stringify(body).includes('\\u0000')) {
        throw new AppError('validation_failed', 'the alert-rules document contains a NUL character', { errors: [{ path: '/body', message: 'must not contain NUL characters' }] });
      }
      let row: AlertRulesRow;
      try {
        row = await db.transaction(async (tx) => {
          const version = await repository.lockAndNextVersion(tx);
          const previous = await repository.findActive(tx);
          const inserted = await repository.insertActive(
            { id: newId(), version, document: body, source: source ?? JSON.stringify(body, null, 2), format, created_by: actor.id },
            tx,
          );
          await audit.append(tx, {
            actor: actor.id,
            action: 'alert_rules.update',
            target: `alert_rules:${version}`,
            before: { version: previous?.version ?? 0 },
            after: { version, document: body },
            correlationId: actor.correlationId,
          });
          await activeCache?.invalidation.notify(tx, activeCache.cache.name, ACTIVE);
          return inserted;
        });
      } finally {
        // Committed or not, this replica reads the row again (the others when the notification arrives).
        activeCache?.cache.invalidate(ACTIVE);
      }
      logger.info({ alert_rules_version: row.version, actor: actor.id }, 'alert rules activated');
      return toView(row);
    },
  };
}

function collectReceivers(route: unknown, names: Set<string>): void {
  if (typeof route !== 'object' || route === null) return;
  const { receiver, routes } = route as { receiver?: unknown; routes?: unknown };
  if (typeof receiver === 'string') names.add(receiver);
  if (Array.isArray(routes)) for (const child of routes) collectReceivers(child, names);
}

function toView(row: AlertRulesRow): AlertRulesView {
  return {
    version: row.version,
    active: row.active,
    format: row.format,
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    document: row.document,
    source: row.source,
  };
}

export type AlertRulesService = ReturnType<typeof createAlertRulesService>;
