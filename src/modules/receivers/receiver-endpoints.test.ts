import { describe, expect, it } from 'vitest';
import { withSettingsReceivers, type ReceiverEndpoint } from './receiver-endpoints.js';

describe('withSettingsReceivers', () => {
  const stored: ReceiverEndpoint[] = [
    { name: 'alertmanager', kind: 'alertmanager', url: new URL('http://old-am:9093/api/v2/alerts') },
    { name: 'ops', kind: 'webhook', url: new URL('https://ops.example.com/hook') },
  ];

  it('keeps the stored receivers when no setting names one', () => {
    expect(withSettingsReceivers(stored, { alertmanagerUrl: undefined, alertWebhookUrl: undefined, alertWebhookSecret: undefined })).toEqual(stored);
  });

  it('lets ALERTMANAGER_URL replace the receiver it keeps and ALERT_WEBHOOK_URL add its own, as a start-up would', () => {
    const merged = withSettingsReceivers(stored, { alertmanagerUrl: 'http://am:9093', alertWebhookUrl: 'https://hooks.slack.com/services/A/B/C', alertWebhookSecret: undefined });
    expect(merged.map((endpoint) => [endpoint.name, endpoint.kind, endpoint.url?.href, endpoint.setting])).toEqual([
      ['alertmanager', 'alertmanager', 'http://am:9093/api/v2/alerts', 'ALERTMANAGER_URL'],
      ['ops', 'webhook', 'https://ops.example.com/hook', undefined],
      ['webhook', 'slack', 'https://hooks.slack.com/services/A/B/C', 'ALERT_WEBHOOK_URL'],
    ]);
  });
});
