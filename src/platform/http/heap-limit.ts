/**
 * The heap a request body may fill: V8's old generation, not `heap_size_limit`. V8 reports the old generation plus
 * the young generation's reservation, and bodies in flight live across database calls, so they survive scavenges and
 * are promoted: the young generation is no room for them. That reservation differs between Node releases — with
 * `--max-old-space-size=192`, Node 20 reports a 240 MiB limit (48 MiB young), Node 24 384 MiB (192 MiB young) — and
 * a guard that trusted it admitted on Node 24 twice what the old generation holds: the process then spent its time
 * collecting garbage until its database calls timed out (503 `unavailable` instead of `insufficient_memory`).
 *
 * V8 exposes no old-generation limit, but the operator's `--max-old-space-size` is exactly that (docs/OPERATIONS.md,
 * "Memory", says to set it): when the process has one, it bounds the limit. Without it the reported limit is used.
 */

const MIB = 1024 * 1024;
const FLAG = '--max-old-space-size';

/**
 * The `--max-old-space-size` in effect, in bytes, or undefined, from the process's flags in the order Node applies
 * them (config/node-flags.ts), so the last one wins. Accepts `--flag=N`, `--flag N` and V8's underscore spelling.
 */
export function maxOldSpaceBytes(flags: readonly string[]): number | undefined {
  let megabytes: number | undefined;
  for (let index = 0; index < flags.length; index += 1) {
    const [name, inline] = flags[index]!.replaceAll('_', '-').split('=', 2) as [string, string | undefined];
    if (name !== FLAG) continue;
    const value = Number(inline ?? flags[index + 1]);
    if (Number.isFinite(value) && value > 0) megabytes = value;
  }
  return megabytes === undefined ? undefined : megabytes * MIB;
}

/** The old generation's limit: V8's reported heap limit, bounded by `--max-old-space-size` when the process has one. */
export function oldGenerationLimitBytes(heapSizeLimit: number, maxOldSpace: number | undefined): number {
  return maxOldSpace === undefined ? heapSizeLimit : Math.min(heapSizeLimit, maxOldSpace);
}
