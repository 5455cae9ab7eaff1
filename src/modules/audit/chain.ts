import { sha256Hex } from '../../platform/hash.js';
import { canonicalJson } from '../../platform/json/canonical.js';

/**
 * The audit hash chain: each entry's hash covers the previous entry's hash and the entry's own fields in
 * canonical JSON, so changing any field of any entry, or removing an entry from the middle, breaks every
 * later link. (Removing the newest entries leaves a valid shorter chain: compare `head_seq` with a value
 * recorded elsewhere — a log shipper, the metrics history — to detect truncation.)
 */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditFields {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
  correlation_id: string | null;
}

export interface StoredAuditEntry extends AuditFields {
  prev_hash: string;
  hash: string;
}

export function entryHash(prevHash: string, fields: AuditFields): string {
  const { seq, at, actor, action, target, before, after, correlation_id } = fields;
  return sha256Hex(`${prevHash}\n${canonicalJson({ seq, at, actor, action, target, before, after, correlation_id })}`);
}

export interface ChainProblem {
  seq: number;
  problem: 'missing_entries' | 'prev_hash_mismatch' | 'hash_mismatch';
  detail: string;
}

/** Checks one batch of consecutive entries, continuing from the previous batch's last seq and hash. */
export function verifyBatch(
  entries: StoredAuditEntry[],
  from: { seq: number; hash: string },
): { problems: ChainProblem[]; last: { seq: number; hash: string } } {
  const problems: ChainProblem[] = [];
  let last = from;
  for (const entry of entries) {
    if (entry.seq !== last.seq + 1) {
      problems.push({ seq: entry.seq, problem: 'missing_entries', detail: `entries ${last.seq + 1}..${entry.seq - 1} are missing` });
    }
    if (entry.prev_hash !== last.hash) {
      problems.push({ seq: entry.seq, problem: 'prev_hash_mismatch', detail: 'prev_hash does not match the previous entry' });
    }
    if (entryHash(entry.prev_hash, entry) !== entry.hash) {
      problems.push({ seq: entry.seq, problem: 'hash_mismatch', detail: 'the entry was modified after it was written' });
    }
    last = { seq: entry.seq, hash: entry.hash };
  }
  return { problems, last };
}
