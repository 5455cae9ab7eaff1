import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createDependencyState } from './dependency-state.js';
import { createLogger } from './logger.js';

function captureStream(lines: Array<Record<string, unknown>>): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
}

function setup() {
  const lines: Array<Record<string, unknown>> = [];
  const registry = new Registry();
  const state = createDependencyState({
    name: 'redis',
    logger: createLogger({ level: 'info', destination: captureStream(lines) }),
    registry,
    outageMessage: 'redis unavailable',
    recoveryMessage: 'redis available again',
  });
  const gauge = async () => (await registry.getSingleMetricAsString('orca_dependency_up')).split('\n').find((line) => line.startsWith('orca_dependency_up{'));
  return { lines, registry, state, gauge };
}

describe('createDependencyState', () => {
  it('starts neither up nor in an outage: the gauge is 0 and nothing is logged', async () => {
    const { lines, state, gauge } = setup();
    expect(state.isUp()).toBe(false);
    expect(await gauge()).toBe('orca_dependency_up{dependency="redis"} 0');
    state.up();
    expect(await gauge()).toBe('orca_dependency_up{dependency="redis"} 1');
    expect(lines).toEqual([]);
  });

  it('logs an outage once however many failures report it, and its end once', async () => {
    const { lines, state, gauge } = setup();
    state.up();
    for (let attempt = 0; attempt < 50; attempt += 1) state.down(new Error(`connect ECONNREFUSED 127.0.0.1:6379 (${attempt})`));
    expect(state.isUp()).toBe(false);
    expect(await gauge()).toBe('orca_dependency_up{dependency="redis"} 0');
    for (let answer = 0; answer < 50; answer += 1) state.up();
    expect(await gauge()).toBe('orca_dependency_up{dependency="redis"} 1');
    expect(lines.map((line) => [line.level, line.msg, line.dependency])).toEqual([
      ['warn', 'redis unavailable', 'redis'],
      ['info', 'redis available again', 'redis'],
    ]);
    expect((lines[0]!.err as { message: string }).message).toBe('connect ECONNREFUSED 127.0.0.1:6379 (0)');
    expect(lines[1]!.outage_seconds).toEqual(expect.any(Number));
  });

  it('shares one gauge per registry between dependencies, and logs nothing once stopped', async () => {
    const { lines, registry, state } = setup();
    const other = createDependencyState({ name: 'other', logger: createLogger({ level: 'silent' }), registry, outageMessage: 'x', recoveryMessage: 'y' });
    other.up();
    state.stop();
    state.up();
    state.down(new Error('closed at shutdown'));
    expect(lines).toEqual([]);
    const text = await registry.getSingleMetricAsString('orca_dependency_up');
    expect(text).toContain('orca_dependency_up{dependency="redis"} 0');
    expect(text).toContain('orca_dependency_up{dependency="other"} 1');
  });
});
