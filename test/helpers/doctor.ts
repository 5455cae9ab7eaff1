import { chmodSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { createReceiverRepository } from '../../src/modules/receivers/receivers.repository.js';
import { sealReceiverFields } from '../../src/modules/receivers/receivers.service.js';
import type { ReceiverKind } from '../../src/modules/receivers/receivers.schemas.js';
import { loadConfig } from '../../src/platform/config/load.js';
import { createSecretBox, secretKeyLoader } from '../../src/platform/crypto/secret-box.js';
import { openDatabase } from '../../src/platform/db/index.js';
import { newId } from '../../src/platform/ids.js';
import { createLogger } from '../../src/platform/telemetry/logger.js';
import { createMetrics } from '../../src/platform/telemetry/metrics.js';
import { deferCleanup, tempDir } from './orca-process.js';

/** What the e2e tests of `orca doctor` share: its --json shape (docs/CLI.md) and the receivers they probe. */

export interface CheckJson {
  status: 'up' | 'warn' | 'down';
  latency_ms: number;
  detail?: string;
  hint?: string;
  [fact: string]: unknown;
}

export interface DoctorJson {
  status: 'ok' | 'degraded' | 'down';
  database: string | null;
  checks: Record<string, CheckJson>;
  hints: string[];
  via?: string;
}

/** Receivers stored as the API stores them: URLs, tokens sealed with the key the child process is given. */
export async function seedReceivers(env: Record<string, string>, receivers: Array<{ name: string; kind: ReceiverKind; url: string; token?: string }>): Promise<void> {
  const config = loadConfig(env, tempDir('orca-doctor-cwd-'));
  const db = await openDatabase(config, createLogger({ level: 'silent' }), createMetrics());
  try {
    const box = createSecretBox(secretKeyLoader(config));
    const repository = createReceiverRepository(db);
    for (const receiver of receivers) {
      const id = newId();
      const sealed = sealReceiverFields(box, id, receiver.kind, { url: receiver.url, secret: null, token: receiver.token ?? null, headers: null });
      await repository.insert({ id, name: receiver.name, kind: receiver.kind, origin: 'api', ...sealed });
    }
  } finally {
    await db.close();
  }
}

export async function listenOnLoopback(): Promise<{ server: net.Server; port: number }> {
  const server = net.createServer((socket) => socket.on('error', () => undefined));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  deferCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { server, port: (server.address() as net.AddressInfo).port };
}

/** Whether chmod 0500 stops this process from writing (root ignores permission bits). */
export function chmodStopsWrites(): boolean {
  const dir = tempDir('orca-doctor-chmod-');
  chmodSync(dir, 0o500);
  try {
    writeFileSync(join(dir, 'probe'), 'x');
    return false;
  } catch {
    return true;
  } finally {
    chmodSync(dir, 0o700);
  }
}
