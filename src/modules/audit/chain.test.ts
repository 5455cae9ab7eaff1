import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditFields, pinnedSample } from '../../../test/helpers/json-arbitraries.js';
import { GENESIS_HASH, entryHash, verifyBatch, type AuditFields, type StoredAuditEntry } from './chain.js';

/** Independent of the product code: node:crypto over a string written out by hand. */
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const FIRST: AuditFields = {
  seq: 1,
  at: '2025-01-02T03:04:05.678Z',
  actor: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  action: 'agent.create',
  target: 'agent:0190a1b2-0000-7000-8000-000000000001',
  before: null,
  after: { name: 'é "quoted"', tags: ['b', 'a'], n: 1.5, z: null, a: { y: 2, x: 1 } },
  correlation_id: 'req-1',
};

/**
 * RFC 8785 canonical JSON of FIRST, by hand: members sorted by key at every level, no whitespace, non-ASCII
 * characters kept literally, quotes escaped.
 */
const FIRST_CANONICAL =
  '{"action":"agent.create","actor":"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","after":{"a":{"x":1,"y":2},"n":1.5,"name":"é \\"quoted\\"","tags":["b","a"],"z":null},' +
  '"at":"2025-01-02T03:04:05.678Z","before":null,"correlation_id":"req-1","seq":1,"target":"agent:0190a1b2-0000-7000-8000-000000000001"}';

function chainOf(fieldsList: AuditFields[]): StoredAuditEntry[] {
  const entries: StoredAuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (const fields of fieldsList) {
    const hash = entryHash(prev, fields);
    entries.push({ ...fields, prev_hash: prev, hash });
    prev = hash;
  }
  return entries;
}

function sampleChain(length: number): StoredAuditEntry[] {
  return chainOf(
    Array.from({ length }, (_, index) => ({
      seq: index + 1,
      at: new Date(Date.UTC(2025, 0, 1, 0, 0, index)).toISOString(),
      actor: index % 2 === 0 ? 'system' : 'cli:alice',
      action: index % 3 === 0 ? 'key.create' : 'agent.update',
      target: `agent:${index}`,
      before: index === 0 ? null : { status: 'active', n: index },
      after: { status: 'suspended', n: index },
      correlation_id: index % 4 === 0 ? null : `corr-${index}`,
    })),
  );
}

describe('GENESIS_HASH', () => {
  it('is 64 zeros', () => {
    expect(GENESIS_HASH).toBe('0000000000000000000000000000000000000000000000000000000000000000');
  });
});

describe('entryHash', () => {
  it('is sha256(prev_hash + "\\n" + canonical JSON of the entry), as computed by hand', () => {
    expect(entryHash(GENESIS_HASH, FIRST)).toBe(sha256(`${GENESIS_HASH}\n${FIRST_CANONICAL}`));
  });

  it('chains: the second entry covers the first one\'s hash', () => {
    const firstHash = sha256(`${GENESIS_HASH}\n${FIRST_CANONICAL}`);
    const second: AuditFields = {
      seq: 2,
      at: '2025-01-02T03:04:06.000Z',
      actor: 'system',
      action: 'key.revoke',
      target: 'api_key:k',
      before: { revoked_at: null },
      after: { revoked_at: '2025-01-02T03:04:06.000Z' },
      correlation_id: null,
    };
    const canonical =
      '{"action":"key.revoke","actor":"system","after":{"revoked_at":"2025-01-02T03:04:06.000Z"},"at":"2025-01-02T03:04:06.000Z",' +
      '"before":{"revoked_at":null},"correlation_id":null,"seq":2,"target":"api_key:k"}';
    expect(entryHash(firstHash, second)).toBe(sha256(`${firstHash}\n${canonical}`));
  });

  it('does not depend on key order, and ignores stored prev_hash/hash fields passed along', () => {
    const reordered = JSON.parse(
      '{"target":"agent:0190a1b2-0000-7000-8000-000000000001","seq":1,"correlation_id":"req-1","before":null,"at":"2025-01-02T03:04:05.678Z",' +
        '"after":{"z":null,"tags":["b","a"],"name":"é \\"quoted\\"","n":1.5,"a":{"y":2,"x":1}},"actor":"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","action":"agent.create"}',
    ) as AuditFields;
    const expected = sha256(`${GENESIS_HASH}\n${FIRST_CANONICAL}`);
    expect(entryHash(GENESIS_HASH, reordered)).toBe(expected);
    expect(entryHash(GENESIS_HASH, { ...FIRST, prev_hash: 'x', hash: 'y' } as AuditFields)).toBe(expected);
  });

  it.each<[string, Partial<AuditFields>]>([
    ['seq', { seq: 2 }],
    ['at', { at: '2025-01-02T03:04:05.679Z' }],
    ['actor', { actor: 'system' }],
    ['action', { action: 'agent.update' }],
    ['target', { target: 'agent:other' }],
    ['before', { before: {} }],
    ['after (nested value)', { after: { ...(FIRST.after as object), a: { x: 1, y: 3 } } }],
    ['after (array order)', { after: { ...(FIRST.after as object), tags: ['a', 'b'] } }],
    ['correlation_id', { correlation_id: null }],
  ])('changes when %s changes', (_field, change) => {
    expect(entryHash(GENESIS_HASH, { ...FIRST, ...change })).not.toBe(entryHash(GENESIS_HASH, FIRST));
  });

  it('changes with the previous hash', () => {
    expect(entryHash('1'.repeat(64), FIRST)).not.toBe(entryHash(GENESIS_HASH, FIRST));
  });
});

