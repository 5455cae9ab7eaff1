import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { createRecordingSink } from '../../helpers/notification-sink.js';
import { startLocalS3, type LocalS3 } from '../../helpers/s3-server.js';
import { testClock } from '../trust/fixtures.js';

/**
 * A failed backup raises an alert (docs/alerts.md, rule kinds backup_failed and backup_stale): real backups, whose
 * copy to a local S3-compatible server fails while its bucket is missing and succeeds once it exists. The backups
 * module tells the alerts module after each attempt, which asks for an evaluation at once: with the scheduled
 * evaluation an hour away, only that request can raise (and resolve) the default `backup-failed` alert here.
 */
const HOUR = 3_600_000;

interface ListedAlert {
  rule: string;
  status: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  value: number;
}

for (const target of databaseTargets) {
  describe(`backup alerts [${target.name}]`, () => {
    const clock = testClock();
    let s3: LocalS3;
    let ctx: TestApp;
    const savedEnv = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    const bucket = `orca-alerts-${target.name}`;

    beforeAll(async () => {
      s3 = await startLocalS3();
      // The S3 client reads the standard AWS variables of the process (docs/backups.md).
      process.env.AWS_ACCESS_KEY_ID = s3.credentials.AWS_ACCESS_KEY_ID;
      process.env.AWS_SECRET_ACCESS_KEY = s3.credentials.AWS_SECRET_ACCESS_KEY;
      ctx = await createTestApp(
        target,
        { S3_BUCKET: bucket, S3_ENDPOINT: s3.endpoint, ALERTS_EVALUATION_INTERVAL: '1h', BACKUP_INTERVAL: '24h' },
        { role: 'all', clock, notificationSink: createRecordingSink(['default']) },
      );
    });
    afterAll(async () => {
      await ctx?.close();
      await s3?.close();
      process.env.AWS_ACCESS_KEY_ID = savedEnv.id;
      process.env.AWS_SECRET_ACCESS_KEY = savedEnv.secret;
      if (savedEnv.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      if (savedEnv.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    });

    const alerts = async (rule: string, query = '') => {
      const response = await ctx.app.inject({ method: 'GET', url: `/api/v1/alerts?limit=200${query}`, headers: ctx.as('viewer') });
      expect(response.statusCode).toBe(200);
      return (response.json() as { items: ListedAlert[] }).items.filter((item) => item.rule === rule);
    };

    it('raises the default backup-failed alert when a backup fails, and resolves it when the next one succeeds', async () => {
      await ctx.container.modules.alerts.evaluate('before-any-backup');
      expect(await alerts('backup-failed')).toEqual([]);

      const failed = await ctx.container.modules.backups.service.run();
      expect(failed.s3.status).toBe('failed');
      const status = ctx.container.modules.backups.service.status()!;
      expect(status).toMatchObject({ outcome: 'failure', last_success_at: null });
      await vi.waitFor(async () => expect(await alerts('backup-failed', '&status=firing')).toHaveLength(1), { timeout: 60_000, interval: 100 });
      const [alert] = await alerts('backup-failed');
      expect(alert).toMatchObject({ status: 'firing', value: 1, labels: { alertname: 'backup-failed', severity: 'high' } });
      expect(alert!.annotations).toEqual({
        summary: `The last backup failed: ${status.error}`,
        description: `The backup attempt of ${status.attempted_at} failed (last successful backup: never). See docs/backups.md.`,
      });
      expect(status.error).toMatch(/^copy to S3 failed: /);

      const client = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      client.destroy();
      const succeeded = await ctx.container.modules.backups.service.run();
      expect(succeeded.s3.status).toBe('copied');
      await vi.waitFor(async () => expect((await alerts('backup-failed'))[0]?.status).toBe('resolved'), { timeout: 60_000, interval: 100 });
    });

    it('backup_stale: the last success older than the window, counted in seconds', async () => {
      const put = await ctx.app.inject({
        method: 'PUT',
        url: '/api/v1/alert-rules',
        headers: ctx.as('operator'),
        payload: { rules: [{ name: 'backups-behind', kind: 'backup_stale', window: '13h', severity: 'high', annotations: { summary: 'last backup {{ age_hours }} h ago, at {{ last_success_at }}' } }] },
      });
      expect(put.statusCode, put.body).toBe(200);
      const lastSuccess = ctx.container.modules.backups.service.status()!.last_success_at!;
      // The success is dated by its manifest: the test clock's instant when the backup was taken.
      expect(lastSuccess).toBe(clock.now().toISOString());
      clock.advance(13 * HOUR);
      await ctx.container.modules.alerts.evaluate('at-13h');
      expect(await alerts('backups-behind')).toEqual([]);
      clock.advance(30 * 60_000);
      await ctx.container.modules.alerts.evaluate('at-13h30');
      const [stale] = await alerts('backups-behind');
      expect(stale).toMatchObject({ status: 'firing', value: 13.5 * 3600, labels: { alertname: 'backups-behind', severity: 'high' } });
      expect(stale!.annotations).toEqual({ summary: `last backup 13.5 h ago, at ${lastSuccess}` });
    });

    it('refuses a backup_stale rule without a window and a match on either kind', async () => {
      const put = await ctx.app.inject({
        method: 'PUT',
        url: '/api/v1/alert-rules',
        headers: ctx.as('operator'),
        payload: { rules: [{ name: 'a', kind: 'backup_stale', severity: 'high' }, { name: 'b', kind: 'backup_failed', match: { receiver: 'x' }, severity: 'high' }] },
      });
      expect(put.statusCode).toBe(400);
      expect((put.json() as { errors: unknown[] }).errors).toEqual([
        { path: '/body/rules/0/window', message: 'is required for a backup_stale rule' },
        { path: '/body/rules/1/match/receiver', message: 'must NOT have additional properties' },
      ]);
    });
  });
}
