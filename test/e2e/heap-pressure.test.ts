import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createSchema, serverUrl } from '../helpers/db.js';
import { cleanupOrcaProcesses, deferCleanup, freePort, startOrca, stopOrca, tempDir, waitUntilReady } from '../helpers/orca-process.js';

/**
 * Under memory pressure ORCA degrades, it does not corrupt (issue 22 item 4): a real `orca start` whose V8 heap is
 * limited just above its steady need receives a burst of large /events batches at once. Some are refused
 * (503 insufficient_memory with Retry-After, or 413), none crashes the process, and every batch that was
 * acknowledged is stored in full.
 */

const PROCESS_TEST_TIMEOUT_MS = 600_000;
/** A bound on a hang, not a measure: see the start below. */
const READY_TIMEOUT_MS = 300_000;
/** Above what the server needs at rest (under tsx, which compiles on the fly: more than the built server), far below a burst. */
const HEAP_LIMIT_MB = 192;
const BATCHES = 16;
const EVENTS_PER_BATCH = 2000;
/** About 1 KiB per event: a batch of 2 MiB, 20 MiB of heap each once admitted — the burst needs far more than the limit. */
const PAYLOAD_FILLER = 'x'.repeat(900);

afterAll(cleanupOrcaProcesses);

function batchBody(sourceId: string, batch: number): string {
  const events = Array.from({ length: EVENTS_PER_BATCH }, (_, index) => ({
    source_id: sourceId,
    idempotency_key: `b${batch}-e${index}`,
    event_type: 'order.created',
    entity_type: 'order',
    entity_id: `ORD-${batch}-${index}`,
    occurred_at: '2026-12-07T09:00:00Z',
    payload: { total: 129.9, currency: 'EUR', note: PAYLOAD_FILLER },
  }));
  return JSON.stringify({ events });
}

async function burstUnderHeapLimit(database: 'pglite' | 'postgres', settings: Record<string, string>): Promise<void> {
  const admin = randomBytes(24).toString('hex');
  // REQUEST_TIMEOUT: on PGlite the batches queue before their bodies are read; on a loaded machine the last ones
  // would otherwise wait past the default 30 s and be cut off — a timeout, which is not what this test is about.
  // HEADERS_TIMEOUT likewise: PGlite stores a batch on this process's thread, and while it does (seconds, on a loaded
  // machine) no socket is read, so a batch whose connection was accepted just before waited past the default 10 s
  // for its headers to be read and was answered 408 (seen on Node 24, where storing a batch took up to 26 s).
  const env = {
    ...settings,
    API_KEYS: `e2e-admin:admin:${admin}`,
    RATE_LIMIT_MAX: '10000000',
    REQUEST_TIMEOUT: '300s',
    HEADERS_TIMEOUT: '300s',
    NODE_OPTIONS: `--max-old-space-size=${HEAP_LIMIT_MB}`,
  };
  const orca = startOrca(env, await freePort());
  // The first start of PGlite from source under this heap limit took 196 s on the loaded build machine (Node 24).
  await waitUntilReady(orca, READY_TIMEOUT_MS);
  const base = `http://127.0.0.1:${orca.port}`;
  const headers = { 'content-type': 'application/json', 'x-api-key': admin };
  const created = await fetch(`${base}/api/v1/sources`, { method: 'POST', headers, body: JSON.stringify({ kind: 'generic', name: 'heap-burst', secret: `whsec_${randomBytes(24).toString('base64')}` }) });
  expect(created.status).toBe(201);
  const sourceId = ((await created.json()) as { id: string }).id;

  const bodies = Array.from({ length: BATCHES }, (_, batch) => batchBody(sourceId, batch));
  const answers = await Promise.all(
    bodies.map(async (body, batch) => {
      const response = await fetch(`${base}/api/v1/events`, { method: 'POST', headers, body });
      return { batch, status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as { type?: string; stored?: number } };
    }),
  );

  // Degraded, not down: the process is still the same one and answers.
  expect(orca.child.exitCode).toBeNull();
  expect(orca.child.signalCode).toBeNull();
  expect((await fetch(`${base}/livez`)).status).toBe(200);

  const acknowledged = answers.filter((answer) => answer.status === 201);
  const refused = answers.filter((answer) => answer.status === 503);
  expect(answers.filter((answer) => ![201, 503, 413].includes(answer.status))).toEqual([]);
  // On PostgreSQL the batches are read and parsed side by side and need more heap than the limit holds: the guard
  // must have refused some. PGlite runs its statements on this process's thread, one at a time: the batches queue
  // before their bodies are read and never meet in the heap — what matters there is that none crashes it.
  if (database === 'postgres') expect(refused.length).toBeGreaterThan(0);
  expect(acknowledged.length).toBeGreaterThan(0);
  for (const answer of refused) {
    expect(answer.body.type).toBe('urn:orca:problem:insufficient_memory');
    expect(answer.retryAfter).toBe('5');
  }

  // Every acknowledged batch is stored in full; nothing of a refused one is.
  const stored = new Map<number, number>();
  let cursor: string | null = null;
  do {
    const query: string = `source_id=${sourceId}&limit=200${cursor ? `&cursor=${cursor}` : ''}`;
    const response = await fetch(`${base}/api/v1/events?${query}`, { headers: { 'x-api-key': admin } });
    expect(response.status).toBe(200);
    const page = (await response.json()) as { items: Array<{ idempotency_key: string }>; next_cursor: string | null };
    for (const item of page.items) {
      const batch = Number(/^b(\d+)-/.exec(item.idempotency_key)?.[1]);
      stored.set(batch, (stored.get(batch) ?? 0) + 1);
    }
    cursor = page.next_cursor;
  } while (cursor);
  expect(Object.fromEntries(stored)).toEqual(Object.fromEntries(acknowledged.map((answer) => [answer.batch, EVENTS_PER_BATCH])));
  await stopOrca(orca, 15_000);
}

describe('a burst of large batches under a small heap limit is refused, not a crash [pglite]', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('answers 201 or 503 insufficient_memory, stays up, and stores every acknowledged batch in full', async () => {
    await burstUnderHeapLimit('pglite', { ORCA_DATA_DIR: tempDir('orca-data-') });
  });
});

describe.skipIf(!serverUrl)(
  serverUrl
    ? 'a burst of large batches under a small heap limit is refused, not a crash [postgres]'
    : 'a burst of large batches under a small heap limit is refused, not a crash [postgres; skipped: ORCA_TEST_DATABASE_URL is unset]',
  { timeout: PROCESS_TEST_TIMEOUT_MS },
  () => {
    it('answers 201 or 503 insufficient_memory, stays up, and stores every acknowledged batch in full', async () => {
      const schema = await createSchema(serverUrl as string);
      deferCleanup(schema.drop);
      await burstUnderHeapLimit('postgres', { DATABASE_URL: schema.url, ORCA_DATA_DIR: tempDir('orca-data-') });
    });
  },
);
