import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createContainer } from '../../src/container.js';
import { loadConfig } from '../../src/platform/config/load.js';
import { createLogger } from '../../src/platform/telemetry/logger.js';
import { createSchema, serverUrl } from '../helpers/db.js';
import { startTestReceiver } from '../helpers/http-receiver.js';
import { waitFor } from '../helpers/jobs.js';
import { cleanupOrcaProcesses, deferCleanup, freePort, startOrca, stopOrca, tempDir, waitUntilReady } from '../helpers/orca-process.js';
import { alertNotification } from '../http/receivers/fixtures.js';

/**
 * Durability of deliveries (docs/receivers.md "Deliveries"): a burst of notifications is queued, a real `orca start`
 * delivers them to a local receiver and is killed with SIGKILL in the middle, with attempts in flight. After a
 * restart on the same data every notification arrives at least once (a receiver deduplicates by webhook-id), and
 * every delivery ends `delivered`. Attempts cut off by the kill are retried once pg-boss's maintenance (every 2 min)
 * has expired them, which bounds how long this takes.
 */

const PROCESS_TEST_TIMEOUT_MS = 600_000;
const NOTIFICATIONS = 200;
/** Kill once this many distinct notifications have arrived: well inside the burst. */
const KILL_AFTER = 40;
/** Each answer waits this long, so that attempts are in flight when the kill comes. */
const ANSWER_DELAY_MS = 100;

afterAll(cleanupOrcaProcesses);

async function burstThenKill(settings: Record<string, string>): Promise<void> {
  const receiver = await startTestReceiver();
  deferCleanup(() => receiver.close());
  const arrivals = new Map<string, number>();
  // Killed from the receiver itself as the KILL_AFTER-th notification arrives: the attempts in flight then are cut off.
  let killAtThreshold: (() => void) | undefined;
  receiver.respond((request, response) => {
    const id = String(request.headers['webhook-id']);
    arrivals.set(id, (arrivals.get(id) ?? 0) + 1);
    if (arrivals.size >= KILL_AFTER) killAtThreshold?.();
    setTimeout(() => response.writeHead(204).end(), ANSWER_DELAY_MS);
  });
  const admin = randomBytes(24).toString('hex');
  const env = {
    ...settings,
    API_KEYS: `e2e-admin:admin:${admin}`,
    OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8',
    DELIVERY_RETRY_DELAY: '1s',
    DELIVERY_CONCURRENCY: '10',
    JOBS_POLL_INTERVAL: '200ms',
    // Attempts the kill cut off run again once their job timeout (OUTBOUND_TIMEOUT + 15 s) has passed and the next
    // maintenance has seen it: short values keep the test short (the defaults are 10 s and 30 s). Not shorter: on a
    // loaded machine an answer slower than OUTBOUND_TIMEOUT is a failed attempt, retried, and a second arrival.
    OUTBOUND_TIMEOUT: '5s',
    JOBS_MAINTENANCE_INTERVAL: '1s',
    // The test polls /deliveries until every delivery is recorded: more requests than the default budget.
    RATE_LIMIT_MAX: '1000000',
  };

  // The burst is queued by an API-role container on the same data (it sends jobs, runs none), as the alerts module
  // queues notifications in the transactions that raise them.
  const queued: string[] = [];
  const container = await createContainer(loadConfig(env, tempDir('orca-cwd-')), { role: 'api', logger: createLogger({ level: 'silent' }) });
  try {
    const created = await container.modules.receivers.service.create({ id: 'e2e', correlationId: randomUUID() }, { name: 'burst', kind: 'webhook', url: receiver.url('/orca') });
    for (let index = 0; index < NOTIFICATIONS; index += 1) {
      const notification = alertNotification(created.name);
      queued.push(notification.id);
      await container.modules.receivers.sink.enqueue(notification);
    }
  } finally {
    await container.close();
  }

  const first = startOrca(env, await freePort());
  killAtThreshold = () => {
    killAtThreshold = undefined;
    first.child.kill('SIGKILL');
  };
  expect((await first.exited).signal).toBe('SIGKILL');
  const beforeRestart = arrivals.size;
  expect(beforeRestart).toBeLessThan(NOTIFICATIONS);

  const second = startOrca(env, await freePort());
  await waitUntilReady(second);
  await waitFor(() => queued.filter((id) => !arrivals.has(id)).length, (missing) => missing === 0, 120_000);
  const statuses = await waitFor(
    async () => {
      const counts = new Map<string, number>();
      let cursor: string | null = null;
      do {
        const response = await fetch(`http://127.0.0.1:${second.port}/api/v1/deliveries?limit=200${cursor ? `&cursor=${cursor}` : ''}`, { headers: { 'x-api-key': admin } });
        expect(response.status).toBe(200);
        const page = (await response.json()) as { items: Array<{ status: string }>; next_cursor: string | null };
        for (const item of page.items) counts.set(item.status, (counts.get(item.status) ?? 0) + 1);
        cursor = page.next_cursor;
      } while (cursor);
      return Object.fromEntries(counts);
    },
    (counts) => counts.delivered === NOTIFICATIONS,
    // Attempts the kill cut off stay active until maintenance expires them (20 s after they started, see above).
    120_000,
  );
  expect(statuses).toEqual({ delivered: NOTIFICATIONS });
  expect([...arrivals.keys()].sort()).toEqual([...queued].sort());
  const duplicates = [...arrivals.values()].filter((count) => count > 1).length;
  // Only attempts in flight at the kill may arrive twice: at most one per delivery slot.
  expect(duplicates).toBeLessThanOrEqual(10);
  console.info(`delivery SIGKILL: ${NOTIFICATIONS} notifications, killed after ${beforeRestart} arrived, ${duplicates} arrived twice`);
  await stopOrca(second, 15_000);
}

describe('SIGKILL during a burst of deliveries loses none [pglite]', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('every notification arrives at least once after a restart on the same ORCA_DATA_DIR', async () => {
    await burstThenKill({ ORCA_DATA_DIR: tempDir('orca-data-') });
  });
});

describe.skipIf(!serverUrl)(
  serverUrl
    ? 'SIGKILL during a burst of deliveries loses none [postgres]'
    : 'SIGKILL during a burst of deliveries loses none [postgres; skipped: ORCA_TEST_DATABASE_URL is unset]',
  { timeout: PROCESS_TEST_TIMEOUT_MS },
  () => {
    it('every notification arrives at least once after a restart on the same DATABASE_URL', async () => {
      const schema = await createSchema(serverUrl as string);
      deferCleanup(schema.drop);
      await burstThenKill({ DATABASE_URL: schema.url, ORCA_DATA_DIR: tempDir('orca-data-') });
    });
  },
);
