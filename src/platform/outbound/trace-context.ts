/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/) for outbound calls: every call carries a `traceparent`
 * so that a receiver's logs and traces line up with ORCA's. A call made on behalf of a traced request or job
 * continues its trace (same trace id and flags) as a new span; otherwise the call starts a trace of its own.
 */
import { randomFillSync } from 'node:crypto';

// eslint-disable-next-line security/detect-unsafe-regex -- anchored, bounded groups; the trailing `.*` is the only open repetition: linear
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ALL_ZERO = /^0+$/;

export interface TraceParent {
  traceId: string;
  parentId: string;
  flags: string;
}

/** Parses a `traceparent` header value; undefined when it is not a valid one (the spec says: start a new trace). */
export function parseTraceparent(value: string | undefined): TraceParent | undefined {
  const match = value === undefined ? null : TRACEPARENT.exec(value.trim());
  if (!match) return undefined;
  const [, version = '', traceId = '', parentId = '', flags = '', rest] = match;
  // Version ff is forbidden; version 00 has exactly four fields, later versions may append more (kept compatible).
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(parentId)) return undefined;
  return { traceId, parentId, flags };
}

/**
 * Random ids drawn from a pool refilled 4 KiB at a time: one call into the system's random source per ~170 outbound
 * calls instead of two per call (a discovery run makes one call per Lambda function). The ids are not secrets, and
 * the pool is the same cryptographic randomness.
 */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomHex(bytes: number): string {
  if (poolOffset + bytes > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const hex = pool.toString('hex', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return hex;
}

/**
 * The `traceparent` of an outbound call: the given trace's id and flags with a new span id, or a new trace.
 * A new trace is not marked sampled (flags 00): ORCA records no span for it, so no caller should expect one.
 */
export function childTraceparent(parent: string | undefined): string {
  const spanId = randomHex(8);
  const parsed = parseTraceparent(parent);
  if (parsed) return `00-${parsed.traceId}-${spanId}-${parsed.flags}`;
  return `00-${randomHex(16)}-${spanId}-00`;
}
