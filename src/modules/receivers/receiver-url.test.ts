import { describe, expect, it } from 'vitest';
import { deliveryUrl, displayUrl, kindOfWebhookSetting } from './receiver-url.js';

describe('displayUrl', () => {
  it('redacts the credential path of a Slack webhook', () => {
    // secretlint-disable-next-line @secretlint/secretlint-rule-slack -- a made-up webhook path, to show it redacted
    expect(displayUrl('slack', 'https://hooks.slack.com/services/T000/B000/XXXXSECRET')).toBe('https://hooks.slack.com/services/[REDACTED]');
    expect(displayUrl('slack', 'https://hooks.slack.com/')).toBe('https://hooks.slack.com/');
  });

  it('keeps other paths, redacts query values and drops user info', () => {
    expect(displayUrl('webhook', 'https://user:pw@example.com:8443/hooks/orca?token=abc&x=1')).toBe('https://example.com:8443/hooks/orca?token=[REDACTED]&x=[REDACTED]');
    expect(displayUrl('alertmanager', 'http://am:9093')).toBe('http://am:9093/');
  });
});

describe('deliveryUrl', () => {
  it('posts to /api/v2/alerts of an Alertmanager given by its base URL or its endpoint', () => {
    expect(deliveryUrl('alertmanager', 'http://am:9093')).toBe('http://am:9093/api/v2/alerts');
    expect(deliveryUrl('alertmanager', 'http://am:9093/')).toBe('http://am:9093/api/v2/alerts');
    expect(deliveryUrl('alertmanager', 'http://proxy/am/')).toBe('http://proxy/am/api/v2/alerts');
    expect(deliveryUrl('alertmanager', 'http://am:9093/api/v2/alerts')).toBe('http://am:9093/api/v2/alerts');
  });

  it('leaves Slack and webhook URLs as given', () => {
    expect(deliveryUrl('webhook', 'https://example.com/in?x=1')).toBe('https://example.com/in?x=1');
    expect(deliveryUrl('slack', 'https://hooks.slack.com/services/A/B/C')).toBe('https://hooks.slack.com/services/A/B/C');
  });
});

describe('kindOfWebhookSetting', () => {
  it('recognises a Slack incoming webhook by its host', () => {
    expect(kindOfWebhookSetting('https://hooks.slack.com/services/A/B/C')).toBe('slack');
    expect(kindOfWebhookSetting('https://HOOKS.SLACK.COM/services/A/B/C')).toBe('slack');
    expect(kindOfWebhookSetting('https://example.com/slack')).toBe('webhook');
  });
});
