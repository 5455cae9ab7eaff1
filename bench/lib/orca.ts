import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, HOST, startServerProcess, type ServerProcess } from './server-process.js';

/** API keys created for one run through API_KEYS: one per role the benchmark needs, random each time. */
export interface BenchKeys {
  operator: string;
  viewer: string;
  admin: string;
}

export interface OrcaServer extends ServerProcess {
  logPath: string;
  keys: BenchKeys;
}

/**
 * Above any request count a run makes (the largest value RATE_LIMIT_MAX accepts): the limiter still counts every
 * request, so its cost is measured, but it never answers 429.
 */
export const BENCH_RATE_LIMIT_MAX = 10_000_000;

function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Runs the built ORCA (`node dist/main.js start`) on the embedded database in a fresh data directory (or on a
 * PostgreSQL server when given one). Its log
 * goes to a file, as in production: writing one line per request is part of what a request costs.
 */
export async function startOrca(options: {
  repoRoot: string;
  workDir: string;
  name: string;
  logLevel: string;
  /** Replaces `dist/main.js start`, e.g. with a variant entry that loads the same build. */
  args?: string[];
  /** A PostgreSQL server (DATABASE_URL) instead of the embedded database. */
  databaseUrl?: string;
  /** The keys of another replica of the same deployment (the same API_KEYS); new ones otherwise. */
  keys?: BenchKeys;
  /** Further settings, e.g. REDIS_URL for rate limits shared by replicas. */
  env?: Record<string, string>;
}): Promise<OrcaServer> {
  const dist = join(options.repoRoot, 'dist');
  const entry = join(dist, 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first (\`npm run bench\` does)`);
  const port = await freePort();
  const logPath = join(options.workDir, `${options.name}.log`);
  const keys: BenchKeys = options.keys ?? { operator: newSecret(), viewer: newSecret(), admin: newSecret() };
  const server = await startServerProcess({
    name: options.name,
    args: options.args ?? [entry, 'start'],
    // A working directory of its own so that no orca.config.yaml of the checkout is picked up.
    cwd: options.workDir,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOST,
      PORT: String(port),
      ORCA_DATA_DIR: join(options.workDir, `${options.name}-data`),
      LOG_LEVEL: options.logLevel,
      API_KEYS: Object.entries(keys)
        .map(([role, secret]) => `bench-${role}:${role}:${secret}`)
        .join(','),
      RATE_LIMIT_MAX: String(BENCH_RATE_LIMIT_MAX),
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      ...options.env,
    },
    port,
    readyPath: '/livez',
    stdoutPath: logPath,
  });
  return { ...server, logPath, keys };
}

/** A realistic registration: tools with input schemas, a prompt, configuration, tags and targets. */
export const SAMPLE_AGENT = {
  name: 'invoice-triage',
  kind: 'llm_agent',
  source: 'manual',
  owner: 'finance-ops@example.com',
  vendor: 'example-ai',
  model: 'example-model-2',
  version: '1.4.0',
  description: 'Reads incoming supplier invoices, matches them to purchase orders and flags mismatches for review.',
  prompt: 'You triage supplier invoices. For each invoice, find the purchase order, compare amounts and lines, and report mismatches with the evidence.',
  classification: 'confidential',
  config: { temperature: 0.2, max_tokens: 2048, retries: 2 },
  tools: [
    { name: 'lookup_purchase_order', description: 'Find a purchase order by number', input_schema: { type: 'object', properties: { number: { type: 'string' } }, required: ['number'] } },
    { name: 'read_invoice', description: 'Read an invoice document', input_schema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } },
    { name: 'flag_mismatch', description: 'Open a review task for a mismatch', input_schema: { type: 'object', properties: { reason: { type: 'string' } } } },
  ],
  targets: ['sap', 'salesforce'],
  tags: ['finance', 'invoices', 'tier-1'],
  metadata: { cost_center: 'FIN-204', runbook: 'https://wiki.example.com/agents/invoice-triage' },
};

/** Registers the sample agent through the API and checks that it reads back; returns its id and the body size. */
export async function seedAgent(server: OrcaServer): Promise<{ id: string; bodyBytes: number }> {
  const { baseUrl, keys } = server;
  const created = await fetch(`${baseUrl}/api/v1/agents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': keys.operator },
    body: JSON.stringify(SAMPLE_AGENT),
  });
  const createdBody = await created.text();
  if (created.status !== 201) throw new Error(`POST /api/v1/agents answered ${created.status}: ${createdBody.slice(0, 500)}`);
  const { id } = JSON.parse(createdBody) as { id: string };
  const read = await fetch(`${baseUrl}/api/v1/agents/${id}`, { headers: { 'x-api-key': keys.viewer } });
  const readBody = await read.text();
  if (read.status !== 200 || (JSON.parse(readBody) as { id?: string }).id !== id) {
    throw new Error(`GET /api/v1/agents/${id} did not return the agent just registered (status ${read.status})`);
  }
  return { id, bodyBytes: Buffer.byteLength(readBody) };
}
