import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort } from './orca-process.js';
import { waitFor } from './jobs.js';

/**
 * The Prometheus tools of the Debian package `prometheus` (installed by .ci/run): `promtool` checks and unit-tests
 * rule files, `prometheus` scrapes a live ORCA. Tests that need one skip, and say so in their title, when it is
 * missing — unless CI demands it (ORCA_REQUIRE_PROMTOOL=1, ORCA_REQUIRE_PROMETHEUS=1), where its absence fails.
 */

export function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export interface RequiredTool {
  path: string | undefined;
  /** Whether the tests that need it run: it is there, or CI requires it (and they then fail without it). */
  runs: boolean;
  /** A test title: `title`, or `title — SKIPPED: …` saying how to install it. */
  title(title: string): string;
  /** The path, or an error saying that CI required a tool that is missing. */
  require(): string;
}

export function requiredTool(command: string, requireVariable: string): RequiredTool {
  const path = findOnPath(command);
  const required = process.env[requireVariable] === '1';
  return {
    path,
    runs: path !== undefined || required,
    title: (title) =>
      path !== undefined || required
        ? title
        : `${title} — SKIPPED: ${command} is not on PATH (apt-get install prometheus, or set ${requireVariable}=1 to make this a failure)`,
    require() {
      if (!path) throw new Error(`${requireVariable}=1 but ${command} is not on PATH: apt-get install prometheus`);
      return path;
    },
  };
}

export const promtool = requiredTool('promtool', 'ORCA_REQUIRE_PROMTOOL');
export const prometheusServer = requiredTool('prometheus', 'ORCA_REQUIRE_PROMETHEUS');

export interface PromQueryResult {
  status: 'success' | 'error';
  errorType?: string;
  error?: string;
  data?: { resultType: string; result: Array<{ metric: Record<string, string>; value?: [number, string] }> };
}

export interface RunningPrometheus {
  url: string;
  /** An instant query through the HTTP API (GET /api/v1/query), as Grafana sends a panel's query. */
  query(expr: string): Promise<PromQueryResult>;
  /** What Prometheus logged (stderr): its errors, when a test fails. */
  log(): string;
  stop(): Promise<void>;
}

/**
 * A real Prometheus on a free loopback port, scraping `target` (host:port) as job `orca` every `scrapeInterval`,
 * evaluating `ruleFiles` as often, with its storage in a temp dir removed by stop().
 */
export async function startPrometheus(binary: string, options: { target: string; ruleFiles: string[]; scrapeInterval: string }): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'orca-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      `  scrape_interval: ${options.scrapeInterval}`,
      `  evaluation_interval: ${options.scrapeInterval}`,
      'rule_files:',
      ...options.ruleFiles.map((file) => `  - ${JSON.stringify(file)}`),
      'scrape_configs:',
      '  - job_name: orca',
      '    metrics_path: /metrics',
      '    static_configs:',
      `      - targets: [${JSON.stringify(options.target)}]`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary,
    [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode}): ${stderr.slice(-2000)}`);
        try {
          return (await fetch(`${url}/-/ready`)).status;
        } catch {
          return 0;
        }
      },
      (status) => status === 200,
      60_000,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    async query(expr) {
      const response = await fetch(`${url}/api/v1/query`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ query: expr }) });
      return (await response.json()) as PromQueryResult;
    },
    log: () => stderr,
    stop,
  };
}
