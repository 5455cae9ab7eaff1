/** Human approvals of high-risk actions (docs/approvals.md): expiry sweep, long-polls, callbacks and Slack. */
import { InvalidSetting, durationBetween, durationUpTo, integer, list, onOff, optional, type Setting } from '../parsers.js';

const SLACK_USER = /^[UW][A-Z0-9]{2,20}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `U024BE7LH=<api key id>,W0123ABCD=<api key id>`: which ORCA API key each Slack user decides as. */
export function slackApprovers(raw: string): Readonly<Record<string, string>> {
  const mapping: Record<string, string> = {};
  for (const entry of list(raw)) {
    const [user, keyId, extra] = entry.split('=').map((part) => part.trim());
    if (extra !== undefined || !user || !keyId || !SLACK_USER.test(user) || !UUID.test(keyId)) {
      throw new InvalidSetting(`each entry must be <Slack user id>=<ORCA API key id>, e.g. U024BE7LH=0190b3c2-…; got "${entry.slice(0, 80)}"`);
    }
    if (user in mapping) throw new InvalidSetting(`Slack user ${user} is mapped twice`);
    mapping[user] = keyId.toLowerCase();
  }
  return Object.freeze(mapping);
}

function slackSigningSecret(raw: string): string {
  const value = raw.trim();
  // The value is a secret: the message names only what is expected.
  if (!/^[A-Za-z0-9]{16,128}$/.test(value)) throw new InvalidSetting('must be the Signing Secret of the Slack app (Basic Information → App Credentials)');
  return value;
}

export const APPROVALS_SETTINGS = [
  {
    env: 'APPROVALS_ENABLED',
    key: 'approvalsEnabled',
    default: 'true',
    description:
      'false: a require_approval decision opens no approval and stays final, as before approvals existed, and approval_id is refused; for measuring what approvals cost (docs/approvals.md)',
    parse: onOff,
  },
  {
    env: 'APPROVALS_EXPIRY_INTERVAL',
    key: 'approvalsExpiryIntervalMs',
    default: '30s',
    description: 'time between sweeps that expire approvals past their expires_at (reads expire them too, at once); whole seconds (rounded up), at most 1h',
    parse: durationUpTo(3_600_000, '1h'),
  },
  {
    env: 'APPROVALS_MAX_WAIT',
    key: 'approvalsMaxWaitMs',
    default: '30s',
    description: 'the longest long-poll of GET /api/v1/approvals/{id}?wait= (kept 5 s under HANDLER_TIMEOUT)',
    parse: durationBetween(1000, '1s', 600_000, '10m'),
  },
  {
    env: 'APPROVALS_CALLBACK_RETRIES',
    key: 'approvalsCallbackRetries',
    default: '10',
    description: 'retries of an approval callback after its first attempt (5xx, 408, 429, timeouts, network errors, open breaker) before it is dead-lettered',
    parse: integer(0, 25),
  },
  {
    env: 'APPROVALS_CALLBACK_RETRY_DELAY',
    key: 'approvalsCallbackRetryDelayMs',
    default: '2s',
    description: 'backoff base d of callback retries (whole seconds): retry n waits d·2^(n−1) to d·2^n',
    parse: durationBetween(1000, '1s', 3_600_000, '1h'),
  },
  {
    env: 'APPROVALS_SLACK_SIGNING_SECRET',
    key: 'approvalsSlackSigningSecret',
    default: undefined,
    description: 'the Signing Secret of the Slack app whose Approve and Deny buttons reach POST /api/v1/integrations/slack/interactions; unset → that endpoint verifies nothing and answers 401',
    secret: true,
    parse: optional(slackSigningSecret),
  },
  {
    env: 'APPROVALS_SLACK_APPROVERS',
    key: 'approvalsSlackApprovers',
    default: '',
    description:
      'which ORCA API key each Slack user decides as: U024BE7LH=<key id>,… (an active operator or admin key; anyone unmapped is refused, and so is the key that asked)',
    parse: slackApprovers,
  },
] as const satisfies readonly Setting[];
