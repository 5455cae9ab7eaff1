import { Gauge, type Registry } from 'prom-client';
import { registerZeroedCounter } from '../../platform/telemetry/metrics.js';

/** What happened to approvals: opened, an approving vote that does not decide yet, the decisions, a use and its undo. */
export const APPROVAL_EVENTS = ['opened', 'vote', 'approved', 'denied', 'expired', 'used', 'released'] as const;
export type ApprovalEvent = (typeof APPROVAL_EVENTS)[number];

export const CALLBACK_OUTCOMES = ['delivered', 'retried', 'dead_lettered'] as const;
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number];

/** Slack interactions: decided (a vote or a decision applied), refused (verified, but the decision was not allowed), rejected (signature). */
export const SLACK_OUTCOMES = ['decided', 'refused', 'ignored', 'rejected'] as const;
export type SlackOutcome = (typeof SLACK_OUTCOMES)[number];

export interface ApprovalMetrics {
  event(event: ApprovalEvent, count?: number): void;
  callback(outcome: CallbackOutcome): void;
  slack(outcome: SlackOutcome): void;
}

export function registerApprovalMetrics(registry: Registry, waiters: () => number): ApprovalMetrics {
  // Every series exists from the start at 0, so rate() and alerts work before the first event.
  const events = registerZeroedCounter(registry, {
    name: 'orca_approval_events_total',
    help: 'Approvals opened, approving votes short of the approvers needed, decisions (approved, denied, expired), uses and undone uses',
    series: { event: APPROVAL_EVENTS },
  });
  const callbacks = registerZeroedCounter(registry, {
    name: 'orca_approval_callbacks_total',
    help: 'Attempts to deliver an approval outcome to its callback URL, by outcome (retried: failed with a retry scheduled)',
    series: { outcome: CALLBACK_OUTCOMES },
  });
  const slack = registerZeroedCounter(registry, {
    name: 'orca_slack_interactions_total',
    help: 'Slack interactions by outcome (decided; refused: verified but not allowed; ignored: not an ORCA button; rejected: signature or timestamp refused)',
    series: { outcome: SLACK_OUTCOMES },
  });
  new Gauge({
    name: 'orca_approval_waiters',
    help: 'Requests of this process long-polling an approval now',
    registers: [registry],
    collect() {
      this.set(waiters());
    },
  });
  return {
    event: (event, count = 1) => events.inc({ event }, count),
    callback: (outcome) => callbacks.inc({ outcome }),
    slack: (outcome) => slack.inc({ outcome }),
  };
}
