import { expect, it } from 'vitest';
import type { ContractDocument } from '../../src/modules/sync/contract-schema.js';
import { createContractsRepository } from '../../src/modules/sync/contracts.repository.js';
import { describeRepository } from './database.js';

const OWNER = '0190c0de-aaaa-7000-8000-000000000001';
const OTHER = '0190c0de-aaaa-7000-8000-000000000002';

const documentNamed = (name: string): ContractDocument => ({
  contracts: [{ name, owner: OWNER, streams: [{ name: 'orders', source: 'zapier', entity_type: 'order', freshness: '15m' }] }],
});

const version = (n: number, name: string, at: string) => ({
  document: documentNamed(name),
  format: 'yaml' as const,
  created_by: `key-${n}`,
  correlation_id: `corr-${n}`,
  created_at: new Date(at),
});

describeRepository('sync contracts repository', ['sync_contract_version', 'agent'], (db) => {
  it('numbers versions from 1 and reads back exactly what was written; the latest is the highest', async () => {
    const repository = createContractsRepository(db());
    expect(await repository.latestContractVersion()).toBeUndefined();
    const first = await db().transaction((tx) => repository.insertContractVersion(tx, version(1, 'first', '2026-03-01T10:00:00.000Z')));
    const second = await db().transaction((tx) => repository.insertContractVersion(tx, version(2, 'second', '2026-03-01T11:00:00.000Z')));
    expect(first).toEqual({
      version: 1,
      document: documentNamed('first'),
      format: 'yaml',
      created_by: 'key-1',
      correlation_id: 'corr-1',
      created_at: new Date('2026-03-01T10:00:00.000Z'),
    });
    expect(second.version).toBe(2);
    expect(await repository.latestContractVersion()).toEqual(second);
    expect(await repository.contractVersion(1)).toEqual(first);
    expect(await repository.contractVersion(3)).toBeUndefined();
  });

  it('keeps nothing of a version written in a transaction that rolls back, though the transaction saw it', async () => {
    const repository = createContractsRepository(db());
    await db().transaction((tx) => repository.insertContractVersion(tx, version(1, 'kept', '2026-03-01T10:00:00.000Z')));
    await expect(
      db().transaction(async (tx) => {
        const written = await repository.insertContractVersion(tx, version(2, 'dropped', '2026-03-01T11:00:00.000Z'));
        expect(await repository.latestContractVersion(tx)).toEqual(written);
        expect(await repository.contractVersion(2, tx)).toEqual(written);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await repository.latestContractVersion())?.document).toEqual(documentNamed('kept'));
    const { rows } = await db().query<{ version: number }>('select version from sync_contract_version order by version');
    expect(rows).toEqual([{ version: 1 }]);
  });

  it('gives concurrent writers distinct consecutive versions', async () => {
    const repository = createContractsRepository(db());
    const written = await Promise.all(
      [1, 2, 3, 4].map((n) => db().transaction((tx) => repository.insertContractVersion(tx, version(n, `c${n}`, '2026-03-01T10:00:00.000Z')))),
    );
    expect(written.map((record) => record.version).sort()).toEqual([1, 2, 3, 4]);
    expect((await repository.latestContractVersion())?.version).toBe(4);
  });

  it('tells which owner agents exist, whatever the case of the ids asked', async () => {
    const repository = createContractsRepository(db());
    await db().query(
      `insert into agent (id, name, kind, source, fingerprint, status) values ($1, 'owner', 'workflow', 'manual', 'f1', 'active')`,
      [OWNER],
    );
    expect(await repository.existingAgents([])).toEqual(new Set());
    expect(await repository.existingAgents([OWNER.toUpperCase(), OTHER])).toEqual(new Set([OWNER]));
    await expect(
      db().transaction(async (tx) => {
        await tx.query(`insert into agent (id, name, kind, source, fingerprint, status) values ($1, 'other', 'workflow', 'manual', 'f2', 'active')`, [OTHER]);
        expect(await repository.existingAgents([OWNER, OTHER], tx)).toEqual(new Set([OWNER, OTHER]));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await repository.existingAgents([OWNER, OTHER])).toEqual(new Set([OWNER]));
  });
});