describe('verifyBatch', () => {
  const genesis = { seq: 0, hash: GENESIS_HASH };

  it('accepts an intact chain and returns its head', () => {
    const chain = sampleChain(10);
    expect(verifyBatch(chain, genesis)).toEqual({ problems: [], last: { seq: 10, hash: chain[9]!.hash } });
  });

  it('accepts an empty batch and keeps the cursor', () => {
    expect(verifyBatch([], genesis)).toEqual({ problems: [], last: genesis });
  });

  it('continues across batches from the previous batch\'s head', () => {
    const chain = sampleChain(10);
    const first = verifyBatch(chain.slice(0, 4), genesis);
    expect(first.problems).toEqual([]);
    expect(verifyBatch(chain.slice(4), first.last)).toEqual({ problems: [], last: { seq: 10, hash: chain[9]!.hash } });
    // Resuming from the wrong head is caught at the first entry of the batch.
    expect(verifyBatch(chain.slice(4), genesis).problems).toEqual([
      { seq: 5, problem: 'missing_entries', detail: 'entries 1..4 are missing' },
      { seq: 5, problem: 'prev_hash_mismatch', detail: 'prev_hash does not match the previous entry' },
    ]);
  });

  it.each<[string, (entry: StoredAuditEntry) => StoredAuditEntry]>([
    ['after', (e) => ({ ...e, after: { status: 'active', n: 4 } })],
    ['before', (e) => ({ ...e, before: null })],
    ['actor', (e) => ({ ...e, actor: 'someone-else' })],
    ['action', (e) => ({ ...e, action: 'agent.approve' })],
    ['target', (e) => ({ ...e, target: 'agent:999' })],
    ['at', (e) => ({ ...e, at: '2030-01-01T00:00:00.000Z' })],
    ['correlation_id', (e) => ({ ...e, correlation_id: 'forged' })],
    ['hash', (e) => ({ ...e, hash: sha256('forged') })],
  ])('reports hash_mismatch at the entry whose %s was modified', (field, tamper) => {
    const chain = sampleChain(8);
    chain[4] = tamper(chain[4]!);
    const { problems } = verifyBatch(chain, genesis);
    if (field === 'hash') {
      // The entry no longer matches its own hash, and the next one no longer links to it.
      expect(problems).toEqual([
        { seq: 5, problem: 'hash_mismatch', detail: 'the entry was modified after it was written' },
        { seq: 6, problem: 'prev_hash_mismatch', detail: 'prev_hash does not match the previous entry' },
      ]);
    } else {
      expect(problems).toEqual([{ seq: 5, problem: 'hash_mismatch', detail: 'the entry was modified after it was written' }]);
    }
  });

  it('reports a modified entry whose hash was recomputed by the tamperer at the next link', () => {
    const chain = sampleChain(8);
    const forged = { ...chain[4]!, after: { status: 'forged' } };
    forged.hash = entryHash(forged.prev_hash, forged);
    chain[4] = forged;
    expect(verifyBatch(chain, genesis).problems).toEqual([
      { seq: 6, problem: 'prev_hash_mismatch', detail: 'prev_hash does not match the previous entry' },
    ]);
  });

  it('reports a deleted middle entry as missing_entries and a broken link, at the entry after the gap', () => {
    const chain = sampleChain(8);
    const withoutFourth = [...chain.slice(0, 3), ...chain.slice(4)];
    expect(verifyBatch(withoutFourth, genesis).problems).toEqual([
      { seq: 5, problem: 'missing_entries', detail: 'entries 4..4 are missing' },
      { seq: 5, problem: 'prev_hash_mismatch', detail: 'prev_hash does not match the previous entry' },
    ]);
    const withoutThree = [...chain.slice(0, 2), ...chain.slice(5)];
    expect(verifyBatch(withoutThree, genesis).problems).toEqual([
      { seq: 6, problem: 'missing_entries', detail: 'entries 3..5 are missing' },
      { seq: 6, problem: 'prev_hash_mismatch', detail: 'prev_hash does not match the previous entry' },
    ]);
  });

  it('reports a deleted first entry', () => {
    const chain = sampleChain(3);
    expect(verifyBatch(chain.slice(1), genesis).problems).toEqual([
      { seq: 2, problem: 'missing_entries', detail: 'entries 1..1 are missing' },
      { seq: 2, problem: 'prev_hash_mismatch', detail: 'prev_hash does not match the previous entry' },
    ]);
  });

  it('reports a changed prev_hash as a broken link and a modified entry', () => {
    const chain = sampleChain(8);
    chain[2] = { ...chain[2]!, prev_hash: sha256('elsewhere') };
    expect(verifyBatch(chain, genesis).problems).toEqual([
      { seq: 3, problem: 'prev_hash_mismatch', detail: 'prev_hash does not match the previous entry' },
      { seq: 3, problem: 'hash_mismatch', detail: 'the entry was modified after it was written' },
    ]);
  });

  it('reports a renumbered entry (seq edited) even with a consistent-looking hash chain around it', () => {
    const chain = sampleChain(5);
    chain[2] = { ...chain[2]!, seq: 30 };
    // The seq going backwards at 4 is reported as a gap too; its wording is not part of the contract, its position is.
    expect(verifyBatch(chain, genesis).problems.map(({ seq, problem }) => ({ seq, problem }))).toEqual([
      { seq: 30, problem: 'missing_entries' },
      { seq: 30, problem: 'hash_mismatch' },
      { seq: 4, problem: 'missing_entries' },
    ]);
  });

  it('accepts a truncated chain (newest entries removed): truncation needs head_seq recorded elsewhere', () => {
    const chain = sampleChain(8);
    expect(verifyBatch(chain.slice(0, 5), genesis)).toEqual({ problems: [], last: { seq: 5, hash: chain[4]!.hash } });
  });
});

describe('stored chain hashes', () => {
  it('chain a pinned sample of entries as before canonical JSON moved to the platform', () => {
    const sample = pinnedSample(auditFields);
    // The sample itself first: if fast-check ever generates another one, that (not the code) is what changed.
    expect(sha256(sample.map((fields) => JSON.stringify(fields)).join('\n'))).toBe('185e6b0b7dacb13bb1d61acdc0920302397091119be2e6488e7b658466067205');
    let prev = GENESIS_HASH;
    const hashes = sample.map((fields) => (prev = entryHash(prev, fields)));
    expect(sha256(hashes.join('\n'))).toBe('887ec7294facec329a85e40f406c458c50049e76bdb8e6cf2b8e2a0149bf79f0');
  });
});
