import { describe, expect, it, vi } from 'vitest';
import type { Database } from '../../platform/db/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import { hashKey } from './key-format.js';
import type { ApiKeyRecord, KeyRepository } from './keys.repository.js';
import { createKeyService } from './keys.service.js';

const START = Date.UTC(2025, 0, 1, 12);
const ACTOR = { id: 'test', correlationId: null };

/**
 * The key service over an in-memory repository: what `authenticate` reads and caches, and when it must stop
 * trusting the cache, can be checked exactly (call counts, synchronous answers) without a database.
 */
function setup() {
  let now = START;
  const rows = new Map<string, ApiKeyRecord>();
  const findByHash = vi.fn(async (hash: string) => [...rows.values()].find((row) => row.hash === hash));
  const recordLastUsed = vi.fn(async (_usage: Array<{ id: string; at: string }>) => {});
  const repository = {
    findByHash,
    recordLastUsed,
    async insert(key: Omit<ApiKeyRecord, 'created_at' | 'last_used_at' | 'revoked_at'>) {
      const record: ApiKeyRecord = { ...key, created_at: new Date(now).toISOString(), last_used_at: null, revoked_at: null };
      rows.set(record.id, record);
      return record;
    },
    async findById(id: string) {
      return rows.get(id);
    },
    async lockRevocations() {},
    async countActiveAdmins() {
      return 2;
    },
    async revoke(id: string, at: Date) {
      const record = { ...rows.get(id)!, revoked_at: at.toISOString() };
      rows.set(id, record);
      return record;
    },
  } as unknown as KeyRepository;
  const db = { transaction: async <T>(fn: (tx: unknown) => Promise<T>) => fn({}) } as unknown as Database;
  const service = createKeyService({
    db,
    repository,
    audit: { append: async () => {} } as never,
    clock: { now: () => new Date(now) },
    logger: { warn: () => {} } as unknown as Logger,
  });
  return {
    service,
    rows,
    findByHash,
    recordLastUsed,
    setNow(value: number) {
      now = value;
    },
  };
}

describe('KeyService.authenticate', () => {
  it('reads a key once, then answers synchronously from the cache with a fresh principal each time', async () => {
    const { service, findByHash } = setup();
    const { key, secret } = await service.create(ACTOR, { name: 'reader', role: 'viewer' });

    const first = service.authenticate(secret);
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toEqual({ id: key.id, role: 'viewer', name: 'reader' });
    expect(findByHash).toHaveBeenCalledTimes(1);
    expect(findByHash).toHaveBeenCalledWith(hashKey(secret));

    const second = service.authenticate(secret);
    expect(second).toEqual({ id: key.id, role: 'viewer', name: 'reader' });
    expect(second).not.toBe(service.authenticate(secret));
    expect(findByHash).toHaveBeenCalledTimes(1);
  });

  it('refuses a revoked key on the next request, although its digest was cached', async () => {
    const { service } = setup();
    const { key, secret } = await service.create(ACTOR, { name: 'victim', role: 'operator' });
    expect(await service.authenticate(secret)).toMatchObject({ id: key.id });
    expect(service.authenticate(secret)).toMatchObject({ id: key.id });

    await service.revoke(ACTOR, key.id);
    expect(await service.authenticate(secret)).toBeNull();
    expect(await service.authenticate(secret)).toBeNull();
  });

  it('refuses a cached key from its expiry instant on, checked against the clock on every call', async () => {
    const { service, setNow, findByHash } = setup();
    const { secret } = await service.create(ACTOR, { name: 'short', role: 'viewer', expiresIn: '1h' });
    const expiresAt = START + 3_600_000;
    expect(await service.authenticate(secret)).not.toBeNull();

    setNow(expiresAt - 1);
    expect(service.authenticate(secret)).not.toBeNull();
    setNow(expiresAt);
    expect(service.authenticate(secret)).toBeNull();
    setNow(expiresAt + 86_400_000);
    expect(service.authenticate(secret)).toBeNull();
    // All of it from the cache (within its TTL): expiry never needed a database read.
    expect(findByHash).toHaveBeenCalledTimes(1);
  });

  it('refuses an unknown key and remembers that briefly (one read for repeated attempts)', async () => {
    const { service, findByHash } = setup();
    expect(await service.authenticate('orca_000000000000_not-a-key-at-all-not-a-key-at-all-xxxxxxxx')).toBeNull();
    expect(service.authenticate('orca_000000000000_not-a-key-at-all-not-a-key-at-all-xxxxxxxx')).toBeNull();
    expect(findByHash).toHaveBeenCalledTimes(1);
  });

  it('refuses a record whose stored digest is not the presented one (constant-time comparison on load)', async () => {
    const { service, rows, findByHash } = setup();
    const { key, secret } = await service.create(ACTOR, { name: 'k', role: 'admin' });
    // A lookup that returns a row for another digest (a broken index, a collation surprise) must not authenticate.
    rows.set(key.id, { ...rows.get(key.id)!, hash: hashKey('something else') });
    findByHash.mockImplementationOnce(async () => rows.get(key.id));
    expect(await service.authenticate(secret)).toBeNull();
  });

  it('records the last use in memory at the clock of the request and writes it as a timestamp on flush', async () => {
    const { service, setNow, recordLastUsed } = setup();
    const { key, secret } = await service.create(ACTOR, { name: 'used', role: 'viewer' });
    await service.authenticate(secret);
    setNow(START + 1234);
    service.authenticate(secret);
    expect((await service.get(key.id)).last_used_at).toBe(new Date(START + 1234).toISOString());

    await service.flushLastUsed();
    expect(recordLastUsed).toHaveBeenCalledWith([{ id: key.id, at: new Date(START + 1234).toISOString() }]);
  });

  it('keeps the last use for the next flush when writing it fails', async () => {
    const { service, recordLastUsed } = setup();
    const { key, secret } = await service.create(ACTOR, { name: 'used', role: 'viewer' });
    await service.authenticate(secret);
    recordLastUsed.mockRejectedValueOnce(new Error('database is down'));
    await service.flushLastUsed();
    await service.flushLastUsed();
    expect(recordLastUsed).toHaveBeenLastCalledWith([{ id: key.id, at: new Date(START).toISOString() }]);
  });
});
