import type { SecretBox } from '../../platform/crypto/secret-box.js';
import type { Database } from '../../platform/db/index.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { OutboundClient } from '../../platform/outbound/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { AuditService } from '../audit/index.js';
import { kindOfWebhookSetting } from './receiver-url.js';
import type { ReceiverRepository } from './receivers.repository.js';
import type { ReceiverKind } from './receivers.schemas.js';
import { generateWebhookSecret, openReceiver, sealReceiverFields, toReceiver } from './receivers.service.js';

// Logged by host only: ALERT_WEBHOOK_URL is a secret setting, and a webhook URL's path may carry a token.
/** The settings that keep a receiver (docs/receivers.md "Receivers from settings"). */
export interface ReceiverSettings {
  alertmanagerUrl: string | undefined;
  alertWebhookUrl: string | undefined;
  alertWebhookSecret: string | undefined;
}

export interface WantedReceiver {
  setting: string;
  name: string;
  kind: ReceiverKind;
  url: string;
  secret: string | undefined;
}

/** The receivers the settings keep, by the names the server gives them (also what `orca doctor` probes). */
export function wantedReceivers(settings: ReceiverSettings): WantedReceiver[] {
  const wanted: WantedReceiver[] = [];
  if (settings.alertmanagerUrl) wanted.push({ setting: 'ALERTMANAGER_URL', name: 'alertmanager', kind: 'alertmanager', url: settings.alertmanagerUrl, secret: undefined });
  if (settings.alertWebhookUrl) {
    const kind = kindOfWebhookSetting(settings.alertWebhookUrl);
    wanted.push({ setting: 'ALERT_WEBHOOK_URL', name: 'webhook', kind, url: settings.alertWebhookUrl, secret: kind === 'webhook' ? settings.alertWebhookSecret : undefined });
  }
  return wanted;
}

/**
 * ALERTMANAGER_URL and ALERT_WEBHOOK_URL each keep one receiver, `alertmanager` and `webhook`: created at start-up
 * if missing (or deleted), updated when the setting changed, left alone otherwise — so every replica may run this
 * at every start. Unsetting a setting leaves its receiver in place (deliveries may still name it). A URL the SSRF
 * guard refuses is logged, not fatal: the process must start for its operator to fix OUTBOUND_ALLOW_CIDRS, and
 * deliveries to that receiver are dead-lettered with the reason meanwhile.
 */
export async function keepReceiversFromSettings(
  deps: { db: Database; repository: ReceiverRepository; box: SecretBox; audit: Pick<AuditService, 'append'>; outbound: Pick<OutboundClient, 'assertAllowedUrl'>; logger: Logger },
  settings: ReceiverSettings,
): Promise<void> {
  const { db, repository, box, audit, logger } = deps;
  for (const wanted of wantedReceivers(settings)) {
    try {
      await deps.outbound.assertAllowedUrl(wanted.url, wanted.setting);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      logger.error({ setting: wanted.setting, receiver: wanted.name, reason: error.details.errors?.[0]?.message ?? error.message }, `${wanted.setting} cannot be called now: deliveries to it fail until it is fixed (OUTBOUND_ALLOW_CIDRS, DNS)`);
    }
    await db.transaction(async (tx) => {
      await repository.lockSettingsReconciliation(tx);
      const current = await repository.findByName(wanted.name, tx, { forUpdate: true });
      const entry = { actor: 'system', target: '', correlationId: null };
      if (!current) {
        const id = newId();
        const sealed = sealReceiverFields(box, id, wanted.kind, {
          url: wanted.url,
          secret: wanted.kind === 'webhook' ? (wanted.secret ?? generateWebhookSecret()) : null,
          token: null,
          headers: null,
        });
        const created = await repository.insert({ id, name: wanted.name, kind: wanted.kind, origin: 'config', ...sealed }, tx);
        await audit.append(tx, { ...entry, action: 'receiver.create', target: `receiver:${id}`, before: null, after: { ...toReceiver(created), setting: wanted.setting } });
        logger.info({ receiver: wanted.name, kind: wanted.kind, host: new URL(wanted.url).host, setting: wanted.setting }, 'receiver created from its setting');
        return;
      }
      const opened = openReceiver(box, current);
      const secret = wanted.kind === 'webhook' ? (wanted.secret ?? opened.secret ?? generateWebhookSecret()) : null;
      if (opened.url === wanted.url && current.kind === wanted.kind && opened.secret === secret) return;
      const sealed = sealReceiverFields(box, current.id, wanted.kind, {
        url: wanted.url,
        secret,
        // A Slack URL is its own credential: a token kept from another kind would be sent nowhere useful.
        token: wanted.kind === 'slack' ? null : opened.token,
        headers: opened.headers,
      });
      const updated = await repository.update(current.id, { name: current.name, kind: wanted.kind, ...sealed }, tx);
      await audit.append(tx, { ...entry, action: 'receiver.update', target: `receiver:${current.id}`, before: toReceiver(current), after: { ...toReceiver(updated), setting: wanted.setting } });
      logger.info({ receiver: wanted.name, kind: wanted.kind, host: new URL(wanted.url).host, setting: wanted.setting }, 'receiver updated from its setting');
    });
  }
}
