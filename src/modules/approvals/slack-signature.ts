/**
 * Slack's request signature ("Verifying requests from Slack", api.slack.com/authentication/verifying-requests-from-slack):
 * `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:{X-Slack-Request-Timestamp}:{raw body}" keyed by the app's signing
 * secret>`. Verified over the exact bytes received, in constant time; a timestamp more than five minutes from now
 * (either way) is refused, so a captured request cannot be replayed later.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SLACK_TOLERANCE_SECONDS = 5 * 60;

export type SlackVerification = { ok: true } | { ok: false; reason: 'missing_headers' | 'stale_timestamp' | 'bad_signature' };

export function slackSignature(signingSecret: string, timestamp: string, body: Buffer | string): string {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestamp}:`, 'utf8');
  hmac.update(body);
  return `v0=${hmac.digest('hex')}`;
}

export function verifySlackRequest(
  signingSecret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: Buffer,
  now: Date,
): SlackVerification {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'missing_headers' };
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > SLACK_TOLERANCE_SECONDS) return { ok: false, reason: 'stale_timestamp' };
  const expected = Buffer.from(slackSignature(signingSecret, timestamp, body), 'utf8');
  const presented = Buffer.from(signature, 'utf8');
  // timingSafeEqual needs equal lengths; a length mismatch is a failure that reveals nothing about the secret.
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return { ok: false, reason: 'bad_signature' };
  return { ok: true };
}
