import { describe, expect, it } from 'vitest';
import { checkClock, type ClockReference, type LocalClock } from './clock-check.js';

/**
 * A local clock that the test moves: wall time starts at T, and each reference read takes `roundTrips[i]` ms of
 * monotonic time. The reference answers the local wall time at mid-round-trip plus `offsetMs` (its true skew).
 */
function scenario(offsetMs: number, roundTrips: number[], resolutionMs = 0) {
  const T = 1_777_000_000_000;
  let monotonic = 0;
  let reads = 0;
  const local: LocalClock = { wallMs: () => T + monotonic, monotonicMs: () => monotonic };
  const reference: ClockReference = {
    kind: resolutionMs ? 'server' : 'database',
    resolutionMs,
    read: () => {
      const trip = roundTrips[reads++ % roundTrips.length]!;
      const remote = T + monotonic + trip / 2 + offsetMs;
      monotonic += trip;
      return Promise.resolve(resolutionMs ? Math.floor(remote / resolutionMs) * resolutionMs : remote);
    },
  };
  return { local, reference };
}

describe('checkClock', () => {
  it('is up within 1 s, and reports the skew and its uncertainty (half the shortest round trip)', async () => {
    const { local, reference } = scenario(250, [40, 4, 10]);
    expect(await checkClock(reference, local)).toMatchObject({ status: 'up', skew_ms: 250, uncertainty_ms: 2, reference: 'database' });
  });

  it('warns above 1 s, with the hint to run time synchronisation', async () => {
    const { local, reference } = scenario(-2_000, [10]);
    const check = await checkClock(reference, local);
    expect(check).toMatchObject({ status: 'warn', skew_ms: -2_000, uncertainty_ms: 5 });
    expect(check.detail).toBe("the database's clock is 2000 ms behind this host's (± 5 ms): more than 1 s");
    expect(check.hint).toMatch(/^run time synchronisation \(chrony, systemd-timesyncd/);
  });

  it('fails above 30 s', async () => {
    const { local, reference } = scenario(45_000, [10]);
    const check = await checkClock(reference, local);
    expect(check).toMatchObject({ status: 'down', skew_ms: 45_000 });
    expect(check.hint).toContain('signed webhooks are refused outside their replay window');
  });

  it('does not call a skew within the measurement uncertainty a wrong clock (a slow round trip on a loaded machine)', async () => {
    // 1.5 s apart, but every read took 3 s: the true skew may be anywhere in 1.5 s ± 1.5 s.
    const { local, reference } = scenario(1_500, [3_000]);
    expect(await checkClock(reference, local)).toMatchObject({ status: 'up', skew_ms: 1_500, uncertainty_ms: 1_500 });
  });

  it('reads a whole-second reference (an HTTP Date header) at the middle of its second', async () => {
    const { local, reference } = scenario(0, [2], 1000);
    const check = await checkClock(reference, local);
    expect(check.status).toBe('up');
    expect(check.uncertainty_ms).toBe(501);
    expect(Math.abs(check.skew_ms!)).toBeLessThanOrEqual(501);
    const far = scenario(5_000, [2], 1000);
    expect(await checkClock(far.reference, far.local)).toMatchObject({ status: 'warn', reference: 'server' });
  });

  it('is down when the reference cannot be read', async () => {
    const reference: ClockReference = { kind: 'database', resolutionMs: 0, read: () => Promise.reject(new Error('connection terminated')) };
    expect(await checkClock(reference)).toMatchObject({ status: 'down', detail: 'could not read the database clock: connection terminated' });
  });
});
