import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { startTestReceiver, type TestReceiver } from '../../helpers/http-receiver.js';
import { alertNotification, deliveryReaching, webhookSecret } from './fixtures.js';

type Json = Record<string, unknown>;

/** ALERTMANAGER_URL and ALERT_WEBHOOK_URL keep the receivers `alertmanager` and `webhook` (docs/receivers.md). */
describe.each(databaseTargets.map((target) => [target.name, target] as const))('receivers from settings [%s]', (_name, target) => {
  let t: TestApp;
  let server: TestReceiver;
  const secret = webhookSecret();
  beforeAll(async () => {
    server = await startTestReceiver();
    t = await createTestApp(target, {
      OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8',
      JOBS_POLL_INTERVAL: '200ms',
      ALERTMANAGER_URL: server.url('/'),
      ALERT_WEBHOOK_URL: server.url('/hooks/orca'),
      ALERT_WEBHOOK_SECRET: secret,
    });
  });
  afterAll(async () => {
    await t?.close();
    await server?.close();
  });

  const byName = async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/receivers?limit=200', headers: t.as('admin') });
    return new Map(((response.json() as { items: Json[] }).items).map((receiver) => [receiver.name as string, receiver]));
  };
  const auditActions = async () =>
    (await t.container.db.query<{ action: string }>("select action from audit_entry where target like 'receiver:%' and actor = 'system' order by seq")).rows.map((row) => row.action);
  const keep = (settings: { alertmanagerUrl?: string; alertWebhookUrl?: string; alertWebhookSecret?: string }) =>
    t.container.modules.receivers.keepFromSettings({ alertmanagerUrl: undefined, alertWebhookUrl: undefined, alertWebhookSecret: undefined, ...settings });

  it('creates both receivers at start-up, marked as kept by configuration', async () => {
    const receivers = await byName();
    expect(receivers.get('alertmanager')).toMatchObject({ kind: 'alertmanager', url: server.url('/'), origin: 'config', has_secret: false });
    expect(receivers.get('webhook')).toMatchObject({ kind: 'webhook', url: server.url('/hooks/orca'), origin: 'config', has_secret: true });
    expect(await auditActions()).toEqual(['receiver.create', 'receiver.create']);
  });

  it('signs the webhook receiver with ALERT_WEBHOOK_SECRET', async () => {
    const notification = alertNotification('webhook');
    await t.container.modules.receivers.sink.enqueue(notification);
    const id = (await byName()).get('webhook')!.id as string;
    await deliveryReaching(t, id, 'delivered');
    const request = server.requests.find((entry) => entry.headers['webhook-id'] === notification.id)!;
    expect(new Webhook(secret).verify(request.body, request.headers as Record<string, string>)).toMatchObject({ id: notification.id });
  });

  it('is idempotent: the same settings change nothing', async () => {
    const before = await byName();
    await keep({ alertmanagerUrl: server.url('/'), alertWebhookUrl: server.url('/hooks/orca'), alertWebhookSecret: secret });
    expect(await byName()).toEqual(before);
    expect(await auditActions()).toEqual(['receiver.create', 'receiver.create']);
  });

  it('updates a receiver whose setting changed, switches ALERT_WEBHOOK_URL to Slack by its host, and recreates a deleted one', async () => {
    const before = await byName();
    // secretlint-disable-next-line @secretlint/secretlint-rule-slack -- a made-up webhook path, to show it redacted
    await keep({ alertmanagerUrl: server.url('/am'), alertWebhookUrl: 'https://hooks.slack.com/services/T1/B1/SECRETPATH' });
    const after = await byName();
    expect(after.get('alertmanager')).toMatchObject({ id: before.get('alertmanager')!.id, url: server.url('/am') });
    expect(after.get('webhook')).toMatchObject({ id: before.get('webhook')!.id, kind: 'slack', url: 'https://hooks.slack.com/services/[REDACTED]', has_secret: false });
    const id = after.get('alertmanager')!.id as string;
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/receivers/${id}`, headers: t.as('admin') })).statusCode).toBe(204);
    await keep({ alertmanagerUrl: server.url('/am') });
    const recreated = (await byName()).get('alertmanager')!;
    expect(recreated.id).not.toBe(id);
    expect(await auditActions()).toEqual(['receiver.create', 'receiver.create', 'receiver.update', 'receiver.update', 'receiver.create']);
  });

  it('logs, without failing, a setting the SSRF guard refuses', async () => {
    await keep({ alertmanagerUrl: 'http://10.9.9.9:9093' });
    const line = t.logs.find((entry) => entry.setting === 'ALERTMANAGER_URL' && entry.level === 'error');
    expect(line).toMatchObject({ receiver: 'alertmanager', reason: expect.stringContaining('refused by the SSRF guard') });
    expect((await byName()).get('alertmanager')).toMatchObject({ url: 'http://10.9.9.9:9093/' });
  });
});
