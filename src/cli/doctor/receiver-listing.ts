import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listReceiverEndpoints, RECEIVER_KINDS, type ReceiverEndpoint, type ReceiverKind } from '../../modules/receivers/index.js';
import { createSecretBox, SECRET_KEY_FILE, type SecretBox } from '../../platform/crypto/secret-box.js';
import type { OrcaConfig } from '../../platform/config/schema.js';
import type { Queryable } from '../../platform/db/index.js';
import type { ServerApi } from '../server-api.js';

/**
 * The key that sealed the receivers, read and never created: ORCA_SECRET_KEY, or ORCA_DATA_DIR/secret.key when it
 * exists. (The server creates the file on first use; a doctor must not leave a new key behind, which would open
 * nothing and mislead the next server.) Without a key, every receiver reports why its URL cannot be opened.
 */
export function readOnlySecretBox(config: Pick<OrcaConfig, 'secretKey' | 'dataDir'>): SecretBox {
  let key: Buffer | undefined;
  return createSecretBox(() => {
    if (key) return key;
    if (config.secretKey) return (key = Buffer.from(config.secretKey, 'base64'));
    const file = join(config.dataDir, SECRET_KEY_FILE);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is the key file under ORCA_DATA_DIR, from configuration, never a request's
    if (!existsSync(file)) throw new Error(`ORCA_SECRET_KEY is unset and ${file} does not exist`);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- as above
    const loaded = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (loaded.length !== 32) throw new Error(`${file} does not hold a base64 32-byte key`);
    return (key = loaded);
  });
}

/** The receivers in the database, their URLs opened as the delivery job opens them. */
export function endpointsFromDatabase(db: Queryable, config: Pick<OrcaConfig, 'secretKey' | 'dataDir'>): Promise<ReceiverEndpoint[]> {
  return listReceiverEndpoints(db, readOnlySecretBox(config));
}

interface ReceiverView {
  name: string;
  kind: string;
  url: string;
}

/**
 * The receivers of the server holding the embedded database, through its API. The API shows each URL with what may
 * be a credential redacted but its origin intact, and the origin is all a reachability check needs.
 */
export async function endpointsFromServer(api: ServerApi): Promise<ReceiverEndpoint[]> {
  const endpoints: ReceiverEndpoint[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: ReceiverView[]; next_cursor: string | null } = await api.request('GET', `/api/v1/receivers?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    for (const item of page.items) {
      const kind = (RECEIVER_KINDS as readonly string[]).includes(item.kind) ? (item.kind as ReceiverKind) : 'webhook';
      endpoints.push({ name: item.name, kind, url: new URL(item.url) });
    }
    cursor = page.next_cursor;
  } while (cursor);
  return endpoints.sort((a, b) => a.name.localeCompare(b.name));
}
