import { formatDuration, type ClockCheck } from './doctor-check.js';

/**
 * Above 1 s the clocks visibly disagree (timestamps the database writes and those ORCA writes no longer order the
 * same way): a warning. Above 30 s — a tenth of the default 300 s replay window of signed webhooks — windows that
 * mix both clocks (replay windows, SLA and trust windows, key expiry) are wrong by a share an operator would notice:
 * a failure.
 */
export const CLOCK_WARN_MS = 1_000;
export const CLOCK_FAIL_MS = 30_000;

/** Readings a few round trips long: the one with the shortest round trip is the most precise. */
const SAMPLES = 3;

export interface ClockReference {
  kind: 'database' | 'server';
  /** The reference's time, in ms since the epoch. */
  read(): Promise<number>;
  /** How coarse read() is: 0 for the database's clock_timestamp(), 1000 for an HTTP Date header (whole seconds). */
  resolutionMs: number;
}

export interface LocalClock {
  /** This host's wall clock, in ms since the epoch (Date.now). */
  wallMs(): number;
  /** A monotonic clock to time the round trip (performance.now). */
  monotonicMs(): number;
}

export const systemLocalClock: LocalClock = { wallMs: () => Date.now(), monotonicMs: () => performance.now() };

const HINT =
  "run time synchronisation (chrony, systemd-timesyncd or the platform's NTP) on this host and on the database server";

/**
 * This host's clock against a reference, as NTP does: the reference is read between two local readings, so it
 * happened at their midpoint, give or take half the round trip. Only a skew beyond that uncertainty counts, so a slow
 * round trip on a loaded machine does not look like a wrong clock.
 */
export async function checkClock(reference: ClockReference, local: LocalClock = systemLocalClock): Promise<ClockCheck> {
  const started = local.monotonicMs();
  let best: { skew: number; uncertainty: number } | undefined;
  try {
    for (let sample = 0; sample < SAMPLES; sample += 1) {
      const wallBefore = local.wallMs();
      const sent = local.monotonicMs();
      const remote = await reference.read();
      const roundTrip = local.monotonicMs() - sent;
      // A reading truncated to its resolution lies anywhere in the following interval: take its middle.
      const skew = remote + reference.resolutionMs / 2 - (wallBefore + roundTrip / 2);
      const uncertainty = roundTrip / 2 + reference.resolutionMs / 2;
      if (!best || uncertainty < best.uncertainty) best = { skew, uncertainty };
    }
  } catch (error) {
    return { status: 'down', latency_ms: Math.round(local.monotonicMs() - started), detail: `could not read the ${reference.kind} clock: ${(error as Error).message}`, reference: reference.kind };
  }
  const skew = Math.round(best!.skew);
  const uncertainty = Math.round(best!.uncertainty);
  const latency = Math.round((local.monotonicMs() - started) * 100) / 100;
  const beyond = Math.abs(best!.skew) - best!.uncertainty;
  const direction = skew >= 0 ? 'ahead of' : 'behind';
  const other = reference.kind === 'database' ? 'the database' : 'the running server';
  const measured = `${other}'s clock is ${Math.abs(skew)} ms ${direction} this host's (± ${uncertainty} ms)`;
  const facts = { skew_ms: skew, uncertainty_ms: uncertainty, reference: reference.kind };
  if (beyond > CLOCK_FAIL_MS) {
    return {
      status: 'down',
      latency_ms: latency,
      detail: `${measured}: more than ${formatDuration(CLOCK_FAIL_MS)}`,
      hint: `${HINT}: signed webhooks are refused outside their replay window, and SLA, trust and expiry windows shift by the skew`,
      ...facts,
    };
  }
  if (beyond > CLOCK_WARN_MS) {
    return { status: 'warn', latency_ms: latency, detail: `${measured}: more than ${formatDuration(CLOCK_WARN_MS)}`, hint: `${HINT} before the skew grows`, ...facts };
  }
  return { status: 'up', latency_ms: latency, detail: measured, ...facts };
}
