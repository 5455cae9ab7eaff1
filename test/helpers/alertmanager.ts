import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NotificationSink } from '../../src/modules/receivers/notification.js';
import { waitFor } from './jobs.js';

/** The Debian package's binary (`prometheus-alertmanager`, installed by .ci/run). */
export const ALERTMANAGER_BINARY = '/usr/bin/prometheus-alertmanager';
export const alertmanagerInstalled = existsSync(ALERTMANAGER_BINARY);

export interface RunningAlertmanager {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A real Alertmanager on a free loopback port, alone (no cluster), with a receiver that sends nothing. */
export async function startAlertmanager(): Promise<RunningAlertmanager> {
  const dir = mkdtempSync(join(tmpdir(), 'orca-alertmanager-'));
  const config = join(dir, 'alertmanager.yml');
  writeFileSync(config, 'route:\n  receiver: nowhere\nreceivers:\n  - name: nowhere\n');
  const port = await freePort();
  const child: ChildProcess = spawn(
    ALERTMANAGER_BINARY,
    [`--config.file=${config}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`alertmanager exited (${child.exitCode}): ${stderr.slice(-2000)}`);
        try {
          return (await fetch(`${url}/-/ready`)).status;
        } catch {
          return 0;
        }
      },
      (status) => status === 200,
      20_000,
    );
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A stand-in for the receivers module's `alertmanager` receiver, for this test only: each notification's alerts are
 * posted at once in Alertmanager API v2 form (`POST /api/v2/alerts`), so that the test checks what ORCA's alerts
 * look like to a real Alertmanager. The durable delivery itself is the receivers module's (and its own tests').
 */
export function createAlertmanagerPostingSink(alertmanagerUrl: string, name = 'alertmanager'): NotificationSink & { posted: number } {
  const sink = {
    posted: 0,
    async enqueue(notification: Parameters<NotificationSink['enqueue']>[0]) {
      const body = notification.alerts.map((alert) => ({
        labels: alert.labels,
        annotations: alert.annotations,
        startsAt: alert.startsAt,
        ...(alert.endsAt ? { endsAt: alert.endsAt } : {}),
        generatorURL: alert.generatorURL,
      }));
      const response = await fetch(`${alertmanagerUrl}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (response.status !== 200) throw new Error(`alertmanager answered ${response.status}: ${await response.text()}`);
      sink.posted += 1;
    },
    receiverNames: async () => [name],
    onDeadLettered: () => {},
  };
  return sink;
}
