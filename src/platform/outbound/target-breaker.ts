/**
 * One circuit breaker per outbound target: after 5 consecutive failures the target is left alone for 60 s (calls
 * fail at once, nothing is sent), then probed — at most 3 probes in flight — and closed again after 2 successful
 * probes; a failed probe opens it for another period.
 *
 * cockatiel's `CircuitBreakerPolicy` runs the state machine (closed → open → half-open, the open period, the single
 * first probe while others wait for it). Its half-open state closes on the first successful probe, so the rule
 * "2 successes close" lives in `ProbationBreaker`, the policy's `IBreaker` extension point: after cockatiel closes,
 * the breaker stays on probation until one more success, and a failure on probation makes `failure()` answer
 * "open" — which cockatiel obeys from its closed state. For ORCA (status, metric, logs) a breaker on probation is
 * still half-open. The 3-probe bound is the thin wrapper in `execute`.
 */
import { BrokenCircuitError, CircuitBreakerPolicy, CircuitState, circuitBreaker, type IBreaker, type Policy } from 'cockatiel';
import type { Clock } from '../clock.js';
import type { BreakerState, BreakerStatus, OutboundTarget } from './outbound.types.js';

export interface BreakerSettings {
  failuresToOpen: number;
  openDurationMs: number;
  /** Probes allowed in flight at once while half-open; further calls fail as if open. */
  halfOpenProbes: number;
  successesToClose: number;
}

export const DEFAULT_BREAKER_SETTINGS: BreakerSettings = { failuresToOpen: 5, openDurationMs: 60_000, halfOpenProbes: 3, successesToClose: 2 };

/** Counts consecutive failures (opening at the threshold) and the successes a half-open breaker still owes. */
class ProbationBreaker implements IBreaker {
  state = { consecutiveFailures: 0, successesOwed: 0 };

  constructor(
    private readonly settings: BreakerSettings,
    private readonly onProbationPassed: () => void,
  ) {}

  /** Called when cockatiel lets the first probe through: the probes now owe `successesToClose` successes. */
  startProbation(): void {
    this.state.successesOwed = this.settings.successesToClose;
  }

  get onProbation(): boolean {
    return this.state.successesOwed > 0;
  }

  success(): void {
    this.state.consecutiveFailures = 0;
    if (this.state.successesOwed === 0) return;
    this.state.successesOwed -= 1;
    if (this.state.successesOwed === 0) this.onProbationPassed();
  }

  failure(state: CircuitState): boolean {
    this.state.consecutiveFailures += 1;
    if (this.state.successesOwed > 0 || state === CircuitState.HalfOpen) {
      this.state.successesOwed = 0;
      return true;
    }
    return this.state.consecutiveFailures >= this.settings.failuresToOpen;
  }
}

export interface TargetBreaker {
  /** Runs one attempt through the breaker; rejects with cockatiel's `BrokenCircuitError` when it may not run. */
  execute<T>(attempt: () => Promise<T>): Promise<T>;
  status(): BreakerStatus;
}

export interface TargetBreakerOptions {
  target: OutboundTarget;
  /** Which thrown errors and which results are failures of the target (the others count as successes). */
  failures: Policy;
  settings: BreakerSettings;
  clock: Clock;
  onStateChange: (status: BreakerStatus, previous: BreakerState) => void;
}

export function createTargetBreaker(options: TargetBreakerOptions): TargetBreaker {
  const { target, settings, clock } = options;
  let openedAt: Date | null = null;
  let reported: BreakerState = 'closed';
  let probesInFlight = 0;

  const breaker = new ProbationBreaker(settings, () => reportState());
  const policy: CircuitBreakerPolicy = circuitBreaker(options.failures, { halfOpenAfter: settings.openDurationMs, breaker });

  const currentState = (): BreakerState => {
    if (policy.state === CircuitState.Open || policy.state === CircuitState.Isolated) return 'open';
    if (policy.state === CircuitState.HalfOpen || breaker.onProbation) return 'half_open';
    return 'closed';
  };

  const status = (): BreakerStatus => ({
    target: target.id,
    kind: target.kind,
    state: currentState(),
    consecutiveFailures: breaker.state.consecutiveFailures,
    openedAt: openedAt?.toISOString() ?? null,
  });

  function reportState(): void {
    const state = currentState();
    if (state === reported) return;
    if (state === 'closed') openedAt = null;
    const previous = reported;
    reported = state;
    options.onStateChange(status(), previous);
  }

  policy.onBreak(() => {
    openedAt = clock.now();
    reportState();
  });
  policy.onHalfOpen(() => {
    breaker.startProbation();
    reportState();
  });
  policy.onReset(() => reportState());

  return {
    async execute(attempt) {
      const probing = policy.state !== CircuitState.Closed || breaker.onProbation;
      if (probing && probesInFlight >= settings.halfOpenProbes) {
        throw new BrokenCircuitError(`the circuit breaker of ${target.kind} ${target.id} is half-open with ${probesInFlight} probes in flight`);
      }
      if (probing) probesInFlight += 1;
      try {
        return await policy.execute(() => attempt());
      } finally {
        if (probing) probesInFlight -= 1;
      }
    },
    status,
  };
}
