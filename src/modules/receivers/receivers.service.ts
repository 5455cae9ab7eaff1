import { randomBytes } from 'node:crypto';
import type { Clock } from '../../platform/clock.js';
import type { SecretBox } from '../../platform/crypto/secret-box.js';
import { isUniqueViolation, type Database, type Queryable } from '../../platform/db/index.js';
import { conflict, notFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/http/actor.js';
import { decodeCursor, pageOf } from '../../platform/http/cursor.js';
import { newId } from '../../platform/ids.js';
import type { OutboundClient } from '../../platform/outbound/index.js';
import type { AuditService } from '../audit/index.js';
import type { Notification } from './notification.js';
import { attemptDelivery } from './receiver-attempt.js';
import type { OpenedReceiver } from './receiver-request.js';
import { displayUrl } from './receiver-url.js';
import { assertReceiverFields } from './receiver-validation.js';
import type { NewReceiver, ReceiverRepository, ReceiverRow } from './receivers.repository.js';
import type {
  CreateReceiverInput,
  ListReceiversQuery,
  Receiver,
  ReceiverKind,
  ReceiverTestResult,
  ReceiverWithGeneratedSecret,
  UpdateReceiverInput,
} from './receivers.schemas.js';

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export function toReceiver(row: ReceiverRow): Receiver {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    url: row.url_display,
    has_secret: row.secret_ciphertext !== null,
    has_token: row.token_ciphertext !== null,
    header_names: row.header_names,
    origin: row.origin,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/** The sealed columns of a receiver's credential-bearing fields (each sealed with the row id as context). */
export function sealReceiverFields(
  box: SecretBox,
  id: string,
  kind: ReceiverKind,
  fields: { url: string; secret: string | null; token: string | null; headers: Record<string, string> | null },
): Pick<NewReceiver, 'url_ciphertext' | 'url_display' | 'secret_ciphertext' | 'token_ciphertext' | 'headers_ciphertext' | 'header_names'> {
  const headers = fields.headers ?? {};
  return {
    url_ciphertext: box.seal(fields.url, id),
    url_display: displayUrl(kind, fields.url),
    secret_ciphertext: fields.secret === null ? null : box.seal(fields.secret, id),
    token_ciphertext: fields.token === null ? null : box.seal(fields.token, id),
    headers_ciphertext: Object.keys(headers).length === 0 ? null : box.seal(JSON.stringify(headers), id),
    header_names: Object.keys(headers).sort(),
  };
}

export function openReceiver(box: SecretBox, row: ReceiverRow): OpenedReceiver {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    url: box.open(row.url_ciphertext, row.id),
    secret: row.secret_ciphertext === null ? null : box.open(row.secret_ciphertext, row.id),
    token: row.token_ciphertext === null ? null : box.open(row.token_ciphertext, row.id),
    headers: row.headers_ciphertext === null ? {} : (JSON.parse(box.open(row.headers_ciphertext, row.id)) as Record<string, string>),
  };
}

/** A test alert: informational, and ending by itself after five minutes in an Alertmanager. */
function testNotification(receiver: OpenedReceiver, now: Date, generatorURL: string, correlationId: string): Notification {
  return {
    id: newId(),
    kind: 'test',
    receiver: receiver.name,
    groupKey: `orca-test:${receiver.id}`,
    groupLabels: { alertname: 'OrcaTestNotification' },
    status: 'firing',
    alerts: [
      {
        fingerprint: `orca-test:${receiver.id}`,
        status: 'firing',
        labels: { alertname: 'OrcaTestNotification', severity: 'info', receiver: receiver.name },
        annotations: { summary: `Test notification from ORCA to receiver ${receiver.name}`, description: 'Sent by POST /api/v1/receivers/{id}/test. No action is needed.' },
        startsAt: now.toISOString(),
        endsAt: new Date(now.getTime() + 5 * 60_000).toISOString(),
        generatorURL,
      },
    ],
    correlationId,
  };
}

export interface ReceiverServiceDeps {
  db: Database;
  repository: ReceiverRepository;
  audit: Pick<AuditService, 'append'>;
  box: SecretBox;
  clock: Clock;
  outbound: Pick<OutboundClient, 'request' | 'assertAllowedUrl'>;
  /**
   * After a receiver was created, changed or deleted here (committed or not): the delivery jobs' cache of opened
   * receivers drops it, and the list of names is read again.
   */
  onChanged?: (id: string) => void;
}

export function createReceiverService({ db, repository, audit, box, clock, outbound, onChanged }: ReceiverServiceDeps) {
  async function requireReceiver(id: string, tx: Queryable = db, forUpdate = false): Promise<ReceiverRow> {
    const row = await repository.findById(id, tx, { forUpdate });
    if (!row) throw notFound(`receiver ${id}`);
    return row;
  }

  /** Every write: one transaction with its audit entry; a taken name is a 409. */
  async function write<T>(name: string | undefined, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    try {
      return await db.transaction(fn);
    } catch (error) {
      if (isUniqueViolation(error, 'receiver_name_key')) throw conflict(`another receiver is already named "${name}"`);
      throw error;
    }
  }

  return {
    async create(actor: Actor, input: CreateReceiverInput): Promise<ReceiverWithGeneratedSecret> {
      assertReceiverFields(input.kind, input, input.token !== undefined);
      await outbound.assertAllowedUrl(input.url, '/body/url');
      const id = newId();
      const generated = input.kind === 'webhook' && input.secret === undefined ? generateWebhookSecret() : undefined;
      const sealed = sealReceiverFields(box, id, input.kind, { url: input.url, secret: input.secret ?? generated ?? null, token: input.token ?? null, headers: input.headers ?? null });
      const row = await write(input.name, async (tx) => {
        const created = await repository.insert({ id, name: input.name, kind: input.kind, origin: 'api', ...sealed }, tx);
        await audit.append(tx, { actor: actor.id, action: 'receiver.create', target: `receiver:${id}`, before: null, after: toReceiver(created), correlationId: actor.correlationId });
        return created;
      }).finally(() => onChanged?.(id));
      return generated === undefined ? toReceiver(row) : { ...toReceiver(row), generated_secret: generated };
    },

    async get(id: string): Promise<Receiver> {
      return toReceiver(await requireReceiver(id));
    },

    async list(query: ListReceiversQuery): Promise<{ items: Receiver[]; next_cursor: string | null }> {
      const limit = query.limit ?? 50;
      const rows = await repository.list({ kind: query.kind, limit: limit + 1, after: decodeCursor(query.cursor) });
      const page = pageOf(rows, limit);
      return { items: page.items.map(toReceiver), next_cursor: page.next_cursor };
    },

    async update(actor: Actor, id: string, input: UpdateReceiverInput): Promise<Receiver> {
      if (input.url !== undefined) await outbound.assertAllowedUrl(input.url, '/body/url');
      return write(input.name, async (tx) => {
        const current = await requireReceiver(id, tx, true);
        const opened = openReceiver(box, current);
        const token = input.token === undefined ? opened.token : input.token;
        const headers = input.headers === undefined ? opened.headers : input.headers;
        // Stored headers are checked again when a token arrives: an Authorization header would conflict with it.
        assertReceiverFields(current.kind, { secret: input.secret, token: input.token, headers }, token !== null);
        const sealed = sealReceiverFields(box, id, current.kind, { url: input.url ?? opened.url, secret: input.secret ?? opened.secret, token, headers });
        const updated = await repository.update(id, { name: input.name ?? current.name, ...sealed }, tx);
        await audit.append(tx, {
          actor: actor.id,
          action: 'receiver.update',
          target: `receiver:${id}`,
          before: toReceiver(current),
          after: { ...toReceiver(updated), secret_changed: input.secret !== undefined, token_changed: input.token !== undefined },
          correlationId: actor.correlationId,
        });
        return toReceiver(updated);
      }).finally(() => onChanged?.(id));
    },

    /** Soft delete: its deliveries stay listed; those still pending are dead-lettered when their job runs. */
    async remove(actor: Actor, id: string): Promise<void> {
      await write(undefined, async (tx) => {
        const current = await requireReceiver(id, tx, true);
        const deleted = await repository.softDelete(id, tx);
        await audit.append(tx, {
          actor: actor.id,
          action: 'receiver.delete',
          target: `receiver:${id}`,
          before: toReceiver(current),
          after: { ...toReceiver(deleted), deleted_at: deleted.deleted_at?.toISOString() ?? null },
          correlationId: actor.correlationId,
        });
      }).finally(() => onChanged?.(id));
    },

    /**
     * Sends a test notification now, through the same builder and outbound client as deliveries (one attempt, no
     * retry), and says what happened. Audited: it makes ORCA call out.
     */
    async test(actor: Actor & { correlationId: string }, id: string, generatorURL: string): Promise<ReceiverTestResult> {
      const receiver = openReceiver(box, await requireReceiver(id));
      const notification = testNotification(receiver, clock.now(), generatorURL, actor.correlationId);
      const outcome = await attemptDelivery({ outbound, clock }, receiver, notification, actor.correlationId);
      const result: ReceiverTestResult =
        outcome.result === 'delivered'
          ? { notification_id: notification.id, outcome: 'delivered', status: outcome.status, duration_ms: outcome.durationMs, error: null }
          : { notification_id: notification.id, outcome: outcome.status === null ? 'failed' : 'rejected', status: outcome.status, duration_ms: outcome.durationMs, error: outcome.error };
      await db.transaction((tx) =>
        audit.append(tx, { actor: actor.id, action: 'receiver.test', target: `receiver:${id}`, before: null, after: result, correlationId: actor.correlationId }),
      );
      return result;
    },
  };
}

export type ReceiverService = ReturnType<typeof createReceiverService>;
