/** Self-healing: how often remediations are looked after, and how long a failed attempt waits for the next. */
import { durationBetween, durationUpTo, type Setting } from '../parsers.js';

export const REMEDIATION_SETTINGS = [
  {
    env: 'REMEDIATION_INTERVAL',
    key: 'remediationIntervalMs',
    default: '15s',
    description:
      'time between rounds of the remediation scheduler (docs/self-healing.md): due attempts are sent, verification windows that ran out are ended; a gap closing settles its remediations at once; whole seconds (rounded up), at most 1h',
    parse: durationUpTo(3_600_000, '1h'),
  },
  {
    env: 'REMEDIATION_RETRY_DELAY',
    key: 'remediationRetryDelayMs',
    default: '1m',
    description: 'wait before the next attempt of a remediation whose action failed (the endpoint was down): d, then 2d, 4d … until max_attempts',
    parse: durationBetween(1000, '1s', 86_400_000, '1d'),
  },
] as const satisfies readonly Setting[];
