import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './jobs.js';

/** The Debian package's binary (`prometheus-alertmanager`, installed by .ci/run). */
export const ALERTMANAGER_BINARY = '/usr/bin/prometheus-alertmanager';
export const alertmanagerInstalled = existsSync(ALERTMANAGER_BINARY);
// CI installs it and sets ORCA_REQUIRE_ALERTMANAGER=1: there, a missing binary fails instead of skipping the test.
if (!alertmanagerInstalled && process.env.ORCA_REQUIRE_ALERTMANAGER === '1') {
  throw new Error(`ORCA_REQUIRE_ALERTMANAGER=1 but ${ALERTMANAGER_BINARY} is missing: apt-get install prometheus-alertmanager`);
}

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
