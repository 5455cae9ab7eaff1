import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { maxOldSpaceBytes, oldGenerationLimitBytes } from './heap-limit.js';

const MIB = 1024 * 1024;

describe('maxOldSpaceBytes', () => {
  it('reads the flag from the command line and NODE_OPTIONS in every spelling', () => {
    expect(maxOldSpaceBytes(['--max-old-space-size=192'])).toBe(192 * MIB);
    expect(maxOldSpaceBytes(['--max_old_space_size', '256'])).toBe(256 * MIB);
    expect(maxOldSpaceBytes(['--enable-source-maps', '--max-old-space-size=512'])).toBe(512 * MIB);
  });

  it('takes the last of two, as Node applies NODE_OPTIONS before the command line', () => {
    expect(maxOldSpaceBytes(['--max-old-space-size=512', '--max-old-space-size=128'])).toBe(128 * MIB);
  });

  it('is undefined without the flag or with a value that is not a size', () => {
    expect(maxOldSpaceBytes(['--import', 'x.mjs'])).toBeUndefined();
    expect(maxOldSpaceBytes([])).toBeUndefined();
    expect(maxOldSpaceBytes(['--max-old-space-size=lots'])).toBeUndefined();
    expect(maxOldSpaceBytes(['--max-old-space-size-percentage=50'])).toBeUndefined();
  });
});

describe('oldGenerationLimitBytes', () => {
  it('bounds the reported limit by the flag, and keeps it without one', () => {
    expect(oldGenerationLimitBytes(384 * MIB, 192 * MIB)).toBe(192 * MIB);
    expect(oldGenerationLimitBytes(100 * MIB, 192 * MIB)).toBe(100 * MIB);
    expect(oldGenerationLimitBytes(4288 * MIB, undefined)).toBe(4288 * MIB);
  });

  it('is the flag on the running Node, whose reported limit adds the young generation to it', () => {
    // Node 20 reports 240 MiB for this flag, Node 24 384 MiB: the guard must see 192 MiB on both.
    const child = spawnSync(process.execPath, ['--max-old-space-size=192', '-p', 'require("node:v8").getHeapStatistics().heap_size_limit'], { encoding: 'utf8' });
    expect(child.status, child.stderr).toBe(0);
    const reported = Number(child.stdout.trim());
    expect(reported).toBeGreaterThan(192 * MIB);
    expect(oldGenerationLimitBytes(reported, maxOldSpaceBytes(['--max-old-space-size=192']))).toBe(192 * MIB);
  });
});
