import { describe, expect, it } from 'vitest';
import { collectHints, formatBytes, formatDuration, overallStatus, type DoctorCheck, type ReceiversCheck } from './doctor-check.js';

const up: DoctorCheck = { status: 'up', latency_ms: 1 };
const warn: DoctorCheck = { status: 'warn', latency_ms: 1, hint: 'w' };
const down: DoctorCheck = { status: 'down', latency_ms: 1, hint: 'd' };

describe('overallStatus', () => {
  it('is ok when all are up, degraded on a warning or Redis alone down, down on any other failure', () => {
    expect(overallStatus({ database: up, clock: up })).toBe('ok');
    expect(overallStatus({ database: up, data_dir: warn })).toBe('degraded');
    expect(overallStatus({ database: up, redis: down })).toBe('degraded');
    expect(overallStatus({ database: up, redis: down, receivers: down })).toBe('down');
    expect(overallStatus({ backup: down, clock: warn })).toBe('down');
  });
});

describe('collectHints', () => {
  it('lists the hints in the order of the checks, one per failing receiver', () => {
    const receivers: ReceiversCheck = {
      status: 'down',
      latency_ms: 1,
      targets: [
        { name: 'a', kind: 'webhook', target: 'http://a:80', status: 'down', latency_ms: 1, hint: 'fix a' },
        { name: 'b', kind: 'webhook', target: 'http://b:80', status: 'up', latency_ms: 1 },
        { name: 'c', kind: 'slack', target: 'https://c:443', status: 'down', latency_ms: 1, hint: 'fix c' },
      ],
    };
    expect(collectHints({ data_dir: warn, database: up, receivers, backup: down })).toEqual(['w', 'fix a', 'fix c', 'd']);
  });
});

describe('formatBytes and formatDuration', () => {
  it('read as an operator reads them', () => {
    expect([formatBytes(3 * 1024 ** 3), formatBytes(300 * 1024 ** 2), formatBytes(12_288)]).toEqual(['3.0 GiB', '300 MiB', '12 kB']);
    expect([formatDuration(42_000), formatDuration(5 * 60_000), formatDuration(12 * 3_600_000), formatDuration(13.5 * 3_600_000), formatDuration(76 * 3_600_000)]).toEqual([
      '42 s',
      '5 min',
      '12 h',
      '13 h 30 min',
      '3 d 4 h',
    ]);
  });
});
