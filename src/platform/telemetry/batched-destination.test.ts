import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { batchedDestination, createLogger, type FlushableDestination } from './logger.js';

function recordingTarget() {
  const writes: string[] = [];
  const target: FlushableDestination & { writes: string[] } = {
    writes,
    write: (chunk: string) => writes.push(chunk),
    flush: vi.fn((callback?: (error?: Error) => void) => callback?.()),
    flushSync: vi.fn(),
  };
  return target;
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('batchedDestination', () => {
  it('hands the lines of one event-loop turn to the target as one write, in order', async () => {
    const target = recordingTarget();
    const destination = batchedDestination(target);
    destination.write('a\n');
    destination.write('b\n');
    destination.write('c\n');
    expect(target.writes).toEqual([]);
    await nextTurn();
    expect(target.writes).toEqual(['a\nb\nc\n']);
    destination.write('d\n');
    await nextTurn();
    expect(target.writes).toEqual(['a\nb\nc\n', 'd\n']);
    await nextTurn();
    expect(target.writes).toHaveLength(2);
  });

  it('hands pending lines over at once on flush and flushSync, before flushing the target', async () => {
    const target = recordingTarget();
    const destination = batchedDestination(target);
    destination.write('a\n');
    destination.flushSync();
    expect(target.writes).toEqual(['a\n']);
    expect(target.flushSync).toHaveBeenCalledTimes(1);
    destination.write('b\n');
    const done = vi.fn();
    destination.flush(done);
    expect(target.writes).toEqual(['a\n', 'b\n']);
    expect(done).toHaveBeenCalledTimes(1);
    // Nothing is written twice by the turn that was scheduled.
    await nextTurn();
    expect(target.writes).toEqual(['a\n', 'b\n']);
  });

  it('loses no line when the process exits in the same turn it logged (stdout logger)', () => {
    const logger = fileURLToPath(new URL('./logger.ts', import.meta.url));
    const script = `
      const { createLogger } = await import(${JSON.stringify(logger)});
      const log = createLogger({ level: 'info' });
      for (let i = 0; i < 3; i += 1) log.info({ i }, 'line');
      process.exit(3);
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.status, child.stderr).toBe(3);
    const lines = child.stdout.trim().split('\n').map((line) => JSON.parse(line) as { i: number; msg: string });
    expect(lines.map((line) => [line.i, line.msg])).toEqual([
      [0, 'line'],
      [1, 'line'],
      [2, 'line'],
    ]);
  });

  it('is what createLogger writes through, so every line still arrives complete', async () => {
    const target = recordingTarget();
    const logger = createLogger({ level: 'info', destination: batchedDestination(target) });
    logger.info({ n: 1 }, 'one');
    logger.warn('two');
    await nextTurn();
    expect(target.writes).toHaveLength(1);
    expect(target.writes[0]!.trim().split('\n').map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['one', 'two']);
  });
});
