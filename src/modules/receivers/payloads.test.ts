import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { alertmanagerPayload } from './alertmanager-payload.js';
import type { AlertInstance, Notification } from './notification.js';
import { slackPayload } from './slack-payload.js';
import { standardWebhookHeaders, webhookPayload } from './webhook-payload.js';

const firing: AlertInstance = {
  fingerprint: 'f1',
  status: 'firing',
  labels: { alertname: 'injection-attempts', severity: 'critical', agent_id: 'a-1', agent_name: 'billing <bot>', team: 'security' },
  annotations: { summary: 'Prompt injection attempts by billing <bot>', description: 'R&D saw 3', runbook_url: 'https://runbooks.example/inj' },
  startsAt: '2026-03-01T12:00:00.000Z',
  endsAt: null,
  generatorURL: 'https://orca.example/api/v1/alerts?fingerprint=f1',
};
const resolved: AlertInstance = { ...firing, fingerprint: 'f2', status: 'resolved', labels: { ...firing.labels, agent_id: 'a-2' }, endsAt: '2026-03-01T12:05:00.000Z' };

function notification(alerts: AlertInstance[], overrides: Partial<Notification> = {}): Notification {
  return {
    id: 'n-1',
    kind: 'alert',
    receiver: 'pager',
    groupKey: '{}:{alertname="injection-attempts"}',
    groupLabels: { alertname: 'injection-attempts' },
    status: alerts.some((alert) => alert.status === 'firing') ? 'firing' : 'resolved',
    alerts,
    correlationId: 'corr-1',
    ...overrides,
  };
}
const now = new Date('2026-03-01T12:10:00.000Z');

describe('alertmanagerPayload', () => {
  it('posts labels, annotations, startsAt and generatorURL; endsAt only on resolved alerts', () => {
    expect(alertmanagerPayload(notification([firing, resolved]), now)).toEqual([
      { labels: firing.labels, annotations: firing.annotations, startsAt: firing.startsAt, generatorURL: firing.generatorURL },
      { labels: resolved.labels, annotations: resolved.annotations, startsAt: resolved.startsAt, endsAt: '2026-03-01T12:05:00.000Z', generatorURL: resolved.generatorURL },
    ]);
  });

  it('ends now a resolved alert that has no end time, rather than leave it firing', () => {
    expect(alertmanagerPayload(notification([{ ...resolved, endsAt: null }]), now)[0]?.endsAt).toBe(now.toISOString());
  });

  it('keeps a firing alert end time when one is given (a test notification expires on its own)', () => {
    expect(alertmanagerPayload(notification([{ ...firing, endsAt: '2026-03-01T12:15:00.000Z' }]), now)[0]?.endsAt).toBe('2026-03-01T12:15:00.000Z');
  });
});

describe('slackPayload', () => {
  it('has a header, each alert with severity, agent, summary and links back to ORCA and the runbook', () => {
    const message = slackPayload(notification([firing]));
    expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: ':rotating_light: [FIRING] injection-attempts' } });
    expect(message.blocks[1]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '*Prompt injection attempts by billing &lt;bot&gt;*\nR&amp;D saw 3' },
      fields: [
        { type: 'mrkdwn', text: '*Severity*\n:red_circle: critical' },
        { type: 'mrkdwn', text: '*Status*\nfiring' },
        { type: 'mrkdwn', text: '*Agent*\nbilling &lt;bot&gt;' },
        { type: 'mrkdwn', text: '*Rule*\ninjection-attempts' },
      ],
    });
    expect(message.blocks[2]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: '<https://orca.example/api/v1/alerts?fingerprint=f1|Open in ORCA> · <https://runbooks.example/inj|Runbook> · since 2026-03-01T12:00:00.000Z' }],
    });
    expect(message.text).toBe(':rotating_light: [FIRING] injection-attempts: Prompt injection attempts by billing <bot>');
  });

  it('counts firing alerts of a group, says RESOLVED when all are, and summarises alerts past ten', () => {
    expect(slackPayload(notification([firing, resolved])).blocks[0]).toMatchObject({ text: { text: ':rotating_light: [FIRING:1] injection-attempts' } });
    expect(slackPayload(notification([resolved])).blocks[0]).toMatchObject({ text: { text: ':white_check_mark: [RESOLVED] injection-attempts' } });
    const many = slackPayload(notification(Array.from({ length: 12 }, (_, index) => ({ ...firing, fingerprint: `f${index}` }))));
    expect(many.blocks).toHaveLength(1 + 10 * 2 + 1);
    expect(many.blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '…and 2 more alerts in this group' }] });
  });

  it('links only http(s) URLs and cannot be broken out of its link syntax', () => {
    const hostile = { ...firing, generatorURL: 'javascript:alert(1)', annotations: { summary: 's', runbook_url: 'https://x.example/a|b>c' } };
    const context = slackPayload(notification([hostile])).blocks[2];
    expect(context).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '<https://x.example/a%7Cb%3Ec|Runbook> · since 2026-03-01T12:00:00.000Z' }] });
  });

  it('titles a test notification as such', () => {
    expect(slackPayload(notification([firing], { kind: 'test' })).blocks[0]).toMatchObject({ text: { text: 'ORCA test notification' } });
  });
});

describe('webhookPayload', () => {
  it('is one snake_case envelope with every alert', () => {
    expect(webhookPayload(notification([resolved]))).toEqual({
      type: 'orca.notification',
      version: 1,
      id: 'n-1',
      kind: 'alert',
      receiver: 'pager',
      status: 'resolved',
      group_key: '{}:{alertname="injection-attempts"}',
      group_labels: { alertname: 'injection-attempts' },
      alerts: [
        {
          fingerprint: 'f2',
          status: 'resolved',
          labels: resolved.labels,
          annotations: resolved.annotations,
          starts_at: resolved.startsAt,
          ends_at: resolved.endsAt,
          generator_url: resolved.generatorURL,
        },
      ],
      correlation_id: 'corr-1',
    });
    expect(webhookPayload(notification([firing], { correlationId: undefined })).correlation_id).toBeNull();
  });

  it('is signed so that the reference library verifies it, and a changed body does not', () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const body = JSON.stringify(webhookPayload(notification([firing])));
    const at = new Date();
    const headers = standardWebhookHeaders(secret, 'n-1', at, body);
    expect(headers['webhook-id']).toBe('n-1');
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(at.getTime() / 1000)));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(body.replace('firing', 'resolved'), headers)).toThrow();
  });
});
