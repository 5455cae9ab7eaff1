import type { Role } from '../platform/http/roles.js';
import type { OrcaConfig } from '../platform/config/schema.js';
import type { Container } from '../container.js';
import { cliActor, withContainer } from './open-container.js';
import { runningServerApi } from './server-api.js';

export interface KeyView {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  status: string;
  expires_at: string | null;
  last_used_at: string | null;
}

/** What `orca keys` needs, whether it opens the database itself or goes through a running server's API. */
export interface KeyStore {
  /** Where the command acts, said once on stderr when it is not the database itself. */
  via: string | undefined;
  create(input: { name: string; role: Role; expiresIn?: string }): Promise<{ key: KeyView; secret: string }>;
  listAll(): Promise<KeyView[]>;
  revoke(id: string): Promise<KeyView>;
}

function directStore(container: Container): KeyStore {
  const service = container.modules.keys.service;
  return {
    via: undefined,
    create: (input) => service.create(cliActor(), input, 'cli'),
    async listAll() {
      const all: KeyView[] = [];
      let cursor: string | undefined;
      do {
        const page = await service.list({ limit: 200, cursor });
        all.push(...page.items);
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
      return all;
    },
    revoke: (id) => service.revoke(cliActor(), id),
  };
}

/**
 * Runs `fn` on the database directly, or — embedded database held by a running server — through that server's API,
 * where the audit log records the admin key of the data directory as the actor instead of `cli:<os user>`.
 */
export async function withKeyStore<T>(config: Readonly<OrcaConfig>, fn: (store: KeyStore) => Promise<T>): Promise<T> {
  const api = runningServerApi(config);
  if (!api) return withContainer((container) => fn(directStore(container)), config);
  return fn({
    via: `via the running ORCA (pid ${api.endpoint.pid}, ${api.endpoint.url})`,
    create: (input) =>
      api.request('POST', '/api/v1/keys', { name: input.name, role: input.role, ...(input.expiresIn ? { expires_in: input.expiresIn } : {}) }),
    async listAll() {
      const all: KeyView[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: KeyView[]; next_cursor: string | null } = await api.request('GET', `/api/v1/keys?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        all.push(...page.items);
        cursor = page.next_cursor;
      } while (cursor);
      return all;
    },
    revoke: (id) => api.request('DELETE', `/api/v1/keys/${id}`),
  });
}
