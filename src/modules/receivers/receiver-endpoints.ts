import type { SecretBox } from '../../platform/crypto/secret-box.js';
import type { Queryable } from '../../platform/db/index.js';
import { wantedReceivers, type ReceiverSettings } from './receiver-settings.js';
import { deliveryUrl } from './receiver-url.js';
import { createReceiverRepository } from './receivers.repository.js';
import type { ReceiverKind } from './receivers.schemas.js';

/**
 * Where a receiver's notifications go, for a reachability check (`orca doctor`): the delivery URL opened from its
 * ciphertext, or why it cannot be opened (a process without the key that sealed it cannot deliver either). Held in
 * memory only; whoever shows it must show no more than its origin.
 */
export interface ReceiverEndpoint {
  name: string;
  kind: ReceiverKind;
  url: URL | undefined;
  /** Why the URL could not be opened. */
  openError?: string;
  /** The setting that keeps this receiver, when one does. */
  setting?: string;
}

const PAGE = 500;

/** Every live receiver with its delivery URL opened by `box` (as the delivery job opens it). */
export async function listReceiverEndpoints(db: Queryable, box: SecretBox): Promise<ReceiverEndpoint[]> {
  const repository = createReceiverRepository(db);
  const endpoints: ReceiverEndpoint[] = [];
  let after: string | undefined;
  for (;;) {
    const rows = await repository.list({ limit: PAGE, ...(after ? { after } : {}) });
    for (const row of rows) {
      try {
        endpoints.push({ name: row.name, kind: row.kind, url: new URL(deliveryUrl(row.kind, box.open(row.url_ciphertext, row.id))) });
      } catch (error) {
        endpoints.push({ name: row.name, kind: row.kind, url: undefined, openError: (error as Error).message });
      }
    }
    if (rows.length < PAGE) break;
    after = rows.at(-1)!.id;
  }
  return endpoints.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The receivers a server started with these settings would deliver to: ALERTMANAGER_URL and ALERT_WEBHOOK_URL
 * replace (or add) the receivers they keep, as every start-up does (receiver-settings.ts).
 */
export function withSettingsReceivers(endpoints: ReceiverEndpoint[], settings: ReceiverSettings): ReceiverEndpoint[] {
  const byName = new Map(endpoints.map((endpoint) => [endpoint.name, endpoint]));
  for (const wanted of wantedReceivers(settings)) {
    byName.set(wanted.name, { name: wanted.name, kind: wanted.kind, url: new URL(deliveryUrl(wanted.kind, wanted.url)), setting: wanted.setting });
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}
