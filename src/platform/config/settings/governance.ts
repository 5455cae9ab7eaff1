/** Policy, trust and sync analysis: the figures and intervals of ORCA's own logic. */
import { durationUpTo, fraction, integer, optional, positiveNumber, type Setting } from '../parsers.js';

export const GOVERNANCE_SETTINGS = [
  { env: 'PLATFORM_COST_USD_MONTHLY', key: 'platformCostUsdMonthly', default: undefined, description: 'platform cost, the denominator of ROI', parse: optional(positiveNumber) },
  { env: 'TRUST_QUARANTINE_BELOW', key: 'trustQuarantineBelow', default: '30', description: 'trust score under which an agent is quarantined', parse: integer(0, 100) },
  {
    env: 'TRUST_SNAPSHOT_INTERVAL',
    key: 'trustSnapshotIntervalMs',
    default: '15m',
    description: 'time between trust/KPI snapshots (history, gauges, auto-quarantine); whole seconds (rounded up), at most 7d',
    parse: durationUpTo(7 * 86_400_000, '7d'),
  },
  { env: 'POLICY_ALLOW_SAMPLE_RATE', key: 'policyAllowSampleRate', default: '1', description: 'share (0–1) of policy allow decisions without violations that are recorded; every violation is always recorded', parse: fraction },
  {
    env: 'SYNC_SWEEP_INTERVAL',
    key: 'syncSweepIntervalMs',
    default: '30s',
    description: 'time between sweeps of the sync analyzer for time-based rules (stale streams, follow-up deadlines); whole seconds (rounded up), at most 7d',
    parse: durationUpTo(7 * 86_400_000, '7d'),
  },
] as const satisfies readonly Setting[];
