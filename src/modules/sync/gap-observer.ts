import type { Queryable } from '../../platform/db/index.js';
import type { NewGap } from './gaps.repository.js';
import type { ResolvedRemediationStep } from './remediation-policy.js';

/**
 * What another module (remediation) learns about gaps, declared here so that the sync module imports nothing of
 * it. The container wires the implementation.
 */
export interface GapObserver {
  /**
   * A gap whose rule has a remediation policy opened: called in the transaction that opened it, so that what the
   * observer writes (records, jobs) commits or rolls back with the gap. Gaps without a policy cost nothing. What it
   * returns runs once that transaction committed (metrics, log lines), and must not throw.
   */
  gapOpened(tx: Queryable, gap: NewGap, steps: ResolvedRemediationStep[]): Promise<(() => void) | void>;
  /**
   * Gaps closed — by the data, by hand, or because their rule was removed — once that closing committed. Must not
   * throw: the gaps are closed whatever the observer does with the news.
   */
  gapsClosed(ids: string[]): void;
}
