import type { Command } from 'commander';
import type { DiscoveryRun, DiscoverySource } from '../../modules/discovery/index.js';
import { loadConfigOrExit } from '../load-config.js';
import { cliActor, withContainer } from '../open-container.js';
import { ServerApiError, runningServerApi, type ServerApi } from '../server-api.js';

const FINISHED = new Set(['succeeded', 'partial', 'failed']);
const POLL_MS = 500;

interface Progress {
  update(source: Pick<DiscoverySource, 'name' | 'kind'>, run: DiscoveryRun): void;
  done(source: Pick<DiscoverySource, 'name' | 'kind'>, run: DiscoveryRun): void;
}

/** One rewritten line per source on a terminal; only the outcome lines elsewhere (CI logs stay quiet). */
function progressOn(stream: NodeJS.WriteStream, json: boolean): Progress {
  const tty = stream.isTTY === true && !json;
  const line = (source: Pick<DiscoverySource, 'name' | 'kind'>, run: DiscoveryRun) =>
    `${source.name} (${source.kind}): ${run.status} — ${run.found} found, ${run.new} new, ${run.linked} linked, ${run.changed} changed, ${run.unchanged} unchanged, ${run.missing} missing`;
  return {
    update(source, run) {
      if (tty) stream.write(`\r\x1b[2K${source.name} (${source.kind}): ${run.status}… ${run.found} found`);
    },
    done(source, run) {
      if (json) return;
      if (tty) stream.write('\r\x1b[2K');
      stream.write(`${line(source, run)}\n`);
      for (const error of run.errors.slice(0, 10)) stream.write(`  ${error.code}: ${error.message}${error.external_id ? ` (${error.external_id})` : ''}\n`);
      if (run.errors.length > 10) stream.write(`  … ${run.errors.length - 10} more errors: GET /api/v1/discovery/runs/${run.id}\n`);
    },
  };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, onValue: (value: T) => void, signal: AbortSignal): Promise<T> {
  for (;;) {
    const value = await read();
    onValue(value);
    if (done(value) || signal.aborted) return value;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Beside a running server on the embedded database: ask it, and watch the runs its worker does. */
async function throughServer(api: ServerApi, sourceId: string | undefined, progress: Progress, signal: AbortSignal): Promise<DiscoveryRun[]> {
  const sources = sourceId
    ? [await api.request<DiscoverySource>('GET', `/api/v1/discovery/sources/${sourceId}`)]
    : (await api.request<{ items: DiscoverySource[] }>('GET', '/api/v1/discovery/sources?enabled=true&limit=200')).items;
  const runs: DiscoveryRun[] = [];
  for (const source of sources) {
    const queued = await api.request<DiscoveryRun>('POST', '/api/v1/discovery/runs', { source_id: source.id });
    const run = await until(
      () => api.request<DiscoveryRun>('GET', `/api/v1/discovery/runs/${queued.id}`),
      (value) => FINISHED.has(value.status),
      (value) => progress.update(source, value),
      signal,
    );
    progress.done(source, run);
    runs.push(run);
  }
  return runs;
}

async function inProcess(sourceId: string | undefined, progress: Progress, signal: AbortSignal): Promise<DiscoveryRun[]> {
  return withContainer(async (container) => {
    const { sources, runs } = container.modules.discovery;
    const selected = sourceId ? [await sources.get(sourceId)] : (await sources.list({ enabled: true, limit: 200 })).items;
    const results: DiscoveryRun[] = [];
    for (const source of selected) {
      let finished = false;
      const running = runs.runHere(cliActor(), source.id, signal).finally(() => (finished = true));
      // The run writes how many it found to its record as it lists: shown while it runs.
      const watch = until(
        async () => (await runs.list({ source_id: source.id, limit: 1 })).items[0],
        () => finished,
        (run) => run && progress.update(source, run),
        signal,
      );
      const run = await running;
      await watch;
      progress.done(source, run);
      results.push(run);
    }
    return results;
  });
}

export function registerDiscoverCommand(program: Command): void {
  program
    .command('discover')
    .description('run discovery now on every enabled discovery source, or one (docs/discovery.md); exits 1 unless every run succeeded')
    .option('--source <id>', 'only this discovery source')
    .option('--json', 'print the runs as JSON')
    .action(async (options: { source?: string; json?: boolean }) => {
      const config = loadConfigOrExit();
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort());
      const progress = progressOn(process.stderr, Boolean(options.json));
      try {
        const api = runningServerApi(config);
        const runs = api ? await throughServer(api, options.source, progress, controller.signal) : await inProcess(options.source, progress, controller.signal);
        if (options.json) console.log(JSON.stringify(runs));
        else if (runs.length === 0) console.error('orca discover: no enabled discovery source (POST /api/v1/discovery/sources adds one)');
        if (runs.some((run) => run.status !== 'succeeded')) process.exitCode = 1;
      } catch (error) {
        const { message, name } = error as Error & { code?: string };
        if (error instanceof ServerApiError || name === 'AppError') {
          console.error(`orca discover: ${message}`);
          process.exitCode = 1;
          return;
        }
        throw error;
      }
    });
}
