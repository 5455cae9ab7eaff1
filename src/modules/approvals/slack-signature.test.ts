import { describe, expect, it } from 'vitest';
import { slackSignature, verifySlackRequest } from './slack-signature.js';

/**
 * The worked example of Slack's "Verifying requests from Slack" (a slash command request): its signing secret,
 * timestamp, body and the signature Slack computed for them.
 */
// secretlint-disable-next-line @secretlint/secretlint-rule-preset-recommend -- Slack's published example secret, not a credential
const DOC_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const DOC_TIMESTAMP = '1531420618';
const DOC_BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner' +
  '&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
  '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const DOC_SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const AT_DOC_TIME = new Date(Number(DOC_TIMESTAMP) * 1000);

describe('Slack request signatures', () => {
  it("computes the signature of Slack's documented example", () => {
    expect(slackSignature(DOC_SECRET, DOC_TIMESTAMP, DOC_BODY)).toBe(DOC_SIGNATURE);
    expect(verifySlackRequest(DOC_SECRET, { timestamp: DOC_TIMESTAMP, signature: DOC_SIGNATURE }, Buffer.from(DOC_BODY), AT_DOC_TIME)).toEqual({ ok: true });
  });

  it('accepts the timestamp up to five minutes either way, and refuses it beyond (a replay)', () => {
    const verify = (now: Date) => verifySlackRequest(DOC_SECRET, { timestamp: DOC_TIMESTAMP, signature: DOC_SIGNATURE }, Buffer.from(DOC_BODY), now);
    expect(verify(new Date(AT_DOC_TIME.getTime() + 300_000))).toEqual({ ok: true });
    expect(verify(new Date(AT_DOC_TIME.getTime() - 300_000))).toEqual({ ok: true });
    expect(verify(new Date(AT_DOC_TIME.getTime() + 301_000))).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verify(new Date(AT_DOC_TIME.getTime() - 301_000))).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it('refuses a changed body, another secret, a changed timestamp and malformed headers', () => {
    const body = Buffer.from(DOC_BODY);
    expect(verifySlackRequest(DOC_SECRET, { timestamp: DOC_TIMESTAMP, signature: DOC_SIGNATURE }, Buffer.from(`${DOC_BODY}x`), AT_DOC_TIME)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifySlackRequest(`${DOC_SECRET}0`, { timestamp: DOC_TIMESTAMP, signature: DOC_SIGNATURE }, body, AT_DOC_TIME)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifySlackRequest(DOC_SECRET, { timestamp: String(Number(DOC_TIMESTAMP) + 1), signature: DOC_SIGNATURE }, body, AT_DOC_TIME)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifySlackRequest(DOC_SECRET, { timestamp: DOC_TIMESTAMP, signature: DOC_SIGNATURE.slice(0, -1) }, body, AT_DOC_TIME)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifySlackRequest(DOC_SECRET, { timestamp: DOC_TIMESTAMP, signature: DOC_SIGNATURE.replace('v0=', 'v1=') }, body, AT_DOC_TIME)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifySlackRequest(DOC_SECRET, { timestamp: undefined, signature: DOC_SIGNATURE }, body, AT_DOC_TIME)).toEqual({ ok: false, reason: 'missing_headers' });
    expect(verifySlackRequest(DOC_SECRET, { timestamp: DOC_TIMESTAMP, signature: undefined }, body, AT_DOC_TIME)).toEqual({ ok: false, reason: 'missing_headers' });
    expect(verifySlackRequest(DOC_SECRET, { timestamp: '1531420618.5', signature: DOC_SIGNATURE }, body, AT_DOC_TIME)).toEqual({ ok: false, reason: 'missing_headers' });
  });
});
